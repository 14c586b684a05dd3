package loader

import (
	"encoding/base64"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	yaml "go.yaml.in/yaml/v3"
)

// This file converts a yaml.v3 node tree to JSON with the YAML 1.1 rules that
// sigs.k8s.io/yaml (and so kubectl) applies through yaml.v2: plain yes/no/on/off
// are booleans, 0755 is octal, 1_000 is 1000, timestamps stay strings, the last
// duplicate key wins, and merge keys ("<<") apply in place. yaml.v3 alone
// resolves scalars with YAML 1.2 rules, which is not what the cluster sees.
// Decoding from the tree we already hold for positions avoids a second parse;
// TestConvertMatchesKubectl compares the result with sigs.k8s.io/yaml.

// Limits that keep hostile documents bounded. The alias ratio mirrors yaml.v2's
// "excessive aliasing" guard so the two paths reject the same alias bombs.
const (
	maxConvertDepth    = 1000
	maxConvertNodes    = 10_000_000
	aliasRatioRangeLow = 400_000
	aliasRatioRangeHi  = 4_000_000
	// maxAliasBytes bounds the JSON that aliases and merge keys expand to
	// in one object. The ratio above counts nodes, not bytes: one anchored
	// 1 MiB string aliased a thousand times among ten thousand plain nodes
	// passes it and would expand to 1 GiB. Real manifests reuse probes,
	// env lists and resources, kilobytes at most.
	maxAliasBytes = 16 << 20
)

// ConvertError is a conversion failure positioned at the node that caused it.
type ConvertError struct {
	Pos Pos
	Msg string
}

func (e *ConvertError) Error() string { return e.Msg }

type converter struct {
	buf        []byte
	nodes      int
	aliasNodes int
	aliasDepth int
	aliasStart int // len(buf) when the outermost alias was entered
	aliasBytes int // bytes written under aliases before aliasStart
	err        *ConvertError
	// skip holds values to leave out (withoutBadValues); nil otherwise.
	skip map[*yaml.Node]bool
}

// ToJSON converts the node n (a document's content or a List item) to JSON
// as kubectl would send it to the API server.
func ToJSON(n *yaml.Node) ([]byte, error) {
	c := converter{buf: make([]byte, 0, 1024)}
	c.value(n, 0)
	if c.err != nil {
		return nil, c.err
	}
	return c.buf, nil
}

func (c *converter) fail(n *yaml.Node, format string, args ...any) {
	if c.err == nil {
		c.err = &ConvertError{Pos: NodePos(n), Msg: fmt.Sprintf(format, args...)}
	}
}

func allowedAliasRatio(count int) float64 {
	switch {
	case count <= aliasRatioRangeLow:
		return 0.99
	case count >= aliasRatioRangeHi:
		return 0.10
	default:
		return 0.99 - 0.89*(float64(count-aliasRatioRangeLow)/float64(aliasRatioRangeHi-aliasRatioRangeLow))
	}
}

func (c *converter) count(n *yaml.Node) bool {
	c.nodes++
	if c.aliasDepth > 0 {
		c.aliasNodes++
	}
	if c.aliasNodes > 100 && c.nodes > 1000 && float64(c.aliasNodes)/float64(c.nodes) > allowedAliasRatio(c.nodes) {
		c.fail(n, "document contains excessive aliasing")
		return false
	}
	if c.aliasDepth > 0 && c.aliasBytes+len(c.buf)-c.aliasStart > maxAliasBytes {
		c.fail(n, "document contains excessive aliasing: aliases expand to more than %d MiB", maxAliasBytes>>20)
		return false
	}
	if c.nodes > maxConvertNodes {
		c.fail(n, "document has more than %d nodes", maxConvertNodes)
		return false
	}
	return true
}

// enterAlias and leaveAlias bracket content reached through an alias or a
// merge key: it counts towards the aliasing limits.
func (c *converter) enterAlias() {
	if c.aliasDepth == 0 {
		c.aliasStart = len(c.buf)
	}
	c.aliasDepth++
}

func (c *converter) leaveAlias() {
	c.aliasDepth--
	if c.aliasDepth == 0 {
		c.aliasBytes += len(c.buf) - c.aliasStart
	}
}

