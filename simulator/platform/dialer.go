package platform

import (
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"time"
)

// launch starts the dialer of a scheduled campaign unless one is working
// on it or the platform is shutting down. Lock order: p.mu, then b.mu.
func (p *Platform) launch(c *campaign) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.closing {
		return
	}
	b := p.book
	b.mu.Lock()
	start := !c.running && c.status == campScheduled
	c.running = c.running || start
	b.mu.Unlock()
	if start {
		p.wg.Add(1)
		go p.dial(c)
	}
}

// dialer actions.
type dialAct int

const (
	actStop  dialAct = iota // not scheduled any more, or done
	actWait                 // wait for a live lead call to end
	actLater                // outside the calling window
	actDial                 // call the lead
)

// dial calls a campaign's pending leads one by one, an interval apart and
// at most the concurrency cap at a time, while the campaign is scheduled.
// It marks the campaign completed when every lead has been called.
func (p *Platform) dial(c *campaign) {
	defer p.wg.Done()
	for {
		act, l, wait := p.nextLead(c)
		var err error
		switch act {
		case actStop:
			return
		case actWait:
			if p.opt.Campaign.waiting != nil {
				p.opt.Campaign.waiting(c.id)
			}
			select {
			case <-c.wake:
			case <-p.hurry:
				err = errors.New("shutting down")
			case <-p.ctx.Done():
				err = p.ctx.Err()
			}
		case actLater:
			err = p.tick(wait)
		case actDial:
			if p.callLead(c, l) {
				err = p.tick(p.campaignInterval())
			} else {
				err = errors.New("the platform starts no calls")
			}
		}
		if err != nil || p.isClosing() {
			p.stopDialer(c)
			return
		}
	}
}

// tick waits d for a dialer.
func (p *Platform) tick(d time.Duration) error {
	if t := p.opt.Campaign.Tick; t != nil {
		return t(p.ctx, d)
	}
	return p.sleep(p.ctx, d)
}

func (p *Platform) campaignInterval() time.Duration {
	if d := p.opt.Campaign.Interval; d > 0 {
		return d
	}
	return DefaultCampaignInterval
}

func (p *Platform) campaignCap() int {
	n := p.opt.Campaign.Concurrency
	if n <= 0 {
		n = DefaultCampaignConcurrency
	}
	return min(n, p.opt.MaxLive)
}

func (p *Platform) isClosing() bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.closing
}

func (p *Platform) stopDialer(c *campaign) {
	p.book.mu.Lock()
	c.running = false
	p.book.mu.Unlock()
}

// nextLead decides the dialer's next move and, to dial, marks the lead
// calling.
func (p *Platform) nextLead(c *campaign) (dialAct, *lead, time.Duration) {
	b := p.book
	b.mu.Lock()
	defer b.mu.Unlock()
	if c.status != campScheduled || b.campaigns[c.id] != c {
		c.running = false
		return actStop, nil, 0
	}
	var next *lead
	calling := 0
	for _, l := range c.leads {
		switch {
		case l.status == leadCalling:
			calling++
		case l.status == leadPending && next == nil:
			next = l
		}
	}
	switch {
	case next == nil && calling == 0:
		c.status, c.running, c.updated = campCompleted, false, p.now()
		return actStop, nil, 0
	case next == nil || calling >= p.campaignCap():
		return actWait, nil, 0
	}
	if d := c.sched.wait(p.now()); d > 0 {
		return actLater, nil, d
	}
	now := p.now()
	next.status, next.attempts, next.lastAttempt, next.updated = leadCalling, next.attempts+1, now, now
	next.errText, next.outcome, next.endReason = "", "", ""
	return actDial, next, 0
}

