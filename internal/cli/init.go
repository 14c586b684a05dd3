package cli

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"strings"

	"github.com/zdlint/zdlint/internal/config"
)

const initUsage = `Usage: zdlint init [FILE|-]

Write a commented configuration with every option at its default: to
.zdlint.yaml in the working directory, to FILE, or to standard output
for "-". An existing file is never overwritten.
`

// wantsHelp reports whether a subcommand's first argument asks for its
// usage. Subcommands other than rules take no flags, so this is all the
// parsing they need.
func wantsHelp(args []string) bool {
	return len(args) > 0 && (args[0] == "-h" || args[0] == "--help" || args[0] == "help")
}

// cmdInit writes the commented default configuration: to .zdlint.yaml, to
// the named file, or to standard output for "-". It never overwrites.
func cmdInit(args []string, stdout, stderr io.Writer) int {
	if wantsHelp(args) {
		fmt.Fprint(stdout, initUsage)
		return ExitClean
	}
	if len(args) > 1 || len(args) == 1 && args[0] != "-" && strings.HasPrefix(args[0], "-") {
		fmt.Fprintln(stderr, "usage: zdlint init [FILE|-]")
		return ExitError
	}
	path := config.FileNames[0]
	if len(args) == 1 {
		path = args[0]
	}
	if path == "-" {
		fmt.Fprint(stdout, config.Template())
		return ExitClean
	}
	fh, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if errors.Is(err, fs.ErrExist) {
		fmt.Fprintf(stderr, "zdlint init: %s already exists; not overwriting it\n", path)
		return ExitError
	}
	if err != nil {
		fmt.Fprintf(stderr, "zdlint init: %v\n", err)
		return ExitError
	}
	defer fh.Close()
	if _, err := io.WriteString(fh, config.Template()); err != nil {
		fmt.Fprintf(stderr, "zdlint init: %v\n", err)
		return ExitError
	}
	fmt.Fprintf(stdout, "wrote %s\n", path)
	return ExitClean
}
