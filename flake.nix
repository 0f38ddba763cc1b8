{
  description = "rlm: answer questions about contexts far larger than a model's window";

  inputs.nixpkgs.url = "github:nixos/nixpkgs/nixos-25.05";

  outputs = { self, nixpkgs }:
    let
      systems = [ "x86_64-linux" "aarch64-linux" "x86_64-darwin" "aarch64-darwin" ];
      forAllSystems = f: nixpkgs.lib.genAttrs systems (system: f nixpkgs.legacyPackages.${system});
      rlmFor = pkgs: import ./nix/default.nix { inherit pkgs; src = self; };
    in
    {
      packages = forAllSystems (pkgs: rec {
        rlm = (rlmFor pkgs).rlm;
        python-wasm = (rlmFor pkgs).pythonWasm;
        default = rlm;
      });

      apps = forAllSystems (pkgs: rec {
        rlm = { type = "app"; program = "${self.packages.${pkgs.system}.rlm}/bin/rlm"; };
        default = rlm;
      });

      devShells = forAllSystems (pkgs: { default = pkgs.callPackage ./nix/devshell.nix { }; });

      checks = forAllSystems (pkgs: pkgs.callPackage ./nix/checks.nix {
        src = self;
        inherit (rlmFor pkgs) denoDeps;
      });

      formatter = forAllSystems (pkgs: pkgs.nixpkgs-fmt);
    };
}
