package rules

import (
	"fmt"
	"net"
	"net/url"
	"strconv"
	"strings"

	yaml "go.yaml.in/yaml/v3"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/util/intstr"

	"github.com/zdlint/zdlint/loader"
)

// The serving model: what a pod and each of its containers serve, decided
// from manifest signals only. Every rule about traffic (preStop, readiness,
// replica counts, disruption budgets, surge) asks this one model, so they
// agree on what "serves" means:
//
//   - Services in the input that select the pod, and the ports they route
//     to (targetPort by number or by name, the port itself when unset);
//   - the container's declared ports, their names and protocols;
//   - ServiceMonitors and PodMonitors that scrape a port;
//   - args that bind the container to the loopback interface.
//
// A signal never comes from a file name or a project name. When the
// signals disagree (a metrics-named port that a Service routes users to, a
// declared port that no Service in the input routes to while the input
// holds the namespace's Services) the role is RoleMaybe, and rules
// downgrade their finding rather than drop it.

// Role is what a container or a pod serves, least to most.
type Role int8

// Roles.
const (
	// RoleNone: nothing routes requests to it (no port, no Service,
	// bound to localhost, or UDP only).
	RoleNone Role = iota
	// RoleScrape: only metrics, health or profiling endpoints, which
	// scrapes and probes reach, not users.
	RoleScrape
	// RoleMaybe: the signals disagree; rules downgrade their findings.
	RoleMaybe
	// RoleServes: a Service routes requests to it, or it declares a
	// port and the input holds nothing that says otherwise.
	RoleServes
)

// PortFact is a declared container port.
type PortFact struct {
	Name   string
	Number int32
	UDP    bool // protocol UDP
	// Host is true for a hostPort, or any port of a hostNetwork pod:
	// reached on the node's address, as node agents are fed.
	Host bool
}

// ContainerServing records what decides whether a container serves: its
// ports, whether its args bind it to localhost, and what kind it is.
// WorkloadFact.Serve lists one per Container, in the same order.
type ContainerServing struct {
	Name    string
	Ports   []PortFact
	Sidecar bool // a native sidecar (init container with restartPolicy: Always)
	Mesh    bool // an injected mesh proxy, which the mesh rules judge
	Local   bool // its args bind every listener to the loopback interface
	// Proxy is true for a proxy to the pod's loopback interface
	// (--upstream=http://127.0.0.1:8081/), such as kube-rbac-proxy.
	Proxy bool
}

// Kind returns the container's kind, for messages.
func (c *ContainerServing) Kind() ContainerKind {
	if c.Sidecar {
		return Sidecar
	}
	return Regular
}

// ServicePortFact is one port of a Service: where it routes.
type ServicePortFact struct {
	Name string
	// Target is a named targetPort; TargetNum a numeric one (the port
	// itself when targetPort is unset).
	Target    string
	TargetNum int32
}

// MonitorFact records a Prometheus Operator ServiceMonitor or PodMonitor:
// the ports it scrapes are metrics endpoints.
type MonitorFact struct {
	Subject
	// Pods is true for a PodMonitor, whose selector matches pods; a
	// ServiceMonitor's matches Services.
	Pods bool
	// Selector is its matchLabels; a monitor with only expressions
	// selects by rules this model does not evaluate and is not kept.
	Selector LabelSet
	// Namespaces are the namespaces it watches besides its own
	// (namespaceSelector.matchNames); Any means every namespace.
	Namespaces []string
	Any        bool
	// Ports are the endpoints' port names, and numeric targetPorts as
	// decimal strings.
	Ports []string
}

// containerServing extracts a container's serving signals.
func containerServing(c Container, hostNetwork bool) ContainerServing {
	s := ContainerServing{Name: c.Name, Sidecar: c.Kind == Sidecar, Mesh: IsMeshProxy(c.Container), Local: localhostBound(c.Container), Proxy: upstreamLoopback(c.Container)}
	for _, p := range c.Ports {
		s.Ports = append(s.Ports, PortFact{Name: p.Name, Number: p.ContainerPort, UDP: p.Protocol == corev1.ProtocolUDP, Host: hostNetwork || p.HostPort != 0})
	}
	return s
}

