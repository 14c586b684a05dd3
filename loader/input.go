package loader

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// Input is one file to lint: a path on disk, or standard input.
type Input struct {
	Name  string // shown in reports
	Path  string // read from disk when Stdin is nil
	Stdin io.Reader
	// Context marks files loaded only so cross-object rules can see their
	// objects (--context): no findings are reported on them.
	Context bool
	// Sibling marks context that was not asked for: a manifest beside a
	// file named on the command line (sibling context). Its objects count
	// as present, but not as a sign that the input holds the rest of the
	// namespace (rules.Subject.Sibling).
	Sibling bool
}

// IsManifestName reports whether a file found in a directory walk is linted.
func IsManifestName(name string) bool {
	ext := strings.ToLower(filepath.Ext(name))
	return ext == ".yaml" || ext == ".yml" || ext == ".json"
}

// Collect expands command-line arguments into inputs: files as given (any
// extension), directories walked recursively for *.yaml, *.yml and *.json
// (skipping the directories SkipDirReason names, not following symlinked
// directories, so there are no loops), and "-" for stdin. Problems become
// errors; the other arguments are still collected. Each file appears once.
func Collect(args []string, stdin io.Reader, stdinName string, context bool) ([]Input, []*Error) {
	return CollectWalk(args, stdin, stdinName, context, nil)
}

// Walk tunes directory walks and records what they skipped.
type Walk struct {
	// Enter, when set, is asked about each directory that SkipDirReason
	// skips; true walks it anyway (an exclude pattern re-includes it).
	Enter func(dir string) bool
	// Skipped lists, per directory argument, the directories its walk did
	// not enter, with the reason.
	Skipped map[string][]SkippedDir
}

// SkippedDir is a directory a walk did not enter.
type SkippedDir struct {
	Path, Reason string
}

// CollectWalk is Collect with a walk policy; w may be nil.
func CollectWalk(args []string, stdin io.Reader, stdinName string, context bool, w *Walk) ([]Input, []*Error) {
	var ins []Input
	var errs []*Error
	seen := map[string]bool{}
	add := func(in Input) {
		key := in.Path
		if in.Stdin != nil {
			key = "\x00stdin"
		}
		if seen[key] {
			return
		}
		seen[key] = true
		ins = append(ins, in)
	}
	for _, arg := range args {
		if arg == "-" {
			name := stdinName
			if name == "" {
				name = "<stdin>"
			}
			add(Input{Name: name, Stdin: stdin, Context: context})
			continue
		}
		info, err := os.Stat(arg)
		if err != nil {
			errs = append(errs, &Error{File: arg, Msg: describeFSError(err)})
			continue
		}
		if !info.IsDir() {
			if !info.Mode().IsRegular() {
				errs = append(errs, notRegular(arg, info.Mode()))
				continue
			}
			add(Input{Name: filepath.Clean(arg), Path: filepath.Clean(arg), Context: context})
			continue
		}
		found := 0
		walkErr := filepath.WalkDir(arg, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				errs = append(errs, &Error{File: path, Msg: describeFSError(err)})
				if d != nil && d.IsDir() {
					return fs.SkipDir
				}
				return nil
			}
			if d.IsDir() {
				if path == arg {
					return nil
				}
				if why := SkipDirReason(d.Name()); why != "" && (w == nil || w.Enter == nil || !w.Enter(path)) {
					if w != nil {
						if w.Skipped == nil {
							w.Skipped = map[string][]SkippedDir{}
						}
						w.Skipped[arg] = append(w.Skipped[arg], SkippedDir{Path: path, Reason: why})
					}
					return fs.SkipDir
				}
				return nil
			}
			if !IsManifestName(d.Name()) {
				return nil
			}
			mode := d.Type()
			if mode&fs.ModeSymlink != 0 {
				info, err := os.Stat(path)
				if err != nil {
					errs = append(errs, &Error{File: path, Msg: describeFSError(err)})
					return nil
				}
				mode = info.Mode()
			}
			if !mode.IsRegular() {
				// A pipe or device named like a manifest: never opened
				// (it could block), but not skipped silently either.
				e := notRegular(path, mode)
				e.Warning = true
				errs = append(errs, e)
				return nil
			}
			found++
			add(Input{Name: path, Path: path, Context: context})
			return nil
		})
		if walkErr != nil {
			errs = append(errs, &Error{File: arg, Msg: describeFSError(walkErr)})
		}
		if found == 0 {
			// Not a failure when other inputs are linted; the CLI makes
			// it one when nothing at all is.
			msg := "no *.yaml, *.yml or *.json files found in this directory"
			if w != nil && len(w.Skipped[arg]) > 0 {
				msg += "; " + DescribeSkipped(w.Skipped[arg])
			}
			errs = append(errs, &Error{File: arg, Msg: msg, Warning: true})
		}
	}
	return ins, errs
}

