#!/usr/bin/env bash
# Runs the zdlint pre-commit hook for real, with pre-commit building it from
# this checkout (`language: golang`, as users get it), in a throwaway
# repository laid out like a real one: plain manifests, a Kustomize
# base/overlay with a patch, a Helm chart, VS Code's JSONC settings and a
# .zdlint.yaml ignore entry about files the commits do not touch. Each
# commit-like run must give the right findings and never exit 2.
#
# pre-commit comes from Debian, installed only when CI=true (CI sets it); on
# a contributor's machine the script says what is missing and how to get it.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)

if ! command -v pre-commit >/dev/null 2>&1; then
  if [ "${CI:-}" = "true" ] && command -v apt-get >/dev/null 2>&1; then
    SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
    $SUDO apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq pre-commit >/dev/null
  else
    cat >&2 <<'EOF'
.ci/precommit.sh: pre-commit is not installed, so the hook cannot be tested.
Install it with your package manager (Debian/Ubuntu: sudo apt-get install pre-commit)
or with pip (pipx install pre-commit), then run .ci/precommit.sh again.
CI installs it itself (CI=true).
EOF
    exit 1
  fi
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export PRE_COMMIT_HOME="$work/cache"

# The hook's source: this checkout's files as they are now (committed or
# not), as one commit that pre-commit can pin and build once for all runs.
src="$work/src"
mkdir -p "$src"
(cd "$root" && git ls-files -co --exclude-standard -z) | while IFS= read -r -d '' f; do
  if [ -f "$root/$f" ]; then mkdir -p "$src/$(dirname "$f")" && cp "$root/$f" "$src/$f"; fi
done
git -C "$src" init -q
git -C "$src" -c user.email=ci@example.com -c user.name=ci add -A
git -C "$src" -c user.email=ci@example.com -c user.name=ci commit -qm "zdlint under test"
rev=$(git -C "$src" rev-parse HEAD)

repo="$work/repo"
mkdir -p "$repo"
cd "$repo"
git init -q
git config user.email ci@example.com
git config user.name ci
mkdir -p k8s base overlays/prod chart/templates .vscode third_party
cp "$root/examples/before/shop.yaml" k8s/bad.yaml
cp "$root/examples/after/shop.yaml" k8s/good.yaml
# Kustomize: a clean base, and an overlay whose patch only scales it.
cp "$root/examples/after/shop.yaml" base/shop.yaml
printf 'resources: [shop.yaml]\n' >base/kustomization.yaml
printf 'resources: [../../base]\npatches:\n  - path: patch.yaml\n' >overlays/prod/kustomization.yaml
printf 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: shop\n  namespace: store\nspec:\n  replicas: 6\n' >overlays/prod/patch.yaml
# Helm: a chart whose template has no readinessProbe.
printf 'apiVersion: v2\nname: web\nversion: 0.1.0\n' >chart/Chart.yaml
printf 'replicas: 3\n' >chart/values.yaml
cat >chart/templates/deployment.yaml <<'EOF'
apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ .Release.Name }}-web
spec:
  replicas: {{ .Values.replicas }}
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
        - name: web
          image: example/web:1.0
EOF
# A Deployment whose HPA is in a sibling file that the commit does not touch.
mkdir -p app
cat >app/deployment.yaml <<'EOF'
apiVersion: apps/v1
kind: Deployment
metadata: {name: api}
spec:
  replicas: 3
  selector: {matchLabels: {app: api}}
  template:
    metadata: {labels: {app: api}}
    spec:
      containers:
        - name: api
          image: example/api:1.0
EOF
printf 'apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata: {name: api}\nspec:\n  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: api}\n  minReplicas: 2\n  maxReplicas: 5\n' >app/hpa.yaml
printf '{\n  // editor settings: JSON with comments\n  "editor.tabSize": 2,\n}\n' >.vscode/settings.json
printf 'ignore:\n  - path: "third_party/**"\n    reason: vendored, fixed upstream\n' >.zdlint.yaml
# A broken file that a --context run only looks at.
printf 'kind: Deployment\nspec: [\n' >third_party/broken.yaml
cat >.pre-commit-config.yaml <<EOF
repos:
  - repo: $src
    rev: $rev
    hooks:
      - id: zdlint
      - id: zdlint
        alias: zdlint-context
        args: [--context, third_party/]
        stages: [manual]
      - id: zdlint-fix
        stages: [manual]
