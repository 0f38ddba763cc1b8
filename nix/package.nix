# The rlm CLI: the sources, the npm dependencies from deno.lock (nix/deno-deps.nix), and a
# wrapper `bin/rlm` that runs them with the pinned Deno (nix/deno.nix), offline and frozen, with
# the permissions and V8 flags of deno.json's `rlm` task, the nix executor and the pinned
# python.wasm by default, and wasmtime on its PATH. A callPackage-style function: tests build it
# through flake.nix with a stand-in nixpkgs (tests/flake_test.ts).
{ runCommand, deno, wasmtime, nix, bash, coreutils, denoDeps, pythonWasm, src }:
let
  denoJson = builtins.fromJSON (builtins.readFile "${src}/deno.json");
  # "deno run <flags> main.ts": the wrapper runs with the same flags as `deno task rlm`.
  task = builtins.match "deno run (.*) main\\.ts" (denoJson.tasks.rlm or "");
  # The wrapper passes --frozen --cached-only itself; the task may too.
  flags = if task == null
    then throw "nix/package.nix: deno.json's rlm task is not \"deno run <flags> main.ts\""
    else builtins.concatStringsSep " " (builtins.filter
      (w: builtins.isString w && !(builtins.elem w [ "" "--frozen" "--cached-only" ]))
      (builtins.split " " (builtins.head task)));
  inherit (denoJson) version;
  esbuildDir = "share/deno/dl/esbuild-0.25.5-1"; # as nix/deno.nix installs it
  esbuild = builtins.baseNameOf esbuildDir;
  # One folder per (dependencies, Deno) pair: its links never point at another build's paths.
  denoDir = "rlm/deno/${builtins.baseNameOf "${denoDeps}"}-${
    builtins.substring 0 8 (builtins.baseNameOf "${deno}")}";
in
runCommand "rlm-${version}" { meta.mainProgram = "rlm"; } ''
  mkdir -p $out/share/rlm $out/bin
  cp -r ${src}/deno.json ${src}/deno.lock ${src}/main.ts ${src}/mod.ts ${src}/src $out/share/rlm/
  cat > $out/bin/rlm <<WRAPPER
  #!${bash}/bin/bash
  # Deno reads the npm packages from the store (read-only, through a symlink) and writes its
  # own small caches (compiled code, analysis) next to it.
  deno_dir="\''${XDG_CACHE_HOME:-\$HOME/.cache}/${denoDir}"
  # The esbuild that \`deno bundle\` runs (the nix executor bundles its builders) comes with Deno.
  if [ ! -L "\$deno_dir/npm" ] || [ ! -L "\$deno_dir/dl/${esbuild}" ]; then
    ${coreutils}/bin/mkdir -p "\$deno_dir/dl" \\
      && ${coreutils}/bin/ln -sfn ${denoDeps}/npm "\$deno_dir/npm" \\
      && ${coreutils}/bin/ln -sfn ${deno}/${esbuildDir} "\$deno_dir/dl/${esbuild}" 2>/dev/null
  fi
  export DENO_DIR="\$deno_dir" DENO_NO_UPDATE_CHECK=1
  export RLM_EXECUTOR="\''${RLM_EXECUTOR:-nix}"
  export RLM_WASM_PYTHON="\''${RLM_WASM_PYTHON:-${pythonWasm}/python.wasm}"
  # wasmtime from nixpkgs first; the user's own Nix (and its daemon) before nixpkgs' nix.
  export PATH="${wasmtime}/bin:\$PATH:${nix}/bin"
  exec ${deno}/bin/deno run --frozen --cached-only --no-prompt ${flags} \
    --config $out/share/rlm/deno.json $out/share/rlm/main.ts "\$@"
  WRAPPER
  chmod +x $out/bin/rlm
''
