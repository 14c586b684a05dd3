package rules

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/zdlint/zdlint/loader"
	"github.com/zdlint/zdlint/loader/yamledit"
)

var preStopSleepMissing = &Rule{
	Meta: Meta{
		ID:       "prestop-sleep-missing",
		Severity: Error,
		Summary:  "A container has no preStop delay, so it stops serving while traffic is still routed to it",
		Rationale: `Deleting a pod starts two things at once: the kubelet runs the preStop hook and then sends
SIGTERM, while the control plane removes the pod from the Service's endpoints. kube-proxy on
every node, ingress controllers and cloud load balancers hear about the removal seconds later,
and keep sending requests in the meantime. An application that exits (or stops accepting
connections) on SIGTERM fails those requests. A preStop sleep of a few seconds keeps it serving
until routing has converged.

Which containers need it comes from the serving model (docs/serving.md), the same answer every
traffic rule uses. The finding is an error for a container that serves: a Service in the input
routes to one of its ports (by targetPort number or name; a targetPort no container declares
reaches the only container that can listen on it), or it declares a port that is not named for
metrics or health and nothing in the input says otherwise. It is a warning when the signals
disagree: a metrics-named port that a Service routes to under another name, a declared port
that no Service routes to while Services select the pod or share its file, a Service port
that several containers may be listening on.

Not reported, on purpose: containers that nothing routes requests to (no declared port and no
Service selecting the pod: workers, node agents, loops, placeholders), helpers next to the
container a Service routes to (config reloaders, content writers), containers whose only ports
are metrics, health or profiling endpoints (scraped, not load-balanced), containers bound to
127.0.0.1/localhost by their args or only reached through a proxy in the same pod, UDP-only
agents, and injected mesh proxies (mesh-sidecar-drain judges those). None of them is in a
Service's endpoints, so there is no endpoint removal to wait for.

Hooks that are an application's own graceful drain count as handled: an exec of Cassandra's
nodetool drain, and ingress-nginx's /wait-shutdown when the container passes
--shutdown-grace-period (the delay is that many seconds, compared with minSleepSeconds; without
the flag the controller does not wait). An exec, httpGet or tcpSocket hook that does neither is
reported as not delaying before the process stops accepting connections. Images whose
application delays on SIGTERM by itself (it keeps serving, failing readiness, until it has
drained) can be listed in the delayingImages option of .zdlint.yaml; their containers are not
reported. zdlint does not guess this from image names.`,
		Bad: `containers:
  - name: web
    image: example/web:1.2
    ports:
      - containerPort: 8080`,
		Fix: `containers:
  - name: web
    image: example/web:1.2
    ports:
      - containerPort: 8080
    lifecycle:
      preStop:
        sleep:
          seconds: 10   # or exec: {command: ["sleep", "10"]} before Kubernetes 1.30`,
		Defaults: []string{
			"No preStop hook: SIGTERM is sent as soon as the pod is deleted, while endpoint removal is still propagating",
			"lifecycle.preStop.sleep is beta (on by default) since 1.30 and GA since 1.34; exec commands run without a shell, so [\"sleep\",\"5\"] needs a sleep binary in the image",
			"terminationGracePeriodSeconds (default 30) must cover the sleep and the drain",
		},
		Kinds: LongRunningKinds,
		Options: []Option{
			{Name: "minSleepSeconds", Default: 5, Doc: "shortest preStop sleep accepted, in seconds"},
			{Name: "delayingImages", DefaultList: []string{}, Doc: "images (repository, without tag; e.g. ghcr.io/example/web) whose application keeps serving for a while after SIGTERM by itself, so they need no preStop delay"},
		},
		Since: "0.1.0",
		Fixes: []FixNote{
			{FixUnsafe, "a serving container without a preStop hook", "adds lifecycle.preStop.sleep.seconds (minSleepSeconds) when --kube-version is 1.30 or later (the native sleep action is on by default since 1.30, GA in 1.34, KEP-3960), else lifecycle.preStop.exec.command [\"sleep\", \"N\"], which needs a sleep binary in the image; a person checks the image and the cluster"},
			{FixUnsafe, "a native sleep, or an exec [\"sleep\", \"N\"], shorter than minSleepSeconds", "raises it to minSleepSeconds; the grace period may then need raising too (prestop-exceeds-grace-period fixes it next)"},
			{FixNone, "a hook that does not delay (httpGet, an exec script without sleep), a drain that delays too little", "where the delay belongs in an existing hook is the author's choice"},
		},
	},
	Run: func(p *Pass) {
		w, ok := WorkloadOf(p.Obj)
		if !ok {
			return
		}
		min := p.Option("minSleepSeconds")
		delaying := p.ListOption("delayingImages")
		for _, c := range w.ServingContainers() {
			if imageListed(c.Image, delaying) {
				continue // configured: the application delays on SIGTERM itself
			}
			ps := PreStopOf(c.Container)
			if ps.Drain != "" && !ps.Sleeps {
				continue // a graceful drain (nodetool drain) keeps serving until handed over
			}
			hook := c.Path.Key("lifecycle", "preStop")
			who := c.Label() + " of " + p.Obj.String()
			// Whether the container serves, and so whether and how
			// severely this is reported, is decided once every Service
			// is known (ServingOf); the message is made now.
			later := func(at loader.Path, msg string) {
				p.Later(Report{At: at, Container: c.Name, Detail: servingDetail(w, c, msg)})
			}
			switch {
			case !ps.Present:
				p.Later(Report{At: hook, Container: c.Name, Fix: NewFix(FixUnsafe, preStopSleep(p, hook, min)),
					Detail: servingDetail(w, c, fmt.Sprintf("%s has no preStop hook, so it gets SIGTERM while endpoints are still being removed; add lifecycle.preStop.sleep.seconds: %d", who, min))})
			case !ps.Sleeps:
				later(hook.Key(ps.Form), fmt.Sprintf("the %s preStop hook of %s does not delay before the process stops accepting connections, which happens while endpoints are still being removed; sleep at least %d s first (lifecycle.preStop.sleep.seconds, or sleep %d at the start of the command)", ps.Form, who, min, min))
			case ps.Seconds < min:
				at := hook.Key("sleep", "seconds")
				if ps.Form == "exec" {
					at = hook.Key("exec", "command").Index(ps.Arg)
				}
				if ps.Drain != "" {
					at = hook.Key("exec", "command")
					later(at, fmt.Sprintf("the preStop hook of %s runs %s, which delays %d s, less than the %d s endpoint removal needs to propagate; raise --shutdown-grace-period to at least %d", who, ps.Drain, ps.Seconds, min, min))
					continue
				}
				fix := NewFix(FixUnsafe, Set(at, strconv.FormatInt(min, 10)))
				if ps.Form == "exec" {
					fix = nil
					if cmd := c.Lifecycle.PreStop.Exec.Command; ps.Arg < len(cmd) && isDigits(cmd[ps.Arg]) {
						fix = NewFix(FixUnsafe, SetString(at, strconv.FormatInt(min, 10)))
					}
				}
				p.Later(Report{At: at, Container: c.Name, Fix: fix,
					Detail: servingDetail(w, c, fmt.Sprintf("the preStop hook of %s sleeps %d s, less than the %d s endpoint removal needs to propagate; sleep at least %d s", who, ps.Seconds, min, min))})
			}
		}
	},
	Resolve: func(r *Resolution) (string, bool) {
		i, msg := splitServingDetail(r.Detail)
		s := r.Index.ServingOf(r.Fact.(*WorkloadFact))
		s.RelateRoute(r, i)
		switch s.Of(i) {
		case RoleServes:
			r.Severity = Error
		case RoleMaybe:
			r.Severity = Warning
			if why := s.WhyMaybe(i); why != "" {
				msg += " (a warning: " + why + ")"
			}
		default:
			return "", false // nothing routes requests to it: no endpoint to leave
		}
		return msg, true
	},
}

