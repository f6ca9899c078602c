package platform

import (
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"
)

// BYOK, bring your own key (spec §6.1 operation list, SDK BYOK): provider
// API keys an account stores instead of the platform's. A key is never
// answered back: GET /byok shows the vault secret id of each provider's key
// (as the SDK documents), GET /byok/config shows ******** for it. POST
// /byok/config verifies a stored key: the simulator calls no provider, so a
// key is valid unless it contains "invalid" (a test key, like a payment
// provider's test cards).

// byokProviders are the documented providers (SDK BYOKProvider).
var byokProviders = []string{"deepgram", "openai", "elevenlabs", "resend", "xai", "gladia", "mistral"}

// byokKey is one stored provider key.
type byokKey struct {
	secretID string
	key      string
	updated  time.Time
	verified *bool // nil until verified
}

// byokParams are the bodies of POST /byok, DELETE /byok and POST /byok/config.
type byokParams struct {
	Provider *string `json:"provider"`
	APIKey   *string `json:"api_key"`
}

// readBYOK reads and checks a BYOK body; needKey for POST /byok.
func (p *Platform) readBYOK(w http.ResponseWriter, r *http.Request, needKey bool) (string, string, *requestError) {
	var in byokParams
	fields, rerr := p.readObject(w, r)
	if rerr == nil {
		rerr = fieldsInto(fields, &in)
	}
	if rerr != nil {
		return "", "", rerr
	}
	switch {
	case in.Provider == nil || *in.Provider == "":
		return "", "", missing("provider", "provider is required: one of %s", strings.Join(byokProviders, ", "))
	case !slices.Contains(byokProviders, *in.Provider):
		return "", "", badRequest("provider", "provider %q is not one of %s", *in.Provider, strings.Join(byokProviders, ", "))
	}
	if !needKey {
		return *in.Provider, "", nil
	}
	if in.APIKey == nil || strings.TrimSpace(*in.APIKey) == "" {
		return "", "", missing("api_key", "api_key is required: the provider's API key")
	}
	return *in.Provider, strings.TrimSpace(*in.APIKey), nil
}

// byokKeys are the account's keys as the SDK's BYOKKeys: a vault secret id
// per provider, null when none; the caller holds p.res.mu.
func (p *Platform) byokKeys(owner string) map[string]any {
	out := make(map[string]any, len(byokProviders))
	for _, prov := range byokProviders {
		out[prov+"_secret_id"] = nil
		if k := p.res.byok[owner][prov]; k != nil {
			out[prov+"_secret_id"] = k.secretID
		}
	}
	return out
}

func (p *Platform) handleGetBYOK(w http.ResponseWriter, r *http.Request) {
	p.res.mu.Lock()
	keys := p.byokKeys(ownerOf(r))
	p.res.mu.Unlock()
	writeJSON(w, http.StatusOK, map[string]any{"byok_keys": keys})
}

func (p *Platform) handleSetBYOK(w http.ResponseWriter, r *http.Request) {
	prov, key, rerr := p.readBYOK(w, r, true)
	if rerr != nil {
		rerr.write(w)
		return
	}
	owner := ownerOf(r)
	p.res.mu.Lock()
	if p.res.byok == nil {
		p.res.byok = make(map[string]map[string]*byokKey)
	}
	if p.res.byok[owner] == nil {
		p.res.byok[owner] = make(map[string]*byokKey)
	}
	p.res.byok[owner][prov] = &byokKey{secretID: "vault_" + uuid.NewString(), key: key, updated: p.now()}
	keys := p.byokKeys(owner)
	p.res.mu.Unlock()
	writeJSON(w, http.StatusOK, map[string]any{"success": true, "byok_keys": keys})
}

func (p *Platform) handleDeleteBYOK(w http.ResponseWriter, r *http.Request) {
	prov, _, rerr := p.readBYOK(w, r, false)
	if rerr != nil {
		rerr.write(w)
		return
	}
	owner := ownerOf(r)
	p.res.mu.Lock()
	defer p.res.mu.Unlock()
	if p.res.byok[owner][prov] == nil {
		notFound("provider", "no %s key is stored: nothing to delete", prov).write(w)
		return
	}
	delete(p.res.byok[owner], prov)
	writeJSON(w, http.StatusOK, map[string]any{"success": true, "byok_keys": p.byokKeys(owner)})
}

// handleBYOKConfig answers GET /byok/config: per provider whether a key is
// configured, its secret id, the key masked, and the last verification.
func (p *Platform) handleBYOKConfig(w http.ResponseWriter, r *http.Request) {
	owner := ownerOf(r)
	p.res.mu.Lock()
	defer p.res.mu.Unlock()
	providers := make(map[string]any, len(byokProviders))
	for _, prov := range byokProviders {
		c := map[string]any{"configured": false}
		if k := p.res.byok[owner][prov]; k != nil {
			c = map[string]any{"configured": true, "secret_id": k.secretID, "api_key": maskedSecret,
				"verified": k.verified, "updated_at": isoTime(k.updated)}
		}
		providers[prov] = c
	}
	writeJSON(w, http.StatusOK, map[string]any{"providers": providers})
}

// handleVerifyBYOK answers POST /byok/config {"provider"}: it verifies the
// stored key (see the package comment above for the rule).
func (p *Platform) handleVerifyBYOK(w http.ResponseWriter, r *http.Request) {
	prov, _, rerr := p.readBYOK(w, r, false)
	if rerr != nil {
		rerr.write(w)
		return
	}
	owner := ownerOf(r)
	p.res.mu.Lock()
	defer p.res.mu.Unlock()
	k := p.res.byok[owner][prov]
	if k == nil {
		notFound("provider", "no %s key is stored: POST /byok {\"provider\": %q, \"api_key\": …} first", prov, prov).write(w)
		return
	}
	valid := !strings.Contains(strings.ToLower(k.key), "invalid")
	k.verified = &valid
	msg := "the " + prov + " key is valid"
	if !valid {
		msg = "the " + prov + " key was refused by the provider"
	}
	writeJSON(w, http.StatusOK, map[string]any{"success": true, "provider": prov, "valid": valid, "message": msg})
}
