import { assertEquals, assertThrows } from "../../tests/_assert.ts";
import { UsageError } from "../protocol/errors.ts";
import { findExecutable, parseWasiEngine, resolveWasiEngine } from "./wasi_engine.ts";

Deno.test("RLM_WASI_ENGINE: auto by default, shim or wasmtime, anything else is a usage error", () => {
  assertEquals(parseWasiEngine(undefined), "auto");
  assertEquals(parseWasiEngine(" "), "auto");
  assertEquals(parseWasiEngine("shim"), "shim");
  assertEquals(parseWasiEngine("wasmtime"), "wasmtime");
  assertThrows(() => parseWasiEngine("wasmer"), UsageError, 'Invalid RLM_WASI_ENGINE "wasmer"');
});

Deno.test("the engine: wasmtime when an executable is on PATH, unless the shim is forced", () => {
  const dir = Deno.makeTempDirSync({ prefix: "rlm-engine-" });
  try {
    const empty = Deno.makeTempDirSync({ dir });
    Deno.writeTextFileSync(`${dir}/wasmtime`, "#!/bin/sh\n", { mode: 0o644 });
    // Not executable: not found, so auto falls back to the shim and a forced wasmtime fails.
    assertEquals(findExecutable("wasmtime", `${empty}:${dir}`), undefined);
    assertEquals(resolveWasiEngine("auto", dir), undefined);
    assertThrows(() => resolveWasiEngine("wasmtime", dir), UsageError, "no wasmtime executable");
    Deno.chmodSync(`${dir}/wasmtime`, 0o755);
    assertEquals(resolveWasiEngine("auto", `relative/bin:${empty}:${dir}`), `${dir}/wasmtime`);
    assertEquals(resolveWasiEngine("wasmtime", dir), `${dir}/wasmtime`);
    assertEquals(resolveWasiEngine("shim", dir), undefined);
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});
