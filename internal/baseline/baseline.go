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

// File is a baseline on disk.
type File struct {
	Version  int     `json:"version"`
	Findings []Entry `json:"findings"`
}

// lineRef matches the line numbers some messages quote ("first at line
// 12"); they are blanked so a finding keeps its fingerprint when lines move.
var lineRef = regexp.MustCompile(`\bline [0-9]+`)

// Fingerprint identifies a finding independently of its line and column:
// the rule, the file, the object, the container, the field path and the
// message (which carries the offending value), with quoted line numbers
// blanked.
func Fingerprint(f rules.Finding) string {
	h := sha256.New()
	msg := lineRef.ReplaceAllString(f.Message, "line _")
	for _, p := range []string{f.Rule, filepath.ToSlash(f.File), f.Object.String(), f.Container, f.Path, msg} {
		h.Write([]byte(p))
		h.Write([]byte{0})
	}
	return hex.EncodeToString(h.Sum(nil))[:24]
}

func entry(f rules.Finding) Entry {
	return Entry{Fingerprint: Fingerprint(f), Rule: f.Rule, File: filepath.ToSlash(f.File), Object: f.Object.String(), Message: f.Message}
}

// Write records findings at path, sorted so the file diffs cleanly.
func Write(path string, findings []rules.Finding) error {
	out := File{Version: Version, Findings: make([]Entry, 0, len(findings))}
	for _, f := range findings {
		out.Findings = append(out.Findings, entry(f))
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
	return &b, nil
}

// Filter removes the findings the baseline records (each entry absorbs one
// finding, so a second identical finding is new) and returns the kept
// findings and the stale entries: those that matched nothing although
// their file was linted. linted reports whether a file was part of this
// run; nil means every file was (entries for files not linted, as in a
// pre-commit run on a few staged files, are not stale).
func (b *File) Filter(findings []rules.Finding, linted func(file string) bool) (kept []rules.Finding, stale []Entry) {
	count := map[string]int{}
	for _, e := range b.Findings {
		count[e.Fingerprint]++
	}
	for _, f := range findings {
		fp := Fingerprint(f)
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
