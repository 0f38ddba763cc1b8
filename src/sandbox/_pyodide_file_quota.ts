/**
 * A bound on the bytes of files the code writes into Pyodide's in-memory file system (MEMFS),
 * where files are JavaScript memory outside the capped Wasm memory.
 *
 * @module
 */
import type { PyodideInterface } from "pyodide";

/** Emscripten's in-memory file system, as far as the quota needs it. */
interface Memfs {
  stream_ops: { write: WriteOp; allocate: AllocateOp };
  ops_table?: { file?: { stream?: { write: WriteOp; allocate: AllocateOp } } };
  resizeFileStorage(node: MemfsNode, size: number): void;
}
interface MemfsNode {
  usedBytes: number;
}
type WriteOp = (
  stream: { node: MemfsNode },
  b: unknown,
  o: number,
  length: number,
  position: number,
  canOwn?: boolean,
) => number;
type AllocateOp = (stream: { node: MemfsNode }, offset: number, length: number) => void;

/**
 * Files in Pyodide live in JavaScript memory, outside the capped Wasm memory: bound the bytes
 * the code's files may grow by (writes, truncate to a larger size, fallocate), failing past it
 * with ENOSPC, as a full disk would. Shrinking a file gives space back; deleting one does not.
 */
export function limitFiles(py: PyodideInterface, maxBytes: number): void {
  const fs = py.FS as unknown as {
    filesystems: { MEMFS: Memfs };
    ErrnoError: new (errno: number) => Error;
  };
  const memfs = fs.filesystems.MEMFS;
  const ENOSPC = 51;
  let used = 0;
  const grow = (node: MemfsNode, newSize: number) => {
    const more = newSize - node.usedBytes;
    if (more > 0 && used + more > maxBytes) throw new fs.ErrnoError(ENOSPC);
    // Shrinking (as opening a file with "w" does) gives the space back.
    used = Math.max(0, used + more);
  };
  const write: WriteOp = (stream, b, o, length, position, canOwn) => {
    grow(stream.node, Math.max(stream.node.usedBytes, position + length));
    return originalWrite(stream, b, o, length, position, canOwn);
  };
  const allocate: AllocateOp = (stream, offset, length) => {
    grow(stream.node, Math.max(stream.node.usedBytes, offset + length));
    return originalAllocate(stream, offset, length);
  };
  const originalWrite = memfs.stream_ops.write;
  const originalAllocate = memfs.stream_ops.allocate;
  const originalResize = memfs.resizeFileStorage.bind(memfs);
  // Nodes made before now share ops_table's copy of the stream ops; new ones read stream_ops.
  for (const ops of [memfs.stream_ops, memfs.ops_table?.file?.stream]) {
    if (ops) Object.assign(ops, { write, allocate });
  }
  memfs.resizeFileStorage = (node, size) => {
    grow(node, size);
    originalResize(node, size);
  };
}
