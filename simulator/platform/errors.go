package platform

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"

	sim "github.com/flireo-sim/flireo-sim/simulator"
)

// Error codes. The documented ones (spec §6.6): invalid_request,
// missing_field, not_found, rate_limit_exceeded; the rest are the
// simulator's own names for cases the error page does not list.
const (
	errInvalidRequest = "invalid_request"
	errMissingField   = "missing_field"
	errNotFound       = "not_found"
	errRateLimited    = "rate_limit_exceeded"
	errCallNotActive  = "call_not_active"
	errTooLarge       = "payload_too_large"
	errUnavailable    = "service_unavailable"
	errTooManyCalls   = "too_many_live_calls"
	errTooMany        = "too_many_assistants"
)

// errorType is the "type" member for a status.
func errorType(status int) string {
	switch {
	case status == http.StatusNotFound:
		return "not_found_error"
	case status == http.StatusTooManyRequests:
		return "rate_limit_error"
	case status >= 500:
		return "api_error"
	}
	return "invalid_request_error"
}

// Error body shapes (Options.ErrorBody).
const (
	// ErrorBodyFlat is the SDK's ApiError (the default): {"error": code,
	// "message", "param", "type"}, so that the SDK's error classes carry
	// the code as their message and the type as their code.
	ErrorBodyFlat = "flat"
	// ErrorBodyNested is the errors page's body (spec §6.6): {"error":
	// {"code", "message", "param", "type"}}.
	ErrorBodyNested = "nested"
)

// checkErrorBody refuses an unknown Options.ErrorBody.
func checkErrorBody(v string) error {
	switch v {
	case "", ErrorBodyFlat, ErrorBodyNested:
		return nil
	}
	return sim.BadOption("ErrorBody", v, "use %s (the SDK's ApiError: \"error\" is the code) or %s (the errors page: \"error\" is an object)", ErrorBodyFlat, ErrorBodyNested)
}

// nestedWriter marks a response whose errors take the nested shape; the
// router wraps every response in it when Options.ErrorBody is nested.
type nestedWriter struct{ http.ResponseWriter }

// Unwrap lets http.ResponseController reach the connection's writer.
func (n nestedWriter) Unwrap() http.ResponseWriter { return n.ResponseWriter }

// nested reports whether w, or a writer it wraps, is a nestedWriter.
func nested(w http.ResponseWriter) bool {
	for w != nil {
		if _, ok := w.(nestedWriter); ok {
			return true
		}
		u, ok := w.(interface{ Unwrap() http.ResponseWriter })
		if !ok {
			return false
		}
		w = u.Unwrap()
	}
	return false
}

// writeError writes an error body in the configured shape (Options.ErrorBody):
// flat {"error": code, "message", "param", "type"} by default, or the
// errors page's nested {"error": {"code", "message", "param", "type"}}.
// param is left out when no single field is at fault. Every handler answers
// its errors through here.
func writeError(w http.ResponseWriter, status int, code, param, message string) {
	e := map[string]string{"message": message, "type": errorType(status)}
	if param != "" {
		e["param"] = param
	}
	if nested(w) {
		e["code"] = code
		writeJSON(w, status, map[string]any{"error": e})
		return
	}
	e["error"] = code
	writeJSON(w, status, e)
}

// writeAuthError writes the authentication page's flat bodies (spec §6.6).
func writeAuthError(w http.ResponseWriter, status int) {
	if status == http.StatusUnauthorized {
		w.Header().Set("WWW-Authenticate", `Bearer realm="flireo-sim"`)
		writeJSON(w, status, map[string]string{"error": "Unauthorized", "message": "Invalid or missing API key"})
		return
	}
	writeJSON(w, http.StatusForbidden, map[string]string{"error": "Forbidden", "message": "You don't have access to this resource"})
}

