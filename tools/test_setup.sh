#!/usr/bin/env bash
# Install what the test suite uses, when this user may (root, or sudo without a password), before
# `deno task test` runs the tests: Nix and busybox-static (the nix executor), Chromium (the trace
# viewer), a WASI python.wasm built from Debian's CPython source (tools/build_python_wasm.sh) and
# the wasmtime Python wheel (tools/install_wasmtime_py.sh). Everything is cached, so a second run
# only checks and takes well under a second.
#
# It never fails the test command: what it cannot install (not root, offline, an install failed)
# it names in one line, and the tests that need it are skipped, each saying why.
# RLM_TEST_SETUP=0 skips this script entirely.
set -uo pipefail
cd "$(dirname "$0")/.."
[ "${RLM_TEST_SETUP:-1}" = 0 ] && exit 0

cache="${XDG_CACHE_HOME:-$HOME/.cache}"
logdir="$cache/rlm-test"
mkdir -p "$logdir" 2>/dev/null || logdir="$(mktemp -d /tmp/rlm-test.XXXXXX)"
say() { printf 'test setup: %s\n' "$*" >&2; }

# Who may install: root itself, or sudo that asks for no password. Nobody else is prompted.
if [ "$(id -u)" = 0 ]; then
  as_root() { "$@"; }
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
  as_root() { sudo -n "$@"; }
else
  as_root() { return 1; }
fi
can_install() { as_root true 2>/dev/null; }

# 0. The sandbox's children run with --no-config (no lockfile), so Deno resolves their npm packages
#    from the registry's package lists, which the lockfile-driven cache of `deno task` does not
#    hold; fetched once here (about 4 s), later runs read them from DENO_DIR, offline too.
if command -v deno >/dev/null 2>&1; then
  mapfile -t npm_specs < <(deno eval 'const c = JSON.parse(Deno.readTextFileSync("deno.json"));
    for (const v of Object.values(c.imports ?? {})) if (String(v).startsWith("npm:")) console.log(v);')
  [ "${#npm_specs[@]}" -eq 0 ] ||
    deno cache --quiet --no-config --no-lock "${npm_specs[@]}" >"$logdir/deno-cache.log" 2>&1 ||
    say "caching the sandbox's npm packages failed (see $logdir/deno-cache.log)"
fi

# 1. Debian packages, only those missing.
apt_need=()
command -v nix-build >/dev/null 2>&1 || apt_need+=(nix-bin)
if command -v dpkg >/dev/null 2>&1 && ! dpkg -s busybox-static >/dev/null 2>&1; then
  apt_need+=(busybox-static)
fi
command -v chromium >/dev/null 2>&1 || apt_need+=(chromium)
# python3 and pip only matter when the wasmtime wheel is not installed yet (its check is quick).
wasmtime_ok=false
bash tools/install_wasmtime_py.sh --cached-only >/dev/null 2>&1 && wasmtime_ok=true
if ! $wasmtime_ok; then
  command -v python3 >/dev/null 2>&1 || apt_need+=(python3)
  python3 -m pip --version >/dev/null 2>&1 || apt_need+=(python3-pip)
fi
missing=()
if [ "${#apt_need[@]}" -gt 0 ]; then
  if ! can_install || ! command -v apt-get >/dev/null 2>&1; then
    missing+=("${apt_need[@]}")
  else
    say "apt-get install ${apt_need[*]} (first run only; log: $logdir/apt.log)"
    export DEBIAN_FRONTEND=noninteractive
    { as_root apt-get update -qq && as_root apt-get install -y -qq --no-install-recommends \
      "${apt_need[@]}"; } >"$logdir/apt.log" 2>&1 ||
      { say "apt-get install failed (see $logdir/apt.log)"; missing+=("${apt_need[@]}"); }
  fi
fi

# 1b. Nix's build users. Debian's nix-bin ships no `nixbld` group (nix-setup-systemd makes it), and
#     root's builds run as those users, so without them every build fails. Made as the Nix
#     installer makes them: a system group and eight system users with no home and no shell.
if command -v nix-build >/dev/null 2>&1; then
  group=$(nix show-config --extra-experimental-features nix-command 2>/dev/null |
    sed -n 's/^build-users-group = //p')
  if [ -n "$group" ] && ! getent group "$group" >/dev/null 2>&1 && can_install; then
    say "creating Nix's build users ($group, ${group}1..8; first run only)"
    { as_root groupadd --system "$group" &&
      for i in 1 2 3 4 5 6 7 8; do
        as_root useradd --system --no-create-home --home-dir /var/empty --shell /usr/sbin/nologin \
          --gid "$group" --groups "$group" --comment "Nix build user $i" "$group$i" || exit 1
      done; } >"$logdir/nixbld.log" 2>&1 ||
      say "creating Nix's build users failed (see $logdir/nixbld.log): the Nix tests are skipped"
  fi
fi

# 2. The WASI python.wasm: built once (about 3 minutes), then found in the cache.
if ! wasm=$(bash tools/build_python_wasm.sh --cached-only 2>/dev/null | tail -1) || [ ! -s "$wasm" ]; then
  if can_install; then
    say "building python.wasm (first run only, about 3 minutes; log: $logdir/python-wasm.log)"
    bash tools/build_python_wasm.sh >/dev/null 2>"$logdir/python-wasm.log" ||
      { say "building python.wasm failed (see $logdir/python-wasm.log)"; missing+=(python.wasm); }
  else
    missing+=(python.wasm)
  fi
fi

# 3. The wasmtime wheel (needs no root: it goes into the user's cache).
if ! $wasmtime_ok && ! bash tools/install_wasmtime_py.sh >/dev/null 2>"$logdir/wasmtime-py.log"; then
  say "installing the wasmtime wheel failed (see $logdir/wasmtime-py.log): the wasmtime tests are skipped"
fi

if [ "${#missing[@]}" -gt 0 ]; then
  why="could not be installed"
  can_install || why="not installed (that needs root)"
  say "${missing[*]} $why: the tests that need them are skipped and say why"
fi
exit 0
