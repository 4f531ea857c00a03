/** Typed-array growth helpers for the core's tables keyed by dense integer ids (shaping, the MTA loop). */

/** Returns `a` if it holds `n` entries, else a copy twice as large (at least `n`) filled with `fill`. */
export function growF64(a: Float64Array<ArrayBuffer>, n: number, fill = 0): Float64Array<ArrayBuffer> {
  if (n <= a.length) return a;
  const b = new Float64Array(Math.max(n, a.length * 2, 16));
  b.fill(fill, a.length);
  b.set(a);
  return b;
}

/** Int32Array version of {@link growF64}. */
export function growI32(a: Int32Array<ArrayBuffer>, n: number, fill = 0): Int32Array<ArrayBuffer> {
  if (n <= a.length) return a;
  const b = new Int32Array(Math.max(n, a.length * 2, 16));
  b.fill(fill, a.length);
  b.set(a);
  return b;
}
