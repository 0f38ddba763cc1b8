# Deno, pinned to the version the team uses (2.9.6), from its npm platform packages: the same
# binaries the `deno` npm package installs. With it, the esbuild binary `deno bundle` fetches on
# first use (esbuild 0.25.5 for Deno 2.9.6, from `@esbuild/<platform>`), laid out where Deno
# looks for it (`$DENO_DIR/dl/esbuild-0.25.5-1/esbuild-<platform>`): the nix executor bundles its
# builders with `deno bundle`, offline. The hashes are the registry's `dist.integrity`
# (`npm view NAME@VERSION dist.integrity`), checked against the downloaded tarballs.
# On Linux Deno is linked against glibc: autoPatchelfHook points it at nixpkgs' glibc and
# libgcc_s (esbuild is static). nixpkgs' own `deno` does not decide the version.
{ stdenv, autoPatchelfHook, fetchurl ? import <nix/fetchurl.nix> }:
let
  version = "2.9.6";
  esbuildVersion = "0.25.5";
  inherit (stdenv.hostPlatform) system;
  platforms = {
    x86_64-linux = {
      deno = { pkg = "linux-x64-glibc"; hash = "sha512-3md4TKLCuzsLDmfOoC5KN7NAZaxSVkMgm64vg6foD00JBADCpYS2/5QqXfzgnP5ZQz3iLP9vBQJtEgc116OAoQ=="; };
      esbuild = { pkg = "linux-x64"; hash = "sha512-uhj8N2obKTE6pSZ+aMUbqq+1nXxNjZIIjCjGLfsWvVpy7gKCOL6rsY1MhRh9zLtUtAI7vpgLMK6DxjO8Qm9lJw=="; };
    };
    aarch64-linux = {
      deno = { pkg = "linux-arm64-glibc"; hash = "sha512-poqhoH9B3nYloigEMPT5t8HY+wBeiuea1An5Q7fqgJzP0SYmWsoS/oUnWO/pEiA4ofzIBy1Elt/in58xKtxEoQ=="; };
      esbuild = { pkg = "linux-arm64"; hash = "sha512-Z9kfb1v6ZlGbWj8EJk9T6czVEjjq2ntSYLY2cw6pAZl4oKtfgQuS4HOq41M/BcoLPzrUbNd+R4BXFyH//nHxVg=="; };
    };
    x86_64-darwin = {
      deno = { pkg = "darwin-x64"; hash = "sha512-tPi3CWPRdjW1MaWlvWjORE7Ass5SADdWdj1BF1Q1PEdzi+5u/mC5YhmZzniMiPr81PpaFeqjXaLAsfb8lFsZ0Q=="; };
      esbuild = { pkg = "darwin-x64"; hash = "sha512-1iT4FVL0dJ76/q1wd7XDsXrSW+oLoquptvh4CLR4kITDtqi2e/xwXwdCVH8hVHU43wgJdsq7Gxuzcs6Iq/7bxQ=="; };
    };
    aarch64-darwin = {
      deno = { pkg = "darwin-arm64"; hash = "sha512-V8uO1Aolrl/yvdMb5lOtgtigs8YuZBjrOrgviVMiYkQ0swymFfzkae1wZak4Xi24t7vf7d/eiMb/7ryjjVm+tg=="; };
      esbuild = { pkg = "darwin-arm64"; hash = "sha512-GtaBgammVvdF7aPIgH2jxMDdivezgFu6iKpmT+48+F8Hhg5J/sfnDieg0aeG/jfSvkYQU2/pceFPDKlqZzwnfQ=="; };
    };
  };
  platform = platforms.${system} or (throw
    "nix/deno.nix: no Deno ${version} binary for ${system}; it has ${builtins.concatStringsSep ", " (builtins.attrNames platforms)}");
  isLinux = builtins.match ".*-linux" system != null;
  esbuild = fetchurl {
    url = "https://registry.npmjs.org/@esbuild/${platform.esbuild.pkg}/-/${platform.esbuild.pkg}-${esbuildVersion}.tgz";
    inherit (platform.esbuild) hash;
  };
  # nix/package.nix links this folder as `$DENO_DIR/dl/esbuild-0.25.5-1`.
  esbuildDir = "share/deno/dl/esbuild-${esbuildVersion}-1";
in
stdenv.mkDerivation {
  pname = "deno";
  inherit version;
  src = fetchurl {
    url = "https://registry.npmjs.org/@deno/${platform.deno.pkg}/-/${platform.deno.pkg}-${version}.tgz";
    inherit (platform.deno) hash;
  };
  sourceRoot = "package";
  nativeBuildInputs = if isLinux then [ autoPatchelfHook ] else [ ];
  buildInputs = if isLinux then [ stdenv.cc.cc.lib ] else [ ];
  dontConfigure = true;
  dontBuild = true;
  dontStrip = true;
  installPhase = ''
    runHook preInstall
    mkdir -p $out/bin $out/${esbuildDir}
    cp deno $out/bin/deno
    tar -xzo -f ${esbuild} package/bin/esbuild
    cp package/bin/esbuild $out/${esbuildDir}/esbuild-${platform.esbuild.pkg}
    chmod 755 $out/bin/deno $out/${esbuildDir}/esbuild-${platform.esbuild.pkg}
    runHook postInstall
  '';
  meta.mainProgram = "deno";
}
