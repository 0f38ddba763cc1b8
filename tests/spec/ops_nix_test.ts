import { createNixExecutor } from "../../src/exec/nix/nix_executor.ts";
import { defineConformanceTests } from "./conformance.ts";
import { needNix } from "../_tools.ts";

const noNix = await needNix();
const cacheDir = await Deno.makeTempDir({ prefix: "rlm-nix-conformance-" });

defineConformanceTests(
  noNix ? `nix (skipped: ${noNix})` : "nix",
  () => createNixExecutor({ cacheDir }),
  { ignore: noNix !== undefined },
);
