package rules

import (
	"path"
	"slices"
	"strconv"
	"strings"

	corev1 "k8s.io/api/core/v1"
)

// PreStop describes a container's preStop hook as far as shutdown timing
// is concerned.
type PreStop struct {
	// Present is false when the container has no preStop hook.
	Present bool
	// Form is "sleep" (native lifecycle.preStop.sleep), "exec", "httpGet"
	// or "tcpSocket".
	Form string
	// Sleeps reports whether the hook is known to wait: a native sleep, or
	// an exec command that runs `sleep N` (directly or in a shell script).
	Sleeps bool
	// Seconds is how long it waits (whole seconds, rounded down).
	Seconds int64
	// Arg is the index of the exec command element that holds the sleep's
	// duration (the number, or the shell script), for positions.
	Arg int
	// Drain names a known graceful drain the exec hook runs instead of a
	// sleep ("nodetool drain"), or is "" (see drainOf).
	Drain string
}

// PreStopOf reads the preStop hook of c. Exec commands are exec'd directly,
// not through a shell (docs/k8s-facts.md §3), so ["sleep","5"] and
// ["/bin/sh","-c","sleep 5 && nginx -s quit"] are recognised, and the first
// sleep of a shell script counts: it is what delays SIGTERM.
func PreStopOf(c *corev1.Container) PreStop {
	if c.Lifecycle == nil || c.Lifecycle.PreStop == nil {
		return PreStop{}
	}
	h := c.Lifecycle.PreStop
	switch {
	case h.Sleep != nil:
		return PreStop{Present: true, Form: "sleep", Sleeps: true, Seconds: h.Sleep.Seconds}
	case h.Exec != nil:
		s, arg, ok := execSleepSeconds(h.Exec.Command)
		ps := PreStop{Present: true, Form: "exec", Sleeps: ok, Seconds: s, Arg: arg}
		if !ok {
			ps.Drain, ps.Seconds, ps.Sleeps = drainOf(c)
		}
		return ps
	case h.HTTPGet != nil:
		return PreStop{Present: true, Form: "httpGet"}
	case h.TCPSocket != nil:
		return PreStop{Present: true, Form: "tcpSocket"}
	}
	return PreStop{Present: true}
}

var shells = map[string]bool{"sh": true, "bash": true, "ash": true, "dash": true, "zsh": true, "busybox": true}

// execSleepSeconds finds the sleep in an exec command and the index of the
// argument that holds its duration.
func execSleepSeconds(argv []string) (int64, int, bool) {
	if len(argv) == 0 {
		return 0, 0, false
	}
	base := path.Base(argv[0])
	if base == "sleep" {
		if len(argv) < 2 {
			return 0, 0, false
		}
		s, ok := parseSleepArg(argv[1])
		return s, 1, ok
	}
	if base == "busybox" && len(argv) >= 3 && argv[1] == "sleep" {
		s, ok := parseSleepArg(argv[2])
		return s, 2, ok
	}
	if shells[base] {
		for i := 1; i+1 < len(argv); i++ {
			if strings.HasPrefix(argv[i], "-") && strings.Contains(argv[i], "c") {
				if s, ok := scriptSleepSeconds(argv[i+1]); ok {
					return s, i + 1, true
				}
				return 0, 0, false
			}
		}
	}
	return 0, 0, false
}

// scriptSleepSeconds returns the first `sleep N` of a shell script.
func scriptSleepSeconds(script string) (int64, bool) {
	fields := strings.FieldsFunc(script, func(r rune) bool {
		return r == ' ' || r == '\t' || r == '\n' || r == ';' || r == '&' || r == '|' || r == '(' || r == ')' || r == '"' || r == '\''
	})
	for i := 0; i+1 < len(fields); i++ {
		if path.Base(fields[i]) == "sleep" {
			return parseSleepArg(fields[i+1])
		}
	}
	return 0, false
}

