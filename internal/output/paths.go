package output

import (
	"crypto/sha256"
	"encoding/hex"
	"os"
	"path/filepath"
	"strings"
)

// relPath makes a reported file name relative to base (the working
// directory when base is empty) with forward slashes, as SARIF and GitLab
// expect. Names that cannot be made relative (stdin, other volumes) are
// kept as they are.
func relPath(name, base string) string {
	if name == "" || strings.HasPrefix(name, "<") {
		return name
	}
	if base == "" {
		wd, err := os.Getwd()
		if err != nil {
			return filepath.ToSlash(name)
		}
		base = wd
	}
	abs, err := filepath.Abs(name)
	if err != nil {
		return filepath.ToSlash(name)
	}
	absBase, err := filepath.Abs(base)
	if err != nil {
		return filepath.ToSlash(name)
	}
	rel, err := filepath.Rel(absBase, abs)
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
