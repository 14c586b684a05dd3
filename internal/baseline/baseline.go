// Package baseline records a repository's existing findings so that only
// new ones fail the build. Entries are identified by a fingerprint of the
// rule, the file, the object, the container, the field path and the message,
// never the line: editing an unrelated part of a file does not bring old
// findings back. Entries that no longer occur are reported as stale, so the
// baseline only ever shrinks.
package baseline

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"

	"github.com/zdlint/zdlint/rules"
)

// Version is the baseline file format version.
const Version = 1

// Entry is one recorded finding.
type Entry struct {
	Fingerprint string `json:"fingerprint"`
	Rule        string `json:"rule"`
	File        string `json:"file"`
	Object      string `json:"object"`
	Message     string `json:"message"`
}

// File is a baseline on disk. Its entries name files relative to the
// directory that holds it, so one baseline serves runs from any working
// directory, with relative or absolute paths.
type File struct {
	Version  int     `json:"version"`
	Findings []Entry `json:"findings"`
	dir      string  // absolute directory of the baseline file
}

// relTo returns name, a file as reported (relative to the working
// directory, or absolute), relative to dir with forward slashes. Names that
// are not paths (<stdin>) and names on another volume are kept.
func relTo(dir, name string) string {
	if dir == "" || name == "" || strings.HasPrefix(name, "<") {
		return filepath.ToSlash(name)
	}
	abs, err := filepath.Abs(name)
	if err != nil {
		return filepath.ToSlash(name)
	}
	rel, err := filepath.Rel(dir, abs)
	if err != nil {
		return filepath.ToSlash(name)
	}
	return filepath.ToSlash(rel)
}

// absDir is the absolute directory of the file at path ("" if unknown).
func absDir(path string) string {
	abs, err := filepath.Abs(path)
	if err != nil {
		return ""
	}
	return filepath.Dir(abs)
}

// Rel returns a reported file name as this baseline's entries name it.
func (b *File) Rel(name string) string { return relTo(b.dir, name) }

// lineRef matches the line numbers some messages quote ("first at line
// 12"); they are blanked so a finding keeps its fingerprint when lines move.
var lineRef = regexp.MustCompile(`\bline [0-9]+`)

// Fingerprint identifies a finding independently of its line and column:
// the rule, the file (as given: see fingerprintIn), the object, the
// container, the field path and the message (which carries the offending
// value), with quoted line numbers blanked.
func Fingerprint(f rules.Finding) string {
	return fingerprint(f, filepath.ToSlash(f.File))
}

func fingerprint(f rules.Finding, file string) string {
	h := sha256.New()
	msg := lineRef.ReplaceAllString(f.Message, "line _")
	for _, p := range []string{f.Rule, file, f.Object.String(), f.Container, f.Path, msg} {
		h.Write([]byte(p))
		h.Write([]byte{0})
	}
	return hex.EncodeToString(h.Sum(nil))[:24]
}

// entry records a finding with its file relative to the baseline's
// directory, in the entry and in the fingerprint.
func entry(f rules.Finding, dir string) Entry {
	file := relTo(dir, f.File)
	return Entry{Fingerprint: fingerprint(f, file), Rule: f.Rule, File: file, Object: f.Object.String(), Message: f.Message}
}

// Write records findings at path, sorted so the file diffs cleanly. Files
// are named relative to path's directory.
func Write(path string, findings []rules.Finding) error {
	out := File{Version: Version, Findings: make([]Entry, 0, len(findings))}
	dir := absDir(path)
	for _, f := range findings {
		out.Findings = append(out.Findings, entry(f, dir))
	}
	sort.Slice(out.Findings, func(i, j int) bool {
		a, b := out.Findings[i], out.Findings[j]
		if a.File != b.File {
			return a.File < b.File
		}
		if a.Rule != b.Rule {
			return a.Rule < b.Rule
		}
		return a.Fingerprint < b.Fingerprint
	})
	data, err := json.MarshalIndent(out, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(path, append(data, '\n'), 0o644)
}

// Read loads a baseline.
func Read(path string) (*File, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("reading baseline: %w", err)
	}
	var b File
	if err := json.Unmarshal(data, &b); err != nil {
		return nil, fmt.Errorf("%s is not a zdlint baseline: %w", path, err)
	}
	if b.Version != Version {
		return nil, fmt.Errorf("%s: unsupported baseline version %d (want %d)", path, b.Version, Version)
	}
	b.dir = absDir(path)
	return &b, nil
}

// Filter removes the findings the baseline records (each entry absorbs one
// finding, so a second identical finding is new) and returns the kept
// findings and the stale entries: those that matched nothing although
// their file was linted. linted reports whether a file, named as the
// entries name it (Rel), was part of this run; nil means every file was
// (entries for files not linted, as in a pre-commit run on a few staged
// files, are not stale).
func (b *File) Filter(findings []rules.Finding, linted func(file string) bool) (kept []rules.Finding, stale []Entry) {
	count := map[string]int{}
	for _, e := range b.Findings {
		count[e.Fingerprint]++
	}
	for _, f := range findings {
		fp := fingerprint(f, b.Rel(f.File))
		if count[fp] > 0 {
			count[fp]--
			continue
		}
		kept = append(kept, f)
	}
	for _, e := range b.Findings {
		if count[e.Fingerprint] > 0 {
			count[e.Fingerprint]--
			if linted == nil || linted(e.File) {
				stale = append(stale, e)
			}
		}
	}
	return kept, stale
}
