# The pinned WASI CPython for `eval`, laid out for `--wasm-python`: `$out/python.wasm`, and
# `$out/lib/python3XY.zip` when the standard library comes as a separate zip.
#
# `src` is the flake input `python-wasm`: the vmware-labs release file
# python/3.12.0+20231211-040d5a6 `python-3.12.0.wasm` (self-contained: its standard library is
# packed inside). Its sha256 is checked here, so the file is pinned even before flake.lock holds
# its narHash. A directory holding `python.wasm` (and `lib/`) is taken as it is: that is an
# explicit `--override-input python-wasm path:DIR`, as the tests do with a python.wasm built by
# tools/build_python_wasm.sh.
{ runCommand, src
, sha256 ? "e5dc5a398b07b54ea8fdb503bf68fb583d533f10ec3f930963e02b9505f7a763" }:
let
  path = "${src}";
  # A fixed-output fetch (nix/default.nix without the flake) is pinned by its own hash: reading
  # the file at evaluation would build it first.
  fetched = src ? drvPath;
  isDir = !fetched && builtins.pathExists "${path}/python.wasm";
  got = if fetched then src.outputHash else builtins.hashFile "sha256" path;
in
if isDir then
  runCommand "python-wasm" { } ''
    mkdir -p $out
    cp ${path}/python.wasm $out/python.wasm
    if [ -d ${path}/lib ]; then cp -r ${path}/lib $out/lib; fi
  ''
else if got != sha256 then
  throw "nix/python-wasm.nix: the python-wasm input ${path} has sha256 ${got}, not the pinned ${sha256}"
else
  runCommand "python-wasm-3.12.0" { } ''
    mkdir -p $out
    cp ${path} $out/python.wasm
  ''
