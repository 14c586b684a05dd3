package yamledit

import (
	"bytes"
	"testing"

	yaml "go.yaml.in/yaml/v3"

	"github.com/zdlint/zdlint/loader"
)

// edit parses text (one document), makes changes and returns the result.
func edit(t *testing.T, text string, changes ...Change) (string, error) {
	t.Helper()
	var doc yaml.Node
	if err := yaml.Unmarshal([]byte(text), &doc); err != nil {
		t.Fatalf("input does not parse: %v", err)
	}
	edits, err := NewDoc([]byte(text), doc.Content[0]).Edits(changes)
	if err != nil {
		return "", err
	}
	out, err := Apply([]byte(text), edits)
	if err != nil {
		return "", err
	}
	var check yaml.Node
	if err := yaml.Unmarshal(out, &check); err != nil {
		t.Fatalf("result does not parse: %v\n%s", err, out)
	}
	return string(out), nil
}

func set(path string, value string, place ...Anchor) Change {
	return Change{Op: Set, At: loader.ParseJSONPath(path), Value: value, Place: place}
}

var surge = []Change{
	set("spec.strategy.rollingUpdate.maxUnavailable", "0"),
	set("spec.strategy.rollingUpdate.maxSurge", "1", Anchor{Key: "maxUnavailable"}),
}

func TestEdits(t *testing.T) {
	for _, tc := range []struct {
		name, in, want string
		changes        []Change
	}{
		{"replace keeps comment on the line",
			"spec:\n  strategy:\n    rollingUpdate:\n      maxUnavailable: 1   # one at a time\n",
			"spec:\n  strategy:\n    rollingUpdate:\n      maxUnavailable: 0   # one at a time\n      maxSurge: 1\n",
			surge},
		{"replace a quoted percentage",
			"spec:\n  strategy:\n    rollingUpdate:\n      maxSurge: \"25%\"\n      maxUnavailable: \"25%\"\n",
			"spec:\n  strategy:\n    rollingUpdate:\n      maxSurge: 1\n      maxUnavailable: 0\n",
			surge},
		{"flow mapping stays flow",
			"spec:\n  strategy:\n    rollingUpdate: {maxUnavailable: 1}\n",
			"spec:\n  strategy:\n    rollingUpdate: {maxUnavailable: 0, maxSurge: 1}\n",
			surge},
		{"missing parents created at the file's indentation (4 spaces)",
			"spec:\n    replicas: 3\n    strategy:\n        type: RollingUpdate\n    template: {}\n",
			"spec:\n    replicas: 3\n    strategy:\n        type: RollingUpdate\n        rollingUpdate:\n            maxUnavailable: 0\n            maxSurge: 1\n    template: {}\n",
			surge},
		{"missing strategy goes before template",
			"spec:\n  replicas: 3\n  template:\n    spec: {}\n",
			"spec:\n  replicas: 3\n  strategy:\n    rollingUpdate:\n      maxUnavailable: 0\n      maxSurge: 1\n  template:\n    spec: {}\n",
			[]Change{set("spec.strategy.rollingUpdate.maxUnavailable", "0", Anchor{Key: "template", Before: true}), surge[1]}},
		{"CRLF and BOM kept",
			"\ufeffspec:\r\n  replicas: 3\r\n  template: {}\r\n",
			"\ufeffspec:\r\n  replicas: 3\r\n  progressDeadlineSeconds: 300\r\n  template: {}\r\n",
			[]Change{set("spec.progressDeadlineSeconds", "300", Anchor{Key: "replicas"})}},
		{"no final newline",
			"spec:\n  replicas: 3",
			"spec:\n  replicas: 3\n  progressDeadlineSeconds: 300",
			[]Change{set("spec.progressDeadlineSeconds", "300")}},
		{"indentless sequence, insert at end of an item after a block scalar",
			"containers:\n- name: a\n  args: |\n    x\n\n    y\n  # about b\n- name: b\n",
			"containers:\n- name: a\n  args: |\n    x\n\n    y\n  lifecycle:\n    preStop:\n      sleep:\n        seconds: 5\n  # about b\n- name: b\n",
			[]Change{set("containers[0].lifecycle.preStop.sleep.seconds", "5", Anchor{Key: "resources", Before: true})}},
		{"before a key keeps the key's comment with it",
			"c:\n  image: x\n\n  # why these requests\n  resources: {}\n",
			"c:\n  image: x\n\n  lifecycle:\n    preStop:\n      sleep:\n        seconds: 5\n  # why these requests\n  resources: {}\n",
			[]Change{set("c.lifecycle.preStop.sleep.seconds", "5", Anchor{Key: "resources", Before: true})}},
		{"before the first key of a sequence item goes after it",
			"containers:\n  - resources: {}\n    name: a\n",
			"containers:\n  - resources: {}\n    lifecycle:\n      preStop:\n        sleep:\n          seconds: 5\n    name: a\n",
			[]Change{set("containers[0].lifecycle.preStop.sleep.seconds", "5", Anchor{Key: "resources", Before: true})}},
		{"quoted string keeps its quotes",
			"apiVersion: \"policy/v1beta1\" # old\nkind: PodDisruptionBudget\n",
			"apiVersion: \"policy/v1\" # old\nkind: PodDisruptionBudget\n",
			[]Change{{Op: Set, At: loader.P("apiVersion"), Value: "policy/v1", Str: true}}},
		{"a string that reads as a number is quoted",
			"command: [sleep, '5']\n",
			"command: [sleep, '10']\n",
			[]Change{{Op: Set, At: loader.ParseJSONPath("command[1]"), Value: "10", Str: true}}},
		{"an aligned comment stays in its column",
			"c:\n  protocl: TCP   # a\n  apiVersion: policy/v1beta1   # b\n",
			"c:\n  protocol: TCP  # a\n  apiVersion: policy/v1        # b\n",
			[]Change{{Op: Rename, At: loader.P("c", "protocl"), Value: "protocol"}, {Op: Set, At: loader.P("c", "apiVersion"), Value: "policy/v1", Str: true}}},
		{"rename a key",
			"c:\n  readynessProbe:\n    httpGet: {path: /}\n",
			"c:\n  readinessProbe:\n    httpGet: {path: /}\n",
			[]Change{{Op: Rename, At: loader.P("c", "readynessProbe"), Value: "readinessProbe"}}},
		{"delete the first of two duplicate keys",
			"c:\n  lifecycle:\n    preStop:\n      sleep: {seconds: 5}\n  image: x\n  lifecycle: {}\n",
			"c:\n  image: x\n  lifecycle: {}\n",
			[]Change{{Op: Delete, At: loader.P("c"), KeyPos: loader.Pos{Line: 2, Col: 3}}}},
		{"empty flow mapping",
			"spec: {}\n",
			"spec: {progressDeadlineSeconds: 300}\n",
			[]Change{set("spec.progressDeadlineSeconds", "300")}},
		{"nested flow",
			"spec: {strategy: {type: RollingUpdate}}\n",
			"spec: {strategy: {type: RollingUpdate, rollingUpdate: {maxUnavailable: 0, maxSurge: 1}}}\n",
			surge},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := edit(t, tc.in, tc.changes...)
			if err != nil {
				t.Fatal(err)
			}
			if got != tc.want {
				t.Errorf("got\n%s\nwant\n%s", got, tc.want)
			}
		})
	}
}

