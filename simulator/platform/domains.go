package platform

import (
	"crypto/rand"
	"encoding/hex"
	"net/http"
	"strings"
	"time"

	"github.com/google/uuid"
)

// The custom domain (spec §6.1 operation list, SDK Domains): one per
// account, for the e-mails the platform sends. Creating it answers the DNS
// records to add; POST /domains/verify checks them. The simulator looks up
// no DNS: a domain verifies at its first verification unless it ends in
// .invalid (RFC 2606's name for names that cannot exist), which never
// verifies.

// Domain statuses.
const (
	domainPending  = "pending"
	domainVerified = "verified"
	domainFailed   = "failed"
)

// domain is an account's custom domain.
type domain struct {
	id       string
	name     string
	token    string
	status   string
	created  time.Time
	updated  time.Time
	verified time.Time
}

// records are the DNS records to add: an ownership TXT record, and the
// SPF and MX records of the sending subdomain.
func (d *domain) records() []map[string]any {
	rs := []map[string]any{
		{"type": "TXT", "name": "_flireo-verification." + d.name, "value": "flireo-verification=" + d.token, "ttl": 3600},
		{"type": "TXT", "name": "send." + d.name, "value": "v=spf1 include:amazonses.com ~all", "ttl": 3600},
		{"type": "MX", "name": "send." + d.name, "value": "feedback-smtp.eu-west-1.amazonses.com", "priority": 10, "ttl": 3600},
	}
	for _, r := range rs {
		r["status"] = d.status
	}
	return rs
}

// view is the domain as the API answers it: the SDK's Domain plus its
// status and records.
func (d *domain) view() map[string]any {
	v := map[string]any{
		"id": d.id, "domain": d.name, "verified": d.status == domainVerified, "status": d.status,
		"dns_records": d.records(), "created_at": isoTime(d.created), "updated_at": isoTime(d.updated),
		"verified_at": nil,
	}
	if !d.verified.IsZero() {
		v["verified_at"] = isoTime(d.verified)
	}
	return v
}

// validDomain accepts a DNS name of two or more labels.
func validDomain(s string) bool {
	return len(s) <= 253 && strings.Contains(s, ".") && hostName.MatchString(s) &&
		!strings.HasSuffix(s, ".") && strings.IndexFunc(s[strings.LastIndex(s, ".")+1:], func(r rune) bool { return r >= '0' && r <= '9' }) < 0
}

// accountDomain returns the account's domain or answers 404; the caller
// holds p.res.mu.
func (p *Platform) accountDomain(w http.ResponseWriter, r *http.Request) *domain {
	d := p.res.domains[ownerOf(r)]
	if d == nil {
		notFound("", "no domain is configured: POST /api/v1/domains {\"domain\": \"mail.example.com\"} first").write(w)
	}
	return d
}

func (p *Platform) handleGetDomain(w http.ResponseWriter, r *http.Request) {
	p.res.mu.Lock()
	defer p.res.mu.Unlock()
	if d := p.accountDomain(w, r); d != nil {
		writeJSON(w, http.StatusOK, d.view())
	}
}

func (p *Platform) handleCreateDomain(w http.ResponseWriter, r *http.Request) {
	var in struct {
		Domain *string `json:"domain"`
	}
	fields, rerr := p.readObject(w, r)
	if rerr == nil {
		rerr = fieldsInto(fields, &in)
	}
	if rerr == nil && (in.Domain == nil || strings.TrimSpace(*in.Domain) == "") {
		rerr = missing("domain", "domain is required, e.g. mail.example.com")
	}
	if rerr != nil {
		rerr.write(w)
		return
	}
	name := strings.ToLower(strings.TrimSpace(*in.Domain))
	if !validDomain(name) {
		badRequest("domain", "domain %q is not a domain name such as mail.example.com (no scheme, path or port)", *in.Domain).write(w)
		return
	}
	owner := ownerOf(r)
	p.res.mu.Lock()
	defer p.res.mu.Unlock()
	if old := p.res.domains[owner]; old != nil {
		writeError(w, http.StatusConflict, errDuplicate, "domain", "the account has a domain already ("+old.name+"): DELETE /api/v1/domains first")
		return
	}
	var tok [12]byte
	_, _ = rand.Read(tok[:]) // crypto/rand.Read does not fail
	now := p.now()
	d := &domain{id: "dom_" + uuid.NewString(), name: name, token: hex.EncodeToString(tok[:]), status: domainPending, created: now, updated: now}
	if p.res.domains == nil {
		p.res.domains = make(map[string]*domain)
	}
	p.res.domains[owner] = d
	writeJSON(w, http.StatusCreated, d.view())
}

func (p *Platform) handleDeleteDomain(w http.ResponseWriter, r *http.Request) {
	p.res.mu.Lock()
	defer p.res.mu.Unlock()
	if d := p.accountDomain(w, r); d != nil {
		delete(p.res.domains, ownerOf(r))
		writeJSON(w, http.StatusOK, map[string]bool{"success": true})
	}
}

// verify checks the domain's records by the rule above.
func (p *Platform) verify(d *domain) {
	now := p.now()
	d.updated = now
	if strings.HasSuffix(d.name, ".invalid") {
		d.status = domainFailed
		return
	}
	if d.status != domainVerified {
		d.status, d.verified = domainVerified, now
	}
}

// handleVerifyDomain answers POST /domains/verify: {"verified"} (SDK) with
// the status and the records checked.
func (p *Platform) handleVerifyDomain(w http.ResponseWriter, r *http.Request) {
	p.res.mu.Lock()
	defer p.res.mu.Unlock()
	d := p.accountDomain(w, r)
	if d == nil {
		return
	}
	p.verify(d)
	writeJSON(w, http.StatusOK, map[string]any{"verified": d.status == domainVerified, "status": d.status, "dns_records": d.records()})
}

// handleRefreshDomain answers POST /domains/refresh with the domain as it
// stands (POST /domains/verify is what checks the records).
func (p *Platform) handleRefreshDomain(w http.ResponseWriter, r *http.Request) {
	p.res.mu.Lock()
	defer p.res.mu.Unlock()
	d := p.accountDomain(w, r)
	if d == nil {
		return
	}
	writeJSON(w, http.StatusOK, d.view())
}
