package simulator

import "fmt"

// OptionError is a bad value of one of the library's options. Option is the
// option's name as the library spells it (a field name such as "Pace",
// "TimeoutScale" or "Policy.ToolFailure"); a command line that exposes the
// option under another name (a flag) says so itself.
type OptionError struct {
	Option string
	Value  string // the value as given; "" when there is none to show
	Err    error  // what is wrong and what to give instead
}

func (e *OptionError) Error() string {
	return e.Describe(e.Option)
}

// Describe is the error text with the option called name.
func (e *OptionError) Describe(name string) string {
	if e.Value == "" {
		return fmt.Sprintf("%s: %v", name, e.Err)
	}
	return fmt.Sprintf("%s %q: %v", name, e.Value, e.Err)
}

func (e *OptionError) Unwrap() error { return e.Err }

// BadOption returns an OptionError for option's value with the message
// format, args.
func BadOption(option, value, format string, args ...any) error {
	return &OptionError{Option: option, Value: value, Err: fmt.Errorf(format, args...)}
}
