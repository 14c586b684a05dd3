// Command benchref is the yardstick of zdlint's performance figures
// (docs/performance.md): the least a typed Kubernetes linter must do. It
// walks the given paths for *.yaml, *.yml and *.json files, reads them in
// parallel (one worker per CPU), splits each stream into documents with
// kubectl's reader (k8s.io/apimachinery/pkg/util/yaml) and decodes each
// document once with sigs.k8s.io/yaml into an appsv1.Deployment, keeping
// those whose kind is Deployment. Nothing else: no positions, no rules, no
// output beyond one count line.
//
//	go build -o /tmp/benchref ./internal/benchref && /tmp/benchref DIR
package main

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"

	appsv1 "k8s.io/api/apps/v1"
	utilyaml "k8s.io/apimachinery/pkg/util/yaml"
	sigsyaml "sigs.k8s.io/yaml"
)

func main() {
	var files []string
	for _, arg := range os.Args[1:] {
		err := filepath.WalkDir(arg, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if d.IsDir() {
				return nil
			}
			switch strings.ToLower(filepath.Ext(path)) {
			case ".yaml", ".yml", ".json":
				files = append(files, path)
			}
			return nil
		})
		if err != nil {
			fmt.Fprintln(os.Stderr, "benchref:", err)
			os.Exit(2)
		}
	}
	kept := make([][]*appsv1.Deployment, len(files))
	var wg sync.WaitGroup
	sem := make(chan struct{}, runtime.GOMAXPROCS(0))
	for i, path := range files {
		sem <- struct{}{}
		wg.Go(func() {
			defer func() { <-sem }()
			kept[i] = decodeFile(path)
		})
	}
	wg.Wait()
	n := 0
	for _, k := range kept {
		n += len(k)
	}
	fmt.Printf("%d files, %d deployments\n", len(files), n)
}

func decodeFile(path string) []*appsv1.Deployment {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil
	}
	var out []*appsv1.Deployment
	r := utilyaml.NewYAMLReader(bufio.NewReader(bytes.NewReader(data)))
	for {
		doc, err := r.Read()
		if errors.Is(err, io.EOF) || err != nil {
			return out
		}
		var d appsv1.Deployment
		if err := sigsyaml.Unmarshal(doc, &d); err != nil {
			continue
		}
		if d.Kind == "Deployment" {
			out = append(out, &d)
		}
	}
}
