/**
 * The command line of a Deno sandbox child (the Pyodide runner and the WASI shim runner): no
 * permission but reading the exact files it needs, every other one denied outright, no remote
 * or uncached module, the project's lockfile frozen, the JS heap and Wasm memory capped by V8
 * flags, and, on Linux with `/bin/sh`, the whole process's memory capped by the OS (`ulimit -d`,
 * RLIMIT_DATA).
 *
 * @module
 */
import type { ChildCommand } from "./_child.ts";
import { fromFileUrl } from "./_paths.ts";

/** The import map children use: the project's pinned npm imports (see its test). */
export const CHILD_IMPORT_MAP = fromFileUrl(new URL("./child_import_map.json", import.meta.url));
/** The project's lockfile: children resolve their npm imports through it, frozen. */
export const PROJECT_LOCK = fromFileUrl(new URL("../../deno.lock", import.meta.url));

/** Permissions a child never has. */
const DENIED = ["net", "env", "run", "ffi", "sys", "write", "import"];

/**
 * Memory the child may map beyond its Wasm memory, JS heap and in-memory files: Deno, V8 and
 * the interpreter's own code and data (measured: Pyodide at a 64 MB limit needs about 700 MB of RLIMIT_DATA in all to start).
 */
export const CHILD_BASE_MB = 700;

/** The data-segment limit of a child whose evaluations may use `memoryMb`, in bytes. */
export function childDataLimitBytes(memoryMb: number): number {
  const heapMb = Math.max(64, Math.floor(memoryMb / 2));
  return (CHILD_BASE_MB + memoryMb + heapMb + Math.ceil(memoryMb / 4)) * 1024 * 1024;
}

/** The `deno run` arguments of a child running `runner` that may read `readable` only. */
export function childArgs(
  runner: string,
  readable: string[],
  memoryMb: number,
  runnerArgs: string[],
): string[] {
  return [
    "run",
    "--no-prompt",
    "--no-config",
    "--no-remote",
    "--cached-only",
    `--lock=${PROJECT_LOCK}`,
    "--frozen",
    `--import-map=${CHILD_IMPORT_MAP}`,
    `--v8-flags=--max-old-space-size=${
      Math.max(64, Math.floor(memoryMb / 2))
    },--wasm-max-mem-pages=${Math.floor(memoryMb * 16)}`,
    `--allow-read=${readable.join(",")}`,
    ...DENIED.map((p) => `--deny-${p}`),
    runner,
    ...runnerArgs,
  ];
}

/**
 * `deno <args>` as a sandbox child, with no environment but `NO_COLOR=1` and where Deno finds its
 * packages (`DENO_DIR`), and, when `memoryMb` is given, under
 * an OS limit on its data segment on Linux (`/bin/sh -c "ulimit -d ..."`; measured there).
 */
export function denoCommand(args: string[], memoryMb?: number): ChildCommand {
  // Only where Deno finds its npm packages (a vendored DENO_DIR, e.g. in the Nix package).
  const dir = Deno.env.get("DENO_DIR");
  const env: Record<string, string> = { NO_COLOR: "1", ...(dir ? { DENO_DIR: dir } : {}) };
  if (memoryMb === undefined || !hasShell()) return { program: Deno.execPath(), args, env };
  const kb = Math.ceil(childDataLimitBytes(memoryMb) / 1024);
  return {
    program: "/bin/sh",
    args: ["-c", `ulimit -d ${kb} && exec "$0" "$@"`, Deno.execPath(), ...args],
    env,
  };
}

let shell: boolean | undefined;
function hasShell(): boolean {
  if (shell === undefined) {
    try {
      shell = Deno.build.os === "linux" && Deno.statSync("/bin/sh").isFile;
    } catch {
      shell = false;
    }
  }
  return shell;
}