func (c *converter) value(n *yaml.Node, depth int) {
	if c.err != nil || !c.count(n) {
		return
	}
	if depth > maxConvertDepth {
		c.fail(n, "document is nested more than %d levels deep", maxConvertDepth)
		return
	}
	switch n.Kind {
	case yaml.DocumentNode:
		if len(n.Content) == 0 {
			c.buf = append(c.buf, "null"...)
			return
		}
		c.value(n.Content[0], depth)
	case yaml.AliasNode:
		if n.Alias == nil {
			c.fail(n, "unknown anchor referenced")
			return
		}
		c.enterAlias()
		c.value(n.Alias, depth+1)
		c.leaveAlias()
	case yaml.SequenceNode:
		c.buf = append(c.buf, '[')
		for i, item := range n.Content {
			if i > 0 {
				c.buf = append(c.buf, ',')
			}
			if c.skip != nil && c.skip[deref(item)] {
				c.buf = append(c.buf, "null"...)
				continue
			}
			c.value(item, depth+1)
		}
		c.buf = append(c.buf, ']')
	case yaml.MappingNode:
		c.mapping(n, depth)
	case yaml.ScalarNode:
		c.scalar(n)
	default:
		c.fail(n, "unsupported YAML node")
	}
}

type pair struct {
	key string
	val *yaml.Node
	// viaAlias marks a pair merged in through an alias ("<<: *defaults"):
	// its value is expanded content like an alias's.
	viaAlias bool
}

// mapping collects the effective pairs (last wins, merges in place) and
// writes them. Small mappings use a linear scan; big ones an index.
func (c *converter) mapping(n *yaml.Node, depth int) {
	var pairs []pair
	var index map[string]int
	depthAtStart := c.aliasDepth
	set := func(k string, v *yaml.Node) {
		viaAlias := c.aliasDepth > depthAtStart
		if index != nil {
			if i, ok := index[k]; ok {
				pairs[i].val, pairs[i].viaAlias = v, viaAlias
				return
			}
		} else {
			for i := range pairs {
				if pairs[i].key == k {
					pairs[i].val, pairs[i].viaAlias = v, viaAlias
					return
				}
			}
		}
		pairs = append(pairs, pair{k, v, viaAlias})
		if index == nil && len(pairs) > 16 {
			index = make(map[string]int, len(pairs)*2)
			for i, p := range pairs {
				index[p.key] = i
			}
		} else if index != nil {
			index[k] = len(pairs) - 1
		}
	}
	c.collect(n, set, depth, 0)
	if c.err != nil {
		return
	}
	c.buf = append(c.buf, '{')
	wrote := false
	for _, p := range pairs {
		if c.skip != nil && c.skip[deref(p.val)] {
			continue
		}
		if wrote {
			c.buf = append(c.buf, ',')
		}
		wrote = true
		c.buf = appendJSONString(c.buf, p.key)
		c.buf = append(c.buf, ':')
		if p.viaAlias {
			c.enterAlias()
			c.value(p.val, depth+1)
			c.leaveAlias()
			continue
		}
		c.value(p.val, depth+1)
	}
	c.buf = append(c.buf, '}')
}

func (c *converter) collect(n *yaml.Node, set func(string, *yaml.Node), depth, merges int) {
	if merges > maxAliasHops {
		c.fail(n, "merge keys nested too deeply")
		return
	}
	for i := 0; i+1 < len(n.Content) && c.err == nil; i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		// Every pair visited counts, so merge chains that fan out
		// ("<<: [*a, *a, ...]" nested) hit the same limits as aliases.
		if !c.count(k) {
			return
		}
		if isMergeKey(k) {
			c.merge(v, set, depth, merges+1)
			continue
		}
		ks, ok := c.keyString(k)
		if !ok {
			return
		}
		set(ks, v)
	}
}