// metricsWords are the port-name words that mark a scrape or health
// endpoint: "metrics", "http-metrics", "metrics-9090", "healthz",
// "pprof", "prom". A name alone is not trusted (a server may call its
// port "metrics-9090"): a Service routing to it outweighs the name.
var metricsWords = map[string]bool{
	"metrics": true, "metric": true, "prometheus": true, "prom": true, "telemetry": true,
	"monitoring": true, "health": true, "healthz": true, "healthcheck": true, "probe": true,
	"probes": true, "liveness": true, "readiness": true, "pprof": true, "profiling": true,
	"debug": true, "stats": true, "exporter": true,
}

// MetricsPortName reports whether a port name says metrics, health or
// profiling.
func MetricsPortName(name string) bool {
	for _, w := range strings.FieldsFunc(strings.ToLower(name), func(r rune) bool { return r == '-' || r == '_' || r == '.' }) {
		if metricsWords[w] {
			return true
		}
	}
	return false
}

// listenFlag reports whether a flag name sets a listen address:
// --host, --address, --listen-address, --web.listen-address,
// --bind-address, --telemetry-host. Flags that name an address to
// publish, advertise or connect to (--publish-status-address,
// --upstream, --advertise-address) say nothing about where the
// container listens.
func listenFlag(name string) bool {
	name = strings.ToLower(strings.TrimLeft(name, "-"))
	for _, w := range []string{"publish", "advertise", "upstream", "external", "url", "proxy"} {
		if strings.Contains(name, w) {
			return false
		}
	}
	if strings.Contains(name, "listen") || strings.Contains(name, "bind") {
		return true
	}
	switch name {
	case "host", "address", "addr", "ip":
		return true
	}
	for _, p := range []string{"telemetry", "metrics", "http", "https", "web", "grpc", "health", "admin", "server"} {
		for _, sep := range []string{"-", ".", "_"} {
			if name == p+sep+"host" || name == p+sep+"address" || name == p+sep+"addr" {
				return true
			}
		}
	}
	return false
}

// upstreamLoopback reports whether a container proxies to a listener on
// the pod's loopback interface (--upstream=http://127.0.0.1:8081/): it
// fronts a container that is reachable only through it.
func upstreamLoopback(c *corev1.Container) bool {
	for _, a := range append(append([]string(nil), c.Command...), c.Args...) {
		name, value, ok := strings.Cut(a, "=")
		if !ok || !strings.HasPrefix(name, "-") || !strings.Contains(strings.ToLower(name), "upstream") {
			continue
		}
		if u, err := url.Parse(value); err == nil && u.Host != "" && loopback(u.Host) {
			return true
		}
	}
	return false
}

