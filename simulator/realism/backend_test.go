package realism_test

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/flireo-sim/flireo-sim/simulator/realism"
)

// The zoo's booking backends are correct servers: a booking at a time they
// offered to the call is confirmed; a time they did not offer, one in the
// past, one already taken and (node-booking) an id they never gave out are
// refused with an explanation. Without this, a booked share of 0% could be
// the backend's fault.

// backendClient sends signed G2/G3 tool-calls to a zoo backend.
type backendClient struct {
	t      *testing.T
	url    string
	camel  bool
	callID string
	n      int
}

// tool sends one tool call and returns its results entry.
func (c *backendClient) tool(name string, args any) map[string]json.RawMessage {
	c.t.Helper()
	c.n++
	listKey, idKey := "tool_call_list", "tool_call_id"
	if c.camel {
		listKey, idKey = "toolCallList", "toolCallId"
	}
	id := fmt.Sprintf("tool_%d", c.n)
	body, err := json.Marshal(map[string]any{"message": map[string]any{
		"type": "tool-calls", "timestamp": time.Now().UTC().Format("2006-01-02T15:04:05.000Z"),
		"call":     map[string]any{"id": c.callID, "status": "in-progress"},
		"customer": map[string]any{"number": "+31699999999"},
		listKey:    []any{map[string]any{"id": id, "type": "function", "function": map[string]any{"name": name, "arguments": args}}},
	}})
	require.NoError(c.t, err)
	req, err := http.NewRequest(http.MethodPost, c.url, bytes.NewReader(body))
	require.NoError(c.t, err)
	ts := strconv.FormatInt(time.Now().Unix(), 10)
	mac := hmac.New(sha256.New, []byte(propSecret))
	mac.Write([]byte(ts + "."))
	mac.Write(body)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-Webhook-Timestamp", ts)
	req.Header.Set("X-Webhook-Signature", "sha256="+hex.EncodeToString(mac.Sum(nil)))
	resp, err := http.DefaultClient.Do(req)
	require.NoError(c.t, err)
	defer resp.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	require.NoError(c.t, err)
	require.Equal(c.t, http.StatusOK, resp.StatusCode, "%s", raw)
	var reply struct {
		Results []map[string]json.RawMessage `json:"results"`
	}
	require.NoError(c.t, json.Unmarshal(raw, &reply), "%s", raw)
	require.Len(c.t, reply.Results, 1, "%s", raw)
	assert.JSONEq(c.t, strconv.Quote(id), string(reply.Results[0][idKey]), "%s", raw)
	return reply.Results[0]
}

func (c *backendClient) offered(name string, args any) []string {
	c.t.Helper()
	r := c.tool(name, args)
	slots := realism.Offered(r["result"])
	require.NotEmpty(c.t, slots, "%s offers times: %s", name, r["result"])
	return slots
}

func refused(t *testing.T, r map[string]json.RawMessage, why string) {
	t.Helper()
	var e string
	if assert.NoError(t, json.Unmarshal(r["error"], &e), "an error entry: %v", r) {
		assert.Contains(t, e, why)
	}
	assert.Nil(t, r["result"])
}

func TestPythonBookingBackend(t *testing.T) {
	url := startZoo(t, zooBackends[0], propSecret)
	c := &backendClient{t: t, url: url, callID: "call-a"}
	slots := c.offered("check_availability", map[string]any{"date": "2020-01-01"}) // a past day: the next business days instead
	day, at, _ := strings.Cut(slots[0], " ")
	r := c.tool("book_appointment", map[string]any{"name": "Jan", "date": day, "time": at})
	assert.Contains(t, string(r["result"]), `"status": "confirmed"`, "an offered time is booked: %v", r)
	assert.Contains(t, string(r["result"]), `"reference": "FYS-`)
	refused(t, c.tool("book_appointment", map[string]any{"name": "Jan", "date": day, "time": "07:00"}), "niet aangeboden")
	refused(t, c.tool("book_appointment", map[string]any{"name": "Jan", "date": "2020-01-02", "time": "09:15"}), "in het verleden")
	other := &backendClient{t: t, url: url, callID: "call-b"}
	d2, at2, _ := strings.Cut(slots[1], " ")
	refused(t, other.tool("book_appointment", map[string]any{"name": "Piet", "date": d2, "time": at2}), "niet aangeboden") // offered to call-a only
	for _, s := range other.offered("check_availability", map[string]any{"date": day}) {
		assert.NotEqual(t, slots[0], s, "a booked time is offered no more")
	}
}

func TestNodeBookingBackend(t *testing.T) {
	url := startZoo(t, zooBackends[1], propSecret)
	c := &backendClient{t: t, url: url, camel: true, callID: "call-a"}
	assert.JSONEq(t, `{"found":false,"contact_id":null}`, string(c.tool("find_contact", map[string]any{"phone": "+31699999999"})["result"]))
	var contact struct {
		ID string `json:"contact_id"`
	}
	require.NoError(t, json.Unmarshal(c.tool("create_contact", map[string]any{"name": "Femke"})["result"], &contact))
	require.NotEmpty(t, contact.ID)
	r := c.tool("get_free_slots", map[string]any{})
	require.NotEmpty(t, realism.Offered(r["result"]))
	var free struct {
		Slots []struct {
			Start string `json:"start"`
		} `json:"slots"`
	}
	require.NoError(t, json.Unmarshal(r["result"], &free))
	require.GreaterOrEqual(t, len(free.Slots), 2)
	refused(t, c.tool("create_booking", map[string]any{"contact_id": "499baf6f-be12-4dc6-8f74-70792f319d79", "start": free.Slots[0].Start}), "unknown contact_id")
	ok := c.tool("create_booking", map[string]any{"contact_id": contact.ID, "start": free.Slots[0].Start})
	assert.Contains(t, string(ok["result"]), `"status":"booked"`, "an offered start is booked: %v", ok)
	refused(t, c.tool("create_booking", map[string]any{"contact_id": contact.ID, "start": free.Slots[0].Start}), "not offered") // booked: offered no more
	refused(t, c.tool("create_booking", map[string]any{"contact_id": contact.ID, "start": "2020-01-02T09:00:00+01:00"}), "in the past")
	start, err := time.Parse(time.RFC3339, free.Slots[1].Start)
	require.NoError(t, err)
	refused(t, c.tool("create_booking", map[string]any{"contact_id": contact.ID, "start": start.Add(7 * time.Minute).Format(time.RFC3339)}), "not offered")
}