func (c *converter) merge(v *yaml.Node, set func(string, *yaml.Node), depth, merges int) {
	if v.Kind == yaml.AliasNode {
		c.enterAlias()
		defer c.leaveAlias()
	}
	src := deref(v)
	if src == nil || v.Kind == yaml.AliasNode && src.Kind != yaml.MappingNode {
		// yaml.v2, which kubectl uses, takes a sequence of maps only when
		// it is written in place: an alias must name a map, so
		// "- <<: *common-env" on a list of env vars is rejected.
		c.fail(v, "map merge requires map or sequence of maps as the value")
		return
	}
	switch src.Kind {
	case yaml.MappingNode:
		c.collect(src, set, depth, merges)
	case yaml.SequenceNode:
		// yaml.v2 applies the sequence backwards so earlier maps win.
		for i := len(src.Content) - 1; i >= 0 && c.err == nil; i-- {
			item := src.Content[i]
			m := deref(item)
			if m == nil || m.Kind != yaml.MappingNode {
				c.fail(item, "map merge requires map or sequence of maps as the value")
				return
			}
			if item.Kind == yaml.AliasNode {
				c.enterAlias()
			}
			c.collect(m, set, depth, merges)
			if item.Kind == yaml.AliasNode {
				c.leaveAlias()
			}
		}
	default:
		c.fail(v, "map merge requires map or sequence of maps as the value")
	}
}

// keyString turns a mapping key into the JSON object key sigs.k8s.io/yaml
// would produce: ints and bools become their text, floats use 32-bit %g.
func (c *converter) keyString(k *yaml.Node) (string, bool) {
	kn := deref(k)
	if kn == nil || kn.Kind != yaml.ScalarNode {
		c.fail(k, "invalid map key: mapping and sequence keys are not allowed")
		return "", false
	}
	v, kind, err := resolveScalar(kn)
	if err != nil {
		c.fail(kn, "%v", err)
		return "", false
	}
	switch kind {
	case kindString:
		return v.(string), true
	case kindInt:
		return v.(string), true
	case kindBool:
		if v.(bool) {
			return "true", true
		}
		return "false", true
	case kindFloat:
		s := strconv.FormatFloat(v.(float64), 'g', -1, 32)
		switch s {
		case "+Inf":
			s = ".inf"
		case "-Inf":
			s = "-.inf"
		case "NaN":
			s = ".nan"
		}
		return s, true
	default:
		c.fail(kn, "unsupported map key %q", kn.Value)
		return "", false
	}
}

func (c *converter) scalar(n *yaml.Node) {
	v, kind, err := resolveScalar(n)
	if err != nil {
		c.fail(n, "%v", err)
		return
	}
	switch kind {
	case kindNull:
		c.buf = append(c.buf, "null"...)
	case kindBool:
		c.buf = strconv.AppendBool(c.buf, v.(bool))
	case kindInt:
		c.buf = append(c.buf, v.(string)...)
	case kindFloat:
		f := v.(float64)
		if math.IsInf(f, 0) || math.IsNaN(f) {
			c.fail(n, "json: unsupported value: %s", strconv.FormatFloat(f, 'g', -1, 64))
			return
		}
		c.buf = appendJSONFloat(c.buf, f)
	default:
		c.buf = appendJSONString(c.buf, v.(string))
	}
}

type scalarKind int

const (
	kindString scalarKind = iota
	kindNull
	kindBool
	kindInt // value is the decimal text
	kindFloat
)

// ResolveScalar returns the scalar's value as a Go string using the YAML 1.1
// resolution that kubectl applies, and whether it resolves to a string at
// all (false for booleans, numbers and null). Rules use it to read fields
// whose typed form is not available.
func ResolveScalar(n *yaml.Node) (string, bool) {
	n = deref(n)
	if n == nil || n.Kind != yaml.ScalarNode {
		return "", false
	}
	r, err := resolveNode(n)
	if err != nil || r.kind != kindString {
		return "", false
	}
	return r.str, true
}

func resolveScalar(n *yaml.Node) (any, scalarKind, error) {
	r, err := resolveNode(n)
	return r.value(), r.kind, err
}

// resolved is a scalar resolved as kubectl resolves it: str holds a string
// or an integer's decimal text, num a float, b a boolean. A struct rather
// than an any, so the fast decoder resolves a scalar without allocating.
type resolved struct {
	kind scalarKind
	str  string
	num  float64
	b    bool
}

func (r resolved) value() any {
	switch r.kind {
	case kindNull:
		return nil
	case kindBool:
		return r.b
	case kindFloat:
		return r.num
	}
	return r.str
}

