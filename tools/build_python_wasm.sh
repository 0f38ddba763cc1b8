#!/usr/bin/env bash
# Build CPython 3.11 for wasm32-wasi from Debian's own source, for rlm's `--wasm-python` runtime.
#
# Usage: tools/build_python_wasm.sh [--cached-only] [OUT_DIR]
#   OUT_DIR defaults to ${XDG_CACHE_HOME:-$HOME/.cache}/rlm/python-wasm. The script is idempotent:
#   when OUT_DIR holds python.wasm and lib/python311.zip built by this same script (the script's
#   sha256 is kept in OUT_DIR/build-script.sha256), it prints the path and stops. With
#   --cached-only it never builds: it exits 1 when there is no such build.
# Prints the path of python.wasm on its last line. Needs root (or sudo without a password) for
# apt-get the first time.
set -euo pipefail

cached_only=false
if [ "${1:-}" = --cached-only ]; then cached_only=true; shift; fi
out="${1:-${XDG_CACHE_HOME:-$HOME/.cache}/rlm/python-wasm}"
script_hash="$(sha256sum "${BASH_SOURCE[0]}" | cut -d' ' -f1)"
# A build from before the stamp existed is kept; a build by another version of this script is not.
if [ -s "$out/python.wasm" ] && [ -s "$out/lib/python311.zip" ] &&
  { [ ! -e "$out/build-script.sha256" ] || [ "$(cat "$out/build-script.sha256")" = "$script_hash" ]; }; then
  echo "$out/python.wasm"
  exit 0
fi
$cached_only && exit 1
log() { printf '[python-wasm] %s\n' "$*" >&2; }
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo -n "$@"; fi; }

# 1. Toolchain and source from Debian.
if ! grep -rqs '^Types: deb deb-src\|^deb-src ' /etc/apt/sources.list /etc/apt/sources.list.d/; then
  log "adding deb-src entries"
  as_root sed -i 's/^Types: deb$/Types: deb deb-src/' /etc/apt/sources.list.d/debian.sources 2>/dev/null || true
fi
need=()
for p in clang-14 lld-14 wasi-libc libclang-rt-14-dev-wasm32 python3.11 dpkg-dev; do
  dpkg -s "$p" >/dev/null 2>&1 || need+=("$p")
done
if [ "${#need[@]}" -gt 0 ] || ! apt-cache showsrc python3.11 >/dev/null 2>&1; then
  log "apt-get install ${need[*]:-}"
  as_root apt-get update -qq >/dev/null
  [ "${#need[@]}" -eq 0 ] || DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq "${need[@]}" >/dev/null
fi

work="$(mktemp -d /tmp/rlm-python-wasm.XXXXXX)"
trap 'rm -rf "$work"' EXIT
cd "$work"
log "fetching Debian's python3.11 source"
# The newest security version's source can be missing from the mirror: fall back to the release's.
apt-get source -qq python3.11 >/dev/null 2>&1 || apt-get source -qq python3.11/bookworm >/dev/null 2>&1 || true
src="$(find . -maxdepth 1 -type d -name 'python3.11-*' | head -1)"
if [ -z "$src" ] && ls python3.11_*.orig.tar.* >/dev/null 2>&1; then
  tar xf python3.11_*.orig.tar.* && src="$(find . -maxdepth 1 -type d -name 'Python-3.11*' | head -1)"
fi
[ -n "$src" ] || { log "apt-get source python3.11 gave no source tree"; exit 1; }
cd "$src"

