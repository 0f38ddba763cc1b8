/**
 * What every op derivation needs in the store: the Deno binary and the bundled builder. Both are
 * added once and remembered in the cache dir, so later runs skip hashing 95 MB of Deno.
 *
 * @module
 */
import { createHash } from "node:crypto";
import { fileURLToPath } from "node:url";
import { NIX_STORE_DIR } from "../../cache/nix_index.ts";
import { nix, nixOk, tail } from "./_nix_cli.ts";

/** Store paths of the builder's parts. */
export interface BuilderPaths {
  deno: string;
  /** The builder of pure ops, a bundle of `builder_main.ts`. */
  builder: string;
  /**
   * The WASI python.wasm, its stdlib zip (none for a python.wasm with its standard library
   * packed inside) and the builder of sandbox ops (a bundle of `sandbox_builder_main.ts`), when
   * eval runs as a derivation.
   */
  python?: { wasm: string; stdlib?: string; builder: string };
  /** A build hook that declines at once (see `declineHook`). */
  hook: string;
}

const SRC = fileURLToPath(new URL("../../", import.meta.url));

/** Check Nix is there, new enough, and its store writable; add Deno and the builder. */
export async function setupBuilder(
  stateDir: string,
  wasiPython?: { wasm: string; stdlib?: string },
): Promise<BuilderPaths> {
  await Deno.mkdir(stateDir, { recursive: true });
  await checkNix(stateDir);
  const hook = await declineHook(stateDir);
  // A Deno already in the store (the flake's package) is used where it is, so the builds get
  // its closure (nixpkgs' glibc, which its loader path points at); a copy would lose it.
  const deno = Deno.execPath().startsWith(`${NIX_STORE_DIR}/`) ? Deno.execPath() : await addOnce(
    stateDir,
    "deno",
    Deno.execPath(),
    await fileFingerprint(Deno.execPath()),
  );
  const fingerprint = await sourceFingerprint();
  const builder = await addBundle(stateDir, "builder_main.ts", "rlm-builder.js", fingerprint);
  if (!wasiPython) return { deno, builder, hook };
  const stdlib = wasiPython.stdlib;
  const python = {
    wasm: await addOnce(
      stateDir,
      "python-wasm",
      wasiPython.wasm,
      await fileFingerprint(wasiPython.wasm),
      "python.wasm",
    ),
    stdlib: stdlib === undefined ? undefined : await addOnce(
      stateDir,
      "python-stdlib",
      stdlib,
      await fileFingerprint(stdlib),
      stdlib.slice(stdlib.lastIndexOf("/") + 1),
    ),
    builder: await addBundle(
      stateDir,
      "sandbox_builder_main.ts",
      "rlm-sandbox-builder.js",
      fingerprint,
    ),
  };
  return { deno, builder, python, hook };
}

/**
 * A build hook that declines every build for good, the first time it is asked. Nix starts its
 * build hook (`build-remote`, for remote builders) once per invocation that builds something,
 * even with no `builders`, only to hear it decline: ~20 ms of every `nix-build` here, more than
 * the build of a one-byte derivation. rlm never uses remote builders, so it passes this script
 * as `build-hook` (a host-side setting: it enters no derivation). It lives in the store, so a
 * cache dir on a `noexec` file system cannot stop it from running.
 */
