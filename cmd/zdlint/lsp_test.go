package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/zdlint/zdlint/internal/lsp/lsptest"
)

// TestMain lets a test run this command's main in a child process: the
// test binary re-executed with ZDLINT_TEST_MAIN=1 is zdlint.
func TestMain(m *testing.M) {
	if os.Getenv("ZDLINT_TEST_MAIN") == "1" {
		main()
		return
	}
	os.Exit(m.Run())
}

// TestLSPProcess speaks LSP to a zdlint lsp process over its standard
// input and output, as an editor does, through shutdown and exit.
func TestLSPProcess(t *testing.T) {
	dir := t.TempDir()
	if err := os.Mkdir(filepath.Join(dir, ".git"), 0o755); err != nil {
		t.Fatal(err)
	}
	manifest := "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  template:\n    spec:\n      containers:\n        - name: web\n          image: example/web:1\n"
	path := filepath.Join(dir, "web.yaml")
	if err := os.WriteFile(path, []byte(manifest), 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(os.Args[0], "lsp")
	cmd.Env = append(os.Environ(), "ZDLINT_TEST_MAIN=1")
	cmd.Dir = dir
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var stderr strings.Builder
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = stdin.Close()
		_ = cmd.Process.Kill() // a no-op once it has exited
	})
	c := lsptest.New(t, stdout, stdin)
	uri := "file://" + filepath.ToSlash(path)
	c.CallResult("initialize", map[string]any{"processId": os.Getpid(), "rootUri": "file://" + filepath.ToSlash(dir),
		"capabilities": map[string]any{"general": map[string]any{"positionEncodings": []string{"utf-8", "utf-16"}}}}, nil)
	c.Notify("initialized", map[string]any{})
	c.Notify("textDocument/didOpen", map[string]any{"textDocument": map[string]any{"uri": uri, "languageId": "yaml", "version": 1, "text": manifest}})
	d := c.WaitVersion(uri, 1)
	if !d.Has("readiness-probe-missing") {
		t.Errorf("diagnostics %v", d.Codes())
	}
	if m := c.Call("shutdown", nil); m.Error != nil {
		t.Errorf("shutdown: %+v", m.Error)
	}
	c.Notify("exit", nil)
	if err := cmd.Wait(); err != nil {
		t.Errorf("zdlint lsp exited with %v after shutdown and exit; stderr:\n%s", err, stderr.String())
	}
}
