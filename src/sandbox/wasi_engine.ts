/**
 * Which engine runs a WASI `python.wasm` (docs/explanation/sandbox.md): `wasmtime` when it is on PATH, else Deno's
 * own WebAssembly engine with a WASI shim. `RLM_WASI_ENGINE` forces one.
 *
 * @module
 */
import { UsageError } from "../protocol/errors.ts";

/** The engine asked for: `auto` (wasmtime if on PATH, else the shim), `shim` or `wasmtime`. */
export type WasiEngineChoice = "auto" | "shim" | "wasmtime";

const CHOICES: readonly WasiEngineChoice[] = ["auto", "shim", "wasmtime"];

/** Parse `RLM_WASI_ENGINE` (undefined or empty: `auto`); a bad value is a `UsageError`. */
export function parseWasiEngine(text: string | undefined): WasiEngineChoice {
  if (text === undefined || text.trim() === "") return "auto";
  const value = text.trim() as WasiEngineChoice;
  if (!CHOICES.includes(value)) {
    throw new UsageError(
      `Invalid RLM_WASI_ENGINE "${text}": give ${CHOICES.join(", ")} (default auto)`,
    );
  }
  return value;
}

/**
 * The first executable file called `name` in the folders of `path` (a PATH-style list), as an
 * absolute path, or `undefined`.
 */
export function findExecutable(name: string, path: string): string | undefined {
  for (const dir of path.split(":")) {
    if (!dir.startsWith("/")) continue; // relative PATH entries depend on the cwd: ignore them
    const file = `${dir.replace(/\/$/, "")}/${name}`;
    try {
      const info = Deno.statSync(file);
      if (info.isFile && info.mode !== null && (info.mode & 0o111) !== 0) return file;
    } catch { /* not there */ }
  }
  return undefined;
}

/**
 * The wasmtime executable to use for `choice`, or `undefined` for the shim. `wasmtime` forced
 * but not found is a `UsageError`.
 */
export function resolveWasiEngine(
  choice: WasiEngineChoice,
  path: string,
): string | undefined {
  if (choice === "shim") return undefined;
  const wasmtime = findExecutable("wasmtime", path);
  if (choice === "wasmtime" && !wasmtime) {
    throw new UsageError(
      "RLM_WASI_ENGINE=wasmtime, but there is no wasmtime executable on PATH: install wasmtime or set RLM_WASI_ENGINE=auto",
    );
  }
  return wasmtime;
}
