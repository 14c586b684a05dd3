package rules

import (
	"fmt"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/util/intstr"

	"github.com/zdlint/zdlint/loader"
)

var probePortUndeclared = &Rule{
	Meta: Meta{
		ID:       "probe-port-undeclared",
		Severity: Error,
		Summary:  "A probe or lifecycle hook uses a named port the container does not declare",
		Rationale: `A probe or hook may name its port ("port: http") instead of giving a number; the kubelet
resolves the name against the same container's ports list. A name that is not there (a typo, or a
port declared on another container) cannot be resolved: the probe fails every time, so the pod is
never Ready or is restarted in a loop, and the rollout stalls. The same happens when the name
resolves to a UDP or SCTP port: the kubelet takes the first port of that name whatever its
protocol and connects over TCP, so unless the container also declares that number over TCP (as a
DNS server does for port 53) the check cannot succeed. Every container is checked, native
sidecars included; injected mesh proxies are left to the mesh. Numeric ports are not reported:
a container may listen on ports it does not declare.`,
		Bad: `ports:
  - name: http
    containerPort: 8080
readinessProbe:
  httpGet: {path: /ready, port: web}`,
		Fix: `ports:
  - name: http
    containerPort: 8080
readinessProbe:
  httpGet: {path: /ready, port: http}`,
		Defaults: []string{
			"httpGet.port and tcpSocket.port accept a number or the name of one of the same container's ports",
			"grpc.port accepts numbers only",
		},
		Kinds: LongRunningKinds,
		Since: "0.1.0",
	},
	Run: func(p *Pass) {
		w, ok := WorkloadOf(p.Obj)
		if !ok || w.TemplateRef { // the template is linted where it is written
			return
		}
		for _, c := range w.Containers() {
			if IsMeshProxy(c.Container) {
				continue
			}
			// The kubelet resolves a name to the first port of that
			// name, whatever its protocol, and probes it over TCP.
			names := map[string]corev1.ContainerPort{}
			tcp := map[int32]bool{}
			for _, port := range c.Ports {
				if _, dup := names[port.Name]; port.Name != "" && !dup {
					names[port.Name] = port
				}
				if port.Protocol == "" || port.Protocol == corev1.ProtocolTCP {
					tcp[port.ContainerPort] = true
				}
			}
			check := func(what string, at loader.Path, port *intstr.IntOrString) {
				if port == nil || port.Type != intstr.String {
					return
				}
				cp, ok := names[port.StrVal]
				switch {
				case !ok:
					p.Report(Report{At: at, Container: c.Name, Message: fmt.Sprintf("the %s of %s uses port %q, which the container does not declare; name one of its ports %q or use the port number",
						what, c.Label(), port.StrVal, port.StrVal)})
				case cp.Protocol != "" && cp.Protocol != corev1.ProtocolTCP && !tcp[cp.ContainerPort]:
					p.Report(Report{At: at, Container: c.Name, Message: fmt.Sprintf("the %s of %s uses port %q, which is %s port %d, but the kubelet checks it over TCP, so the check can never succeed; point it at a TCP port",
						what, c.Label(), port.StrVal, cp.Protocol, cp.ContainerPort)})
				}
			}
			handler := func(what string, at loader.Path, httpGet *corev1.HTTPGetAction, tcp *corev1.TCPSocketAction) {
				if httpGet != nil {
					check(what, at.Key("httpGet", "port"), &httpGet.Port)
				}
				if tcp != nil {
					check(what, at.Key("tcpSocket", "port"), &tcp.Port)
				}
			}
			for _, pr := range probesOf(c) {
				handler(pr.Kind, pr.Path, pr.Probe.HTTPGet, pr.Probe.TCPSocket)
			}
			if lc := c.Lifecycle; lc != nil {
				if h := lc.PreStop; h != nil {
					handler("preStop hook", c.Path.Key("lifecycle", "preStop"), h.HTTPGet, h.TCPSocket)
				}
				if h := lc.PostStart; h != nil {
					handler("postStart hook", c.Path.Key("lifecycle", "postStart"), h.HTTPGet, h.TCPSocket)
				}
			}
		}
	},
}