// resolveNode is resolveScalar without the any.
func resolveNode(n *yaml.Node) (resolved, error) {
	if n.Style&yaml.TaggedStyle != 0 {
		switch n.Tag {
		case "!!str":
			return resolved{kind: kindString, str: n.Value}, nil
		case "!!binary":
			data, err := base64.StdEncoding.DecodeString(strings.Map(dropSpace, n.Value))
			if err != nil {
				return resolved{}, fmt.Errorf("!!binary value contains invalid base64 data")
			}
			return resolved{kind: kindString, str: string(data)}, nil
		case "!!int", "!!float", "!!bool", "!!null", "!!timestamp":
			r := resolvePlain(n.Value)
			want := map[string]scalarKind{"!!int": kindInt, "!!float": kindFloat, "!!bool": kindBool, "!!null": kindNull, "!!timestamp": kindString}[n.Tag]
			if r.kind == want {
				return r, nil
			}
			if want == kindFloat && r.kind == kindInt {
				f, _ := strconv.ParseFloat(r.str, 64)
				return resolved{kind: kindFloat, num: f}, nil
			}
			return resolved{}, fmt.Errorf("cannot decode %s `%s` as a %s", kindTag(r.kind), n.Value, n.Tag)
		default:
			// Application tags (!Ref, !!set, ...) are not resolved by yaml.v2:
			// the scalar keeps its text.
			return resolved{kind: kindString, str: n.Value}, nil
		}
	}
	if n.Style&(yaml.DoubleQuotedStyle|yaml.SingleQuotedStyle|yaml.LiteralStyle|yaml.FoldedStyle) != 0 {
		return resolved{kind: kindString, str: n.Value}, nil
	}
	return resolvePlain(n.Value), nil
}

func dropSpace(r rune) rune {
	if r == ' ' || r == '\n' || r == '\r' || r == '\t' {
		return -1
	}
	return r
}

func kindTag(k scalarKind) string {
	switch k {
	case kindNull:
		return "!!null"
	case kindBool:
		return "!!bool"
	case kindInt:
		return "!!int"
	case kindFloat:
		return "!!float"
	}
	return "!!str"
}

// resolvePlain applies yaml.v2's implicit resolution to a plain scalar.
func resolvePlain(in string) resolved {
	if in == "" {
		return resolved{kind: kindNull}
	}
	switch in {
	case "y", "Y", "yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON":
		return resolved{kind: kindBool, b: true}
	case "n", "N", "no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF":
		return resolved{kind: kindBool}
	case "~", "null", "Null", "NULL":
		return resolved{kind: kindNull}
	case ".nan", ".NaN", ".NAN":
		return resolved{kind: kindFloat, num: math.NaN()}
	case ".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF":
		return resolved{kind: kindFloat, num: math.Inf(1)}
	case "-.inf", "-.Inf", "-.INF":
		return resolved{kind: kindFloat, num: math.Inf(-1)}
	}
	switch c := in[0]; {
	case c == '.':
		if f, err := strconv.ParseFloat(in, 64); err == nil {
			return resolved{kind: kindFloat, num: f}
		}
	case c == '+' || c == '-' || (c >= '0' && c <= '9'):
		if looksLikeTimestamp(in) {
			// yaml.v2 keeps timestamps as strings when decoding into interface{}.
			return resolved{kind: kindString, str: in}
		}
		plain := strings.ReplaceAll(in, "_", "")
		if !mayBeNumber(plain) {
			// 100m, 128Mi, 25%: no parse below can succeed, and each
			// failed one allocates its error.
			return resolved{kind: kindString, str: in}
		}
		if i, err := strconv.ParseInt(plain, 0, 64); err == nil {
			if isCanonicalInt(plain) {
				return resolved{kind: kindInt, str: plain} // already its decimal text
			}
			return resolved{kind: kindInt, str: strconv.FormatInt(i, 10)}
		}
		if u, err := strconv.ParseUint(plain, 0, 64); err == nil {
			return resolved{kind: kindInt, str: strconv.FormatUint(u, 10)}
		}
		if isYAMLFloat(plain) {
			if f, err := strconv.ParseFloat(plain, 64); err == nil {
				return resolved{kind: kindFloat, num: f}
			}
		}
		if strings.HasPrefix(plain, "0b") {
			if i, err := strconv.ParseInt(plain[2:], 2, 64); err == nil {
				return resolved{kind: kindInt, str: strconv.FormatInt(i, 10)}
			}
			if u, err := strconv.ParseUint(plain[2:], 2, 64); err == nil {
				return resolved{kind: kindInt, str: strconv.FormatUint(u, 10)}
			}
		} else if strings.HasPrefix(plain, "-0b") {
			if i, err := strconv.ParseInt("-"+plain[3:], 2, 64); err == nil {
				return resolved{kind: kindInt, str: strconv.FormatInt(i, 10)}
			}
		}
	}
	return resolved{kind: kindString, str: in}
}

