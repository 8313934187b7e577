/**
 * The sinusoidal positional table of "Attention Is All You Need", in plain TypeScript with no
 * tfjs: the positional-encoding explorer can import this on the main thread for free.
 *   PE[pos, 2i]   = sin(pos / 10000^(2i/d))
 *   PE[pos, 2i+1] = cos(pos / 10000^(2i/d))
 * Returns a row-major [maxLen, d] Float32Array.
 */
export function sinusoidalTable(maxLen: number, d: number): Float32Array {
  const out = new Float32Array(maxLen * d);
  for (let pos = 0; pos < maxLen; pos++) {
    for (let i = 0; i < d; i += 2) {
      const angle = pos / Math.pow(10000, i / d);
      out[pos * d + i] = Math.sin(angle);
      if (i + 1 < d) out[pos * d + i + 1] = Math.cos(angle);
    }
  }
  return out;
}
