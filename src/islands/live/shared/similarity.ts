/**
 * Cosine similarity between the rows of a [rows, cols] table: how alike two positions'
 * encodings are. Pure; unit-tested in tests/unit/islands-similarity.test.ts.
 */
export function cosineSimilarity(table: ArrayLike<number>, rows: number, cols: number): Float32Array {
  const norms = new Float64Array(rows);
  for (let r = 0; r < rows; r++) {
    let s = 0;
    for (let c = 0; c < cols; c++) s += table[r * cols + c]! ** 2;
    norms[r] = Math.sqrt(s);
  }
  const out = new Float32Array(rows * rows); // [rows, rows]
  for (let a = 0; a < rows; a++) {
    for (let b = a; b < rows; b++) {
      let dot = 0;
      for (let c = 0; c < cols; c++) dot += table[a * cols + c]! * table[b * cols + c]!;
      const d = norms[a]! * norms[b]!;
      const v = d > 0 ? dot / d : 0;
      out[a * rows + b] = v;
      out[b * rows + a] = v;
    }
  }
  return out;
}
