import { createNixExecutor } from "../../src/exec/nix/nix_executor.ts";
import { defineConformanceTests } from "./conformance.ts";
import { needNix } from "../_tools.ts";

const cacheDir = await Deno.makeTempDir({ prefix: "rlm-nix-conformance-" });

defineConformanceTests("nix", () => createNixExecutor({ cacheDir }), { skip: await needNix() });
