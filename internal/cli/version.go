package cli

import (
	"fmt"
	"runtime/debug"
	"strings"
)

// version is set at link time (-ldflags "-X github.com/zdlint/zdlint/internal/cli.version=v1.2.3");
// otherwise the module version from the build info is used.
var version = ""

// Version returns zdlint's version.
func Version() string {
	if version != "" {
		return version
	}
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		return bi.Main.Version
	}
	return "devel"
}

func versionText() string {
	var b strings.Builder
	fmt.Fprintf(&b, "zdlint %s\n", Version())
	commit, api, goVersion := "unknown", "unknown", "unknown"
	if bi, ok := debug.ReadBuildInfo(); ok {
		goVersion = bi.GoVersion
		for _, s := range bi.Settings {
			switch s.Key {
			case "vcs.revision":
				commit = s.Value
			case "vcs.modified":
				if s.Value == "true" {
					commit += " (modified)"
				}
			}
		}
		for _, d := range bi.Deps {
			if d.Path == "k8s.io/api" {
				api = d.Version
			}
		}
	}
	fmt.Fprintf(&b, "commit: %s\nk8s.io/api: %s\ngo: %s\n", commit, api, goVersion)
	return b.String()
}
