# Wires the parts together from nixpkgs; flake.nix and plain `nix-build nix/` both use it.
# Without the flake, the python.wasm release is fetched by its known sha256.
{ pkgs ? import <nixpkgs> { }
, src ? ../.
, pythonWasmSrc ? import <nix/fetchurl.nix> {
    url = "https://github.com/vmware-labs/webassembly-language-runtimes/releases/download/python%2F3.12.0%2B20231211-040d5a6/python-3.12.0.wasm";
    sha256 = "e5dc5a398b07b54ea8fdb503bf68fb583d533f10ec3f930963e02b9505f7a763";
  }
}:
rec {
  deno = pkgs.callPackage ./deno.nix { };
  pythonWasm = pkgs.callPackage ./python-wasm.nix { src = pythonWasmSrc; };
  denoDeps = pkgs.callPackage ./deno-deps.nix { lockFile = "${src}/deno.lock"; };
  rlm = pkgs.callPackage ./package.nix { inherit src deno denoDeps pythonWasm; };
  checks = pkgs.callPackage ./checks.nix { inherit src deno denoDeps; };
  devShell = pkgs.callPackage ./devshell.nix { inherit deno; };
}
