// Command zdlint lints Kubernetes manifests for zero-downtime deployments.
package main

import (
	"os"

	"github.com/zdlint/zdlint/internal/cli"
)

func main() {
	os.Exit(cli.Process(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}
