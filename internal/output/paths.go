package output

import (
	"crypto/sha256"
	"encoding/hex"
	"os"
	"path/filepath"
	"strings"
)

// relPaths makes reported file names relative to a base (the working
// directory when it is empty) with forward slashes, as SARIF and GitLab
// expect. Names that cannot be made relative (stdin, other volumes, files
// outside the base) are kept as they are. The base is made absolute once
// (a report of 10,000 findings called os.Getwd twice per finding), and the
// last answer is kept, since findings come sorted by file.
type relPaths struct {
	wd, absBase    string
	ok             bool // wd and absBase are known
	lastName, last string
	haveLast       bool
}

func newRelPaths(base string) *relPaths {
	r := new(relPaths)
	wd, err := os.Getwd()
	if err != nil {
		return r
	}
	if base == "" {
		base = wd
	}
	if !filepath.IsAbs(base) {
		base = filepath.Join(wd, base)
	}
	r.wd, r.absBase, r.ok = wd, filepath.Clean(base), true
	return r
}

func (r *relPaths) rel(name string) string {
	if r.haveLast && name == r.lastName {
		return r.last
	}
	out := r.compute(name)
	r.lastName, r.last, r.haveLast = name, out, true
	return out
}

func (r *relPaths) compute(name string) string {
	switch {
	case name == "" || strings.HasPrefix(name, "<"):
		return name
	case !r.ok:
		return filepath.ToSlash(name)
	}
	abs := name // as filepath.Abs would make it, without a Getwd per name
	if !filepath.IsAbs(abs) {
		abs = filepath.Join(r.wd, abs)
	}
	rel, err := filepath.Rel(r.absBase, filepath.Clean(abs))
	if err != nil || strings.HasPrefix(rel, "..") {
		return filepath.ToSlash(name)
	}
	return filepath.ToSlash(rel)
}

// fingerprint is a stable identity of a finding that does not depend on its
// line: rule, file, object, container, field path and message. Editing an
// unrelated part of the file leaves it unchanged.
func fingerprint(parts ...string) string {
	h := sha256.New()
	for _, p := range parts {
		h.Write([]byte(p))
		h.Write([]byte{0})
	}
	return hex.EncodeToString(h.Sum(nil))[:32]
}
