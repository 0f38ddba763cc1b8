# `nix flake check`: formatting, lint, type checks and the unit tests, inside the Nix sandbox with
# no network: Deno reads the npm packages from the lock-driven cache (nix/deno-deps.nix) and
# never asks the registry (`--frozen --cached-only`).
{ runCommand, deno, src, denoDeps }:
let
  v8Flags = "--v8-flags=--enable-experimental-regexp-engine,--enable-experimental-regexp-engine-on-excessive-backtracks";
  withDeps = name: script: runCommand "rlm-check-${name}" { } ''
    export HOME=$TMPDIR DENO_DIR=$TMPDIR/deno DENO_NO_UPDATE_CHECK=1 PATH=${deno}/bin:$PATH
    mkdir -p $DENO_DIR && ln -s ${denoDeps}/npm $DENO_DIR/npm
    cp -r ${src} $TMPDIR/src && chmod -R u+w $TMPDIR/src && cd $TMPDIR/src
    ${script}
    touch $out
  '';
in
{
  deno-deps = denoDeps;
  fmt = withDeps "fmt" "deno fmt --check";
  lint = withDeps "lint" "deno lint";
  check = withDeps "check" "deno check --frozen --cached-only main.ts mod.ts src";
  unit = withDeps "unit" ''
    deno test --frozen --cached-only ${v8Flags} --allow-all src tests/spec/ops_local_test.ts
  '';
}
