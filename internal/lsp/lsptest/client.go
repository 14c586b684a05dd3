// Package lsptest is a minimal LSP client for tests: it frames JSON-RPC
// messages over any pair of streams (an in-process server over io.Pipe,
// or a zdlint lsp process) and collects the server's notifications.
package lsptest

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// Timeout bounds every wait; a server that does not answer fails the
// test instead of hanging it.
var Timeout = 20 * time.Second

// Message is a message from the server.
type Message struct {
	ID     json.RawMessage `json:"id,omitempty"`
	Method string          `json:"method,omitempty"`
	Params json.RawMessage `json:"params,omitempty"`
	Result json.RawMessage `json:"result,omitempty"`
	Error  *struct {
		Code    int    `json:"code"`
		Message string `json:"message"`
	} `json:"error,omitempty"`
}

// Client talks to one server.
type Client struct {
	// Timeout bounds each wait of this client (default: Timeout).
	Timeout time.Duration

	t      testing.TB
	w      io.Writer
	wmu    sync.Mutex
	nextID int

	mu       sync.Mutex
	cond     *sync.Cond
	received []Message // every message, in order
	readErr  error
}

// New starts reading the server's messages from r; requests go to w.
func New(t testing.TB, r io.Reader, w io.Writer) *Client {
	c := &Client{t: t, w: w, Timeout: Timeout}
	c.cond = sync.NewCond(&c.mu)
	go c.read(bufio.NewReader(r))
	return c
}

func (c *Client) read(r *bufio.Reader) {
	for {
		body, err := ReadFrame(r)
		c.mu.Lock()
		if err != nil {
			c.readErr = err
			c.cond.Broadcast()
			c.mu.Unlock()
			return
		}
		var m Message
		if err := json.Unmarshal(body, &m); err != nil {
			c.readErr = fmt.Errorf("bad message from the server: %w: %s", err, body)
		} else {
			c.received = append(c.received, m)
		}
		c.cond.Broadcast()
		c.mu.Unlock()
	}
}

// ReadFrame reads one Content-Length framed body.
func ReadFrame(r *bufio.Reader) ([]byte, error) {
	n := -1
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			return nil, err
		}
		line = strings.TrimRight(line, "\r\n")
		if line == "" {
			break
		}
		if v, ok := strings.CutPrefix(line, "Content-Length: "); ok {
			n, err = strconv.Atoi(v)
			if err != nil {
				return nil, err
			}
		}
	}
	if n < 0 {
		return nil, fmt.Errorf("no Content-Length")
	}
	body := make([]byte, n)
	_, err := io.ReadFull(r, body)
	return body, err
}

// Frame returns body with its header.
func Frame(body []byte) []byte {
	return append([]byte(fmt.Sprintf("Content-Length: %d\r\n\r\n", len(body))), body...)
}

// WriteRaw sends bytes as they are (malformed messages).
func (c *Client) WriteRaw(b []byte) {
	c.wmu.Lock()
	defer c.wmu.Unlock()
	if _, err := c.w.Write(b); err != nil {
		c.t.Fatalf("writing to the server: %v", err)
	}
}

func (c *Client) send(v any) {
	body, err := json.Marshal(v)
	if err != nil {
		c.t.Fatal(err)
	}
	c.WriteRaw(Frame(body))
}

// Notify sends a notification.
func (c *Client) Notify(method string, params any) {
	c.send(map[string]any{"jsonrpc": "2.0", "method": method, "params": params})
}

// Reply answers a request of the server's (client/registerCapability):
// with result, or with an error when errMsg is not "".
func (c *Client) Reply(id json.RawMessage, result any, errMsg string) {
	m := map[string]any{"jsonrpc": "2.0", "id": id}
	if errMsg != "" {
		m["error"] = map[string]any{"code": -32603, "message": errMsg}
	} else {
		m["result"] = result
	}
	c.send(m)
}

// Call sends a request and waits for its response.
func (c *Client) Call(method string, params any) Message {
	c.wmu.Lock()
	c.nextID++
	id := c.nextID
	c.wmu.Unlock()
	c.send(map[string]any{"jsonrpc": "2.0", "id": id, "method": method, "params": params})
	want := strconv.Itoa(id)
	return c.Wait(fmt.Sprintf("the response to %s", method), func(m Message) bool {
		return m.Method == "" && string(m.ID) == want
	})
}

