# `nix flake check`: formatting, lint, type checks and the unit tests, inside the Nix sandbox
# (no network: the npm dependencies come from the vendored DENO_DIR).
{ runCommand, deno, src, denoDeps }:
let
  withDeps = name: script: runCommand "rlm-check-${name}" { nativeBuildInputs = [ deno ]; } ''
    export HOME=$TMPDIR DENO_DIR=$TMPDIR/deno DENO_NO_UPDATE_CHECK=1
    cp -r ${denoDeps} $DENO_DIR && chmod -R u+w $DENO_DIR
    cp -r ${src} $TMPDIR/src && chmod -R u+w $TMPDIR/src && cd $TMPDIR/src
    ${script}
    touch $out
  '';
in
{
  deno-deps = denoDeps;
  fmt = withDeps "fmt" "deno fmt --check";
  lint = withDeps "lint" "deno lint";
  check = withDeps "check" "deno check --cached-only main.ts mod.ts src";
  unit = withDeps "unit" ''
    deno test --cached-only --v8-flags=--enable-experimental-regexp-engine,--enable-experimental-regexp-engine-on-excessive-backtracks \
      --allow-all src tests/spec/ops_local_test.ts
  '';
}
