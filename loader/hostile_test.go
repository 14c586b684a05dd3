package loader

import (
	"fmt"
	"runtime"
	"strings"
	"testing"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
)

// allocated returns the bytes fn allocates; tests in this package do not
// run in parallel, so the count is fn's own.
func allocated(fn func()) uint64 {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	fn()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

// inFile reports whether p lies inside data (1-based line and column,
// columns in characters, one past the end of a line allowed).
func inFile(data []byte, p Pos) bool {
	lines := strings.Split(string(data), "\n")
	if p.Line < 1 || p.Line > len(lines) {
		return false
	}
	return p.Col >= 1 && p.Col <= len([]rune(lines[p.Line-1]))+1
}

const deployHead = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n"

func billionLaughs(levels int) string {
	var b strings.Builder
	b.WriteString(deployHead + "  annotations:\n    l0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n")
	for i := 1; i <= levels; i++ {
		fmt.Fprintf(&b, "    l%d: &l%d [%s*l%d]\n", i, i, strings.Repeat(fmt.Sprintf("*l%d, ", i-1), 9), i-1)
	}
	return b.String()
}

func mergeBomb(levels int) string {
	var b strings.Builder
	b.WriteString(deployHead + "  annotations:\n    m0: &m0 {a: b}\n")
	for i := 1; i <= levels; i++ {
		fmt.Fprintf(&b, "    m%d: &m%d {<<: [%s*m%d]}\n", i, i, strings.Repeat(fmt.Sprintf("*m%d, ", i-1), 9), i-1)
	}
	fmt.Fprintf(&b, "spec:\n  template:\n    spec:\n      containers:\n        - <<: *m%d\n          name: app\n", levels)
	return b.String()
}

// stringBomb aliases one large string many times among enough plain nodes
// to pass the node-ratio guard: bytes, not nodes, explode.
func stringBomb() string {
	return deployHead + "  annotations:\n    s: &s " + strings.Repeat("x", 1<<20) +
		"\n    l: [" + strings.Repeat("*s, ", 1000) + "*s]\n    pad: [" + strings.Repeat("1, ", 100_000) + "1]\n"
}

// TestAliasBombs: alias and merge bombs are refused with a clear error at
// a position in the file, in bounded memory, and position lookups over
// them do not expand the aliases.
func TestAliasBombs(t *testing.T) {
	tests := []struct {
		name, src string
		maxAlloc  uint64
	}{
		{"billion laughs", billionLaughs(9), 32 << 20},
		{"merge keys", mergeBomb(9), 32 << 20},
		{"large string", stringBomb(), 160 << 20},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var f *File
			n := allocated(func() { f = Parse("bomb.yaml", []byte(tt.src), Options{}) })
			if len(f.Errors) != 1 || !strings.Contains(f.Errors[0].Msg, "excessive aliasing") {
				t.Fatalf("errors = %v, want one about excessive aliasing", f.Errors)
			}
			if e := f.Errors[0]; !strings.HasPrefix(e.Error(), "bomb.yaml:") || !inFile([]byte(tt.src), e.Pos) {
				t.Errorf("error %q does not name the file or lies outside it", e)
			}
			if n > tt.maxAlloc {
				t.Errorf("parsing allocated %d MiB, want at most %d MiB", n>>20, tt.maxAlloc>>20)
			}
			obj := f.Objects[0]
			paths := []Path{
				P("metadata", "annotations", "l9").Index(5).Index(3).Index(1),
				P("metadata", "annotations", "l").Index(999),
				P("spec", "template", "spec", "containers").Index(0).Key("zz"),
				P("spec", "template", "spec", "containers").Index(0).Key("a"),
			}
			var got []Pos
			n = allocated(func() {
				for _, p := range paths {
					pos, _ := obj.Pos(p)
					got = append(got, pos)
				}
			})
			for i, pos := range got {
				if !inFile([]byte(tt.src), pos) {
					t.Errorf("Pos(%s) = %v, outside the file", paths[i], pos)
				}
			}
			if n > 1<<20 {
				t.Errorf("position lookups allocated %d KiB: aliases were expanded", n>>10)
			}
		})
	}
}

