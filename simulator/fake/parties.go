package fake

import "github.com/flireo-sim/flireo-sim/simulator"

// drawParties draws the business, the caller's persona, the call's IDs and
// both numbers (a web call has no numbers on the plan).
func (c *Call) drawParties(r rnd, cb *commonBank, p *simulator.CallPlan, ki int) {
	biz := cb.businesses[cb.byIntent[ki][r.intn(len(cb.byIntent[ki]))]].name
	p.Business = biz
	p.Persona = simulator.Persona{
		FirstName: r.pickString(cb.firstNames),
		LastName:  r.pickString(cb.lastNames),
		City:      r.pickString(cb.cities),
		Company:   r.pickString(cb.companies),
	}
	p.Persona.Email = r.email(p.Persona, cb.domains)
	p.ID = r.f.UUID()
	phoneID := r.f.UUID()
	assistantNo := r.businessNumber()
	customerNo := r.callerNumber()
	if r.chance(0.5) {
		p.PhoneName = biz
	} else {
		p.PhoneName = biz + " Support"
	}
	c.phone = customerNo
	if p.Direction != simulator.Web {
		p.Customer = customerNo
		p.PhoneNumber = assistantNo
		p.PhoneID = phoneID
	}
}

// email derives an address from the persona's name.
func (r rnd) email(p simulator.Persona, domains []string) string {
	var b [64]byte
	out := b[:0]
	first, last := p.FirstName, p.LastName
	switch r.intn(4) {
	case 0: // jan.devries
		out = fold(out, first)
		out = append(out, '.')
		out = fold(out, last)
	case 1: // jandevries
		out = fold(out, first)
		out = fold(out, last)
	case 2: // j.devries
		out = fold(out, first)
		out = append(out[:min(len(out), 1)], '.')
		out = fold(out, last)
	default: // jan.devries84
		out = fold(out, first)
		out = append(out, '.')
		out = fold(out, last)
		out = r.digits(out, 2, 5)
	}
	out = append(out, '@')
	out = append(out, r.pickString(domains)...)
	return string(out)
}

// businessNumber is a Dutch business number: +3185 or +3120 and 7 digits.
func (r rnd) businessNumber() string {
	var b [16]byte
	out := append(b[:0], "+3185"...)
	if r.chance(0.5) {
		out = append(b[:0], "+3120"...)
	}
	return string(r.digits(out, 7, 2))
}

// callerNumber is usually a mobile number (+316 and 8 digits), sometimes a
// business (+3185) or Amsterdam landline (+3120) number.
func (r rnd) callerNumber() string {
	var b [16]byte
	x := r.float()
	switch {
	case x < 0.8:
		return string(r.digits(append(b[:0], "+316"...), 8, 1))
	case x < 0.9:
		return string(r.digits(append(b[:0], "+3185"...), 7, 2))
	default:
		return string(r.digits(append(b[:0], "+3120"...), 7, 2))
	}
}