func TestUnsupported(t *testing.T) {
	for _, tc := range []struct {
		name, in string
		c        Change
	}{
		{"alias", "a: &x {b: 1}\nc: *x\n", set("c.b", "2")},
		{"merge key may supply the field", "base: &b {x: 1}\nm:\n  <<: *b\n  y: 2\n", set("m.x", "3")},
		{"block scalar", "a: |\n  text\n", set("a", "b")},
		{"collection replaced by a scalar", "a: {b: 1}\n", set("a", "2")},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if out, err := edit(t, tc.in, tc.c); err == nil {
				t.Errorf("edited:\n%s", out)
			}
		})
	}
}

func TestApplyConflicts(t *testing.T) {
	text := []byte("abcdef")
	if _, err := Apply(text, []Edit{{1, 3, "x"}, {2, 4, "y"}}); err == nil {
		t.Error("overlapping replacements applied")
	}
	if _, err := Apply(text, []Edit{{1, 1, "x"}, {1, 3, "y"}}); err == nil {
		t.Error("an insertion inside a replacement applied")
	}
	out, err := Apply(text, []Edit{{1, 3, "x"}, {1, 3, "x"}, {6, 6, "!"}, {0, 0, "<"}})
	if err != nil || !bytes.Equal(out, []byte("<axdef!")) {
		t.Errorf("got %q, %v", out, err)
	}
	// Two insertions at one place apply in order.
	out, err = Apply(text, []Edit{{3, 3, "1"}, {3, 3, "2"}})
	if err != nil || string(out) != "abc12def" {
		t.Errorf("got %q, %v", out, err)
	}
	if !Overlap(Edit{1, 3, "x"}, Edit{2, 2, ""}) || Overlap(Edit{1, 3, "x"}, Edit{3, 3, "y"}) {
		t.Error("Overlap disagrees with Apply")
	}
}

func TestUnifiedDiff(t *testing.T) {
	a := "a\nb\nc\nd\ne\nf\ng\nh\ni\nj\nk\n"
	b := "a\nB\nc\nd\ne\nf\ng\nh\ni\nj\nk\nl"
	want := `--- x
+++ x
@@ -1,5 +1,5 @@
 a
-b
+B
 c
 d
 e
@@ -9,3 +9,4 @@
 i
 j
 k
+l
\ No newline at end of file
`
	if got := UnifiedDiff("x", "x", []byte(a), []byte(b)); got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
	if UnifiedDiff("x", "x", []byte(a), []byte(a)) != "" {
		t.Error("a diff of equal texts")
	}
}
