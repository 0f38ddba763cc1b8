/**
 * Recognising a WASI python.wasm that cannot start because it finds no standard library.
 *
 * @module
 */

/** CPython's own words when it starts without its standard library. */
const NO_STDLIB =
  /No module named 'encodings'|init_fs_encoding|Could not find platform independent libraries/;

/** The one-line error for `stderr`, if it says Python found no standard library. */
export function noStdlibMessage(stderr: string, wasm = "python.wasm"): string | undefined {
  if (!NO_STDLIB.test(stderr)) return undefined;
  return `${wasm} cannot start: Python found no standard library (none is packed inside it, and there is no lib/python3XY.zip next to it; tools/build_python_wasm.sh makes one)`;
}