// writeJSON writes v as JSON with the status.
func writeJSON(w http.ResponseWriter, status int, v any) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		// Only values built here are encoded; answer 500 rather than half a body.
		status = http.StatusInternalServerError
		buf.Reset()
		if nested(w) {
			buf.WriteString(`{"error":{"code":"server_error","message":"the reply could not be encoded","type":"api_error"}}` + "\n")
		} else {
			buf.WriteString(`{"error":"server_error","message":"the reply could not be encoded","type":"api_error"}` + "\n")
		}
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes()) // the client went away: nothing left to do
}

// requestError is a request the API refuses, with its status and body.
type requestError struct {
	status  int
	code    string
	param   string
	message string
}

func (e *requestError) Error() string { return e.message }

func (e *requestError) write(w http.ResponseWriter) {
	if e.status == http.StatusForbidden {
		writeAuthError(w, e.status)
		return
	}
	writeError(w, e.status, e.code, e.param, e.message)
}

func badRequest(param, format string, a ...any) *requestError {
	return &requestError{status: http.StatusBadRequest, code: errInvalidRequest, param: param, message: fmt.Sprintf(format, a...)}
}

func missing(param, format string, a ...any) *requestError {
	return &requestError{status: http.StatusBadRequest, code: errMissingField, param: param, message: fmt.Sprintf(format, a...)}
}

func notFound(param, format string, a ...any) *requestError {
	return &requestError{status: http.StatusNotFound, code: errNotFound, param: param, message: fmt.Sprintf(format, a...)}
}

// readBody reads a JSON request body through the cap. An empty body reads as
// {} when empty is true.
func (p *Platform) readBody(w http.ResponseWriter, r *http.Request, empty bool) ([]byte, *requestError) {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, p.opt.MaxBody))
	var tooBig *http.MaxBytesError
	switch {
	case errors.As(err, &tooBig):
		return nil, &requestError{status: http.StatusRequestEntityTooLarge, code: errTooLarge,
			message: fmt.Sprintf("the request body exceeds %d bytes", p.opt.MaxBody)}
	case err != nil:
		return nil, badRequest("", "reading the request body failed: %v", err)
	}
	if len(bytes.TrimSpace(body)) == 0 {
		if empty {
			return []byte("{}"), nil
		}
		return nil, badRequest("", "the request body is empty: send a JSON object")
	}
	return body, nil
}

// decode reads a JSON object body into dst. Unknown fields are accepted; a
// body that is not JSON, not an object, or has a field of the wrong type is
// a 400 that names the field.
func (p *Platform) decode(w http.ResponseWriter, r *http.Request, dst any) *requestError {
	body, rerr := p.readBody(w, r, false)
	if rerr != nil {
		return rerr
	}
	return decodeJSON(body, dst)
}

func decodeJSON(body []byte, dst any) *requestError {
	if !json.Valid(body) {
		return badRequest("", "the request body is not valid JSON: %s", jsonProblem(body))
	}
	if t := bytes.TrimSpace(body); len(t) == 0 || t[0] != '{' {
		return badRequest("", "the request body must be a JSON object")
	}
	if err := json.Unmarshal(body, dst); err != nil {
		var te *json.UnmarshalTypeError
		if errors.As(err, &te) && te.Field != "" {
			return badRequest(te.Field, "%s must be a %s, not a JSON %s", te.Field, jsonKind(te.Type.Kind().String()), te.Value)
		}
		return badRequest("", "the request body does not fit: %v", err)
	}
	return nil
}

// jsonProblem says where a body stops being JSON.
func jsonProblem(body []byte) string {
	var v any
	err := json.Unmarshal(body, &v)
	var se *json.SyntaxError
	if errors.As(err, &se) {
		return fmt.Sprintf("%v (at byte %d)", se, se.Offset)
	}
	if err != nil {
		return err.Error()
	}
	return "unexpected content"
}

func jsonKind(goKind string) string {
	switch goKind {
	case "string":
		return "string"
	case "bool":
		return "boolean"
	case "int", "int64", "float64":
		return "number"
	case "map", "struct":
		return "object"
	case "slice":
		return "array"
	}
	return strings.TrimSpace(goKind)
}
