// Package tty tells whether a file is an interactive terminal, so colour and
// other terminal-only output are never sent to pipes, files or /dev/null.
package tty

import "os"

// IsTerminal reports whether f is a terminal. /dev/null is a character
// device but not a terminal, so the mode bits alone are not enough.
func IsTerminal(f *os.File) bool {
	if f == nil {
		return false
	}
	info, err := f.Stat()
	if err != nil || info.Mode()&os.ModeCharDevice == 0 {
		return false
	}
	return isTerminal(f.Fd())
}
