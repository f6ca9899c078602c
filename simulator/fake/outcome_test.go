package fake

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/flireo-sim/flireo-sim/simulator"
)

func TestOutcomeEndedBy(t *testing.T) {
	tests := []struct {
		reason  string
		reached bool
		ok      bool
		kind    int
		grade   int
	}{
		{simulator.EndError, true, true, ocError, gradePoor},
		{simulator.EndAssistantFailed, true, true, ocError, gradePoor},
		{simulator.EndRejected, false, true, ocRejected, gradePoor},
		{simulator.EndVoicemail, true, true, ocVoicemail, gradeFair},
		{simulator.EndVoicemail, false, true, ocVoicemail, gradePoor},
		{simulator.EndMaxDuration, true, true, ocMax, gradeFair},
		{simulator.EndMaxDuration, false, true, ocMax, gradePoor},
		{simulator.EndTransferred, false, true, ocTransferred, gradeGood},
		{simulator.EndUserHangup, true, false, 0, 0},
		{simulator.EndSilenceTimeout, true, false, 0, 0},
	}
	for _, tt := range tests {
		t.Run(tt.reason, func(t *testing.T) {
			o := outcome{reached: tt.reached}
			assert.Equal(t, tt.ok, o.endedBy(tt.reason))
			assert.Equal(t, tt.kind, o.kind)
			assert.Equal(t, tt.grade, o.grade)
		})
	}
}

func TestDoneGrade(t *testing.T) {
	tests := []struct {
		intent simulator.Intent
		failed bool
		roll   float64
		want   int
	}{
		{simulator.BookAppointment, false, 0.1, gradeExcellent},
		{simulator.BookAppointment, false, 0.7, gradeGood},
		{simulator.BookAppointment, true, 0.1, gradeFair},
		{simulator.WrongNumber, false, 0.1, gradeFair},
		{simulator.Complaint, false, 0.1, gradeGood},
		{simulator.Complaint, false, 0.6, gradeFair},
	}
	for _, tt := range tests {
		c := &Call{roll: tt.roll}
		assert.Equal(t, tt.want, c.doneGrade(tt.intent, tt.failed), "%s failed=%v roll=%v", tt.intent, tt.failed, tt.roll)
	}
}

func TestNeedsFollowUp(t *testing.T) {
	tests := []struct {
		intent   simulator.Intent
		resolved bool
		want     bool
	}{
		{simulator.Complaint, true, true},
		{simulator.Callback, true, true},
		{simulator.Voicemail, true, true},
		{simulator.WrongNumber, false, false},
		{simulator.Silent, false, false},
		{simulator.OrderStatus, true, false},
		{simulator.OrderStatus, false, true},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, needsFollowUp(tt.intent, tt.resolved), "%s resolved=%v", tt.intent, tt.resolved)
	}
}
