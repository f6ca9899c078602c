package integrator

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"
)

// The ask_email flow (spec §5.2): the platform's G1 documentation describes
// a tool such as ask_email whose tool-calls event gives the server the call
// id; the server answers at once and later pushes what it learned into the
// live call. Here the server answers that it sends the caller a text message
// with a link, then injects the confirmed address with
// POST {PlatformAPI}/calls/{id}/control
// {"type": "inject-context", "content": "...", "trigger_response": true},
// so that the assistant reads it back. The confirmed address is the one in
// the contact book for the caller's number, else the address the caller
// spoke (the tool's email argument). The tool is declared only when
// Options.PlatformAPI is set.

// askEmailTool is the declaration and the immediate answer of ask_email.
var askEmailTool = toolSpec{
	Name: "ask_email",
	Description: "Vraag het e-mailadres van de beller: de beller krijgt een sms met een link om het te bevestigen, " +
		"het bevestigde adres komt daarna in het gesprek (ask for the caller's e-mail address)",
	Parameters: json.RawMessage(`{"type":"object","properties":{
			"email":{"type":"string","format":"email","description":"Het e-mailadres zoals de beller het uitsprak, als de beller het noemde"}}}`),
	Handle: func(json.RawMessage, *event) (toolOutput, error) {
		const msg = "Ik stuur u een sms met een link; zodra u uw e-mailadres daar bevestigt, zie ik het hier."
		return toolOutput{Value: map[string]any{"status": "pending", "message": msg}, Text: msg}, nil
	},
}

// injectTimeout bounds one control request to the platform.
const injectTimeout = 5 * time.Second

// askEmail injects confirmed e-mail addresses into live calls. Its
// goroutines belong to it and end by Close.
type askEmail struct {
	base   string // the platform API base, e.g. http://127.0.0.1:8090/api/v1
	key    string
	client *http.Client

	ctx    context.Context
	cancel context.CancelFunc
	wg     sync.WaitGroup
}

// newAskEmail returns nil when no platform API is configured.
func newAskEmail(api, key string) (*askEmail, error) {
	if api == "" {
		return nil, nil
	}
	u, err := url.Parse(api)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("platform API %q is not an http(s) URL: use the API base, e.g. http://127.0.0.1:8090/api/v1", api)
	}
	ctx, cancel := context.WithCancel(context.Background())
	return &askEmail{
		base: strings.TrimRight(api, "/"), key: key, ctx: ctx, cancel: cancel,
		client: &http.Client{Timeout: injectTimeout},
	}, nil
}

// declare adds ask_email to the tools of a rendered assistant-request reply.
func (a *askEmail) declare(f format, body map[string]any) {
	if a == nil {
		return
	}
	asst, _ := body["assistant"].(map[string]any)
	llm, _ := asst["llm_config"].(map[string]any)
	if f == formatG1 {
		llm, _ = asst["model"].(map[string]any)
	}
	if llm == nil {
		return
	}
	tools, _ := llm["tools"].([]any)
	llm["tools"] = append(tools, map[string]any{
		"name": askEmailTool.Name, "description": askEmailTool.Description, "async": false, "parameters": askEmailTool.Parameters,
	})
}

// answer replaces the "unknown tool" answers of ask_email calls with the
// immediate reply.
func (a *askEmail) answer(ev *event, answers []toolAnswer) []toolAnswer {
	if a == nil {
		return answers
	}
	for i, tc := range ev.Tools {
		if tc.Name == askEmailTool.Name && i < len(answers) && answers[i].ID == tc.ID {
			out, _ := askEmailTool.Handle(tc.Args, ev) // never fails
			answers[i] = toolAnswer{ID: tc.ID, Out: out}
		}
	}
	return answers
}

// inject starts, after the reply to a tool-calls event is written, one
// control request per ask_email call whose address is known.
func (a *askEmail) inject(ev *event) {
	if a == nil || ev.Type != eventToolCalls || ev.CallID == "" {
		return
	}
	for _, tc := range ev.Tools {
		if tc.Name != askEmailTool.Name {
			continue
		}
		email := confirmedEmail(ev.Caller, tc.Args)
		if email == "" {
			continue
		}
		content := "Het e-mailadres van de beller is bevestigd via de sms-link: " + email + "."
		a.wg.Add(1)
		go func() {
			defer a.wg.Done()
			_ = a.control(ev.CallID, content) // best effort: the call may have ended meanwhile
		}()
	}
}

// confirmedEmail is the caller's address: the contact book's for the
// number, else the one the caller spoke.
func confirmedEmail(caller string, args json.RawMessage) string {
	if c, ok := contactByPhone(caller); ok {
		return c.Email
	}
	var a struct {
		Email string `json:"email"`
	}
	if decodeArgs(args, &a) != nil {
		return ""
	}
	e := strings.ToLower(strings.TrimSpace(a.Email))
	if at := strings.IndexByte(e, '@'); at < 1 || at == len(e)-1 || strings.ContainsAny(e, " \t\r\n") {
		return ""
	}
	return e
}

// control sends inject-context with trigger_response to the live call.
func (a *askEmail) control(callID, content string) error {
	body, _ := json.Marshal(map[string]any{"type": "inject-context", "content": content, "trigger_response": true})
	req, err := http.NewRequestWithContext(a.ctx, http.MethodPost, a.base+"/calls/"+url.PathEscape(callID)+"/control", bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	if a.key != "" {
		req.Header.Set("Authorization", "Bearer "+a.key)
	}
	resp, err := a.client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("control request for call %s answered %s", callID, resp.Status)
	}
	return nil
}

// close cancels pending control requests and waits for them.
func (a *askEmail) close() {
	if a == nil {
		return
	}
	a.cancel()
	a.wg.Wait()
	a.client.CloseIdleConnections()
}

// Close stops the server's background work (the ask_email control
// requests) and waits for it. The handler must no longer be serving.
func (s *Server) Close() {
	s.askEmail.close()
}