// loopback reports whether a listen address is on the loopback interface:
// 127.0.0.1, 127.0.0.1:8080, localhost:9090, [::1]:80.
func loopback(v string) bool {
	host := v
	if h, _, err := net.SplitHostPort(v); err == nil {
		host = h
	}
	host = strings.Trim(host, "[]")
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// localhostBound reports whether a container's args (or command) bind
// every listener they name to the loopback interface, so nothing outside
// the pod reaches it: at least one listen flag, all of them loopback.
func localhostBound(c *corev1.Container) bool {
	n, local := 0, 0
	argv := append(append([]string(nil), c.Command...), c.Args...)
	for i, a := range argv {
		if !strings.HasPrefix(a, "-") {
			continue
		}
		name, value, ok := strings.Cut(a, "=")
		if !ok {
			if i+1 >= len(argv) || strings.HasPrefix(argv[i+1], "-") {
				continue
			}
			value = argv[i+1]
		}
		if !listenFlag(name) || value == "" || strings.Contains(value, "/") {
			continue
		}
		n++
		if loopback(value) {
			local++
		}
	}
	return n > 0 && n == local
}

// servicePorts extracts where a Service's ports route.
func servicePorts(svc *corev1.Service) []ServicePortFact {
	var out []ServicePortFact
	for _, p := range svc.Spec.Ports {
		sp := ServicePortFact{Name: p.Name, TargetNum: p.Port}
		switch {
		case p.TargetPort.Type == intstr.String && p.TargetPort.StrVal != "":
			if n, err := strconv.Atoi(p.TargetPort.StrVal); err == nil {
				sp.TargetNum = int32(n)
			} else {
				sp.Target, sp.TargetNum = p.TargetPort.StrVal, 0
			}
		case p.TargetPort.Type == intstr.Int && p.TargetPort.IntVal != 0:
			sp.TargetNum = p.TargetPort.IntVal
		}
		out = append(out, sp)
	}
	return out
}

// monitorOf reads a ServiceMonitor or PodMonitor (monitoring.coreos.com),
// which zdlint does not decode, from its node tree.
func monitorOf(obj *loader.Object, sub Subject) *MonitorFact {
	if obj.Typed != nil || !strings.HasPrefix(obj.APIVersion, "monitoring.coreos.com/") ||
		obj.Kind != "ServiceMonitor" && obj.Kind != "PodMonitor" || obj.Node == nil {
		return nil
	}
	var m struct {
		Spec struct {
			Selector struct {
				MatchLabels map[string]string `yaml:"matchLabels"`
			} `yaml:"selector"`
			NamespaceSelector struct {
				Any        bool     `yaml:"any"`
				MatchNames []string `yaml:"matchNames"`
			} `yaml:"namespaceSelector"`
			Endpoints           []monitorEndpoint `yaml:"endpoints"`
			PodMetricsEndpoints []monitorEndpoint `yaml:"podMetricsEndpoints"`
		} `yaml:"spec"`
	}
	if err := obj.Node.Decode(&m); err != nil || len(m.Spec.Selector.MatchLabels) == 0 {
		return nil
	}
	f := &MonitorFact{Subject: sub, Pods: obj.Kind == "PodMonitor", Selector: NewLabelSet(m.Spec.Selector.MatchLabels),
		Any: m.Spec.NamespaceSelector.Any, Namespaces: m.Spec.NamespaceSelector.MatchNames}
	for _, e := range append(m.Spec.Endpoints, m.Spec.PodMetricsEndpoints...) {
		if e.Port != "" {
			f.Ports = append(f.Ports, e.Port)
		}
		if e.TargetPort != nil && e.TargetPort.Kind == yaml.ScalarNode && e.TargetPort.Value != "" {
			f.Ports = append(f.Ports, e.TargetPort.Value)
		}
	}
	return f
}

type monitorEndpoint struct {
	Port       string     `yaml:"port"`
	TargetPort *yaml.Node `yaml:"targetPort"`
}

// watches reports whether the monitor looks at namespace ns.
func (m *MonitorFact) watches(ns string) bool {
	if m.Any || m.Namespace == ns && len(m.Namespaces) == 0 {
		return true
	}
	for _, n := range m.Namespaces {
		if n == ns {
			return true
		}
	}
	return false
}

// scrapes reports whether the monitor scrapes a port by this name or
// number.
func (m *MonitorFact) scrapes(name string, number int32) bool {
	for _, p := range m.Ports {
		if name != "" && p == name || number != 0 && p == strconv.Itoa(int(number)) {
			return true
		}
	}
	return false
}

// selectorMatches reports whether every pair of sel is in l.
func selectorMatches(sel, l LabelSet) bool {
	for k, v := range sel.All() {
		if got, ok := l.Lookup(k); !ok || got != v {
			return false
		}
	}
	return sel != ""
}

// PodServing is the serving model's answer for one workload.
type PodServing struct {
	// Pod is the most any container serves.
	Pod Role
	// Containers holds each container's role, in WorkloadFact.Serve
	// order; mesh proxies are RoleNone.
	Containers []Role
	// Via names the Service that routes to the pod, when one does.
	Via string
	// Why says, for each RoleMaybe container, which signals disagree,
	// for messages ("" for the other roles).
	Why []string
	// RoutedBy names, for each container a Service's port routes to,
	// the Service that gave it its role (nil for the others): the
	// related object of a finding the role decides.
	RoutedBy []*ServiceFact
}

// RelateRoute names, as a related object of r's finding, the Service that
// routes requests to container i (not only scrapes); with i < 0, a Service
// that routes requests to any container of the pod. Of several, the one
// nearest to the finding's file.
func (s PodServing) RelateRoute(r *Resolution, i int) {
	var best *ServiceFact
	file := r.Fact.About().File
	for j, svc := range s.RoutedBy {
		if svc != nil && (i < 0 || j == i) && s.Of(j) >= RoleMaybe &&
			(best == nil || proximity(svc.File, file) > proximity(best.File, file)) {
			best = svc
		}
	}
	if best == nil {
		return
	}
	msg := " routes requests to this container"
	if i < 0 {
		msg = " routes requests to these pods"
	}
	r.Relate(best, best.Ref().ObjectString()+msg)
}

// WhyMaybe returns why container i is RoleMaybe, for a message: "" when
// it is not.
func (s PodServing) WhyMaybe(i int) string {
	if i < 0 || i >= len(s.Why) || s.Of(i) != RoleMaybe {
		return ""
	}
	return s.Why[i]
}

// Of returns container i's role (RoleServes when the fact lists no such
// container, which only a malformed record could cause).
func (s PodServing) Of(i int) Role {
	if i < 0 || i >= len(s.Containers) {
		return RoleServes
	}
	return s.Containers[i]
}

// ServingOf answers the serving model for the workload w (a definition
// from the Index or a deferred finding's fact). Signals, strongest first:
//
//  1. A Service in the input that selects the pod routes to a container
//     port (by targetPort number or name): that container serves, unless
//     the Service port and the container port disagree about being a
//     metrics endpoint (RoleMaybe), or both say metrics (RoleScrape). A
//     targetPort no container declares reaches the one container that
//     may listen on it (not a mesh proxy, not loopback-bound), or, when
//     several may, each of them as RoleMaybe.
//  2. Without a routing Service, a container's declared ports decide:
//     none, loopback-bound or UDP on the node's ports only is RoleNone,
//     other UDP only RoleMaybe; metrics-named or
//     scraped by a ServiceMonitor/PodMonitor only is RoleScrape; another
//     port serves, but only RoleMaybe when no Service routes to it while
//     Services select the pod or the workload's file holds Services of
//     its namespace (the file plausibly holds its Service, and it has
//     none: a load generator, a client).
func (ix *Index) ServingOf(w *WorkloadFact) PodServing {
	out := PodServing{Containers: make([]Role, len(w.Serve)), Why: make([]string, len(w.Serve)), RoutedBy: make([]*ServiceFact, len(w.Serve))}
	var svcs []*ServiceFact
	if ix != nil {
		if d := ix.def(w.Ref(), w.File); d != nil && d.group != nil {
			svcs = d.group.services
		}
	}
	routed := make([]Role, len(w.Serve))
	var by *ServiceFact // the Service whose ports are being routed
	route := func(i int, r Role, why string) {
		switch cur := out.RoutedBy[i]; {
		case r > routed[i]:
			routed[i], out.Why[i], out.RoutedBy[i] = r, why, by
		case r == routed[i] && cur != nil && proximity(by.File, w.File) > proximity(cur.File, w.File):
			out.RoutedBy[i] = by // the nearest of equals, to show
		}
	}
	for _, s := range svcs {
		by = s
		if out.Via == "" {
			out.Via = s.Ref().Name
		}
		for _, sp := range s.Ports {
			found := false
			for i := range w.Serve {
				c := &w.Serve[i]
				if c.Mesh || c.Local {
					continue
				}
				for _, p := range c.Ports {
					if sp.Target != "" && p.Name != sp.Target || sp.Target == "" && p.Number != sp.TargetNum {
						continue
					}
					found = true
					switch sm, cm := MetricsPortName(sp.Name), MetricsPortName(p.Name); {
					case sm && (cm || p.Name == ""), cm && sp.Name == "":
						route(i, RoleScrape, "")
					case sm || cm:
						route(i, RoleMaybe, fmt.Sprintf("Service %q routes to it, but of the port names %q and %q only one says metrics", s.Name, sp.Name, p.Name))
					default:
						route(i, RoleServes, "")
					}
				}
			}
			if found || sp.Target != "" {
				continue // a named targetPort no container declares gets no endpoint
			}
			var cands []int
			for i := range w.Serve {
				if c := &w.Serve[i]; !c.Mesh && !c.Local {
					cands = append(cands, i)
				}
			}
			r, why := RoleServes, ""
			if MetricsPortName(sp.Name) {
				r = RoleScrape
			} else if len(cands) > 1 {
				r, why = RoleMaybe, fmt.Sprintf("Service %q targets port %d, which no container declares, so which container listens on it is not known", s.Name, sp.TargetNum)
			}
			for _, i := range cands {
				route(i, r, why)
			}
		}
	}
	var monitors []*MonitorFact
	if ix != nil {
		for _, m := range ix.monitors {
			if !m.watches(w.Namespace) {
				continue
			}
			hit := selectorMatches(m.Selector, w.Labels) && (m.Pods || len(svcs) == 0)
			for _, s := range svcs {
				hit = hit || !m.Pods && selectorMatches(m.Selector, s.Labels)
			}
			if hit {
				monitors = append(monitors, m)
			}
		}
	}
	var nearby string
	switch {
	case len(svcs) > 0:
		nearby = "the Services that select the pod route to its other containers"
	case ix.servicesNear(w.Namespace, w.File):
		nearby = "no Service selects the pod while its file holds Services of the namespace"
	}
	for i := range w.Serve {
		c := &w.Serve[i]
		r := routed[i]
		if r == RoleNone && !c.Mesh && !c.Local {
			r, out.Why[i] = declaredRole(c, monitors, nearby)
		}
		if c.Mesh {
			r = RoleNone
		}
		out.Containers[i] = r
		if r > out.Pod {
			out.Pod = r
		}
	}
	return out
}

// declaredRole is a container's role from its declared ports, when no
// Service in the input routes to it, and for RoleMaybe why. nearby, when
// set, says why the input plausibly holds the container's Service.
func declaredRole(c *ContainerServing, monitors []*MonitorFact, nearby string) (Role, string) {
	r, why := RoleNone, ""
	for _, p := range c.Ports {
		switch {
		case p.UDP && p.Host:
			continue // an agent fed over UDP on its node (statsd, trace agents)
		case p.UDP:
			if r < RoleMaybe {
				r, why = RoleMaybe, "its UDP ports may be fed by clients on the node rather than through a Service" // or a DNS cache behind one
			}
			continue
		}
		// A monitor scraping a port that is not named for metrics
		// does not make it a scrape target: Grafana's and Prometheus's
		// "http"/"web" ports serve users and their own metrics. It
		// does for a proxy in front of a loopback-bound container
		// (kube-rbac-proxy), whose only job is guarding that endpoint.
		scraped := MetricsPortName(p.Name)
		for _, m := range monitors {
			scraped = scraped || c.Proxy && m.scrapes(p.Name, p.Number)
		}
		switch {
		case !scraped && nearby != "":
			r, why = RoleMaybe, nearby
		case !scraped:
			return RoleServes, ""
		case r < RoleScrape:
			r = RoleScrape
		}
	}
	return r, why
}

// servicesNear reports whether file holds a Service of namespace ns: then
// a workload of that file that no Service selects plausibly has none (an
// all-in-one manifest's load generator). A directory is not enough: its
// other files may be other applications, and the workload's Service may
// be one the input does not hold.
func (ix *Index) servicesNear(ns, file string) bool {
	if ix == nil {
		return false
	}
	return ix.serviceFiles[ns+"\x00"+file]
}

// servingDetail is a deferred finding's Detail for a rule that asks the
// serving model about container c of w: c's index in the fact's Serve
// list, and the message, made while the object is at hand.
func servingDetail(w *Workload, c Container, msg string) string {
	return strconv.Itoa(w.ContainerIndex(c)) + "\x00" + msg
}

// splitServingDetail reads what servingDetail wrote.
func splitServingDetail(d string) (int, string) {
	i, msg, _ := strings.Cut(d, "\x00")
	n, err := strconv.Atoi(i)
	if err != nil {
		n = -1
	}
	return n, msg
}

// LaterIfServing defers a finding about the requests a workload serves
// (rollout capacity, spreading, surge): Resolve keeps it when the pod
// serves, lowers it one severity when the signals disagree, and drops it
// when the pod serves nothing or only scrapes (see ResolveServing). The
// message is made now, while the object is at hand.
func LaterIfServing(p *Pass, r Report) {
	r.Detail = servingMark + r.Message
	p.Later(r)
}

// servingMark starts the Detail of a finding deferred by LaterIfServing.
const servingMark = "serving\x00"

// ResolveServing decides a finding deferred by LaterIfServing, whose
// rule's severity is sev; ok is false when Detail is not one.
func ResolveServing(r *Resolution, sev Severity) (msg string, keep, ok bool) {
	msg, ok = strings.CutPrefix(r.Detail, servingMark)
	if !ok {
		return "", false, false
	}
	s := r.Index.ServingOf(r.Fact.(*WorkloadFact))
	switch s.Pod {
	case RoleNone, RoleScrape:
		return "", false, true
	case RoleMaybe:
		r.Severity = max(min(r.Severity, sev-1), Info) // never raised: a finding reported as info stays info
	}
	s.RelateRoute(r, -1)
	return msg, true, true
}
