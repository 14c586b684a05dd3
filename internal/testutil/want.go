package testutil

import (
	"bufio"
	"bytes"
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

// Want is one expected finding parsed from a fixture comment:
//
//	image: x   # want: rule-id
//	image: x   # want: rule-a@12 rule-b "regexp on the message"
//
// Col is 0 when the column is not pinned; Message is nil when the message
// is not checked.
type Want struct {
	Line    int
	Col     int
	Rule    string
	Message *regexp.Regexp
}

func (w Want) String() string {
	s := fmt.Sprintf("line %d: %s", w.Line, w.Rule)
	if w.Col > 0 {
		s += fmt.Sprintf("@%d", w.Col)
	}
	if w.Message != nil {
		s += fmt.Sprintf(" %q", w.Message)
	}
	return s
}

var wantRule = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)

// ParseWants reads every `# want:` comment in a fixture.
func ParseWants(data []byte) ([]Want, error) { return parseMarks(data, "# want:") }

// ParseRelated reads every `# related:` comment in a fixture: the line
// (and column, message) of a related location that a finding of the rule
// names, such as the HPA's name for a finding on the workload it scales.
// It may follow a want on the same line:
//
//	name: web   # want: rule-a # related: rule-b "HPA"
func ParseRelated(data []byte) ([]Want, error) { return parseMarks(data, "# related:") }

// parseMarks reads the comments that start with mark: rule IDs with an
// optional @column and quoted message regexp, up to the next " #".
func parseMarks(data []byte, mark string) ([]Want, error) {
	var wants []Want
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 1<<20), 1<<24)
	line := 0
	for sc.Scan() {
		line++
		text := sc.Text()
		i := strings.Index(text, mark)
		if i < 0 {
			continue
		}
		rest := text[i+len(mark):]
		if j := strings.Index(rest, " # "); j >= 0 {
			rest = rest[:j] // another mark follows
		}
		rest = strings.TrimSpace(rest)
		for rest != "" {
			if rest[0] == ',' || rest[0] == ' ' {
				rest = rest[1:]
				continue
			}
			if rest[0] == '"' {
				q, err := strconv.QuotedPrefix(rest)
				if err != nil || len(wants) == 0 || wants[len(wants)-1].Line != line {
					return nil, fmt.Errorf("line %d: bad message pattern in %s comment", line, mark)
				}
				pat, _ := strconv.Unquote(q)
				re, err := regexp.Compile(pat)
				if err != nil {
					return nil, fmt.Errorf("line %d: %w", line, err)
				}
				wants[len(wants)-1].Message = re
				rest = rest[len(q):]
				continue
			}
			end := strings.IndexAny(rest, " ,")
			if end < 0 {
				end = len(rest)
			}
			tok := rest[:end]
			rest = rest[end:]
			w := Want{Line: line, Rule: tok}
			if id, col, ok := strings.Cut(tok, "@"); ok {
				n, err := strconv.Atoi(col)
				if err != nil {
					return nil, fmt.Errorf("line %d: bad column in %q", line, tok)
				}
				w.Rule, w.Col = id, n
			}
			if !wantRule.MatchString(w.Rule) {
				return nil, fmt.Errorf("line %d: bad rule ID %q in %s comment", line, w.Rule, mark)
			}
			wants = append(wants, w)
		}
	}
	return wants, sc.Err()
}
