package loader

import (
	"strconv"
	"strings"
	"testing"
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