// TestListBomb: List items reached through aliases multiply; a List is
// expanded only when kubectl would accept it, and a List with ordinary
// aliases still expands.
func TestListBomb(t *testing.T) {
	var b strings.Builder
	b.WriteString("apiVersion: v1\nkind: List\nx0: &l0 {apiVersion: apps/v1, kind: Deployment, metadata: {name: a}}\n")
	for i := 1; i <= 7; i++ {
		fmt.Fprintf(&b, "x%d: &l%d {apiVersion: v1, kind: List, items: [%s*l%d]}\n", i, i, strings.Repeat(fmt.Sprintf("*l%d, ", i-1), 9), i-1)
	}
	b.WriteString("items: [*l7, *l7, *l7, *l7, *l7, *l7, *l7, *l7, *l7, *l7]\n")
	n := 0
	f := Parse("list.yaml", []byte(b.String()), Options{Each: func(*Object) { n++ }})
	if n != 0 || len(f.Errors) != 1 || !strings.Contains(f.Errors[0].Msg, "excessive aliasing") || f.Errors[0].Pos.Line < 1 {
		t.Errorf("%d objects, errors %v; want none and one aliasing error", n, f.Errors)
	}
	ok := "apiVersion: v1\nkind: List\nitems:\n- &d {apiVersion: apps/v1, kind: Deployment, metadata: {name: a}}\n- *d\n- {<<: *d, metadata: {name: b}}\n"
	f = Parse("list.yaml", []byte(ok), Options{})
	if len(f.Errors) != 0 || len(f.Objects) != 3 || f.Objects[2].Name != "b" || f.Objects[1].Prefix.String() != "items[1]" {
		t.Errorf("ordinary aliases in a List: %d objects, errors %v", len(f.Objects), f.Errors)
	}
}

// TestDeepNesting: 10,000 levels of block and flow collections give one
// clear error (yaml.v3's depth limit, or the converter's at 1,000 levels),
// never a stack overflow.
func TestDeepNesting(t *testing.T) {
	blockMap := func(n int) string {
		var b strings.Builder
		b.WriteString("apiVersion: v1\nkind: Pod\nmetadata: {name: x}\nspec:\n")
		for i := 1; i <= n; i++ {
			b.WriteString(strings.Repeat(" ", i))
			b.WriteString("a:\n")
		}
		return b.String()
	}
	head := "apiVersion: v1\nkind: Pod\nmetadata: {name: x}\nspec: "
	tests := []struct {
		name, src, want string
	}{
		{"flow sequences 10000", head + strings.Repeat("[", 10_000) + strings.Repeat("]", 10_000) + "\n", "nested more than 1000 levels"},
		{"flow mappings 10000", head + strings.Repeat("{a: ", 10_000) + "1" + strings.Repeat("}", 10_000) + "\n", "nested more than 1000 levels"},
		{"block sequences 10000", head + "\n" + strings.Repeat("- ", 10_000) + "x\n", "nested more than 1000 levels"},
		{"flow sequences 100000", head + strings.Repeat("[", 100_000) + strings.Repeat("]", 100_000) + "\n", "exceeded max depth of 10000"},
		{"flow mappings 10001", head + strings.Repeat("{a: ", 10_001) + "1" + strings.Repeat("}", 10_001) + "\n", "exceeded max depth of 10000"},
		{"block sequences 10001", head + "\n" + strings.Repeat("- ", 10_001) + "x\n", "exceeded max depth of 10000"},
		{"flow sequences 5000", head + strings.Repeat("[", 5000) + strings.Repeat("]", 5000) + "\n", "nested more than 1000 levels"},
		{"block sequences 5000", head + "\n" + strings.Repeat("- ", 5000) + "x\n", "nested more than 1000 levels"},
		{"block mappings 2000", blockMap(2000), "nested more than 1000 levels"},
	}
	if !testing.Short() {
		// 10,000 indented levels is a 50 MB file.
		tests = append(tests, struct{ name, src, want string }{"block mappings 10000", blockMap(10_000), "exceeded max depth of 10000"})
	}
	t.Run("after a syntax error", func(t *testing.T) {
		// Documents after a resync are shifted down; the shift must reach
		// the deepest node, where the converter's error points.
		src := "a: [unclosed\n---\n" + head + strings.Repeat("[", 1500) + strings.Repeat("]", 1500) + "\n"
		f := Parse("deep.yaml", []byte(src), Options{})
		if len(f.Errors) != 2 || f.Errors[1].Pos != (Pos{6, 1007}) {
			t.Errorf("errors %v, want the second at 6:1007", f.Errors)
		}
	})
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := Parse("deep.yaml", []byte(tt.src), Options{})
			if len(f.Errors) != 1 || !strings.Contains(f.Errors[0].Msg, tt.want) {
				t.Fatalf("errors = %v, want one containing %q", f.Errors, tt.want)
			}
			if e := f.Errors[0]; !strings.HasPrefix(e.Error(), "deep.yaml:") || !inFile([]byte(tt.src), e.Pos) {
				t.Errorf("error %q at %v does not name the file or lies outside it", e.Msg, e.Pos)
			}
		})
	}
}

