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
      forAllSystems = f: builtins.listToAttrs (map
        (system: { name = system; value = f system nixpkgs.legacyPackages.${system}; })
        systems);
      rlmFor = pkgs: import ./nix/default.nix { inherit pkgs; src = self; pythonWasmSrc = python-wasm; };
    in
    {
      packages = forAllSystems (_: pkgs: rec {
        rlm = (rlmFor pkgs).rlm;
        deno = (rlmFor pkgs).deno;
        python-wasm = (rlmFor pkgs).pythonWasm;
        default = rlm;
      });

      apps = forAllSystems (system: _: rec {
        rlm = { type = "app"; program = "${self.packages.${system}.rlm}/bin/rlm"; };
        default = rlm;
      });

      devShells = forAllSystems (_: pkgs: { default = (rlmFor pkgs).devShell; });

      checks = forAllSystems (_: pkgs: (rlmFor pkgs).checks);

      formatter = forAllSystems (_: pkgs: pkgs.nixfmt-tree); # `nix fmt`: nixfmt (RFC 166 style) on every .nix file
    };
}
