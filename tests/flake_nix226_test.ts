/**
 * The real flake.nix under Nix 2.26.3 (a Debian trixie chroot: tools/nix226_chroot.sh), with the
 * stand-in nixpkgs: `nix run .#rlm` (`--version`, `exec` on the nix executor, `eval` on the
 * flake's python.wasm) and `nix flake check`, which builds every check (fmt, lint, type check,
 * unit tests) in the sandbox. Runs only when asked: RLM_TEST_NIX226=1 and RLM_NIX226_ROOT=DIR.
 */
import { assertEquals } from "./_assert.ts";
import {
  copyProject,
  makeStandInNixpkgs,
  NIX_CONFIG,
  pythonWasmOverride,
  run,
} from "./_flake_fixture.ts";

const root = Deno.env.get("RLM_NIX226_ROOT") ?? "";
const hasChroot = (() => {
  try {
    return Deno.statSync(`${root}/usr/bin/nix`).isFile;
  } catch {
    return false;
  }
})();
const why = Deno.env.get("RLM_TEST_NIX226") !== "1"
  ? "set RLM_TEST_NIX226=1 and RLM_NIX226_ROOT=DIR (tools/nix226_chroot.sh DIR makes one)"
  : !hasChroot
  ? `no Nix in the chroot RLM_NIX226_ROOT="${root}": run tools/nix226_chroot.sh DIR`
  : "";

Deno.test({
  name: `Nix 2.26: nix run .#rlm and nix flake check on the real flake${
    why ? ` (skipped: ${why})` : ""
  }`,
  ignore: why !== "",
  async fn() {
    const inside = `/tmp/rlm-flake226-${crypto.randomUUID().slice(0, 8)}`;
    const t = `${root}${inside}`;
    try {
      await copyProject(`${t}/src`);
      await makeStandInNixpkgs(`${t}/nixpkgs`, { wasmtime: false }); // its python is the host's
      const py = await pythonWasmOverride(`${t}/python-wasm`);
      const flake = [
        "--no-write-lock-file",
        "--override-input",
        "nixpkgs",
        `path:${inside}/nixpkgs`,
        "--override-input",
        "python-wasm",
        `path:${inside}/python-wasm`,
      ];
      const chroot = (args: string[]) =>
        run("chroot", [
          root,
          "env",
          "-i",
          "HOME=/root",
          "PATH=/usr/bin:/bin",
          `NIX_CONFIG=${NIX_CONFIG}`,
          "NIX_SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt",
          ...args,
        ]);
      const version = await chroot(["nix", "--version"]);
      assertEquals(version.stdout.trim(), "nix (Nix) 2.26.3");
      const rlm = (args: string[]) =>
        chroot(["nix", "run", `path:${inside}/src#rlm`, ...flake, "--", ...args]);
      const v = await rlm(["--version"]);
      assertEquals([v.code, v.stdout.trim()], [0, "0.1.0"], v.stderr);
      const ex = await rlm([
        "exec",
        `${inside}/src/docs/examples/errors.plan.json`,
        "-c",
        `${inside}/src/docs/examples/app.log`,
        "--json",
      ]);
      assertEquals(ex.code, 0, ex.stderr);
      assertEquals(JSON.parse(ex.stdout).value, "25");
      if (py) {
        const plan = { operations: [{ op: "eval", args: { code: "print(6 * 7)" } }] };
        await Deno.writeTextFile(`${t}/eval.json`, JSON.stringify(plan));
        const ev = await rlm([
          "exec",
          `${inside}/eval.json`,
          "-c",
          `${inside}/src/docs/examples/app.log`,
        ]);
        assertEquals([ev.code, ev.stdout.trim()], [0, "42"], ev.stderr);
      }
      const check = await chroot(["nix", "flake", "check", "-L", `path:${inside}/src`, ...flake]);
      assertEquals(check.code, 0, check.stderr.slice(-3000));
    } finally {
      await Deno.remove(t, { recursive: true }).catch(() => {});
    }
  },
});
