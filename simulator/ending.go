package simulator

import (
	"context"
	"time"
)

// endStatus settles how the call ended once its conversation is over: the
// plan's end reason unless something else ended it, and ended unless it
// ended with an error or was transferred.
func (c *call) endStatus() {
	if c.reason == "" {
		c.reason = c.plan.EndReason
	}
	if c.status != StatusEndedWithError && c.status != StatusTransferred {
		c.status = StatusEnded
	}
}

// report builds and sends the end-of-call-report.
func (c *call) report(ctx context.Context, answered time.Time) error {
	p := c.plan
	r := &Report{
		Started: answered, Ended: c.now, EndReason: c.reason, Messages: c.msgs, RecordingURL: p.Recording,
		Summary:    c.gen.Summary(p, c.msgs, c.reason),
		Success:    c.gen.Success(p, c.msgs, c.reason),
		Usage:      c.gen.Usage(p, c.msgs),
		TransferTo: c.xfer,
	}
	if a := c.cfg.Analysis; a != nil && a.Enabled && len(a.Schema) > 0 && len(c.msgs) >= a.MinMessages {
		r.Analysis = c.gen.Analysis(p, a.Schema, c.msgs, c.reason)
	}
	c.res.Report = r
	if !c.sends(EndOfCallReport) {
		return nil
	}
	// The platform summarises and analyses before it reports (spec §1.2.5).
	c.advance(ReportDelay(len(c.msgs)))
	ev := &Event{Type: EndOfCallReport, Plan: p, At: c.now, Status: StatusEnded, Error: c.errMsg,
		EndReason: c.reason, Report: r, Config: c.cfg}
	_, err := c.send(ctx, ev, c.set.target, wait{c.e.Deadlines.Ack, false}, nil)
	return err
}

// statusUpdate sends a status-update with the current status.
func (c *call) statusUpdate(ctx context.Context) error {
	if c.set.ctl != nil && !c.closed {
		if err := c.pace(ctx); err != nil {
			return err
		}
		c.set.ctl.Status(c.status, c.now)
	}
	if !c.sends(StatusUpdate) {
		return nil
	}
	ev := &Event{Type: StatusUpdate, Plan: c.plan, At: c.now, Status: c.status, Config: c.cfg}
	if c.status == StatusEndedWithError {
		ev.Error = c.errMsg
	}
	if c.status != StatusInProgress {
		ev.EndReason = c.reason
	}
	_, err := c.send(ctx, ev, c.set.target, wait{c.e.Deadlines.Ack, false}, nil)
	return err
}
