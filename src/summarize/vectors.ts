/** TF-IDF vectors over one article's sentences, sparse and L2-normalised, for cosine similarity. */

export interface SparseVector {
  ids: Int32Array;
  weights: Float64Array;
}

export function vectorize(terms: string[][]): SparseVector[] {
  const ids = new Map<string, number>();
  const df: number[] = [];
  const counted = terms.map((list) => {
    const counts = new Map<number, number>();
    for (const term of list) {
      let id = ids.get(term);
      if (id === undefined) {
        id = ids.size;
        ids.set(term, id);
        df.push(0);
      }
      counts.set(id, (counts.get(id) ?? 0) + 1);
    }
    for (const id of counts.keys()) df[id]!++;
    return counts;
  });
  const n = terms.length;
  return counted.map((counts) => {
    const entries = [...counts.entries()].sort((a, b) => a[0] - b[0]);
    const weights = new Float64Array(entries.length);
    let norm = 0;
    entries.forEach(([id, tf], k) => {
      const w = tf * Math.log(1 + n / df[id]!);
      weights[k] = w;
      norm += w * w;
    });
    norm = Math.sqrt(norm);
    if (norm > 0) for (let k = 0; k < weights.length; k++) weights[k]! /= norm;
    return { ids: Int32Array.from(entries.map((e) => e[0])), weights };
  });
}

export function dot(a: SparseVector, b: SparseVector): number {
  let i = 0;
  let j = 0;
  let sum = 0;
  while (i < a.ids.length && j < b.ids.length) {
    const x = a.ids[i]!;
    const y = b.ids[j]!;
    if (x === y) sum += a.weights[i++]! * b.weights[j++]!;
    else if (x < y) i++;
    else j++;
  }
  return sum;
}
