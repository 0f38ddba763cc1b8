import { createNixExecutor } from "../../src/exec/nix/nix_executor.ts";
import { defineConformanceTests } from "./conformance.ts";

const hasNix = await new Deno.Command("nix-build", {
  args: ["--version"],
  stdout: "null",
  stderr: "null",
})
  .output().then((o) => o.success, () => false);
const cacheDir = await Deno.makeTempDir({ prefix: "rlm-nix-conformance-" });

defineConformanceTests(
  hasNix ? "nix" : "nix (skipped: nix-build is not installed; apt-get install nix-bin)",
  () => createNixExecutor({ cacheDir }),
  { ignore: !hasNix },
);