func toUTF16(s string, bigEndian bool) []byte {
	out := []byte{0xFF, 0xFE}
	if bigEndian {
		out = []byte{0xFE, 0xFF}
	}
	for _, r := range s {
		if r > 0xFFFF {
			panic("test text is BMP only")
		}
		if bigEndian {
			out = append(out, byte(r>>8), byte(r))
		} else {
			out = append(out, byte(r), byte(r>>8))
		}
	}
	return out
}

// TestEncodingsAndLineEndings: exact positions in valid files whatever the
// encoding, line ending, indentation characters or line length; an exact
// error where the bytes are not text.
func TestEncodingsAndLineEndings(t *testing.T) {
	doc := "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: wéb\nspec:\n  replicas: 2\n  template:\n    spec:\n      containers:\n        - name: app\n          image: nginx\n"
	replicas, image := P("spec", "replicas"), P("spec", "template", "spec", "containers").Index(0).Key("image")
	long := strings.Repeat("z", 1<<20)
	tests := []struct {
		name      string
		data      []byte
		path      Path
		line, col int
	}{
		{"LF", []byte(doc), image, 11, 18},
		{"CRLF", []byte(strings.ReplaceAll(doc, "\n", "\r\n")), image, 11, 18},
		{"UTF-8 BOM", []byte("\ufeff" + doc), P("apiVersion"), 1, 13},
		{"UTF-16LE BOM", toUTF16(doc, false), image, 11, 18},
		{"UTF-16BE BOM", toUTF16(doc, true), image, 11, 18},
		{"UTF-16LE CRLF", toUTF16(strings.ReplaceAll(doc, "\n", "\r\n"), false), replicas, 6, 13},
		// yaml.v3 also breaks lines at a lone CR, NEL, LS and PS; positions
		// still count lines by "\n", as editors and grep do.
		{"CR only", []byte(strings.ReplaceAll(doc, "\n", "\r")), P("kind"), 1, 27},
		{"CR CR LF", []byte(strings.Replace(doc, "kind: Deployment\n", "kind: Deployment\r\r\n", 1)), image, 11, 18},
		{"NEL", []byte(strings.Replace(doc, "apiVersion: apps/v1\n", "apiVersion: apps/v1\u0085", 1)), image, 10, 18},
		{"LS in a quoted value", []byte(strings.Replace(doc, "  name: wéb\n", "  name: wéb\n  annotations: {a: \"x\u2028y\", b: c}\n", 1)), P("metadata", "annotations", "b"), 5, 30},
		{"tab after colon", []byte(strings.Replace(doc, "replicas: 2", "replicas:\t\t2", 1)), replicas, 6, 14},
		{"long line", []byte(strings.Replace(doc, "  name: wéb\n", "  name: wéb\n  annotations: {a: \""+long+"\", b: c}\n", 1)), P("metadata", "annotations", "b"), 5, 1<<20 + 27},
		{"non-ASCII before value", []byte(strings.Replace(doc, "  replicas: 2", "  replicas: 2 # réplicas ü", 1)), P("metadata", "name"), 4, 9},
	}
	for _, tt := range tests {
		if tt.path == nil {
			continue
		}
		t.Run(tt.name, func(t *testing.T) {
			f := Parse("enc.yaml", tt.data, Options{})
			if len(f.Errors) > 0 || len(f.Objects) != 1 {
				t.Fatalf("errors %v, %d objects", f.Errors, len(f.Objects))
			}
			if d := f.Objects[0].Typed.(*appsv1.Deployment); d.Name != "wéb" || *d.Spec.Replicas != 2 {
				t.Errorf("decoded %q with %d replicas", d.Name, *d.Spec.Replicas)
			}
			if pos, _ := f.Objects[0].Pos(tt.path); pos != (Pos{tt.line, tt.col}) {
				t.Errorf("Pos(%s) = %v, want %d:%d", tt.path, pos, tt.line, tt.col)
			}
		})
	}
}