// parseSleepArg parses "5", "5s", "1m", "0.5" the way coreutils and busybox
// sleep do, rounding down to whole seconds.
func parseSleepArg(s string) (int64, bool) {
	mult := 1.0
	switch {
	case strings.HasSuffix(s, "s"):
		s = strings.TrimSuffix(s, "s")
	case strings.HasSuffix(s, "m"):
		s, mult = strings.TrimSuffix(s, "m"), 60
	case strings.HasSuffix(s, "h"):
		s, mult = strings.TrimSuffix(s, "h"), 3600
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || f < 0 {
		return 0, false
	}
	return int64(f * mult), true
}

// GracePeriod returns the pod's terminationGracePeriodSeconds and whether it
// was written; the API server defaults it to 30 (docs/k8s-facts.md §3).
func GracePeriod(spec *corev1.PodSpec) (int64, bool) {
	if spec.TerminationGracePeriodSeconds != nil {
		return *spec.TerminationGracePeriodSeconds, true
	}
	return DefaultTerminationGracePeriodSeconds, false
}

// ProbeTiming is a probe with the API server's defaults applied
// (docs/k8s-facts.md §4).
type ProbeTiming struct {
	InitialDelay, Period, Timeout, Success, Failure int32
}

// TimingOf applies the probe defaults.
func TimingOf(p *corev1.Probe) ProbeTiming {
	t := ProbeTiming{InitialDelay: p.InitialDelaySeconds, Period: p.PeriodSeconds, Timeout: p.TimeoutSeconds, Success: p.SuccessThreshold, Failure: p.FailureThreshold}
	if t.Period == 0 {
		t.Period = DefaultProbePeriodSeconds
	}
	if t.Timeout == 0 {
		t.Timeout = DefaultProbeTimeoutSeconds
	}
	if t.Success == 0 {
		t.Success = DefaultProbeSuccessThreshold
	}
	if t.Failure == 0 {
		t.Failure = DefaultProbeFailureThreshold
	}
	return t
}

// drainOf recognises exec preStop hooks that are an application's own
// graceful drain, which keeps serving until connections are handed over:
// Cassandra's `nodetool drain` (the node stops accepting writes and leaves
// the ring, clients move to the others), and ingress-nginx's /wait-shutdown,
// which makes the controller wait --shutdown-grace-period seconds before
// nginx stops accepting connections: it counts as a sleep of that length
// (none without the flag, whose default is 0).
func drainOf(c *corev1.Container) (drain string, seconds int64, sleeps bool) {
	argv := c.Lifecycle.PreStop.Exec.Command
	words := argv
	if len(argv) >= 3 && shells[path.Base(argv[0])] {
		words = strings.Fields(argv[len(argv)-1])
	}
	for i, w := range words {
		switch {
		case path.Base(w) == "nodetool" && slices.Contains(words[i+1:], "drain"):
			return "nodetool drain", 0, false
		case path.Base(w) == "wait-shutdown":
			if n, ok := flagSeconds(append(slices.Clone(c.Command), c.Args...), "--shutdown-grace-period"); ok && n > 0 {
				return "/wait-shutdown with --shutdown-grace-period", n, true
			}
			return "", 0, false
		}
	}
	return "", 0, false
}

// flagSeconds reads a whole-seconds flag given as --name=N or --name N.
func flagSeconds(args []string, name string) (int64, bool) {
	for i, a := range args {
		v, ok := strings.CutPrefix(a, name+"=")
		if !ok && a == name && i+1 < len(args) {
			v, ok = args[i+1], true
		}
		if ok {
			n, err := strconv.ParseInt(strings.TrimSuffix(v, "s"), 10, 64)
			return n, err == nil
		}
	}
	return 0, false
}

// ShortestPreStopSleep returns the shortest preStop sleep among a
// workload's serving containers (0 for a container without one), and
// false when no container serves. A delay that covers endpoint
// propagation only holds for the pod if every serving container has it.
func ShortestPreStopSleep(w *Workload) (int64, bool) {
	sleep := int64(-1)
	for _, c := range w.ServingContainers() {
		s := int64(0)
		if ps := PreStopOf(c.Container); ps.Sleeps {
			s = ps.Seconds
		}
		if sleep < 0 || s < sleep {
			sleep = s
		}
	}
	return max(sleep, 0), sleep >= 0
}