# 2. A small fake WASI SDK: wrappers that call Debian's clang-14 with the WASI target (Debian's
#    wasi-libc is multiarch: clang finds /usr/include/wasm32-wasi and /usr/lib/wasm32-wasi itself).
sdk="$work/wasi-sdk"
# wasi-env passes --sysroot=$WASI_SDK_PATH/share/wasi-sysroot: lay Debian's files out as one.
mkdir -p "$sdk/bin" "$sdk/share/wasi-sysroot/lib"
ln -s /usr/include/wasm32-wasi "$sdk/share/wasi-sysroot/include"
ln -s /usr/lib/wasm32-wasi "$sdk/share/wasi-sysroot/lib/wasm32-wasi"
cat > "$sdk/bin/clang" <<'W'
#!/bin/sh
exec clang-14 --target=wasm32-wasi "$@"
W
sed 's/clang-14/clang++-14/' "$sdk/bin/clang" > "$sdk/bin/clang++"
printf '#!/bin/sh\nexec clang-14 --target=wasm32-wasi -E "$@"\n' > "$sdk/bin/clang-cpp"
printf '#!/bin/sh\nexec wasm-ld-14 "$@"\n' > "$sdk/bin/wasm-ld"
printf '#!/bin/sh\nexec llvm-ar-14 "$@"\n' > "$sdk/bin/llvm-ar"
printf '#!/bin/sh\nexec llvm-ranlib-14 "$@"\n' > "$sdk/bin/ranlib"
chmod +x "$sdk/bin/"*

# 3. Configure and build (CPython's own WASI recipe, pointed at the fake SDK).
log "configuring"
mkdir -p builddir/wasi && cd builddir/wasi
export WASI_SDK_PATH="$sdk" CONFIG_SITE="$PWD/../../Tools/wasm/config.site-wasm32-wasi"
../../Tools/wasm/wasi-env ../../configure -q --host=wasm32-unknown-wasi --build="$(../../config.guess)" \
  --with-build-python=/usr/bin/python3.11 --disable-test-modules >/dev/null
log "make -j$(nproc) (about 2 minutes on 2 cores)"
make -j"$(nproc)" >/dev/null 2>"$work/make.log" || { tail -20 "$work/make.log" >&2; exit 1; }

# 4. Install: python.wasm and the stdlib as an uncompressed zip of precompiled .pyc (no zlib here).
mkdir -p "$out/lib"
cp python.wasm "$out/python.wasm.tmp"
/usr/bin/python3.11 - "$PWD/../../Lib" "$out/lib/python311.zip.tmp" <<'PY'
import sys, zipfile, py_compile, pathlib, importlib.util, tempfile, os
lib, dest = pathlib.Path(sys.argv[1]), sys.argv[2]
skip = {"test", "idlelib", "tkinter", "turtledemo", "ensurepip", "lib2to3", "venv", "distutils", "pydoc_data"}
with zipfile.ZipFile(dest, "w", zipfile.ZIP_STORED) as z, tempfile.TemporaryDirectory() as tmp:
    for path in sorted(lib.rglob("*.py")):
        rel = path.relative_to(lib)
        if rel.parts[0] in skip or "tests" in rel.parts or "test" in rel.parts:
            continue
        pyc = os.path.join(tmp, "x.pyc")
        try:
            py_compile.compile(str(path), cfile=pyc, dfile=str(rel), doraise=True,
                               invalidation_mode=py_compile.PycInvalidationMode.UNCHECKED_HASH)
        except py_compile.PyCompileError:
            continue
        z.write(pyc, str(rel.with_suffix(".pyc")))
PY
cp build/lib.wasi-wasm32-3.11/_sysconfigdata__wasi_wasm32-wasi.py "$out/lib/" 2>/dev/null || true
mv "$out/python.wasm.tmp" "$out/python.wasm"
mv "$out/lib/python311.zip.tmp" "$out/lib/python311.zip"
sha256sum "$out/python.wasm" | cut -d' ' -f1 > "$out/python.wasm.sha256"
echo "$script_hash" > "$out/build-script.sha256"
log "built $(du -h "$out/python.wasm" | cut -f1) python.wasm, $(du -h "$out/lib/python311.zip" | cut -f1) stdlib"
echo "$out/python.wasm"