// SkipDirReason says why directory walks do not enter a directory of this
// name, or "" when they do. A directory named on the command line is
// always walked, and so is a file named inside a skipped one.
//
// The rule follows the Go tool's: hidden directories (.git, .github,
// .terraform, editor state) hold no manifests to deploy, testdata holds
// other tools' fixtures and golden files (on one real repository three
// quarters of all findings), and vendor and node_modules hold third-party
// code with its own test manifests.
func SkipDirReason(name string) string {
	switch {
	case strings.HasPrefix(name, ".") && name != "." && name != "..":
		return "hidden"
	case name == "testdata":
		return "test data"
	case name == "vendor", name == "node_modules":
		return "third-party code"
	}
	return ""
}

// DescribeSkipped says which directories a walk skipped and how to lint
// them, naming at most three.
func DescribeSkipped(dirs []SkippedDir) string {
	var names []string
	for i, d := range dirs {
		if i == 3 {
			names = append(names, fmt.Sprintf("and %d more", len(dirs)-3))
			break
		}
		names = append(names, filepath.ToSlash(d.Path)+"/ ("+d.Reason+")")
	}
	return "the walk skipped " + strings.Join(names, ", ") + ": name a directory on the command line to lint it, or re-include it in .zdlint.yaml with exclude: [\"!DIR/**\"]"
}

func notRegular(name string, m fs.FileMode) *Error {
	return &Error{File: name, Msg: "not a regular file (" + fileType(m) + "); skipped"}
}

func fileType(m fs.FileMode) string {
	switch {
	case m&fs.ModeNamedPipe != 0:
		return "a named pipe"
	case m&fs.ModeDevice != 0:
		return "a device"
	case m&fs.ModeSocket != 0:
		return "a socket"
	case m.IsDir():
		return "a directory"
	}
	return m.Type().String()
}

func describeFSError(err error) string {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		err = pe.Err
	}
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return "no such file or directory"
	case errors.Is(err, fs.ErrPermission):
		return "permission denied"
	}
	return err.Error()
}

// Read loads an input's bytes, refusing files over the size limit before
// reading them.
func Read(in Input, opts Options) ([]byte, *Error) {
	max := opts.MaxFileSize
	if max <= 0 {
		max = DefaultMaxFileSize
	}
	var r io.Reader
	var size int64 // of a regular file; 0 for standard input
	if in.Stdin != nil {
		r = in.Stdin
	} else {
		// Look before opening: opening a FIFO waits for a writer, and
		// reading a device may never end. The open is non-blocking too, in
		// case the path changed in between, and the open file is checked
		// again.
		if info, err := os.Stat(in.Path); err != nil {
			return nil, &Error{File: in.Name, Msg: describeFSError(err)}
		} else if !info.Mode().IsRegular() {
			return nil, notRegular(in.Name, info.Mode())
		}
		fh, err := os.OpenFile(in.Path, os.O_RDONLY|oNonblock, 0)
		if err != nil {
			return nil, &Error{File: in.Name, Msg: describeFSError(err)}
		}
		defer fh.Close()
		info, err := fh.Stat()
		if err != nil {
			return nil, &Error{File: in.Name, Msg: describeFSError(err)}
		}
		if !info.Mode().IsRegular() {
			return nil, notRegular(in.Name, info.Mode())
		}
		if info.Size() > max {
			return nil, &Error{File: in.Name, Msg: fmt.Sprintf("file is %d bytes, larger than the %d-byte limit (--max-file-size)", info.Size(), max)}
		}
		r = fh
		size = info.Size()
	}
	// Sized to the file, so a regular file is read without the buffer
	// regrowth io.ReadAll does (4% of all allocation on a large repo).
	var buf bytes.Buffer
	buf.Grow(int(size) + bytes.MinRead)
	_, err := buf.ReadFrom(io.LimitReader(r, max+1))
	data := buf.Bytes()
	if err != nil {
		return nil, &Error{File: in.Name, Msg: "read failed: " + describeFSError(err)}
	}
	if int64(len(data)) > max {
		return nil, &Error{File: in.Name, Msg: fmt.Sprintf("input is larger than the %d-byte limit (--max-file-size)", max)}
	}
	return data, nil
}

// Load reads and parses one input.
func Load(in Input, opts Options) *File {
	data, err := Read(in, opts)
	if err != nil {
		return &File{Name: in.Name, Errors: []*Error{err}}
	}
	if NotManifestJSON(in.Name, data) {
		return &File{Name: in.Name, Data: data}
	}
	return Parse(in.Name, data, opts)
}

// NotManifestJSON reports whether a *.json file is some other tool's file
// rather than a Kubernetes manifest: it never names an "apiVersion" key.
// Repositories hold many JSON files (package.json, tsconfig.json, VS Code's
// settings.json with comments and trailing commas) that a walk or a
// pre-commit hook passes along; a manifest always has apiVersion, and the
// ones that parse hold no object anyway. Such a file yields nothing instead
// of a syntax error.
func NotManifestJSON(name string, data []byte) bool {
	// A NUL byte means UTF-16 or UTF-32, where the key is not spelt in
	// ASCII: Parse decodes those.
	return strings.EqualFold(filepath.Ext(name), ".json") && bytes.IndexByte(data, 0) < 0 && !bytes.Contains(data, []byte(`"apiVersion"`))
}
