package platform

import (
	"fmt"
	"math/rand/v2"
	"net/http"
	"strings"
)

// area is a Dutch number range of the catalogue.
type area struct {
	code   string // after +31
	region string
	kind   string // geographic or national
}

var areas = []area{
	{"10", "Rotterdam", "geographic"},
	{"20", "Amsterdam", "geographic"},
	{"30", "Utrecht", "geographic"},
	{"40", "Eindhoven", "geographic"},
	{"50", "Groningen", "geographic"},
	{"70", "Den Haag", "geographic"},
	{"85", "Nederland (085)", "national"},
	{"88", "Nederland (088, bedrijven)", "national"},
}

// perArea is how many numbers the catalogue offers per area code.
const perArea = 12

// availableNumber is an entry of the catalogue.
type availableNumber struct {
	PhoneNumber string `json:"phone_number"`
	AreaCode    string `json:"area_code"`
	Region      string `json:"region"`
	Type        string `json:"type"`
	Country     string `json:"country"`
}

// catalogue is the fixed list of Dutch numbers on offer: the same numbers
// on every run (a fixed seed), perArea per area code.
func catalogue() []availableNumber {
	rng := rand.New(rand.NewPCG(31, 85))
	out := make([]availableNumber, 0, len(areas)*perArea)
	for _, a := range areas {
		seen := make(map[string]bool, perArea)
		for len(seen) < perArea {
			num := fmt.Sprintf("+31%s%07d", a.code, 1_000_000+rng.IntN(9_000_000))
			if seen[num] {
				continue
			}
			seen[num] = true
			out = append(out, availableNumber{PhoneNumber: num, AreaCode: a.code, Region: a.region, Type: a.kind, Country: "NL"})
		}
	}
	return out
}

// catalogued returns the catalogue entry of a number.
func catalogued(num string) (availableNumber, bool) {
	for _, n := range catalogue() {
		if n.PhoneNumber == num {
			return n, true
		}
	}
	return availableNumber{}, false
}

// availableFilter is the query of GET /numbers/available.
type availableFilter struct {
	areaCode, contains, kind string
	limit                    int
}

func parseAvailable(r *http.Request) (availableFilter, *requestError) {
	q := r.URL.Query()
	f := availableFilter{areaCode: strings.TrimPrefix(strings.TrimPrefix(q.Get("area_code"), "0"), "+31"),
		contains: q.Get("contains"), kind: q.Get("type")}
	var rerr *requestError
	if f.limit, rerr = intParam(q, "limit", 20, 1, maxLimit); rerr != nil {
		return f, rerr
	}
	if strings.Trim(f.areaCode, "0123456789") != "" {
		return f, badRequest("area_code", "area_code %q is not a Dutch area code such as 20 (Amsterdam) or 85", q.Get("area_code"))
	}
	if strings.Trim(f.contains, "0123456789") != "" {
		return f, badRequest("contains", "contains %q: give digits only, e.g. 123", f.contains)
	}
	if f.kind != "" && f.kind != "geographic" && f.kind != "national" {
		return f, badRequest("type", "type %q is not geographic or national", f.kind)
	}
	return f, nil
}

func (f availableFilter) match(n availableNumber) bool {
	return (f.areaCode == "" || n.AreaCode == f.areaCode) && (f.kind == "" || n.Type == f.kind) &&
		(f.contains == "" || strings.Contains(n.PhoneNumber[3:], f.contains))
}

// handleAvailableNumbers answers GET /numbers/available?area_code=&contains=&type=&limit=
// with the catalogue's numbers nobody has registered.
func (p *Platform) handleAvailableNumbers(w http.ResponseWriter, r *http.Request) {
	f, rerr := parseAvailable(r)
	if rerr != nil {
		rerr.write(w)
		return
	}
	b := p.book
	b.mu.Lock()
	taken := make(map[string]bool, len(b.numbers))
	for _, n := range b.numbers {
		taken[n.number] = true
	}
	b.mu.Unlock()
	out := []availableNumber{}
	for _, n := range catalogue() {
		if len(out) < f.limit && !taken[n.PhoneNumber] && f.match(n) {
			out = append(out, n)
		}
	}
	writeJSON(w, http.StatusOK, map[string]any{"numbers": out})
}
