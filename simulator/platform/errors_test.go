package platform

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	sim "github.com/flireo-sim/flireo-sim/simulator"
	"github.com/flireo-sim/flireo-sim/simulator/kit"
)

// TestErrorBodyShapes checks both error body shapes on errors from several
// handlers and from the router: flat (the SDK's ApiError, the default) puts
// the code in "error"; nested keeps the errors page's object.
func TestErrorBodyShapes(t *testing.T) {
	requests := []struct {
		name, method, path string
		body               any
		status             int
		code, param        string
		typ                string
	}{
		{"missing field", http.MethodPost, "/api/v1/assistants", map[string]any{"first_message": "Hallo"}, 400, "missing_field", "name", "invalid_request_error"},
		{"bad query", http.MethodGet, "/api/v1/calls?limit=0", nil, 400, "invalid_request", "limit", "invalid_request_error"},
		{"unknown call", http.MethodGet, "/api/v1/calls/call-nope", nil, 404, "not_found", "id", "not_found_error"},
		{"no endpoint", http.MethodGet, "/api/v1/nothing-here", nil, 404, "not_found", "", "not_found_error"},
		{"wrong method", http.MethodDelete, "/api/v1/calls", nil, 405, "method_not_allowed", "", "invalid_request_error"},
		{"bad JSON", http.MethodPost, "/api/v1/calls/outbound", "{", 400, "invalid_request", "", "invalid_request_error"},
	}
	for _, shape := range []string{"", ErrorBodyFlat, ErrorBodyNested} {
		e := setup(t, func(o *Options) { o.ErrorBody = shape })
		for _, rq := range requests {
			t.Run(shape+"/"+rq.name, func(t *testing.T) {
				r := e.do(rq.method, rq.path, rq.body)
				require.Equal(t, rq.status, r.status, string(r.raw))
				var got map[string]any
				if shape == ErrorBodyNested {
					obj, ok := r.body["error"].(map[string]any)
					require.True(t, ok, "nested: error is an object: %s", r.raw)
					assert.Equal(t, rq.code, obj["code"])
					assert.Len(t, r.body, 1, "nested: only the error member")
					got = obj
				} else {
					code, ok := r.body["error"].(string)
					require.True(t, ok, "flat: error is a string: %s", r.raw)
					assert.Equal(t, rq.code, code)
					assert.NotContains(t, r.body, "code")
					got = r.body
				}
				assert.Equal(t, rq.typ, got["type"])
				assert.NotEmpty(t, got["message"])
				if rq.param == "" {
					assert.NotContains(t, got, "param")
				} else {
					assert.Equal(t, rq.param, got["param"])
				}
			})
		}
		t.Run(shape+"/unauthorized keeps the authentication page's body", func(t *testing.T) {
			r := e.doKey("", http.MethodGet, "/api/v1/calls", nil)
			require.Equal(t, http.StatusUnauthorized, r.status)
			assert.Equal(t, map[string]any{"error": "Unauthorized", "message": "Invalid or missing API key"}, r.body)
		})
	}
}

// TestErrorBodyRateLimited checks the 429 body, written outside any handler.
func TestErrorBodyRateLimited(t *testing.T) {
	e := setup(t, func(o *Options) { o.ErrorBody = ErrorBodyFlat; o.RequestsPerMinute = 1 })
	require.Equal(t, http.StatusOK, e.do(http.MethodGet, "/api/v1/calls", nil).status)
	r := e.do(http.MethodGet, "/api/v1/calls", nil)
	require.Equal(t, http.StatusTooManyRequests, r.status)
	assert.Equal(t, "rate_limit_exceeded", r.body["error"])
	assert.Equal(t, "rate_limit_error", r.body["type"])
}

func TestErrorBodyOption(t *testing.T) {
	_, err := New(Options{Sim: kit.Options{Target: "http://127.0.0.1:1/webhook"}, ErrorBody: "xml"})
	var oe *sim.OptionError
	require.ErrorAs(t, err, &oe)
	assert.Equal(t, "ErrorBody", oe.Option)
	assert.Contains(t, err.Error(), "flat")
}

// wrapped is a writer another layer wraps around the router's.
type wrapped struct{ http.ResponseWriter }

func (w wrapped) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// TestErrorBodyThroughWrappers checks that a writer wrapped again (by a
// handler's own middleware) keeps the configured shape, as does the
// encoding failure's fallback body.
func TestErrorBodyThroughWrappers(t *testing.T) {
	cases := []struct {
		name  string
		w     func(http.ResponseWriter) http.ResponseWriter
		write func(http.ResponseWriter)
		want  string
	}{
		{"flat", func(w http.ResponseWriter) http.ResponseWriter { return wrapped{w} },
			func(w http.ResponseWriter) { writeError(w, 404, errNotFound, "id", "gone") },
			`{"error":"not_found","message":"gone","param":"id","type":"not_found_error"}`},
		{"nested, wrapped twice", func(w http.ResponseWriter) http.ResponseWriter { return wrapped{wrapped{nestedWriter{w}}} },
			func(w http.ResponseWriter) { writeError(w, 404, errNotFound, "id", "gone") },
			`{"error":{"code":"not_found","message":"gone","param":"id","type":"not_found_error"}}`},
		{"flat fallback", func(w http.ResponseWriter) http.ResponseWriter { return w },
			func(w http.ResponseWriter) { writeJSON(w, 200, map[string]any{"x": func() {}}) },
			`{"error":"server_error","message":"the reply could not be encoded","type":"api_error"}`},
		{"nested fallback", func(w http.ResponseWriter) http.ResponseWriter { return nestedWriter{w} },
			func(w http.ResponseWriter) { writeJSON(w, 200, map[string]any{"x": func() {}}) },
			`{"error":{"code":"server_error","message":"the reply could not be encoded","type":"api_error"}}`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			rec := httptest.NewRecorder()
			tc.write(tc.w(rec))
			assert.JSONEq(t, tc.want, rec.Body.String())
		})
	}
}
