package fake

import (
	"strconv"
	"time"

	"github.com/flireo-sim/flireo-sim/simulator"
)

// drawFacts draws the call's own facts relative to the clock now: an
// appointment slot in office hours on one of the coming business days
// (never today: the slot may have passed), an order placed orderAge ago,
// an order number, an address.
func (c *Call) drawFacts(r rnd, cb *commonBank, now time.Time, orderAge time.Duration) {
	c.apptDay = businessDayAfter(localDay(now), r.between(1, 10))
	c.apptMin = officeOpen + 15*r.intn((officeLastSlot-officeOpen)/15+1) // 09:00 … 16:30
	c.orderAt = now.Add(-orderAge)
	var buf [16]byte
	c.order = string(r.digits(append(buf[:0], "NL-"...), 8, 1))
	c.street = r.intn(len(cb.streets))
	c.houseNo = r.between(1, 180)
	c.postcode = r.between(1011, 9999)
	c.postLetters = [2]byte{byte('A' + r.intn(26)), byte('A' + r.intn(26))}
	if c.postLetters[0] == 'S' && (c.postLetters[1] == 'A' || c.postLetters[1] == 'D' || c.postLetters[1] == 'S') {
		c.postLetters[1] = 'B' // SA, SD and SS are not used in Dutch postcodes
	}
}

// planVals are the placeholder values of the plan's text.
func (c *Call) planVals(p *simulator.CallPlan, lb *langBank) vals {
	var v vals
	v[phName] = p.Persona.Name()
	v[phFirstName] = p.Persona.FirstName
	v[phLastName] = p.Persona.LastName
	v[phEmail] = p.Persona.Email
	v[phPhone] = national(c.phone)
	v[phCity] = p.Persona.City
	v[phCompany] = p.Persona.Company
	v[phBusiness] = p.Business
	v[phDate] = lb.spokenDate(c.apptDay)
	v[phTime] = clock(c.apptMin)
	v[phOrder] = c.order
	local := c.now.Add(amsterdamOffset(c.now))
	switch h := local.Hour(); {
	case h < 12:
		v[phGreeting] = lb.greetings[0]
	case h < 18:
		v[phGreeting] = lb.greetings[1]
	default:
		v[phGreeting] = lb.greetings[2]
	}
	v[phAddress] = c.address()
	return v
}

// address is the persona's street address.
func (c *Call) address() string {
	return c.banks.common.streets[c.street] + " " + strconv.Itoa(c.houseNo)
}

func (c *Call) postcodeText() string {
	return strconv.Itoa(c.postcode) + " " + string(c.postLetters[:])
}
