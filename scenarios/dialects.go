package scenarios

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strings"

	"github.com/cucumber/godog"

	sim "github.com/flireo-sim/flireo-sim/simulator"
	"github.com/flireo-sim/flireo-sim/simulator/dialect"
)

// Dialect tags select scenarios by the run's dialect (docs/conformance.md):
//
//	@dialect:NAME      the scenario is NAME's own: it runs only in NAME
//	                   (several such tags: in any of them)
//	@not-dialect:NAME  the scenario does not run in NAME
//	@needs:WHAT        the scenario needs something of the dialect; in a
//	                   dialect without it the scenario is skipped with the
//	                   reason (WHAT: assistant-request, tool-calls,
//	                   signature, transcript)
//
// @dialect and @not-dialect deselect: the scenario is not part of that
// dialect's suite. @needs skips: the scenario is reported as skipped.
const (
	tagDialect    = "dialect:"
	tagNotDialect = "not-dialect:"
	tagNeeds      = "needs:"
)

// needs are the capabilities a @needs tag can name.
var needs = []string{"assistant-request", "tool-calls", "signature", "transcript"}

// lacks says why dialect d cannot play a scenario that needs what, or "".
func lacks(d sim.Dialect, what string) string {
	switch what {
	case "assistant-request":
		if !d.Sends(sim.AssistantRequest) {
			return fmt.Sprintf("the %s dialect sends no assistant-request (@needs:assistant-request)", d.Name())
		}
	case "tool-calls":
		if !d.Sends(sim.ToolCalls) {
			return fmt.Sprintf("the %s dialect sends no tool-calls (@needs:tool-calls)", d.Name())
		}
	case "signature":
		if d.Plain() {
			return fmt.Sprintf("the %s dialect sends no signatures: G1 documents no signature headers (@needs:signature)", d.Name())
		}
	case "transcript":
		if d.Name() == dialect.NameCamel {
			return fmt.Sprintf("the %s end-of-call-report carries no transcript (@needs:transcript)", d.Name())
		}
	}
	return ""
}

// needsSkip says why the scenario with these tags (without "@") is skipped
// in dialect d, or "".
func needsSkip(d sim.Dialect, tags []string) string {
	for _, t := range tags {
		if what, ok := strings.CutPrefix(t, tagNeeds); ok {
			if why := lacks(d, what); why != "" {
				return why
			}
		}
	}
	return ""
}

// DialectFilter is the godog tag expression that selects the scenarios of
// dialect name among those the user's expression selects: no @dialect tag
// of another dialect unless it also names this one, and no
// @not-dialect:name. A go test that runs the step library with godog itself
// sets it as godog.Options.Tags to select scenarios as conform does.
func DialectFilter(user, name string) string { return dialectFilter(user, name) }

func dialectFilter(user, name string) string {
	var terms []string
	if u := strings.TrimSpace(user); u != "" {
		terms = append(terms, u)
	}
	for _, other := range dialect.Names() {
		if other != name {
			terms = append(terms, fmt.Sprintf("~@%s%s,@%s%s", tagDialect, other, tagDialect, name))
		}
	}
	terms = append(terms, "~@"+tagNotDialect+name)
	return strings.Join(terms, " && ")
}

// tagProblem says what is wrong with a dialect tag (without "@"), or "".
func tagProblem(tag string) string {
	for _, prefix := range []string{tagDialect, tagNotDialect} {
		if name, ok := strings.CutPrefix(tag, prefix); ok {
			if !slices.Contains(dialect.Names(), name) {
				return fmt.Sprintf("@%s names no dialect: use %s", tag, strings.Join(dialect.Names(), ", "))
			}
			return ""
		}
	}
	if what, ok := strings.CutPrefix(tag, tagNeeds); ok && !slices.Contains(needs, what) {
		return fmt.Sprintf("@%s: a scenario can need %s", tag, strings.Join(needs, ", "))
	}
	return ""
}

// dialectTagProblems lists the malformed dialect tags of a pickle.
func dialectTagProblems(p *godog.Scenario) []string {
	var out []string
	for _, t := range p.Tags {
		if why := tagProblem(strings.TrimPrefix(t.Name, "@")); why != "" && !slices.Contains(out, why) {
			out = append(out, why)
		}
	}
	return out
}

// unsignedWithSecret says why dialect d is never sent to a server
// configured with a secret, or "".
func unsignedWithSecret(d sim.Dialect, secret string) string {
	if secret == "" || !d.Plain() {
		return ""
	}
	return fmt.Sprintf("the %s dialect is unsigned (G1 documents no signature headers) and a webhook secret is set: "+
		"a server that checks signatures refuses its webhooks, so it is not sent; run it without a secret against a server that expects no signatures",
		d.Name())
}

// Dialects returns the dialects a run plays, in order: Config.Dialects, or
// the one Config.Dialect.
func (c Config) dialects() []string {
	if len(c.Dialects) > 0 {
		return c.Dialects
	}
	return []string{c.Dialect}
}

// checkDialects validates the dialects of a configuration: known, each
// once, and at least one that may be sent with the configured secret, the
// first of which it returns.
func checkDialects(c Config) (string, error) {
	names := c.dialects()
	var sendable []string
	var why string
	for i, n := range names {
		d, err := dialect.ByName(n)
		if err != nil {
			return "", err
		}
		if slices.Contains(names[:i], n) {
			return "", fmt.Errorf("dialect %s is listed twice", n)
		}
		if w := unsignedWithSecret(d, c.Secret); w != "" {
			why = w
			continue
		}
		sendable = append(sendable, n)
	}
	if len(sendable) == 0 {
		return "", fmt.Errorf("%s; choose a signed dialect (%s) or drop the secret", why, signedNames())
	}
	return sendable[0], nil
}

func signedNames() string {
	var out []string
	for _, n := range dialect.Names() {
		if d, _ := dialect.ByName(n); d != nil && !d.Plain() {
			out = append(out, n)
		}
	}
	return strings.Join(out, ", ")
}

// withDialect names the dialect in a failure.
func withDialect(msg, name string) string {
	return fmt.Sprintf("%s (sent in the %s dialect)", msg, name)
}

var errorType = reflect.TypeOf((*error)(nil)).Elem()

// namingDialect wraps a step handler so that its failures name the dialect
// the scenario was sent in; skips and successes pass through unchanged.
func namingDialect(handler any) any {
	v := reflect.ValueOf(handler)
	t := v.Type()
	if t.NumIn() == 0 || t.NumOut() == 0 || t.Out(t.NumOut()-1) != errorType {
		return handler
	}
	return reflect.MakeFunc(t, func(args []reflect.Value) []reflect.Value {
		out := v.Call(args)
		last := out[len(out)-1]
		if last.IsNil() {
			return out
		}
		err := last.Interface().(error)
		ctx, _ := args[0].Interface().(context.Context)
		st := stateFrom(ctx)
		if st == nil || errors.Is(err, godog.ErrSkip) {
			return out
		}
		wrapped := reflect.New(errorType).Elem()
		wrapped.Set(reflect.ValueOf(error(&dialectError{err: err, dialect: st.dialect})))
		out[len(out)-1] = wrapped
		return out
	}).Interface()
}

// dialectError is a step failure that names the scenario's dialect.
type dialectError struct {
	err     error
	dialect string
}

func (e *dialectError) Error() string { return withDialect(e.err.Error(), e.dialect) }
func (e *dialectError) Unwrap() error { return e.err }
