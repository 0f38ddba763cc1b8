# The rlm CLI: the sources, the vendored npm dependencies and a wrapper that runs them with a
# pinned Deno, offline (--cached-only), with the permissions the CLI needs, the nix executor and
# the pinned python.wasm by default. A callPackage-style function: tests call it with stand-ins
# built from what is on the machine (tests/flake_test.ts).
{ runCommand, deno, wasmtime, nix, bash, denoDeps, pythonWasm, src, version ? "0.1.0" }:
let
  binPath = builtins.concatStringsSep ":" (map (p: "${p}/bin") [ wasmtime nix ]);
  v8Flags = "--v8-flags=--enable-experimental-regexp-engine,--enable-experimental-regexp-engine-on-excessive-backtracks";
in
runCommand "rlm-${version}" {
  inherit src denoDeps;
  meta.mainProgram = "rlm";
} ''
  mkdir -p $out/share/rlm $out/bin
  cp -r $src/deno.json $src/deno.lock $src/main.ts $src/mod.ts $src/src $out/share/rlm/
  cat > $out/bin/rlm <<WRAPPER
  #!${bash}/bin/bash
  # Deno writes small caches into its DENO_DIR: give it a writable copy of the vendored one.
  deno_dir="\''${XDG_CACHE_HOME:-\$HOME/.cache}/rlm/deno-$(basename ${denoDeps})"
  if [ ! -d "\$deno_dir" ]; then
    mkdir -p "\$(dirname "\$deno_dir")" && cp -r ${denoDeps} "\$deno_dir.tmp.\$\$" && chmod -R u+w "\$deno_dir.tmp.\$\$" \
      && mv "\$deno_dir.tmp.\$\$" "\$deno_dir" 2>/dev/null || rm -rf "\$deno_dir.tmp.\$\$"
  fi
  export DENO_DIR="\$deno_dir" DENO_NO_UPDATE_CHECK=1
  export RLM_EXECUTOR="\''${RLM_EXECUTOR:-nix}"
  export RLM_WASM_PYTHON="\''${RLM_WASM_PYTHON:-${pythonWasm}/python.wasm}"
  export PATH="${binPath}:\$PATH"
  exec ${deno}/bin/deno run --cached-only --no-prompt ${v8Flags} \
    --config $out/share/rlm/deno.json \
    --allow-read --allow-write --allow-env --allow-net --allow-run --allow-sys \
    $out/share/rlm/main.ts "\$@"
  WRAPPER
  chmod +x $out/bin/rlm
''
