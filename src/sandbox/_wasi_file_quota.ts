/**
 * A bound on the bytes of files a WASI program writes into the shim's in-memory file system,
 * where files are JavaScript memory outside the capped Wasm memory. Past it, the write fails with
 * ENOSPC, as on a full disk. A file's space is counted at its size after each write, so a file
 * truncated (reopened with "w") gives its old space back at its next write; deleting it does not.
 *
 * @module
 */
import { OpenFile, type WASI } from "@bjorn3/browser_wasi_shim";

const ERRNO_NOSPC = 51;

type Import = (...args: never[]) => number;

/** Wrap `wasi`'s file-growing imports (before instantiating the module) with a quota. */
export function limitWasiFiles(wasi: WASI, maxBytes: number): void {
  const imports = wasi.wasiImport as unknown as Record<string, Import>;
  const counted = new WeakMap<object, number>();
  let used = 0;
  const iovsLength = (iovs: number, count: number): number => {
    const memory = (wasi as unknown as { inst: { exports: { memory: WebAssembly.Memory } } })
      .inst.exports.memory;
    const view = new DataView(memory.buffer);
    let total = 0;
    for (let i = 0; i < count; i++) total += view.getUint32(iovs + 8 * i + 4, true);
    return total;
  };
  /** `end(args, open)`: the file size the call asks for (`grows`: only if larger than now). */
  const guard = (name: string, end: (args: number[], file: OpenFile) => number, grows = true) => {
    const original = imports[name] as unknown as (...args: unknown[]) => number;
    imports[name] = ((...args: unknown[]) => {
      const open = wasi.fds[args[0] as number];
      if (!(open instanceof OpenFile)) return original(...args);
      const file = open.file;
      const now = Number(file.size);
      const before = counted.get(file) ?? now;
      const wanted = end(args as number[], open);
      const after = grows ? Math.max(now, wanted) : wanted;
      if (after > now && used + (after - before) > maxBytes) return ERRNO_NOSPC;
      const result = original(...args);
      const size = Number(file.size);
      used = Math.max(0, used + size - before);
      counted.set(file, size);
      return result;
    }) as Import;
  };
  guard("fd_write", ([, iovs, n], open) => Number(open.file_pos) + iovsLength(iovs, n));
  guard("fd_pwrite", ([, iovs, n, offset]) => Number(offset) + iovsLength(iovs, n));
  guard("fd_allocate", ([, offset, len]) => Number(offset) + Number(len));
  guard("fd_filestat_set_size", ([, size]) => Number(size), false);
}
