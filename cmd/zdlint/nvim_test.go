package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// nvimScript attaches zdlint lsp (this test binary, re-executed as zdlint)
// to the buffer with Neovim's built-in client, waits for diagnostics and
// writes them to $ZDLINT_NVIM_OUT, one "line:col:severity:source:message"
// per line. It uses vim.lsp.start_client, which every Neovim since 0.5
// has (Debian's is 0.7; vim.lsp.start came in 0.8).
const nvimScript = `
local out = os.getenv('ZDLINT_NVIM_OUT')
local id = vim.lsp.start_client({
  name = 'zdlint',
  cmd = { os.getenv('ZDLINT_BIN'), 'lsp' },
  root_dir = vim.fn.getcwd(),
})
vim.lsp.buf_attach_client(0, id)
vim.wait(15000, function() return #vim.diagnostic.get(0) > 0 end, 50)
local lines = {}
for _, d in ipairs(vim.diagnostic.get(0)) do
  table.insert(lines, string.format('%d:%d:%d:%s:%s', d.lnum, d.col, d.severity, d.source or '', d.message))
end
vim.fn.writefile(lines, out)
vim.lsp.stop_client(id)
vim.wait(2000, function() return vim.lsp.get_client_by_id(id) == nil end, 50)
vim.cmd('qa!')
`

// TestNeovim is the one test with a real editor: headless Neovim attaches
// zdlint lsp to a manifest and reads back vim.diagnostic.get. It is
// skipped where nvim is not installed (.ci/run installs it when CI=true).
func TestNeovim(t *testing.T) {
	nvim, err := exec.LookPath("nvim")
	if err != nil {
		t.Skip("nvim not installed")
	}
	dir := t.TempDir()
	if err := os.Mkdir(filepath.Join(dir, ".git"), 0o755); err != nil {
		t.Fatal(err)
	}
	manifest := "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web # café 😀\nspec:\n  progressDeadlineSeconds: 900\n  template:\n    spec:\n      containers:\n        - name: web\n          image: example/web:1\n"
	if err := os.WriteFile(filepath.Join(dir, "web.yaml"), []byte(manifest), 0o644); err != nil {
		t.Fatal(err)
	}
	script := filepath.Join(dir, "attach.lua")
	if err := os.WriteFile(script, []byte(nvimScript), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "diagnostics.txt")
	cmd := exec.Command(nvim, "--headless", "--clean", "-n", "web.yaml", "-c", "luafile "+script)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "ZDLINT_TEST_MAIN=1", "ZDLINT_BIN="+os.Args[0], "ZDLINT_NVIM_OUT="+out)
	done := make(chan error, 1)
	var output strings.Builder
	cmd.Stdout, cmd.Stderr = &output, &output
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("nvim: %v\n%s", err, output.String())
		}
	case <-time.After(60 * time.Second):
		_ = cmd.Process.Kill()
		t.Fatalf("nvim did not finish\n%s", output.String())
	}
	data, err := os.ReadFile(out)
	if err != nil {
		t.Fatalf("no diagnostics written: %v\n%s", err, output.String())
	}
	got := string(data)
	t.Logf("Neovim read back:\n%s", got)
	// progressDeadlineSeconds: 900 is line 6 (0-based 5), column 27
	// (0-based, in the bytes Neovim counts columns in), a warning
	// (severity 2) from zdlint.
	if !strings.Contains(got, "5:27:2:zdlint:progressDeadlineSeconds is 900") {
		t.Errorf("Neovim's diagnostics:\n%s", got)
	}
	if !strings.Contains(got, "readiness") {
		t.Errorf("no readiness-probe-missing in Neovim's diagnostics:\n%s", got)
	}
}
