package fake

import (
	"slices"
	"strings"

	"github.com/flireo-sim/flireo-sim/simulator"
)

// idRole is what an id a server returned identifies.
type idRole uint8

const (
	roleNone idRole = iota
	roleCustomer
	roleOrder
	roleBooking
	roleTicket
)

// idFamilies are the words of each role's key (lower-case, letters and
// digits only), most specific first.
var idFamilies = []struct {
	role  idRole
	words []string
}{
	{roleOrder, []string{"order", "bestel", "shipment", "zending"}},
	{roleTicket, []string{"ticket", "case", "dossier", "klacht", "complaint"}},
	{roleBooking, []string{"booking", "appointment", "afspraak", "reservation", "reservering", "confirmation", "bevestiging"}},
	{roleCustomer, []string{"contact", "customer", "klant", "crm", "client", "caller", "member", "patient", "relatie", "account"}},
}

// idSuffixes end a key that holds an id.
var idSuffixes = []string{"id", "ids", "nummer", "number", "nr", "no", "ref", "reference", "code", "key"}

// wholeIDKeys are keys that are an id by themselves.
var wholeIDKeys = map[string]idRole{
	"confirmation": roleBooking, "bevestiging": roleBooking, "reference": roleBooking, "referentie": roleBooking,
	"bookingreference": roleBooking, "confirmationcode": roleBooking, "crm": roleCustomer,
}

// keyRole is the role of an id key; a bare "id" (or "nummer", "reference")
// takes the role of the tool that returned or receives it.
func keyRole(key string, toolRole idRole) idRole {
	k := string(fold(nil, key))
	if r, ok := wholeIDKeys[k]; ok {
		return r
	}
	suffix := ""
	for _, s := range idSuffixes {
		if strings.HasSuffix(k, s) && len(s) > len(suffix) {
			suffix = s
		}
	}
	if suffix == "" {
		return roleNone
	}
	stem := strings.TrimSuffix(k, suffix)
	if stem == "" {
		return toolRole
	}
	for _, f := range idFamilies {
		for _, w := range f.words {
			if strings.Contains(stem, w) {
				return f.role
			}
		}
	}
	return roleNone
}

// toolRole is the role of the ids a tool returns by its needs.
func toolRole(needs uint16) idRole {
	switch {
	case needs&needBit(simulator.NeedContact) != 0:
		return roleCustomer
	case needs&needBit(simulator.NeedOrder) != 0:
		return roleOrder
	case needs&needBit(simulator.NeedTicket) != 0:
		return roleTicket
	case needs&(needBit(simulator.NeedBooking)|needBit(simulator.NeedReschedule)) != 0:
		return roleBooking
	}
	return roleNone
}

// learnIDs keeps the ids of a result object (and of objects nested up to two
// levels): the latest id of each role wins.
func (d *dialogue) learnIDs(obj *jv, role idRole, depth int) {
	if obj == nil || obj.kind != 'o' || depth > 2 {
		return
	}
	for i, k := range obj.keys {
		x := obj.vals[i]
		switch x.kind {
		case 's', 'n':
			if r := keyRole(k, role); r != roleNone && strings.TrimSpace(scalarText(x)) != "" {
				d.ids[r] = x
			}
		case 'o':
			d.learnIDs(x, role, depth+1)
		}
	}
}

// fillIDs writes the ids the call learnt into the arguments whose names ask
// for them by name (a bare "id" is left alone: it may name something new);
// a number stays a number only when the id is one.
func (d *dialogue) fillIDs(args *jv) bool {
	changed := false
	for i, k := range args.keys {
		x := args.vals[i]
		if x.kind != 's' && x.kind != 'n' {
			continue
		}
		id := d.ids[keyRole(k, roleNone)]
		if id == nil || (x.kind == 'n' && id.kind != 'n') {
			continue
		}
		if x.kind == 's' && id.kind == 'n' {
			id = &jv{kind: 's', str: string(id.num)}
		}
		args.vals[i] = id
		changed = true
	}
	return changed
}

// addIDs adds the schema's optional properties the call learnt an id for
// and the arguments left out, in the schema's property order: a caller who
// was found is booked under the id the server gave.
func (d *dialogue) addIDs(args *jv, s *schema) bool {
	if s == nil {
		return false
	}
	var keys []string
	var vals []*jv
	changed := false
	for _, p := range s.props {
		if x := args.get(p.name); x != nil {
			keys, vals = append(keys, p.name), append(vals, x)
			continue
		}
		if id := d.idFor(p); id != nil {
			keys, vals = append(keys, p.name), append(vals, id)
			changed = true
		}
	}
	if !changed {
		return false
	}
	for i, k := range args.keys { // keys the schema does not list stay, at the end
		if !slices.Contains(keys, k) {
			keys, vals = append(keys, k), append(vals, args.vals[i])
		}
	}
	args.keys, args.vals = keys, vals
	return true
}

// idFor is the learnt id for a property, in the property's type; nil when
// the call knows none or the type does not fit.
func (d *dialogue) idFor(p prop) *jv {
	id := d.ids[keyRole(p.name, roleNone)]
	if id == nil {
		return nil
	}
	switch p.s.typ() {
	case "string":
		if id.kind == 'n' {
			return &jv{kind: 's', str: string(id.num)}
		}
		return id
	case "integer", "number":
		if id.kind != 'n' {
			return nil
		}
		return id
	case "":
		return id
	}
	return nil
}
