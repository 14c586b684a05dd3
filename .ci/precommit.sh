#!/usr/bin/env bash
# Runs the zdlint pre-commit hook for real: installs Debian's pre-commit if
# it is missing, makes a throwaway git repository with a bad and a good
# manifest, and checks that the hook fails on the first and passes on the
# second. pre-commit builds the hook from this checkout (try-repo), with
# `language: golang` as users get it.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)

if ! command -v pre-commit >/dev/null 2>&1; then
  if command -v apt-get >/dev/null 2>&1; then
    SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
    $SUDO apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq pre-commit >/dev/null
  else
    echo "pre-commit is not installed and apt-get is unavailable" >&2
    exit 1
  fi
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export PRE_COMMIT_HOME="$work/cache"
repo="$work/repo"
mkdir -p "$repo/k8s"
cd "$repo"
git init -q
git config user.email ci@example.com
git config user.name ci
cp "$root/examples/before/shop.yaml" k8s/bad.yaml
cp "$root/examples/after/shop.yaml" k8s/good.yaml
git add k8s

# try-repo builds the hook from the checkout's working tree.
set +e
pre-commit try-repo "$root" zdlint --files k8s/bad.yaml >"$work/bad.out" 2>&1
bad=$?
pre-commit try-repo "$root" zdlint --files k8s/good.yaml >"$work/good.out" 2>&1
good=$?
set -e

fail=0
if [ "$bad" -eq 0 ] || ! grep -q 'k8s/bad.yaml:18:11: error: container "shop" of Deployment "shop" has no readinessProbe' "$work/bad.out"; then
  echo "pre-commit hook did not fail on k8s/bad.yaml (exit $bad):"; cat "$work/bad.out"; fail=1
fi
if [ "$good" -ne 0 ]; then
  echo "pre-commit hook failed on k8s/good.yaml (exit $good):"; cat "$work/good.out"; fail=1
fi
[ "$fail" -eq 0 ] && echo "pre-commit hook: fails on the bad manifest, passes on the good one"
exit "$fail"
