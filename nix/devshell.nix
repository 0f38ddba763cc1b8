# `nix develop`: what working on rlm needs.
{ mkShell, deno, nix, wasmtime, ripgrep, chromium ? null }:
mkShell {
  packages = [ deno nix wasmtime ripgrep ] ++ (if chromium == null then [ ] else [ chromium ]);
  shellHook = ''
    echo "rlm dev shell: deno task test | deno task ok | deno task rlm --help"
  '';
}