// CallResult calls and decodes the result into v, failing on an error.
func (c *Client) CallResult(method string, params, v any) {
	m := c.Call(method, params)
	if m.Error != nil {
		c.t.Fatalf("%s: error %d %s", method, m.Error.Code, m.Error.Message)
	}
	if v != nil {
		if err := json.Unmarshal(m.Result, v); err != nil {
			c.t.Fatalf("%s: result %s: %v", method, m.Result, err)
		}
	}
}

// Wait returns the first message received so far or later that match
// accepts and that no earlier Wait returned.
func (c *Client) Wait(what string, match func(Message) bool) Message {
	deadline := time.Now().Add(c.Timeout)
	timer := time.AfterFunc(c.Timeout, func() {
		c.mu.Lock()
		c.cond.Broadcast()
		c.mu.Unlock()
	})
	defer timer.Stop()
	c.mu.Lock()
	defer c.mu.Unlock()
	for i := 0; ; {
		for ; i < len(c.received); i++ {
			if m := c.received[i]; match(m) {
				c.received = append(c.received[:i:i], c.received[i+1:]...)
				return m
			}
		}
		if c.readErr != nil {
			c.t.Fatalf("waiting for %s: %v", what, c.readErr)
		}
		if time.Now().After(deadline) {
			c.t.Fatalf("waiting for %s: nothing after %v", what, c.Timeout)
		}
		c.cond.Wait()
	}
}

// Diagnostics is a publishDiagnostics notification's params.
type Diagnostics struct {
	URI         string       `json:"uri"`
	Version     *int         `json:"version"`
	Diagnostics []Diagnostic `json:"diagnostics"`
}

// Diagnostic is one diagnostic as the server sends it.
type Diagnostic struct {
	Range struct {
		Start Position `json:"start"`
		End   Position `json:"end"`
	} `json:"range"`
	Severity        int    `json:"severity"`
	Code            string `json:"code"`
	Source          string `json:"source"`
	Message         string `json:"message"`
	CodeDescription *struct {
		Href string `json:"href"`
	} `json:"codeDescription"`
	RelatedInformation []RelatedInformation `json:"relatedInformation"`
}

// RelatedInformation is another place a diagnostic is about.
type RelatedInformation struct {
	Location struct {
		URI   string `json:"uri"`
		Range struct {
			Start Position `json:"start"`
			End   Position `json:"end"`
		} `json:"range"`
	} `json:"location"`
	Message string `json:"message"`
}

// Position is an LSP position.
type Position struct {
	Line      int `json:"line"`
	Character int `json:"character"`
}

// WaitDiagnostics waits for diagnostics of uri that match accepts (nil:
// any).
func (c *Client) WaitDiagnostics(uri string, match func(Diagnostics) bool) Diagnostics {
	var got Diagnostics
	c.Wait("diagnostics of "+uri, func(m Message) bool {
		if m.Method != "textDocument/publishDiagnostics" {
			return false
		}
		var d Diagnostics
		if json.Unmarshal(m.Params, &d) != nil || d.URI != uri {
			return false
		}
		if match != nil && !match(d) {
			return false
		}
		got = d
		return true
	})
	return got
}

// WaitVersion waits for the diagnostics of uri at version v.
func (c *Client) WaitVersion(uri string, v int) Diagnostics {
	return c.WaitDiagnostics(uri, func(d Diagnostics) bool { return d.Version != nil && *d.Version == v })
}

// Received returns the messages not yet taken by Wait whose method is
// method.
func (c *Client) Received(method string) []Message {
	c.mu.Lock()
	defer c.mu.Unlock()
	var out []Message
	for _, m := range c.received {
		if m.Method == method {
			out = append(out, m)
		}
	}
	return out
}

// Codes lists the diagnostics' codes.
func (d Diagnostics) Codes() []string {
	var out []string
	for _, x := range d.Diagnostics {
		out = append(out, x.Code)
	}
	return out
}

// Has reports whether a diagnostic has code.
func (d Diagnostics) Has(code string) bool {
	for _, x := range d.Diagnostics {
		if x.Code == code {
			return true
		}
	}
	return false
}