// callLead starts the outbound call of a lead through the same path as
// POST /calls/outbound, and follows it. It reports false when the platform
// refuses calls for good (shutting down); the lead is then pending again.
func (p *Platform) callLead(c *campaign, l *lead) bool {
	b := p.book
	b.mu.Lock()
	owner, agent, template := c.owner, c.agentID, c.template
	campID, leadID, phone, name, vars := c.id, l.id, l.phone, l.name, l.variables
	from := b.callerID(owner, agent)
	b.mu.Unlock()

	r := asOwner(p.ctx, owner)
	req := outboundRequest{Destination: phone, AssistantID: agent, NumberID: from.id}
	override, rerr := p.leadOverride(r, agent, template, campID, leadID, name, vars)
	if rerr == nil {
		req.AssistantOverride = override
		var spec callSpec
		if spec, rerr = p.outboundSpec(r, &req); rerr == nil {
			if from.number != "" {
				spec.plan.PhoneNumber = from.number
			}
			var call *callState
			if call, rerr = p.start(spec); rerr == nil {
				p.follow(c, l, call)
				return true
			}
		}
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	l.updated = p.now()
	switch rerr.status {
	case http.StatusServiceUnavailable, http.StatusTooManyRequests:
		// Shutting down, or the platform's live calls are at MaxLive: try again later.
		l.status, l.attempts = leadPending, l.attempts-1
		return rerr.status != http.StatusServiceUnavailable
	}
	l.status, l.outcome, l.errText = leadFailed, "failed", "the call could not start: "+rerr.message
	return true
}

// callerID is the number a campaign's calls come from: the account's
// active number linked to the assistant, else its oldest active number,
// else none (the call's drawn platform number). The caller holds b.mu.
func (b *book) callerID(owner, agent string) phoneNumber {
	var first phoneNumber
	for _, id := range b.numOrder {
		n := b.numbers[id]
		switch {
		case n.owner != owner || !n.active:
		case n.agentID == agent:
			return *n
		case first.id == "":
			first = *n
		}
	}
	return first
}

// follow records the lead's call and, in the background, its end.
func (p *Platform) follow(c *campaign, l *lead, call *callState) {
	b := p.book
	b.mu.Lock()
	l.callID = call.id
	b.mu.Unlock()
	p.wg.Add(1) // the dialer holds the group: the count is not zero
	go func() {
		defer p.wg.Done()
		<-call.done
		call.mu.Lock()
		status, reason, outcome, errText := call.status, call.reason, call.outcome, call.errText
		call.mu.Unlock()
		b.mu.Lock()
		l.status, l.outcome = leadResult(status, reason, outcome)
		l.endReason, l.errText, l.updated = reason, errText, p.now()
		c.updated = l.updated
		b.mu.Unlock()
		c.poke()
	}()
}

// leadResult is a lead's status and outcome (answered, no_answer,
// voicemail, failed) from its call's end: nobody
// answering (or voicemail) is no_answer, a call that failed or ended with
// an error is failed, every other end is completed.
func leadResult(status, reason, outcome string) (string, string) {
	switch {
	case status == statusFailed || status == statusEndedWithError || status == statusRejected:
		return leadFailed, "failed"
	case reason == EndNoAnswer || outcome == outcomeNoAnswer:
		return leadNoAnswer, leadNoAnswer
	case outcome == outcomeVoicemail || reason == "voicemail":
		return leadNoAnswer, outcomeVoicemail
	}
	return leadCompleted, outcomeAnswered
}

// leadOverride is the assistant_override of a lead's call: the saved
// assistant's metadata plus campaign_id, lead_id, lead_name and the lead's
// variables (echoed in every G3+ webhook of the call), and the campaign's
// system_message_template with {{variable}} filled in as metadata
// system_message.
func (p *Platform) leadOverride(r *http.Request, agent string, template *string, campID, leadID string, name *string, vars map[string]string) (json.RawMessage, *requestError) {
	fields, rerr := p.savedAssistant(r, agent)
	if rerr != nil {
		return nil, rerr
	}
	meta := map[string]any{}
	if raw, ok := fields["metadata"]; ok && !isNull(raw) {
		_ = json.Unmarshal(raw, &meta) // not an object: replaced
	}
	for k, v := range vars {
		meta[k] = v
	}
	meta["campaign_id"], meta["lead_id"] = campID, leadID
	if name != nil {
		meta["lead_name"] = *name
	}
	if template != nil && *template != "" {
		meta["system_message"] = fillTemplate(*template, name, vars)
	}
	raw, _ := json.Marshal(map[string]any{"metadata": meta}) // strings and decoded JSON only
	return raw, nil
}

// fillTemplate replaces {{key}} with the lead's variables and {{name}}
// with its name.
func fillTemplate(t string, name *string, vars map[string]string) string {
	pairs := make([]string, 0, 2*len(vars)+2)
	if name != nil {
		pairs = append(pairs, "{{name}}", *name)
	}
	for k, v := range vars {
		pairs = append(pairs, "{{"+k+"}}", v)
	}
	return strings.NewReplacer(pairs...).Replace(t)
}
