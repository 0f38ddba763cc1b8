/**
 * The entry format of `cache/file_store.ts` for the op builder, without `node:crypto`: inside the
 * Nix sandbox there is no code cache, and loading Deno's Node compatibility layer for one hash
 * costs ~40 ms per build (measured), more than the rest of the builder. Hashes come from
 * WebCrypto instead; the bytes are the same (a test compares them with `encodeEntry`).
 *
 * @module
 */
import type { Value } from "../../protocol/value.ts";

/**
 * The first line of an op output that holds an op error instead of a value; the rest is the
 * error's JSON (`OpFailure`).
 */
export const ERROR_MAGIC = "rlm-op-error\n";

/**
 * An op error as a builder records it: the fields of the `OpError` (which op, which arg, and
 * why), so rlm rebuilds the very same error, whatever the reason holds (a ":", newlines).
 */
export interface OpFailure {
  op: string;
  arg?: string;
  reason: string;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

async function sha256Hex(parts: Uint8Array[]): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", concat(parts)));
  return Array.from(digest, (b) => b.toString(16).padStart(2, "0")).join("");
}

/** `encodeEntry(value)`, byte for byte. */
export async function encodeEntryAsync(value: Value): Promise<Uint8Array> {
  const items = typeof value === "string" ? [value] : value;
  const payloads = items.map((s) => encoder.encode(s));
  const itemHashes = await Promise.all(
    payloads.map((p) => sha256Hex([encoder.encode("rlm-text\n"), p])),
  );
  const header = typeof value === "string" ? { kind: "text", hash: itemHashes[0] } : {
    kind: "list",
    hash: await sha256Hex([
      encoder.encode("rlm-list\n" + itemHashes.map((h) => `${h}\n`).join("")),
    ]),
    lengths: payloads.map((p) => p.length),
  };
  return concat([encoder.encode(JSON.stringify(header) + "\n"), ...payloads]);
}

/**
 * The value of an entry read from the Nix store. Its hash is not checked again: the store path
 * is fixed by the content (`nix-store --add`), and the store is read-only to builds. The
 * structure is checked, and a malformed entry throws.
 */
export function decodeStoreEntry(bytes: Uint8Array, what: string): Value {
  const nl = bytes.indexOf(10);
  const header = nl === -1 ? undefined : JSON.parse(decoder.decode(bytes.subarray(0, nl)));
  const payload = bytes.subarray(nl + 1);
  if (header?.kind === "text") return decoder.decode(payload);
  const lengths: unknown = header?.lengths;
  if (
    header?.kind !== "list" || !Array.isArray(lengths) ||
    lengths.reduce((n: number, l: number) => n + l, 0) !== payload.length
  ) {
    throw new Error(`builder: ${what} is not a value entry`);
  }
  const items: string[] = [];
  let offset = 0;
  for (const length of lengths as number[]) {
    items.push(decoder.decode(payload.subarray(offset, offset + length)));
    offset += length;
  }
  return items;
}

/** The output bytes of an op error. */
export function encodeErrorOutcome(failure: OpFailure): Uint8Array {
  return encoder.encode(ERROR_MAGIC + JSON.stringify(failure));
}

function concat(parts: Uint8Array[]): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.length;
  }
  return out;
}
