#!/usr/bin/env bash
# Installs what the real-VS-Code end-to-end tests need, and only what is missing:
#   - Debian packages: chromium (the browser that drives the workbench), ripgrep and the
#     headers code-server's native modules build against;
#   - code-server 4.100.3 (VS Code 1.100, runs on Node 20) into .cache/code-server;
#   - playwright-core (a devDependency of the project; installed by `npm ci`).
# Safe to run again: every step checks first. Needs root (or sudo) for apt-get.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CODE_SERVER_VERSION="4.100.3"
CACHE_DIR="${BINDWATCH_E2E_CACHE:-$ROOT/.cache}"
CS_DIR="$CACHE_DIR/code-server"
CS_BIN="$CS_DIR/node_modules/.bin/code-server"

log() { printf '[setup-e2e] %s\n' "$*"; }

as_root() {
  if [ "$(id -u)" = "0" ]; then "$@"; elif command -v sudo >/dev/null 2>&1; then sudo "$@"; else
    log "need root for: $*"; return 1; fi
}

# 1. Debian packages.
APT_PACKAGES=(chromium ripgrep libkrb5-dev libxkbfile-dev libsecret-1-dev pkg-config g++ make python3 fonts-dejavu-core)
missing=()
for pkg in "${APT_PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed'; then missing+=("$pkg"); fi
done
# python3 may come from elsewhere (pyenv); only the binary matters for node-gyp.
if command -v python3 >/dev/null 2>&1; then
  filtered=(); for p in "${missing[@]}"; do [ "$p" = python3 ] || filtered+=("$p"); done; missing=("${filtered[@]}")
fi
if [ "${#missing[@]}" -gt 0 ]; then
  log "installing Debian packages: ${missing[*]}"
  mkdir -p "$CACHE_DIR"
  apt_log="$CACHE_DIR/setup-e2e-apt.log"
  if ! { as_root apt-get update -qq && as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"; } >"$apt_log" 2>&1; then
    tail -n 40 "$apt_log"
    log "apt-get failed; full log in $apt_log"
    exit 1
  fi
else
  log "Debian packages present"
fi

# 2. code-server, in its own folder outside node_modules of the project.
installed_version=""
if [ -x "$CS_BIN" ]; then
  installed_version="$(node -p "require('$CS_DIR/node_modules/code-server/package.json').version" 2>/dev/null || true)"
fi
if [ "$installed_version" != "$CODE_SERVER_VERSION" ]; then
  log "installing code-server@$CODE_SERVER_VERSION into $CS_DIR"
  mkdir -p "$CS_DIR"
  # @vscode/ripgrep's postinstall downloads ripgrep from GitHub unless it finds this tarball in its
  # cache; Debian's rg satisfies it.
  RG_CACHE="${TMPDIR:-/tmp}/vscode-ripgrep-cache-1.15.11"
  RG_TAR="$RG_CACHE/ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz"
  if [ ! -s "$RG_TAR" ]; then
    mkdir -p "$RG_CACHE"
    tmp="$(mktemp -d)"
    cp "$(command -v rg)" "$tmp/rg"
    tar -C "$tmp" -czf "$RG_TAR" rg
    rm -rf "$tmp"
  fi
  [ -f "$CS_DIR/package.json" ] || printf '{ "name": "bindwatch-e2e-code-server", "private": true }\n' > "$CS_DIR/package.json"
  (cd "$CS_DIR" && npm_config_unsafe_perm=true npm_config_yes=true \
    npm install --no-audit --no-fund --loglevel=error "code-server@$CODE_SERVER_VERSION")
else
  log "code-server $CODE_SERVER_VERSION present"
fi

# 3. playwright-core (project devDependency).
if [ ! -f "$ROOT/node_modules/playwright-core/package.json" ]; then
  log "installing project dependencies (playwright-core)"
  (cd "$ROOT" && npm install --no-audit --no-fund --loglevel=error)
else
  log "playwright-core present"
fi

command -v chromium >/dev/null || { log "chromium missing after install"; exit 1; }
"$CS_BIN" --version | head -1 | sed 's/^/[setup-e2e] code-server /'
