# The pinned WASI CPython of SPEC §6: the vmware-labs release python/3.12.0+20231211-040d5a6.
# Checked here only by reading: our machines cannot fetch it (see docs/how-to/nix.md).
{ runCommand, fetchurl }:
let
  wasm = fetchurl {
    url = "https://github.com/vmware-labs/webassembly-language-runtimes/releases/download/python%2F3.12.0%2B20231211-040d5a6/python-3.12.0.wasm";
    sha256 = "e5dc5a398b07b54ea8fdb503bf68fb583d533f10ec3f930963e02b9505f7a763";
  };
in
runCommand "python-wasm-3.12.0" { } ''
  mkdir -p $out
  cp ${wasm} $out/python.wasm
''
