#!/usr/bin/env bash
# Install the official wasmtime Python wheel (the real Wasmtime engine, libwasmtime + bindings)
# into a private folder, for tools/wasmtime_cli.py: the stand-in for the `wasmtime` CLI that
# tests rlm's wasmtime sandbox runtime on our machines, where no wasmtime CLI is installable.
#
# Usage: tools/install_wasmtime_py.sh [--cached-only] [OUT_DIR]
#   OUT_DIR defaults to ${XDG_CACHE_HOME:-$HOME/.cache}/rlm/wasmtime-py. Idempotent. When pip has
#   local (file://) indexes configured, only those are used (no network beyond the local mirror);
#   otherwise pip's own index (PyPI by default), with one retry and a short timeout.
# Prints OUT_DIR on its last line. With --cached-only it installs nothing: exit 1 if not installed.
set -euo pipefail

version=49.0.0
cached_only=false
if [ "${1:-}" = --cached-only ]; then cached_only=true; shift; fi
out="${1:-${XDG_CACHE_HOME:-$HOME/.cache}/rlm/wasmtime-py}"
py="$(command -v python3)"
if PYTHONPATH="$out" "$py" -c "import wasmtime, importlib.metadata as m; assert m.version('wasmtime') == '$version'" 2>/dev/null; then
  echo "$out"
  exit 0
fi
$cached_only && exit 1
log() { printf '[wasmtime-py] %s\n' "$*" >&2; }

# pip's configured file:// indexes replace the default index (pypi.org is not reachable here).
mapfile -t local_indexes < <("$py" -m pip config get global.extra-index-url 2>/dev/null | tr ' ' '\n' | grep '^file://' || true)
index_args=(--retries 1 --timeout 20)
if [ "${#local_indexes[@]}" -gt 0 ]; then
  index_args+=(--index-url "${local_indexes[0]}")
  for extra in "${local_indexes[@]:1}"; do index_args+=(--extra-index-url "$extra"); done
fi

tmp="$out.tmp-$$"
rm -rf "$tmp"
from="pip's own index"
[ "${#local_indexes[@]}" -eq 0 ] || from="${local_indexes[*]}"
log "pip install --target $out wasmtime==$version (from $from)"
"$py" -m pip install --quiet --disable-pip-version-check --no-deps --no-compile \
  "${index_args[@]}" --target "$tmp" "wasmtime==$version" >&2
PYTHONPATH="$tmp" "$py" -c "import wasmtime; wasmtime.Engine()"
rm -rf "$out"
mv "$tmp" "$out"
echo "$out"
