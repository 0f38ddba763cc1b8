{
  description = "rlm: answer questions about contexts far larger than a model's window";

  inputs = {
    nixpkgs.url = "github:NixOS/nixpkgs/nixos-25.11";
    # The WASI CPython for `eval` (vmware-labs python/3.12.0+20231211-040d5a6). Its sha256 is
    # checked by nix/python-wasm.nix; flake.lock gets its narHash from the first `nix flake lock`
    # on a machine that can download it (docs/how-to/nix.md).
    python-wasm = {
      type = "file";
      url = "https://github.com/vmware-labs/webassembly-language-runtimes/releases/download/python%2F3.12.0%2B20231211-040d5a6/python-3.12.0.wasm";
      flake = false;
    };
  };

  outputs = { self, nixpkgs, python-wasm }:
    let
      systems = [ "x86_64-linux" "aarch64-linux" "x86_64-darwin" "aarch64-darwin" ];
      # Every system's parts (nix/default.nix), made once: f gets the system name and them.
      forAllSystems = f: builtins.listToAttrs (map
        (system: {
          name = system;
          value = f system (import ./nix/default.nix {
            pkgs = nixpkgs.legacyPackages.${system};
            src = self;
            pythonWasmSrc = python-wasm;
          });
        })
        systems);
    in
    {
      packages = forAllSystems (_: parts: {
        inherit (parts) rlm deno;
        python-wasm = parts.pythonWasm;
        default = parts.rlm;
      });

      apps = forAllSystems (_: parts: rec {
        rlm = { type = "app"; program = "${parts.rlm}/bin/rlm"; };
        default = rlm;
      });

      devShells = forAllSystems (_: parts: { default = parts.devShell; });

      checks = forAllSystems (_: parts: parts.checks);

      # `nix fmt`: nixfmt (RFC 166 style) on every .nix file.
      formatter = forAllSystems (system: _: nixpkgs.legacyPackages.${system}.nixfmt-tree);
    };
}
