/**
 * Input values in the Nix store: each value an op derivation reads is a store path of its entry,
 * added once and found again through the index by its hash.
 *
 * @module
 */
import { encodeEntry } from "../../cache/file_store.ts";
import type { NixIndex } from "../../cache/nix_index.ts";
import type { Binding } from "../../protocol/value.ts";
import { nix, tail } from "./_nix_cli.ts";

/** Store paths of `values` by hash, adding the ones not there yet in one `nix-store --add`. */
export async function addValues(index: NixIndex, values: Binding[]): Promise<Map<string, string>> {
  const found = new Map<string, string>();
  const missing: Binding[] = [];
  for (const b of values) {
    const p = await index.read("value", b.hash);
    if (p) found.set(b.hash, p);
    else missing.push(b);
  }
  if (missing.length === 0) return found;
  const dir = await Deno.makeTempDir({ prefix: "rlm-nix-values-" });
  try {
    const files: string[] = [];
    for (const [k, b] of missing.entries()) {
      // Same name for every value: the store path then depends on the content alone.
      await Deno.mkdir(`${dir}/${k}`);
      const f = `${dir}/${k}/rlm-value`;
      await Deno.writeFile(f, encodeEntry(b.value));
      files.push(f);
    }
    const r = await nix("nix-store", ["--add", ...files]);
    if (r.code !== 0) throw new Error(`Cannot add values to the Nix store: ${tail(r.stderr)}`);
    const added = r.stdout.trim().split("\n");
    for (const [k, b] of missing.entries()) {
      found.set(b.hash, added[k]);
      await index.write("value", b.hash, added[k]);
    }
    return found;
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}
