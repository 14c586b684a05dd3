package lsp

import (
	"bufio"
	"errors"
	"io"
	"strings"
	"testing"
)

func TestReadMessage(t *testing.T) {
	for _, tc := range []struct {
		name, in string
		want     string
		err      error
	}{
		{"plain", "Content-Length: 2\r\n\r\n{}", "{}", nil},
		{"content type and odd case", "content-length: 3\r\nContent-Type: application/vscode-jsonrpc; charset=utf-8\r\n\r\n[1]", "[1]", nil},
		{"bare LF", "Content-Length: 2\n\n{}", "{}", nil},
		{"end of stream", "", "", io.EOF},
		{"no length", "Content-Type: x\r\n\r\n{}", "", errFraming},
		{"bad length", "Content-Length: -1\r\n\r\n", "", errFraming},
		{"not a number", "Content-Length: 1e3\r\n\r\n", "", errFraming},
		{"too large", "Content-Length: 999999999999\r\n\r\n", "", errFraming},
		{"no colon", "Content-Length 2\r\n\r\n{}", "", errFraming},
		{"short body", "Content-Length: 10\r\n\r\n{}", "", io.ErrUnexpectedEOF},
		{"header cut", "Content-Length: 2\r\n", "", io.ErrUnexpectedEOF},
		{"long header line", strings.Repeat("x", 5000) + "\r\n\r\n", "", errFraming},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := readMessage(bufio.NewReader(strings.NewReader(tc.in)))
			if tc.err != nil {
				if !errors.Is(err, tc.err) {
					t.Fatalf("err = %v, want %v", err, tc.err)
				}
				return
			}
			if err != nil || string(got) != tc.want {
				t.Fatalf("got %q, %v; want %q", got, err, tc.want)
			}
		})
	}
	// Two messages back to back.
	r := bufio.NewReader(strings.NewReader("Content-Length: 1\r\n\r\n1Content-Length: 1\r\n\r\n2"))
	a, _ := readMessage(r)
	b, _ := readMessage(r)
	if string(a) != "1" || string(b) != "2" {
		t.Errorf("back to back: %q %q", a, b)
	}
}

// FuzzReadMessage: any bytes give a body no longer than the input, or an
// error; never a panic or a read past the declared length.
func FuzzReadMessage(f *testing.F) {
	f.Add([]byte("Content-Length: 2\r\n\r\n{}"))
	f.Add([]byte("Content-Length: 5\r\nContent-Type: x\r\n\r\n{}"))
	f.Add([]byte("content-length:0\n\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		r := bufio.NewReader(strings.NewReader(string(data)))
		for {
			body, err := readMessage(r)
			if err != nil {
				return
			}
			if len(body) > len(data) {
				t.Fatalf("body of %d bytes from %d bytes of input", len(body), len(data))
			}
		}
	})
}
