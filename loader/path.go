package loader

import (
	"strconv"
	"strings"
)

// Segment is one step of a Path: a mapping key, or a sequence index when
// IsIndex is set.
type Segment struct {
	Key     string
	Index   int
	IsIndex bool
}

// Path addresses a node inside an object, such as
// spec.template.spec.containers[0].readinessProbe. Lookups use segments, not
// the string form, because keys such as annotation names contain dots.
type Path []Segment

// P builds a Path from mapping keys.
func P(keys ...string) Path {
	p := make(Path, len(keys))
	for i, k := range keys {
		p[i] = Segment{Key: k}
	}
	return p
}

// Key returns a new Path with key appended; p itself is never modified, so a
// Path can be shared between rules safely.
func (p Path) Key(keys ...string) Path {
	out := make(Path, len(p), len(p)+len(keys))
	copy(out, p)
	for _, k := range keys {
		out = append(out, Segment{Key: k})
	}
	return out
}

// Index returns a new Path with sequence index i appended.
func (p Path) Index(i int) Path {
	out := make(Path, len(p), len(p)+1)
	copy(out, p)
	return append(out, Segment{Index: i, IsIndex: true})
}

// Concat returns p followed by q.
func (p Path) Concat(q Path) Path {
	out := make(Path, 0, len(p)+len(q))
	return append(append(out, p...), q...)
}

// String renders the path the way sigs.k8s.io/json reports field paths:
// keys joined by dots, indices in brackets. Keys that contain a dot or a
// bracket are quoted with brackets, e.g. metadata.annotations["a.b/c"].
func (p Path) String() string {
	var b strings.Builder
	for i, s := range p {
		switch {
		case s.IsIndex:
			b.WriteByte('[')
			b.WriteString(strconv.Itoa(s.Index))
			b.WriteByte(']')
		case strings.ContainsAny(s.Key, ".[]\""):
			b.WriteString(`["`)
			b.WriteString(s.Key)
			b.WriteString(`"]`)
		default:
			if i > 0 {
				b.WriteByte('.')
			}
			b.WriteString(s.Key)
		}
	}
	return b.String()
}

// ParseJSONPath parses the field path syntax that sigs.k8s.io/json uses in
// strict-decoding errors ("spec.template.spec.containers[0].ports[1].protocl")
// back into a Path. Keys in those errors never contain dots (Kubernetes field
// names do not), so splitting is unambiguous except for map keys, which strict
// errors never name.
func ParseJSONPath(s string) Path {
	var p Path
	for s != "" {
		switch s[0] {
		case '.':
			s = s[1:]
		case '[':
			end := strings.IndexByte(s, ']')
			if end < 0 {
				return append(p, Segment{Key: s})
			}
			if n, err := strconv.Atoi(s[1:end]); err == nil {
				p = append(p, Segment{Index: n, IsIndex: true})
			} else {
				p = append(p, Segment{Key: strings.Trim(s[1:end], `"`)})
			}
			s = s[end+1:]
		default:
			end := strings.IndexAny(s, ".[")
			if end < 0 {
				end = len(s)
			}
			p = append(p, Segment{Key: s[:end]})
			s = s[end:]
		}
	}
	return p
}
