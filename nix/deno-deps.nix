# The project's npm dependencies, fetched by Deno into a DENO_DIR, as a fixed-output
# derivation: the only step with network access. What makes a DENO_DIR differ between two
# fetches of the same lockfile is dropped: the registry metadata (`registry.json`, which grows
# as packages publish new versions; the lockfile pins everything it would give) and Deno's own
# build caches.
{ stdenvNoCC, deno, src, cacert,
  # Update with: nix build .#checks.<system>.deno-deps 2>&1 | grep got:
  hash ? "sha256-AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=" }:
stdenvNoCC.mkDerivation {
  pname = "rlm-deno-deps";
  version = "0.1.0";
  inherit src;
  nativeBuildInputs = [ deno ];
  dontConfigure = true;
  buildPhase = ''
    export HOME=$TMPDIR DENO_DIR=$out DENO_NO_UPDATE_CHECK=1 SSL_CERT_FILE=${cacert}/etc/ssl/certs/ca-bundle.crt
    deno cache --frozen --lock=deno.lock main.ts mod.ts src/sandbox/pyodide_runner.ts src/sandbox/wasi_runner.ts
    find $out -name registry.json -delete
    rm -rf $out/gen $out/dep_analysis_cache_v* $out/node_analysis_cache_v* $out/check_cache_v* $out/*.lock
  '';
  installPhase = "true";
  outputHashMode = "recursive";
  outputHashAlgo = "sha256";
  outputHash = hash;
}
