# Wires the parts together from nixpkgs; flake.nix and plain `nix-build nix/` both use it.
{ pkgs ? import <nixpkgs> { }, src ? ../. }:
rec {
  pythonWasm = pkgs.callPackage ./python-wasm.nix { };
  denoDeps = pkgs.callPackage ./deno-deps.nix { inherit src; };
  rlm = pkgs.callPackage ./package.nix {
    inherit src denoDeps pythonWasm;
    inherit (pkgs) runCommand deno wasmtime bash;
    nix = pkgs.nix;
  };
}
