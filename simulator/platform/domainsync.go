package platform

import (
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"strings"
)

// Resend domains (SDK Domains.listResendDomains, syncResendDomain): the
// platform sends e-mail through Resend, and an account may adopt a domain
// already set up there instead of adding one. No Resend account is
// contacted: every account's simulated Resend account holds the domains of
// resendCatalogue, verified, with ids that differ per account.
var resendCatalogue = []string{"mail.example.com", "notifications.example.org"}

// resendID is the id of a catalogue domain in the account's Resend account.
func resendID(owner, name string) string {
	h := sha256.Sum256([]byte(owner + "\x00" + name))
	return "rd_" + hex.EncodeToString(h[:8])
}

// handleListResendDomains answers GET /domains/sync: the Resend domains the
// account can adopt.
func (p *Platform) handleListResendDomains(w http.ResponseWriter, r *http.Request) {
	owner := ownerOf(r)
	out := make([]map[string]any, 0, len(resendCatalogue))
	for _, name := range resendCatalogue {
		out = append(out, map[string]any{"id": resendID(owner, name), "name": name, "status": "verified", "region": "eu-west-1"})
	}
	writeJSON(w, http.StatusOK, out)
}

// handleSyncResendDomain answers POST /domains/sync {"domain_id"}: the
// account's domain becomes that Resend domain, verified. An account with a
// domain already gets 409, as POST /domains does.
func (p *Platform) handleSyncResendDomain(w http.ResponseWriter, r *http.Request) {
	var in struct {
		DomainID *string `json:"domain_id"`
	}
	fields, rerr := p.readObject(w, r)
	if rerr == nil {
		rerr = fieldsInto(fields, &in)
	}
	if rerr == nil && (in.DomainID == nil || strings.TrimSpace(*in.DomainID) == "") {
		rerr = missing("domain_id", "domain_id is required: one of the ids GET /api/v1/domains/sync lists")
	}
	if rerr != nil {
		rerr.write(w)
		return
	}
	owner := ownerOf(r)
	name := ""
	for _, n := range resendCatalogue {
		if resendID(owner, n) == *in.DomainID {
			name = n
		}
	}
	if name == "" {
		notFound("domain_id", "no Resend domain %s: GET /api/v1/domains/sync lists them", *in.DomainID).write(w)
		return
	}
	p.res.mu.Lock()
	defer p.res.mu.Unlock()
	if old := p.res.domains[owner]; old != nil {
		writeError(w, http.StatusConflict, errDuplicate, "domain_id", "the account has a domain already ("+old.name+"): DELETE /api/v1/domains first")
		return
	}
	now := p.now()
	if p.res.domains == nil {
		p.res.domains = make(map[string]*domain)
	}
	p.res.domains[owner] = &domain{id: "dom_" + (*in.DomainID)[3:], name: name, token: (*in.DomainID)[3:], status: domainVerified,
		created: now, updated: now, verified: now}
	writeJSON(w, http.StatusOK, map[string]bool{"success": true})
}
