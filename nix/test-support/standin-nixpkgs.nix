# A stand-in for nixpkgs, used only by tests/flake_test.ts: our machines have Nix 2.8 and cannot
# fetch nixpkgs. It gives the few attributes flake.nix and nix/*.nix use, made from busybox and
# this machine's programs; the test lays it out as a flake folder:
#   bin/busybox and its applets, pkgs/bash/bin/bash, pkgs/nix/bin/nix*, pkgs/wasmtime/bin/.
# stdenv.mkDerivation only unpacks `src` and runs `installPhase` (no autoPatchelf: the builds
# run on this machine's glibc, which the test's sandbox paths expose).
{
  outputs = { self }:
    let
      bin = "${self}/bin";
      pkgsFor = system:
        let
          pkgs = {
            inherit system;
            runCommand = name: env: script: derivation ((removeAttrs env [ "meta" ]) // {
              inherit name system;
              builder = "${bin}/busybox";
              args = [ "sh" "-e" "-c" script ]; # errexit, as nixpkgs' stdenv
              PATH = bin;
            });
            stdenv = {
              hostPlatform = { inherit system; };
              cc.cc.lib = null;
              mkDerivation = a: pkgs.runCommand "${a.pname}-${a.version}" { inherit (a) src; } ''
                runHook() { :; }
                tar -xzo -f $src && cd ${a.sourceRoot}
                ${a.installPhase}
              '';
            };
            autoPatchelfHook = null;
            fetchurl = import <nix/fetchurl.nix>;
            callPackage = f: args:
              let fn = import f;
              in fn (builtins.intersectAttrs (builtins.functionArgs fn) pkgs // args);
            bash = "${self}/pkgs/bash";
            coreutils = self;
            nix = "${self}/pkgs/nix";
            wasmtime = "${self}/pkgs/wasmtime";
            ripgrep = self;
            mkShell = a: pkgs.runCommand "rlm-shell" { } "echo ${toString a.packages} > $out";
            nixfmt-tree = pkgs.runCommand "nixfmt-tree" { } "mkdir -p $out/bin";
          };
        in
        pkgs;
    in
    {
      legacyPackages = builtins.listToAttrs (map (s: { name = s; value = pkgsFor s; })
        [ "x86_64-linux" "aarch64-linux" "x86_64-darwin" "aarch64-darwin" ]);
    };
}
