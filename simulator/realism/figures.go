package realism

import (
	"fmt"
	"io"
	"text/tabwriter"

	sim "github.com/flireo-sim/flireo-sim/simulator"
)

// Figures are the properties measured over a sample of calls.
type Figures struct {
	Label          string
	Calls          int
	BookingCalls   int // book-appointment calls whose assistant declared a booking tool
	Booked         int // of those, calls a booking tool result confirmed
	Unoffered      int // booking tool calls at a time not offered in the call
	Past           int // booking tool calls before the time of the call
	Contradictions int // contradictions and unbacked confirmations in transcripts
	Timestamps     int // timestamp violations
	Aborted        int // calls cut short by the test's deadline
	Examples       []Violation
}

// MinBookedShare is the target share of book-appointment calls that end in
// a confirmed booking.
const MinBookedShare = 0.95

// examplesPerProperty is how many violations of each property Figures
// keeps to show.
const examplesPerProperty = 2

// Add counts one played call.
func (f *Figures) Add(res *sim.CallResult, o Options) {
	f.Calls++
	if res.Aborted != nil {
		f.Aborted++
	}
	if res.Plan != nil && res.Plan.Intent == sim.BookAppointment && CanBook(res) {
		f.BookingCalls++
		if Booked(res) {
			f.Booked++
		}
	}
	for _, v := range Check(res, o) {
		switch v.Property {
		case Unoffered:
			f.Unoffered++
		case PastBooking:
			f.Past++
		case Contradiction, Unbacked:
			f.Contradictions++
		case Timestamps:
			f.Timestamps++
		}
		f.example(v)
	}
}

func (f *Figures) example(v Violation) {
	n := 0
	for _, e := range f.Examples {
		if e.Property == v.Property {
			n++
		}
	}
	if n < examplesPerProperty {
		f.Examples = append(f.Examples, v)
	}
}

// BookedShare is the share of booking calls that booked; 1 when there were
// none (the other figures then carry the sample).
func (f *Figures) BookedShare() float64 {
	if f.BookingCalls == 0 {
		return 1
	}
	return float64(f.Booked) / float64(f.BookingCalls)
}

// Problems lists the targets the figures miss, in words.
func (f *Figures) Problems() []string {
	var out []string
	if f.BookingCalls > 0 && f.BookedShare() < MinBookedShare {
		out = append(out, fmt.Sprintf("%s: %d of %d booking calls (%.0f%%) ended in a confirmed booking; target %.0f%%", f.Label, f.Booked, f.BookingCalls, 100*f.BookedShare(), 100*MinBookedShare))
	}
	for _, c := range []struct {
		n    int
		what string
	}{{f.Unoffered, "bookings at a time not offered"}, {f.Past, "bookings in the past"}, {f.Contradictions, "transcript contradictions"}, {f.Timestamps, "timestamp violations"}, {f.Aborted, "calls cut short"}} {
		if c.n > 0 {
			out = append(out, fmt.Sprintf("%s: %d %s; target 0", f.Label, c.n, c.what))
		}
	}
	return out
}

// WriteTable prints the figures of several samples as a table.
func WriteTable(w io.Writer, rows []*Figures) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "sample\tcalls\tbooking calls\tbooked\tunoffered\tpast\tcontradictions\ttimestamps\t")
	for _, f := range rows {
		booked := "n/a"
		if f.BookingCalls > 0 {
			booked = fmt.Sprintf("%.1f%%", 100*f.BookedShare())
		}
		fmt.Fprintf(tw, "%s\t%d\t%d\t%s\t%d\t%d\t%d\t%d\t\n", f.Label, f.Calls, f.BookingCalls, booked, f.Unoffered, f.Past, f.Contradictions, f.Timestamps)
	}
	fmt.Fprintf(tw, "target\t\t\t≥ %.0f%%\t0\t0\t0\t0\t\n", 100*MinBookedShare)
	return tw.Flush()
}