EOF
git add -A

fail=0
# check NAME WANT_EXIT GREP... runs the hook on the files in $FILES and
# checks the exit code and that each pattern is (or, with a leading !, is
# not) in the output.
check() {
  local name=$1 want=$2; shift 2
  local out="$work/$name.out" got=0
  local stage=()
  [ -n "${STAGE:-}" ] && stage=(--hook-stage "$STAGE")
  # shellcheck disable=SC2086 # FILES is a word list
  # --verbose: pre-commit shows a passing hook's output only when asked.
  pre-commit run --verbose "${HOOK:-zdlint}" "${stage[@]}" --files $FILES >"$out" 2>&1 || got=$?
  local ok=1
  [ "$got" -eq "$want" ] || ok=0
  for pat in "$@"; do
    if [ "${pat:0:1}" = "!" ]; then
      grep -qF -- "${pat:1}" "$out" && ok=0
    else
      grep -qF -- "$pat" "$out" || ok=0
    fi
  done
  if [ "$ok" -eq 1 ]; then
    echo "ok: $name (exit $got)"
  else
    echo "FAIL: $name: exit $got, want $want; output:"; cat "$out"; fail=1
  fi
}

FILES=k8s/bad.yaml check manifest 1 'k8s/bad.yaml:18:11: error: container "shop" of Deployment "shop" has no readinessProbe' '!unused-suppression'
FILES=k8s/good.yaml check clean-manifest 0 '!unused-suppression'
# Judged with the unstaged sibling HPA: its replicas conflict with the HPA.
FILES=app/deployment.yaml check sibling-context 1 'app/deployment.yaml:5:13: warning: Deployment "api" sets replicas: 3 but HorizontalPodAutoscaler "api"' '!app/hpa.yaml:'
FILES=overlays/prod/patch.yaml check patch 0 '!invalid YAML' '!readinessProbe' '!unused-suppression'
FILES=.vscode/settings.json check vscode-settings 0 '!invalid YAML'
if command -v helm >/dev/null 2>&1; then
  FILES=chart/templates/deployment.yaml check template 1 'chart/templates/deployment.yaml:' 'readinessProbe' '!invalid YAML'
else
  echo "helm is not on PATH: the template is set aside with a warning, not rendered"
  FILES=chart/templates/deployment.yaml check template 0 '!invalid YAML'
fi
FILES="k8s/good.yaml overlays/prod/patch.yaml .vscode/settings.json base/kustomization.yaml" check several 0 '!invalid YAML' '!unused-suppression'
HOOK=zdlint-context STAGE=manual FILES=k8s/good.yaml check context 0 'third_party/broken.yaml' 'a --context file'
# The fixing hook: the safe fixes are written, pre-commit says so and
# fails, and the findings without a fix are still reported; a patch is
# judged on its build and left alone.
cp k8s/bad.yaml k8s/fixme.yaml && git add k8s/fixme.yaml
HOOK=zdlint-fix STAGE=manual FILES=k8s/fixme.yaml check fix 1 'files were modified by this hook' 'readinessProbe' 'zdlint: fixed 2 findings' '![max-unavailable-nonzero]'
if ! grep -q 'maxSurge: 1' k8s/fixme.yaml; then echo "FAIL: fix: k8s/fixme.yaml was not fixed"; fail=1; fi
HOOK=zdlint-fix STAGE=manual FILES=overlays/prod/patch.yaml check fix-patch 0 '!files were modified by this hook'

[ "$fail" -eq 0 ] && echo "pre-commit hooks: right findings on a manifest, a patch, a template and JSONC settings; never exit 2; zdlint-fix fixes and fails"
exit "$fail"
