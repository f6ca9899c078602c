package platform

import (
	"encoding/json"
	"io/fs"
	"net/http"
	"regexp"
	"slices"
	"strings"

	"github.com/flireo-sim/flireo-sim/fixtures"
)

// Voices (spec §6.1 operation list, SDK Voice): GET /voices lists the
// catalogue of fixtures/documented/voices.json, the voices the platform
// documentation names. The SDK documents no filters; the simulator's
// provider and language query parameters narrow the list (a "multi" voice
// speaks every language), and limit and offset page it.

// voicesFile is the catalogue in fixtures.FS.
const voicesFile = "documented/voices.json"

// voice is one catalogue entry (SDK Voice plus its provider).
type voice struct {
	ID          string            `json:"id"`
	Name        string            `json:"name"`
	Provider    string            `json:"provider"`
	Language    string            `json:"language,omitempty"`
	Description map[string]string `json:"description,omitempty"`
}

// languageCode is a language filter: an ISO 639 code or "multi".
var languageCode = regexp.MustCompile(`^([a-z]{2,3}|multi)$`)

// voiceCatalogue reads the catalogue.
func voiceCatalogue() ([]voice, error) {
	raw, err := fs.ReadFile(fixtures.FS, voicesFile)
	if err != nil {
		return nil, err
	}
	var f struct {
		Voices []voice `json:"voices"`
	}
	if err := json.Unmarshal(raw, &f); err != nil {
		return nil, err
	}
	return f.Voices, nil
}

func (p *Platform) handleVoices(w http.ResponseWriter, r *http.Request) {
	all, err := voiceCatalogue()
	if err != nil {
		writeError(w, http.StatusInternalServerError, "server_error", "", "the voice catalogue cannot be read: "+err.Error())
		return
	}
	limit, offset, rerr := listPage(r)
	if rerr == nil {
		all, rerr = filterVoices(all, r.URL.Query().Get("provider"), r.URL.Query().Get("language"))
	}
	if rerr != nil {
		rerr.write(w)
		return
	}
	paginate(w, "voices", all, limit, offset)
}

// filterVoices keeps the voices of the provider and the language ("" for
// any); an unknown provider or a malformed language is a 400.
func filterVoices(all []voice, provider, language string) ([]voice, *requestError) {
	var providers []string
	for _, v := range all {
		if !slices.Contains(providers, v.Provider) {
			providers = append(providers, v.Provider)
		}
	}
	if provider != "" && !slices.Contains(providers, provider) {
		return nil, badRequest("provider", "provider %q has no voices: use one of %s", provider, strings.Join(providers, ", "))
	}
	language = strings.ToLower(language)
	if language != "" && !languageCode.MatchString(language) {
		return nil, badRequest("language", "language %q is not a language code such as nl or en (or multi)", language)
	}
	out := make([]voice, 0, len(all))
	for _, v := range all {
		if provider != "" && v.Provider != provider {
			continue
		}
		if language != "" && v.Language != language && v.Language != "multi" {
			continue
		}
		out = append(out, v)
	}
	return out, nil
}
