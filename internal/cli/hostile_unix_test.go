//go:build linux

package cli

import (
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/zdlint/zdlint/loader"
)

func limitOpenFiles(t *testing.T, n uint64) (restore func()) {
	t.Helper()
	var old syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_NOFILE, &old); err != nil {
		t.Skipf("getrlimit: %v", err)
	}
	lim := old
	lim.Cur = n
	if err := syscall.Setrlimit(syscall.RLIMIT_NOFILE, &lim); err != nil {
		t.Skipf("setrlimit: %v", err)
	}
	return func() {
		if err := syscall.Setrlimit(syscall.RLIMIT_NOFILE, &old); err != nil {
			t.Errorf("restoring the open-file limit: %v", err)
		}
	}
}

// withTimeout fails the test if fn has not returned in time: a FIFO that
// blocks the loader would otherwise hang the suite.
func withTimeout(t *testing.T, fn func()) {
	t.Helper()
	done := make(chan struct{})
	go func() { defer close(done); fn() }()
	select {
	case <-done:
	case <-time.After(20 * time.Second):
		t.Fatal("hung: a non-regular file was opened and waited on")
	}
}

// TestNonRegularFiles: a FIFO, a device and a symlink loop, named on the
// command line or met in a directory, are skipped with a message; nothing
// blocks, and the regular files beside them are linted.
func TestNonRegularFiles(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "pipe.yaml")
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Skipf("mkfifo: %v", err)
	}
	loop := filepath.Join(dir, "loop.yaml")
	if err := os.Symlink(loop, loop); err != nil {
		t.Fatal(err)
	}
	web := writeFile(t, filepath.Join(dir, "web.yaml"), []byte(noProbe))

	withTimeout(t, func() {
		code, rep, _ := jsonRun(t, "", fifo, "/dev/null", loop, web)
		want := map[string]string{
			fifo:        "not a regular file (a named pipe); skipped",
			"/dev/null": "not a regular file (a device); skipped",
			loop:        "too many levels of symbolic links",
		}
		if code != ExitError || len(rep.Findings) != 1 || len(rep.Errors) != len(want) {
			t.Errorf("named: exit %d, %d findings, errors %+v", code, len(rep.Findings), rep.Errors)
		}
		for _, e := range rep.Errors {
			if !strings.Contains(e.Message, want[e.File]) || want[e.File] == "" {
				t.Errorf("error %+v, want %q", e, want[e.File])
			}
		}
	})
	withTimeout(t, func() {
		code, rep, _ := jsonRun(t, "", dir)
		if code != ExitError || len(rep.Findings) != 1 || len(rep.Errors) != 2 {
			t.Errorf("walked: exit %d, %d findings, errors %+v", code, len(rep.Findings), rep.Errors)
		}
		for _, e := range rep.Errors {
			switch e.File {
			case fifo:
				if e.Severity != "warning" || !strings.Contains(e.Message, "a named pipe") {
					t.Errorf("FIFO in a directory: %+v", e)
				}
			case loop:
				if !strings.Contains(e.Message, "too many levels of symbolic links") {
					t.Errorf("symlink loop in a directory: %+v", e)
				}
			default:
				t.Errorf("unexpected error %+v", e)
			}
		}
	})
	// Read itself never opens a FIFO, even when a caller names one.
	withTimeout(t, func() {
		if _, err := loader.Read(loader.Input{Name: fifo, Path: fifo}, loader.Options{}); err == nil || !strings.Contains(err.Msg, "named pipe") {
			t.Errorf("Read(FIFO) = %v", err)
		}
	})
}

// TestReadFailure: an input that fails while being read is an error for
// that input alone.
func TestReadFailure(t *testing.T) {
	_, err := loader.Read(loader.Input{Name: "in", Stdin: failingReader{}}, loader.Options{})
	if err == nil || err.File != "in" || !strings.Contains(err.Msg, "read failed: input/output error") {
		t.Errorf("Read = %v", err)
	}
}

type failingReader struct{}

func (failingReader) Read([]byte) (int, error) { return 0, syscall.EIO }

// TestPermissionDenied: unreadable files and directories are reported and
// the rest is linted. Root reads everything, so as root the test runs
// itself again as the unprivileged user nobody.
func TestPermissionDenied(t *testing.T) {
	if dir := os.Getenv("ZDLINT_UNPRIVILEGED_DIR"); dir != "" {
		checkPermissionDenied(t, dir)
		return
	}
	dir, err := os.MkdirTemp("", "zdlint-perm")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := os.Chmod(filepath.Join(dir, "locked"), 0o755); err != nil {
			t.Error(err)
		}
		if err := os.RemoveAll(dir); err != nil {
			t.Error(err)
		}
	})
	if err := os.Chmod(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	writeFile(t, filepath.Join(dir, "web.yaml"), []byte(noProbe))
	writeFile(t, filepath.Join(dir, "secret.yaml"), []byte(noProbe))
	writeFile(t, filepath.Join(dir, "locked", "inner.yaml"), []byte(noProbe))
	if err := os.Chmod(filepath.Join(dir, "secret.yaml"), 0); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(filepath.Join(dir, "locked"), 0); err != nil {
		t.Fatal(err)
	}
	if os.Geteuid() != 0 {
		checkPermissionDenied(t, dir)
		return
	}
	exe, err := os.Executable()
	if err != nil {
		t.Skipf("cannot find the test binary: %v", err)
	}
	bin := filepath.Join(dir, "cli.test")
	if err := copyFile(exe, bin); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bin, "-test.run", "^TestPermissionDenied$", "-test.v")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "ZDLINT_UNPRIVILEGED_DIR="+dir, "GOCOVERDIR="+dir)
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: 65534, Gid: 65534}}
	out, err := cmd.CombinedOutput()
	var exitErr *exec.ExitError
	if err != nil && !errors.As(err, &exitErr) {
		t.Skipf("cannot run as nobody: %v", err)
	}
	t.Logf("as nobody:\n%s", out)
	if err != nil || !strings.Contains(string(out), "--- PASS: TestPermissionDenied") {
		t.Errorf("run as nobody failed:\n%s", out)
	}
}

func checkPermissionDenied(t *testing.T, dir string) {
	code, rep, stderr := jsonRun(t, "", dir, filepath.Join(dir, "secret.yaml"))
	secret, locked := filepath.Join(dir, "secret.yaml"), filepath.Join(dir, "locked")
	if code != ExitError || len(rep.Findings) != 1 || rep.Findings[0].File != filepath.Join(dir, "web.yaml") {
		t.Errorf("exit %d, findings %+v\n%s", code, rep.Findings, stderr)
	}
	got := map[string]bool{}
	for _, e := range rep.Errors {
		if e.Message == "permission denied" {
			got[e.File] = true
		}
	}
	if !got[secret] || !got[locked] {
		t.Errorf("errors %+v, want permission denied for %s and %s", rep.Errors, secret, locked)
	}
}

func copyFile(from, to string) error {
	in, err := os.Open(from)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(to, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, 0o755)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}