// TestBrokenText: binary and badly encoded input is a clear error at the
// offending character, and documents before a broken one still load.
func TestBrokenText(t *testing.T) {
	pad := "# " + strings.Repeat("x", 9000) + "\n" // past the 8 KiB binary sniff
	tests := []struct {
		name, src, want string
		line, col       int
	}{
		{"NUL early", "apiVersion: v1\nkind: Pod\x00\n", "binary file", 2, 1},
		{"NUL late", pad + "apiVersion: v1\nkind: Po\x00d\n", "control characters are not allowed", 3, 9},
		{"invalid UTF-8", "apiVersion: v1\nkind: Pod\nmetadata: {name: \"a\xffb\"}\n", "invalid leading UTF-8 octet", 3, 20},
		{"truncated UTF-8", "apiVersion: v1\nkind: Pod\nmetadata: {name: é\xc3}\n", "UTF-8", 3, 19},
		{"C1 control", "apiVersion: v1\nkind: \u0090Pod\n", "control characters are not allowed", 2, 7},
		{"tab indentation", "apiVersion: v1\nkind: Pod\nmetadata:\n\tname: x\n", "found character that cannot start any token", 4, 1},
		{"UTF-16 odd length", string(toUTF16("a: b\n", false)) + "\x00\x00\x00", "", 0, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := Parse("bad.yaml", []byte(tt.src), Options{})
			if len(f.Errors) != 1 {
				t.Fatalf("errors = %v, want one", f.Errors)
			}
			e := f.Errors[0]
			if !strings.Contains(e.Msg, tt.want) || !strings.HasPrefix(e.Error(), "bad.yaml") {
				t.Errorf("error %q, want it to name the file and say %q", e, tt.want)
			}
			if tt.line > 0 && e.Pos != (Pos{tt.line, tt.col}) {
				t.Errorf("error at %v, want %d:%d", e.Pos, tt.line, tt.col)
			}
		})
	}
	for _, brk := range []string{"\u2028", "\r"} {
		// Recovery after an error in a file whose lines yaml.v3 counts
		// differently: the later document is still positioned by "\n".
		src := "a: \"x" + brk + "y\"\n---\nb: [\n---\n" + deployHead
		f := Parse("lm.yaml", []byte(src), Options{})
		if len(f.Errors) != 1 || f.Errors[0].Pos.Line > 4 || len(f.Objects) != 1 {
			t.Fatalf("%q: errors %v, %d objects", brk, f.Errors, len(f.Objects))
		}
		if pos, _ := f.Objects[0].Pos(P("metadata", "name")); pos != (Pos{8, 9}) {
			t.Errorf("%q: metadata.name at %v after recovery, want 8:9", brk, pos)
		}
	}
	broken := "apiVersion: v1\nkind: Pod\nmetadata: {name: a}\n---\nx: [unclosed\n---\napiVersion: v1\nkind: Pod\nmetadata: {name: b}\n"
	want := Parse("u8.yaml", []byte(broken), Options{})
	f := Parse("u16.yaml", toUTF16(broken, false), Options{})
	if len(f.Errors) != 1 || f.Errors[0].Pos != want.Errors[0].Pos || len(f.Objects) != 2 || f.Objects[1].Name != "b" || f.Objects[1].Node.Line != 7 {
		t.Errorf("UTF-16 recovery after a syntax error: errors %v (UTF-8: %v), %d objects", f.Errors, want.Errors, len(f.Objects))
	}
}

