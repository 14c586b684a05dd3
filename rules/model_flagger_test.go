package rules

import (
	"testing"
)

const flaggerTarget = `apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec:
  replicas: 2
  selector:
    matchLabels: {app.kubernetes.io/name: web, name: web}
  template:
    metadata:
      labels: {app.kubernetes.io/name: web, name: web, team: a, kustomize.toolkit.fluxcd.io/name: apps}
    spec:
      containers:
        - {name: web, image: example/web:1, ports: [{containerPort: 8080}]}
`

func flaggerCanary(autoscaler string) string {
	return `apiVersion: flagger.app/v1beta1
kind: Canary
metadata: {name: web, namespace: shop}
spec:
  targetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
` + autoscaler + `  service: {port: 8080}
`
}

const flaggerHPA = `apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: {name: web, namespace: shop}
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
  minReplicas: 3
  maxReplicas: 5
`

var flaggerWeb = ObjectRef{APIVersion: "apps/v1", Kind: "Deployment", Namespace: "shop", Name: "web"}

// TestFlaggerPrimary: the primary's labels rename the first of Flagger's
// selector labels in the target's matchLabels (name, before
// app.kubernetes.io/name) and drop Flux's; its autoscaler is a copy of
// autoscalerRef's with primaryScalerReplicas applied; budgets count by
// the primary's labels.
func TestFlaggerPrimary(t *testing.T) {
	ix := indexOf(t, map[string]string{
		"app/deploy.yaml": flaggerTarget,
		"app/canary.yaml": flaggerCanary("  autoscalerRef:\n    {apiVersion: autoscaling/v2, kind: HorizontalPodAutoscaler, name: web, primaryScalerReplicas: {maxReplicas: 9}}\n"),
		"app/hpa.yaml":    flaggerHPA,
		"app/pdb.yaml": pdb("policy/v1", "web-primary", "shop", "  selector: {matchLabels: {name: web-primary}}\n") + "---\n" +
			pdb("policy/v1", "web", "shop", "  selector: {matchLabels: {name: web}}\n") + "---\n" +
			pdb("policy/v1", "team", "shop", "  selector: {matchLabels: {team: a}}\n"),
	})
	fp := ix.FlaggerPrimary(flaggerWeb, "app/deploy.yaml")
	if fp == nil {
		t.Fatal("no primary for the Canary's target")
	}
	if fp.Name != "web-primary" || fp.LabelKey != "name" || fp.LabelValue != "web-primary" {
		t.Errorf("primary %q, label %s=%s; want web-primary, name=web-primary", fp.Name, fp.LabelKey, fp.LabelValue)
	}
	if got, want := fp.Labels.String(), NewLabelSet(map[string]string{"app.kubernetes.io/name": "web", "name": "web-primary", "team": "a"}).String(); got != want {
		t.Errorf("primary labels %s, want %s", got, want)
	}
	if len(fp.Autoscalers) != 1 || fp.AutoscalerMissing {
		t.Fatalf("autoscalers %d (missing %v), want Flagger's one copy", len(fp.Autoscalers), fp.AutoscalerMissing)
	}
	if h := fp.Autoscalers[0]; h.Name != "web-primary" || h.EffectiveMinReplicas() != 3 || h.MaxReplicas != 9 || h.Target.Name != "web-primary" {
		t.Errorf("primary HPA %s min %d max %d target %s; want web-primary 3 9 web-primary", h.Name, h.EffectiveMinReplicas(), h.MaxReplicas, h.Target.Name)
	}
	var pdbNames []string
	for _, p := range fp.PDBs {
		pdbNames = append(pdbNames, p.Name)
	}
	if len(pdbNames) != 2 || pdbNames[0] != "team" || pdbNames[1] != "web-primary" {
		t.Errorf("budgets selecting the primary: %v, want [team web-primary]", pdbNames)
	}
	// The index's own HPA fact is untouched by the copy.
	if hs := ix.HPAsFor(flaggerWeb, "app/deploy.yaml"); len(hs) != 1 || hs[0].Name != "web" || hs[0].MaxReplicas != 5 {
		t.Errorf("HPAsFor changed by the primary's copy")
	}
	for _, c := range []struct {
		pdb        string
		onlyTarget bool
	}{{"web", true}, {"web-primary", false}, {"team", false}} {
		var p *PDBFact
		for i := range ix.pdbs {
			if ix.pdbs[i].Name == c.pdb {
				p = ix.pdbs[i].PDBFact
			}
		}
		targets, _ := ix.FlaggerTargetOnly(p)
		if got := len(targets) == 1; got != c.onlyTarget {
			t.Errorf("FlaggerTargetOnly(%s) = %v, want %v", c.pdb, got, c.onlyTarget)
		}
		ws, _ := ix.SelectedWorkloads(p)
		if got := len(ws) == 1; got == c.onlyTarget {
			t.Errorf("SelectedWorkloads(%s) selects the target: %v, want %v", c.pdb, got, !c.onlyTarget)
		}
	}
}

// TestFlaggerPrimaryRelations: a Canary in a sibling directory relates to
// nothing; without autoscalerRef the target's HPAs bound the primary; an
// autoscalerRef the input lacks leaves the bounds unknown.
func TestFlaggerPrimaryRelations(t *testing.T) {
	ix := indexOf(t, map[string]string{
		"a/deploy.yaml": flaggerTarget,
		"b/canary.yaml": flaggerCanary(""),
	})
	if ix.FlaggerPrimary(flaggerWeb, "a/deploy.yaml") != nil {
		t.Error("a Canary in a sibling directory targets a/deploy.yaml")
	}

	ix = indexOf(t, map[string]string{
		"app/deploy.yaml": flaggerTarget,
		"app/canary.yaml": flaggerCanary(""),
		"app/hpa.yaml":    flaggerHPA,
	})
	hs, unknown := ix.Autoscalers(flaggerWeb, "app/deploy.yaml")
	if unknown || len(hs) != 1 || hs[0].Name != "web" {
		t.Errorf("without autoscalerRef: %d autoscalers (unknown %v), want the target's HPA", len(hs), unknown)
	}
	if ix.CanaryOfPrimary("shop", "Deployment", "web-primary", "app/hpa.yaml") == nil || ix.CanaryOfPrimary("shop", "Deployment", "api-primary", "app/hpa.yaml") != nil ||
		ix.CanaryOfPrimary("shop", "DaemonSet", "web-primary", "app/hpa.yaml") != nil {
		t.Error("CanaryOfPrimary")
	}

	ix = indexOf(t, map[string]string{
		"app/deploy.yaml": flaggerTarget,
		"app/canary.yaml": flaggerCanary("  autoscalerRef: {apiVersion: autoscaling/v2, kind: HorizontalPodAutoscaler, name: elsewhere}\n"),
		"app/hpa.yaml":    flaggerHPA,
	})
	if hs, unknown := ix.Autoscalers(flaggerWeb, "app/deploy.yaml"); !unknown || len(hs) != 0 {
		t.Errorf("autoscalerRef not in the input: %d autoscalers, unknown %v; want none, unknown", len(hs), unknown)
	}
}
