package rules

import (
	"slices"
	"testing"
)

// TestServingOf checks the serving model's role for each container against
// the signals that decide it, one case per class of issue #14.
func TestServingOf(t *testing.T) {
	const web = `apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: ns}
spec:
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
`
	svc := func(ports string) string {
		return "---\napiVersion: v1\nkind: Service\nmetadata: {name: web, namespace: ns, labels: {app: web}}\nspec:\n  selector: {app: web}\n  ports:\n" + ports
	}
	const otherSvc = "---\napiVersion: v1\nkind: Service\nmetadata: {name: other, namespace: ns}\nspec:\n  selector: {app: other}\n  ports: [{port: 80}]\n"
	const monitor = "---\napiVersion: monitoring.coreos.com/v1\nkind: ServiceMonitor\nmetadata: {name: web, namespace: ns}\nspec:\n  selector: {matchLabels: {app: web}}\n  endpoints: [{port: https-self}, {port: http}]\n"
	for _, tc := range []struct {
		name string
		yaml string
		want []Role
		pod  Role
	}{
		{"no port, no Service", web + "      - {name: worker, image: w}\n", []Role{RoleNone}, RoleNone},
		{"no port, a Service to an undeclared port", web + "      - {name: heapster, image: h}\n" + svc("  - {port: 80, targetPort: 8082}\n"),
			[]Role{RoleServes}, RoleServes},
		{"undeclared port, two candidates", web + "      - {name: a, image: a}\n      - {name: b, image: b}\n" + svc("  - {port: 80, targetPort: 8082}\n"),
			[]Role{RoleMaybe, RoleMaybe}, RoleMaybe},
		{"helper next to a routed container", web + "      - {name: app, image: a, ports: [{name: http, containerPort: 8080}]}\n      - {name: reloader, image: r}\n" + svc("  - {name: http, port: 80, targetPort: http}\n"),
			[]Role{RoleServes, RoleNone}, RoleServes},
		{"metrics and health ports only", web + "      - {name: controller, image: c, ports: [{name: metrics, containerPort: 9090}, {name: profiling, containerPort: 8008}, {name: probes, containerPort: 8080}]}\n",
			[]Role{RoleScrape}, RoleScrape},
		{"metrics-named port a Service routes users to", web + "      - {name: test, image: t, ports: [{name: metrics-9090, containerPort: 9090}]}\n" + svc("  - {name: http, port: 80, targetPort: 9090}\n"),
			[]Role{RoleMaybe}, RoleMaybe},
		{"metrics Service port to a metrics port", web + "      - {name: exp, image: e, ports: [{name: metrics, containerPort: 9090}]}\n" + svc("  - {name: metrics, port: 9090}\n"),
			[]Role{RoleScrape}, RoleScrape},
		{"loopback-bound, behind a proxy a monitor scrapes", web +
			"      - {name: ksm, image: k, args: [--host=127.0.0.1, --port=8081], ports: [{containerPort: 8081}]}\n" +
			"      - {name: proxy, image: p, args: [--secure-listen-address=:9443, --upstream=http://127.0.0.1:8081/], ports: [{name: https-self, containerPort: 9443}]}\n" + monitor,
			[]Role{RoleNone, RoleScrape}, RoleScrape},
		{"a monitor scraping a port that serves users", web + "      - {name: grafana, image: g, ports: [{name: http, containerPort: 3000}]}\n" + monitor,
			[]Role{RoleServes}, RoleServes},
		{"publish address is not a listen address", web + "      - {name: ctl, image: c, args: [--publish-status-address=localhost], ports: [{name: http, containerPort: 80}]}\n",
			[]Role{RoleServes}, RoleServes},
		{"UDP on the node's port", web + "      - {name: agent, image: a, ports: [{containerPort: 8125, hostPort: 8125, protocol: UDP}]}\n", []Role{RoleNone}, RoleNone},
		{"UDP only", web + "      - {name: dns, image: d, ports: [{containerPort: 53, protocol: UDP}]}\n", []Role{RoleMaybe}, RoleMaybe},
		{"a port no Service routes to, in a file with Services", web + "      - {name: loadgen, image: l, ports: [{name: http, containerPort: 8089}]}\n" + otherSvc,
			[]Role{RoleMaybe}, RoleMaybe},
		{"a port, no Service in the file", web + "      - {name: app, image: a, ports: [{containerPort: 8080}]}\n", []Role{RoleServes}, RoleServes},
		{"mesh proxy serves nothing itself", web + "      - {name: app, image: a, ports: [{containerPort: 8080}]}\n      - {name: istio-proxy, image: p, ports: [{containerPort: 15090, name: http-envoy-prom}]}\n",
			[]Role{RoleServes, RoleNone}, RoleServes},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ix := indexOf(t, map[string]string{"a.yaml": tc.yaml})
			w := ix.Workload("ns", "Deployment", "web")
			if w == nil {
				t.Fatal("no workload")
			}
			got := ix.ServingOf(w)
			if !slices.Equal(got.Containers, tc.want) || got.Pod != tc.pod {
				t.Errorf("roles %v, pod %v; want %v, pod %v", got.Containers, got.Pod, tc.want, tc.pod)
			}
		})
	}
}

func TestMetricsPortName(t *testing.T) {
	for name, want := range map[string]bool{
		"metrics": true, "http-metrics": true, "metrics-9090": true, "healthz": true, "pprof": true, "http-envoy-prom": true,
		"http": false, "web": false, "https-self": false, "grpc": false, "": false, "symmetric": false,
	} {
		if got := MetricsPortName(name); got != want {
			t.Errorf("MetricsPortName(%q) = %v, want %v", name, got, want)
		}
	}
}