// imageListed reports whether image (with any tag or digest) is one of
// the repositories listed, written with or without a registry host.
func imageListed(image string, list []string) bool {
	if len(list) == 0 || image == "" {
		return false
	}
	repo, _, _ := strings.Cut(image, "@")
	if i := strings.LastIndexByte(repo, ':'); i > strings.LastIndexByte(repo, '/') {
		repo = repo[:i]
	}
	for _, l := range list {
		if repo == l || strings.HasSuffix(repo, "/"+l) {
			return true
		}
	}
	return false
}

// nativeSleepSince is the first Kubernetes minor whose kubelet runs the
// native preStop sleep action by default: PodLifecycleSleepAction is beta
// (on) in 1.30 and GA in 1.34 (KEP-3960, docs/k8s-facts.md §3).
const nativeSleepSince = 30

// preStopSleep is the change that adds a preStop sleep of seconds at hook
// (lifecycle.preStop): the native action when the target cluster runs it,
// else an exec of sleep. A new lifecycle goes before resources.
func preStopSleep(p *Pass, hook loader.Path, seconds int64) yamledit.Change {
	target := p.Settings.KubeVersion
	if target == "" {
		target = NewestKubeVersion
	}
	n := strconv.FormatInt(seconds, 10)
	if v, err := ParseKubeVersion(target); err == nil && v >= nativeSleepSince {
		return Set(hook.Key("sleep", "seconds"), n, Before("resources"))
	}
	return Set(hook.Key("exec", "command"), `["sleep", "`+n+`"]`, Before("resources"))
}

func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}
