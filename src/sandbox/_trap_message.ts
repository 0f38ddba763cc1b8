/**
 * What the model is told when the interpreter hits a WebAssembly trap, the same for every
 * runtime.
 *
 * @module
 */
// No imports: the Nix executor's sandbox builder bundles this file.

/** The message for a trap whose engine message is `trap` (e.g. `unreachable`). */
export function trapMessage(trap: string): string {
  return `the interpreter stopped on a wasm trap (${trap}): os.abort() or a crash in C code`;
}
