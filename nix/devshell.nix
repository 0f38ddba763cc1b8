# `nix develop`: what working on rlm needs, with the pinned Deno (nix/deno.nix).
{ mkShell, deno, nix, wasmtime, ripgrep }:
mkShell {
  packages = [ deno nix wasmtime ripgrep ];
  shellHook = ''
    echo "rlm dev shell: deno task test | deno task ok | deno task rlm --help"
  '';
}