// TestYAML11Corners: what kubectl's YAML 1.1 reading makes of booleans,
// octal-looking numbers, quoted numbers, nulls, merge keys and reused
// anchors, with positions on the source the value came from.
func TestYAML11Corners(t *testing.T) {
	src := `apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
x-defaults: &defaults
  image: nginx
  readinessProbe: &probe
    httpGet: {path: /ready, port: 8080}
    periodSeconds: 7
spec:
  replicas: "3"
  template:
    spec:
      terminationGracePeriodSeconds: 010
      containers:
        - <<: *defaults
          name: a
          stdin: yes
          tty: on
          ports: ~
          env: null
        - name: b
          image: busybox
          readinessProbe: *probe
        - name: c
          image: busybox
          readinessProbe: null
      volumes:
        - name: v
          configMap: {name: c, defaultMode: 0755}
`
	f := Parse("y11.yaml", []byte(src), Options{})
	if len(f.Objects) != 1 {
		t.Fatalf("object dropped: errors %v", f.Errors)
	}
	obj := f.Objects[0]
	wantErrs := map[Pos]string{{10, 13}: "spec.replicas: got a string, want int32"}
	if len(f.Errors) != len(wantErrs) {
		t.Errorf("errors = %v, want %d", f.Errors, len(wantErrs))
	}
	for _, e := range f.Errors {
		if w, ok := wantErrs[e.Pos]; !ok || !strings.Contains(e.Msg, w) {
			t.Errorf("unexpected error %v at %v", e.Msg, e.Pos)
		}
	}
	d := obj.Typed.(*appsv1.Deployment)
	ps := d.Spec.Template.Spec
	if len(ps.Containers) != 3 {
		t.Fatalf("containers not decoded past the type errors: %d", len(ps.Containers))
	}
	a, b, c := ps.Containers[0], ps.Containers[1], ps.Containers[2]
	if !a.Stdin || !a.TTY || a.Image != "nginx" || a.Ports != nil || a.Env != nil || a.ReadinessProbe == nil || a.ReadinessProbe.PeriodSeconds != 7 {
		t.Errorf("container a: yes/on, merge or nulls not decoded as kubectl does: %+v", a)
	}
	if b.ReadinessProbe == nil || b.ReadinessProbe.HTTPGet.Port.IntValue() != 8080 || c.ReadinessProbe != nil {
		t.Errorf("anchored probe not reused, or null probe not nil: %+v %+v", b.ReadinessProbe, c.ReadinessProbe)
	}
	if *ps.TerminationGracePeriodSeconds != 8 || *ps.Volumes[0].ConfigMap.DefaultMode != 0o755 {
		t.Errorf("octal-looking numbers: grace %d, mode %o", *ps.TerminationGracePeriodSeconds, *ps.Volumes[0].ConfigMap.DefaultMode)
	}
	containers := P("spec", "template", "spec", "containers")
	for _, tt := range []struct {
		path      Path
		line, col int
	}{
		{containers.Index(0).Key("image"), 5, 10},                               // merged: the anchor's source
		{containers.Index(0).Key("readinessProbe").Key("periodSeconds"), 8, 20}, // merged, then nested
		{containers.Index(1).Key("readinessProbe").Key("periodSeconds"), 8, 20}, // alias reused across containers
		{containers.Index(2).Key("readinessProbe"), 26, 27},                     // null written out: the value
		{containers.Index(0).Key("ports"), 19, 18},                              // ~ is a value node
		{containers.Index(0).Key("env"), 20, 16},
	} {
		if pos, _ := obj.Pos(tt.path); pos != (Pos{tt.line, tt.col}) {
			t.Errorf("Pos(%s) = %v, want %d:%d", tt.path, pos, tt.line, tt.col)
		}
	}
}

