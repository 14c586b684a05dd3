package suppress

import (
	"reflect"
	"testing"
)

// scan decides where each comment applies: a trailing comment to its own
// line, a comment on a line of its own to the next line with content.
func TestScan(t *testing.T) {
	tests := []struct {
		name string
		text string
		want []directive
	}{
		{"none", "a: 1\n", nil},
		{"trailing", "a: 1 # zdlint:ignore single-replica -- reason\n",
			[]directive{{kind: Comment, line: 1, col: 6, target: 1, rules: []string{"single-replica"}, raw: "single-replica", reason: "reason"}}},
		{"own line applies to the next content line, skipping comments and blanks", "# zdlint:ignore single-replica -- r\n\n# other\nkind: Deployment\n",
			[]directive{{kind: Comment, line: 1, col: 1, target: 4, rules: []string{"single-replica"}, raw: "single-replica", reason: "r"}}},
		{"several rules, commas and spaces", "  # zdlint:ignore single-replica, pdb-missing -- two\nx: 1\n",
			[]directive{{kind: Comment, line: 1, col: 3, target: 2, rules: []string{"single-replica", "pdb-missing"}, raw: "single-replica, pdb-missing", reason: "two"}}},
		{"no reason", "x: 1  # zdlint:ignore pdb-missing\n",
			[]directive{{kind: Comment, line: 1, col: 7, target: 1, rules: []string{"pdb-missing"}, raw: "pdb-missing"}}},
		{"a second comment is not the reason", "x: 1  # zdlint:ignore pdb-missing -- why  # want: x\n",
			[]directive{{kind: Comment, line: 1, col: 7, target: 1, rules: []string{"pdb-missing"}, raw: "pdb-missing", reason: "why"}}},
		{"unknown rule", "# zdlint:ignore pdb-mising -- r\nx: 1\n",
			[]directive{{kind: Comment, line: 1, col: 1, target: 2, raw: "pdb-mising", reason: "r", bad: `unknown rule "pdb-mising" (did you mean "pdb-missing"?)`}}},
		{"no rule", "# zdlint:ignore -- r\nx: 1\n",
			[]directive{{kind: Comment, line: 1, col: 1, target: 2, reason: "r", bad: "names no rule (write # zdlint:ignore rule-id -- reason)"}}},
		{"file-wide in the header", "# Copyright\n# zdlint:ignore-file pdb-missing -- r\n---\nx: 1\n",
			[]directive{{kind: FileComment, line: 2, col: 1, target: 4, rules: []string{"pdb-missing"}, raw: "pdb-missing", reason: "r"}}},
		{"file-wide after content", "x: 1\n# zdlint:ignore-file pdb-missing -- r\ny: 2\n",
			[]directive{{kind: FileComment, line: 2, col: 1, target: 3, rules: []string{"pdb-missing"}, raw: "pdb-missing", reason: "r", bad: "zdlint:ignore-file must be in the file's first comment block"}}},
		{"inside a string is not a directive", "msg: \"see zdlint:ignore pdb-missing\"\n", nil},
		{"a hash inside a word is not a comment", "url: a#zdlint:ignore pdb-missing\n", nil},
		{"CRLF", "x: 1 # zdlint:ignore pdb-missing -- r\r\n",
			[]directive{{kind: Comment, line: 1, col: 6, target: 1, rules: []string{"pdb-missing"}, raw: "pdb-missing", reason: "r"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := scan([]byte(tt.text))
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("scan:\n got %+v\nwant %+v", got, tt.want)
			}
		})
	}
}
