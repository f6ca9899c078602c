package platform

import (
	"math"
	"net/http"
)

// PricePerMinute is the documented price of voice call minutes in euro
// (spec §7.3: "€0.07 per minute"); calls are billed by the second.
const PricePerMinute = 0.07

// usageLog is one played call as GET /usage lists it (SDK UsageLog, plus
// the billing guide's number_id and the call's cost).
type usageLog struct {
	ID             string  `json:"id"`
	DurationSec    int64   `json:"duration_sec"`
	CallType       string  `json:"call_type"`
	Direction      string  `json:"direction"`
	PhoneNumber    *string `json:"phone_number"`
	CustomerNumber *string `json:"customer_number"`
	NumberID       *string `json:"number_id"`
	AgentName      *string `json:"agent_name"`
	BusinessName   *string `json:"business_name"`
	Cost           float64 `json:"cost"`
	CreatedAt      string  `json:"created_at"`
}

// usageSummary totals every call of the period (SDK UsageSummary, plus the
// billing guide's total_cost).
type usageSummary struct {
	TotalCalls           int     `json:"total_calls"`
	TotalDurationSeconds int64   `json:"total_duration_seconds"`
	TotalDurationMinutes float64 `json:"total_duration_minutes"`
	TotalSeconds         int64   `json:"total_seconds"`
	TotalMinutes         float64 `json:"total_minutes"`
	TotalCost            float64 `json:"total_cost"`
	Currency             string  `json:"currency"`
	PricePerMinute       float64 `json:"price_per_minute"`
}

// cents rounds an amount to two decimals.
func cents(v float64) float64 { return math.Round(v*100) / 100 }

// costOf is the price of a call of sec seconds.
func costOf(sec int64) float64 { return cents(float64(sec) * PricePerMinute / 60) }

// handleUsage answers GET /usage?limit=&offset=&start_date=&end_date= with
// the calls of the account that have ended (live calls are not billed
// yet), newest first, and the totals of the whole period.
func (p *Platform) handleUsage(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	limit, offset, rerr := page(q)
	if rerr != nil {
		rerr.write(w)
		return
	}
	from, rerr := dateParam(q, "start_date", false)
	if rerr != nil {
		rerr.write(w)
		return
	}
	to, rerr := dateParam(q, "end_date", true)
	if rerr != nil {
		rerr.write(w)
		return
	}
	logs := []usageLog{}
	sum := usageSummary{Currency: "EUR", PricePerMinute: PricePerMinute}
	for _, c := range p.callsOf(ownerOf(r), from, to) {
		l, ended := c.usage()
		if !ended {
			continue
		}
		logs = append(logs, l)
		sum.TotalCalls++
		sum.TotalDurationSeconds += l.DurationSec
	}
	sum.TotalSeconds = sum.TotalDurationSeconds
	sum.TotalDurationMinutes = cents(float64(sum.TotalDurationSeconds) / 60)
	sum.TotalMinutes = sum.TotalDurationMinutes
	sum.TotalCost = costOf(sum.TotalDurationSeconds)
	items, pg := pageOf(logs, limit, offset)
	writeJSON(w, http.StatusOK, map[string]any{"logs": items, "pagination": pg, "summary": sum})
}

// usage is the call's usage log, and whether it has ended.
func (c *callState) usage() (usageLog, bool) {
	o := c.object()
	c.mu.Lock()
	ended := c.ended
	c.mu.Unlock()
	return usageLog{
		ID: o.ID, DurationSec: o.DurationSeconds, CallType: "phone", Direction: o.Direction,
		PhoneNumber: o.AssistantPhone, CustomerNumber: o.CallerPhone, NumberID: o.NumberID,
		AgentName: o.AgentName, BusinessName: o.BusinessName, Cost: costOf(o.DurationSeconds), CreatedAt: o.CreatedAt,
	}, ended
}