// TestOddKeysAndEmptyDocuments: duplicate keys (the last wins, as kubectl
// decides), keys that are not strings, and streams with nothing in them.
func TestOddKeysAndEmptyDocuments(t *testing.T) {
	t.Run("duplicate keys", func(t *testing.T) {
		src := deployHead + "  labels: {app: a, app: b}\nspec:\n  replicas: 1\n  replicas: 4\n"
		f := Parse("dup.yaml", []byte(src), Options{})
		if len(f.Errors) > 0 {
			t.Fatal(f.Errors)
		}
		d := f.Objects[0].Typed.(*appsv1.Deployment)
		if *d.Spec.Replicas != 4 || d.Labels["app"] != "b" {
			t.Errorf("first duplicate won: replicas %d, app %s", *d.Spec.Replicas, d.Labels["app"])
		}
		if pos, _ := f.Objects[0].Pos(P("spec", "replicas")); pos != (Pos{8, 13}) {
			t.Errorf("position of the duplicate = %v, want the last one at 8:13", pos)
		}
	})
	t.Run("non-string keys", func(t *testing.T) {
		src := "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  labels: {1: one, true: y1, 0x10: hex, 1.5: f}\n"
		f := Parse("keys.yaml", []byte(src), Options{})
		if len(f.Errors) > 0 {
			t.Fatal(f.Errors)
		}
		got := f.Objects[0].Typed.(*corev1.Pod).Labels
		if got["1"] != "one" || got["true"] != "y1" || got["16"] != "hex" || got["1.5"] != "f" {
			t.Errorf("labels = %v", got)
		}
		for _, bad := range []struct {
			src       string
			line, col int
		}{
			{"apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  labels:\n    ? [a, b]\n    : c\n", 6, 7},
			{"apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  labels: {~: c}\n", 5, 12},
		} {
			f := Parse("keys.yaml", []byte(bad.src), Options{})
			if len(f.Errors) != 1 || f.Errors[0].Pos != (Pos{bad.line, bad.col}) || !strings.Contains(f.Errors[0].Msg, "key") {
				t.Errorf("%q: errors %v, want one about the key at %d:%d", bad.src, f.Errors, bad.line, bad.col)
			}
		}
	})
	for _, src := range []string{"", "\n\n", "---\n", "---", "---\n---\n---\n", "# only\n# comments\n", "---\n...\n", "--- # c\n... # d\n", "null\n", "~\n"} {
		t.Run(fmt.Sprintf("empty %q", src), func(t *testing.T) {
			f := Parse("e.yaml", []byte(src), Options{})
			if len(f.Errors) > 0 || len(f.Objects) > 0 || f.Docs > 0 {
				t.Errorf("errors %v, %d objects, %d documents; want nothing", f.Errors, len(f.Objects), f.Docs)
			}
		})
	}
	t.Run("YAML 1.1 boolean where a string belongs", func(t *testing.T) {
		src := deployHead + "spec:\n  template:\n    spec:\n      containers:\n        - name: a\n          imagePullPolicy: yes\n"
		f := Parse("b.yaml", []byte(src), Options{})
		if len(f.Errors) != 1 || f.Errors[0].Pos != (Pos{10, 28}) || !strings.Contains(f.Errors[0].Msg, "got a bool") || len(f.Objects) != 1 {
			t.Errorf("errors %v, want one at the yes (10:28)", f.Errors)
		}
	})
	t.Run("trailing document end", func(t *testing.T) {
		src := deployHead + "...\n---\n" + deployHead + "...\n"
		f := Parse("t.yaml", []byte(src), Options{})
		if len(f.Errors) > 0 || len(f.Objects) != 2 || f.Objects[1].Node.Line != 7 {
			t.Errorf("errors %v, %d objects", f.Errors, len(f.Objects))
		}
	})
}

// TestManyBrokenDocuments: recovery after syntax errors scans each part of
// the file once, and a file of broken documents stops after
// maxSyntaxErrors errors instead of flooding the report (a 144 KB file of
// 16,000 broken documents took 26 s before).
func TestManyBrokenDocuments(t *testing.T) {
	broken := "---\na: [\n"
	good := "---\n" + deployHead
	src := strings.Repeat(broken, maxSyntaxErrors-1) + good
	f := Parse("b.yaml", []byte(src), Options{})
	if len(f.Errors) != maxSyntaxErrors-1 || len(f.Objects) != 1 || f.Objects[0].Node.Line != 2*(maxSyntaxErrors-1)+2 {
		t.Errorf("%d errors, %d objects; want %d errors and the last document linted at its line", len(f.Errors), len(f.Objects), maxSyntaxErrors-1)
	}
	for i, e := range f.Errors {
		// libyaml and PyYAML report an unclosed flow sequence at the
		// next document marker, where the parser finds out.
		if e.Pos.Line != 2*i+3 || e.Pos.Col != 1 {
			t.Fatalf("error %d at %v, want %d:1", i, e.Pos, 2*i+3)
		}
	}
	src = strings.Repeat(broken, 100_000) + good
	f = Parse("b.yaml", []byte(src), Options{})
	last := f.Errors[len(f.Errors)-1]
	if len(f.Errors) != maxSyntaxErrors+1 || !strings.Contains(last.Msg, "the rest of the file is not checked") || !inFile([]byte(src), last.Pos) {
		t.Errorf("%d errors, last %v", len(f.Errors), last)
	}
}
