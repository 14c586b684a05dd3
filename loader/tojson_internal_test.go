package loader

import (
	"strconv"
	"strings"
	"testing"

	yaml "go.yaml.in/yaml/v3"
	"k8s.io/apimachinery/pkg/util/intstr"
)

// TestResolvePlainShortcuts: the shortcuts resolvePlain takes (canonical
// integers kept as written, strings no number can be skipped) give what
// the full parse gives.
func TestResolvePlainShortcuts(t *testing.T) {
	for _, in := range []string{"0", "-0", "7", "-7", "80", "8476", "007", "+5", "0x1F", "0o17", "1_000",
		"9223372036854775807", "9223372036854775808", "-9223372036854775808", "18446744073709551615",
		"100m", "128Mi", "25%", "1e3", "1.5", "-", "+", "0b101", "-0b11", "2d", "1.2.3", "v1"} {
		r := resolvePlain(in)
		if r.kind == kindInt {
			if i, err := strconv.ParseInt(r.str, 10, 64); err == nil && strconv.FormatInt(i, 10) != r.str {
				t.Errorf("%q: integer text %q is not canonical", in, r.str)
			}
		}
		// resolvePlain asks isCanonicalInt only of what ParseInt accepted.
		if i, err := strconv.ParseInt(in, 0, 64); err == nil && isCanonicalInt(in) && strconv.FormatInt(i, 10) != in {
			t.Errorf("isCanonicalInt(%q) = true, but FormatInt gives %q", in, strconv.FormatInt(i, 10))
		}
		// and mayBeNumber of the text without underscores.
		if !mayBeNumber(strings.ReplaceAll(in, "_", "")) && r.kind != kindString {
			t.Errorf("%q: mayBeNumber is false but it resolves to %v", in, r.kind)
		}
	}
	if isCanonicalInt("-0") || isCanonicalInt("007") || isCanonicalInt("") || !isCanonicalInt("-12") {
		t.Error("isCanonicalInt edge cases")
	}
}

// TestIntOrStringOf: the fast decoder's IntOrString shortcut gives what
// IntOrString.UnmarshalJSON gives on the node's JSON, and declines what it
// cannot match (null, floats, booleans, overflow).
func TestIntOrStringOf(t *testing.T) {
	for _, in := range []string{"80", "http", `"80"`, "'8080'", "-5", "0x10", "0o17", "25%", "2147483647", "2147483648",
		"-2147483649", "1.5", "true", "null", "~", "", "!!str 5", "1_0"} {
		var doc yaml.Node
		if err := yaml.Unmarshal([]byte("v: "+in), &doc); err != nil {
			t.Fatal(err)
		}
		n := doc.Content[0].Content[1]
		got, ok := intOrStringOf(n)
		c := converter{}
		c.value(n, 0)
		var want intstr.IntOrString
		wantErr := c.err != nil || want.UnmarshalJSON(c.buf) != nil
		switch {
		case ok && wantErr:
			t.Errorf("%q: shortcut gives %+v, UnmarshalJSON fails", in, got)
		case ok && got != want:
			t.Errorf("%q: shortcut gives %+v, UnmarshalJSON %+v", in, got, want)
		}
		if !ok && !wantErr && (strings.Contains(in, "null") || in == "~" || in == "" || in == "1.5" || in == "true") {
			continue // declined on purpose: left to UnmarshalJSON
		}
		if !ok && !wantErr {
			t.Errorf("%q: shortcut declines what UnmarshalJSON decodes (%+v)", in, want)
		}
	}
}