// isCanonicalInt reports whether s is written as strconv.FormatInt writes
// it: an optional minus, then digits without a leading zero (or just 0).
func isCanonicalInt(s string) bool {
	digits := strings.TrimPrefix(s, "-")
	if digits == "" || digits[0] == '0' && (len(digits) > 1 || len(digits) < len(s)) {
		return false // empty, a leading zero, or -0
	}
	for i := 0; i < len(digits); i++ {
		if digits[i] < '0' || digits[i] > '9' {
			return false
		}
	}
	return true
}

// mayBeNumber reports whether s uses only characters that the integer and
// float forms resolvePlain tries can contain: digits, signs, a point, hex
// digits (which include e and b) and the x and o of base prefixes.
func mayBeNumber(s string) bool {
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c >= '0' && c <= '9', c >= 'a' && c <= 'f', c >= 'A' && c <= 'F',
			c == 'x', c == 'X', c == 'o', c == 'O', c == '+', c == '-', c == '.':
		default:
			return false
		}
	}
	return true
}

// isYAMLFloat matches ^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$
// without a regexp, so start-up compiles nothing.
func isYAMLFloat(s string) bool {
	i := 0
	if i < len(s) && (s[i] == '+' || s[i] == '-') {
		i++
	}
	digits := func() int {
		j := i
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i++
		}
		return i - j
	}
	if i < len(s) && s[i] == '.' {
		i++
		if digits() == 0 {
			return false
		}
	} else {
		if digits() == 0 {
			return false
		}
		if i < len(s) && s[i] == '.' {
			i++
			digits()
		}
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		i++
		if i < len(s) && (s[i] == '+' || s[i] == '-') {
			i++
		}
		if digits() == 0 {
			return false
		}
	}
	return i == len(s)
}

// looksLikeTimestamp reports whether yaml.v2 would resolve s as a
// !!timestamp: YYYY- followed by one of its accepted layouts.
func looksLikeTimestamp(s string) bool {
	i := 0
	for ; i < len(s) && s[i] >= '0' && s[i] <= '9'; i++ {
	}
	if i != 4 || i == len(s) || s[i] != '-' {
		return false
	}
	for _, layout := range timestampLayouts {
		if _, err := time.Parse(layout, s); err == nil {
			return true
		}
	}
	return false
}

var timestampLayouts = []string{
	"2006-1-2T15:4:5.999999999Z07:00",
	"2006-1-2t15:4:5.999999999Z07:00",
	"2006-1-2 15:4:5.999999999",
	"2006-1-2",
}

// appendJSONString writes s as a JSON string. Invalid UTF-8 becomes U+FFFD,
// as encoding/json does.
func appendJSONString(b []byte, s string) []byte {
	const hex = "0123456789abcdef"
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '"', '\\':
				b = append(b, '\\', c)
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xf])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
			i += size
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hex[r&0xf])
			i += size
			start = i
			continue
		}
		i += size
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}

// appendJSONFloat formats f exactly as encoding/json does for float64.
func appendJSONFloat(b []byte, f float64) []byte {
	abs := math.Abs(f)
	format := byte('f')
	if abs != 0 && (abs < 1e-6 || abs >= 1e21) {
		format = 'e'
	}
	b = strconv.AppendFloat(b, f, format, -1, 64)
	if format == 'e' {
		// clean up e-09 to e-9
		n := len(b)
		if n >= 4 && b[n-4] == 'e' && b[n-3] == '-' && b[n-2] == '0' {
			b[n-2] = b[n-1]
			b = b[:n-1]
		}
	}
	return b
}
