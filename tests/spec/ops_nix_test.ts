import { createNixExecutor } from "../../src/exec/nix/nix_executor.ts";
import { defineConformanceTests } from "./conformance.ts";
import { needNix } from "../_tools.ts";

defineConformanceTests("nix", async () => {
  const cacheDir = await Deno.makeTempDir({ prefix: "rlm-nix-conformance-" });
  globalThis.addEventListener("unload", () => Deno.removeSync(cacheDir, { recursive: true }));
  return createNixExecutor({ cacheDir });
}, { skip: await needNix() });