async function declineHook(stateDir: string): Promise<string> {
  const script = '#!/bin/sh\necho "# decline-permanently" >&2\nexec cat >/dev/null\n';
  const fingerprint = createHash("sha256").update(script).digest("hex");
  const memo = `${stateDir}/hook-${fingerprint.slice(0, 32)}.path`;
  const known = (await Deno.readTextFile(memo).catch(() => "")).trim();
  if (known && (await exists(known))) return known;
  const dir = await Deno.makeTempDir({ prefix: "rlm-nix-hook-" });
  try {
    const path = `${dir}/rlm-decline-build-hook`;
    await Deno.writeTextFile(path, script, { mode: 0o755 });
    await Deno.chmod(path, 0o755);
    return await addOnce(stateDir, "hook", path, fingerprint);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

/** Check Nix's version, once per Nix installation (remembered by its binary's fingerprint). */
async function checkNix(stateDir: string): Promise<void> {
  const binary = nixStoreBinary();
  const memo = binary &&
    `${stateDir}/nix-checked-${(await fileFingerprint(binary)).slice(0, 32)}`;
  if (memo && (await exists(memo))) return;
  const v = await nix("nix-store", ["--version"]);
  const m = /(\d+)\.(\d+)/.exec(v.stdout);
  if (v.code !== 0 || !m) throw new Error(`Cannot run nix-store: ${tail(v.stderr)}`);
  if (Number(m[1]) < 2 || (Number(m[1]) === 2 && Number(m[2]) < 8)) {
    throw new Error(`The nix executor needs Nix 2.8 or newer; this is ${v.stdout.trim()}`);
  }
  if (memo) await Deno.writeTextFile(memo, v.stdout.trim());
}

/** The `nix-store` that PATH gives, resolved through links; undefined if there is none. */
function nixStoreBinary(): string | undefined {
  for (const dir of (Deno.env.get("PATH") ?? "").split(":")) {
    try {
      return Deno.realPathSync(`${dir || "."}/nix-store`);
    } catch { /* not in this folder */ }
  }
  return undefined;
}

/** Add `path` to the store as `name`, unless the path recorded for `fingerprint` is still valid. */
async function addOnce(
  stateDir: string,
  what: string,
  path: string,
  fingerprint: string,
  name?: string,
): Promise<string> {
  const memo = `${stateDir}/${what}-${fingerprint.slice(0, 32)}.path`;
  const known = await Deno.readTextFile(memo).catch(() => "");
  if (known && (await exists(known.trim()))) return known.trim();
  let source = path;
  const dir = name ? await Deno.makeTempDir({ prefix: "rlm-nix-add-" }) : undefined;
  if (dir) {
    source = `${dir}/${name}`;
    await Deno.copyFile(path, source);
  }
  const r = await nix("nix-store", ["--add", source]);
  if (dir) await Deno.remove(dir, { recursive: true });
  if (r.code !== 0) {
    throw new Error(
      `Cannot add ${what} to the Nix store (is it writable by this user? run as root, or use the nix daemon): ${
        tail(r.stderr)
      }`,
    );
  }
  const storePath = r.stdout.trim();
  await Deno.writeTextFile(memo, storePath);
  return storePath;
}

/** Bundle `src/exec/nix/<entry>` (once per source fingerprint) and add it to the store. */
async function addBundle(
  stateDir: string,
  entry: string,
  name: string,
  fingerprint: string,
): Promise<string> {
  const what = name.replace(/^rlm-|\.js$/g, "");
  const bundle = `${stateDir}/${what}-${fingerprint.slice(0, 16)}.js`;
  if (!(await exists(bundle))) await bundleBuilder(entry, bundle);
  return await addOnce(stateDir, what, bundle, fingerprint, name);
}

async function bundleBuilder(entry: string, dest: string): Promise<void> {
  const tmp = `${dest}.tmp-${crypto.randomUUID()}`;
  const out = await new Deno.Command(Deno.execPath(), {
    // Minified: smaller to start, and free of the module-path comments that would name this
    // machine's Deno cache (and so differ between machines).
    // The project's own config (import map, lock), whatever the current directory is.
    args: [
      "bundle",
      "--quiet",
      "--minify",
      "--config",
      `${SRC}../deno.json`,
      `${SRC}exec/nix/${entry}`,
      "-o",
      tmp,
    ],
    stdout: "null",
    stderr: "piped",
  }).output();
  if (out.code !== 0) {
    throw new Error(`Cannot bundle the op builder: ${tail(new TextDecoder().decode(out.stderr))}`);
  }
  await Deno.rename(tmp, dest);
}

/** A fingerprint of the TypeScript sources the builder is made of. */
async function sourceFingerprint(): Promise<string> {
  const h = createHash("sha256");
  const files: string[] = [];
  const walk = async (dir: string) => {
    for await (const e of Deno.readDir(dir)) {
      const p = `${dir}/${e.name}`;
      if (e.isDirectory) await walk(p);
      else if (e.name.endsWith(".ts") && !e.name.endsWith("_test.ts")) files.push(p);
    }
  };
  await walk(SRC.replace(/\/$/, ""));
  for (const f of files.sort()) h.update(f.slice(SRC.length)).update(await Deno.readFile(f));
  return h.digest("hex");
}

async function fileFingerprint(path: string): Promise<string> {
  const info = await Deno.stat(path);
  return createHash("sha256").update(`${path}|${info.size}|${info.mtime?.getTime()}`).digest("hex");
}

async function exists(path: string): Promise<boolean> {
  return await Deno.stat(path).then(() => true, () => false);
}

export { nixOk };
