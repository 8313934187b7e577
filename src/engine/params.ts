import * as tf from '@tensorflow/tfjs-core';
import type { Rng } from './random';

/**
 * The layout of a model's weights: names, shapes, and offsets in one flat [P] vector. The flat
 * vector is the weights' only copy: it is initialised (seeded), checkpointed (one Float32Array)
 * and updated (Adam runs on the whole gradient at once); the named weights are views cut from it
 * by `unpack` each step, whose gradient arrives as one concatenated [P] vector.
 */
export type Init = 'glorot' | 'zeros' | 'ones' | 'normal';

export interface ParamSpec {
  name: string;
  shape: number[];
  size: number;
  offset: number;
  init: Init;
}

export type Params = Record<string, tf.Tensor>;

export class ParamLayout {
  readonly specs: ParamSpec[] = [];
  size = 0;
  /** Dense layers: `name.w` [nIn, nOut] directly followed by `name.b` [nOut] in the flat vector. */
  readonly denseLayers = new Set<string>();

  add(name: string, shape: number[], init: Init = 'glorot'): void {
    if (this.specs.some((s) => s.name === name)) throw new Error(`duplicate parameter ${name}`);
    const size = shape.reduce((a, b) => a * b, 1);
    this.specs.push({ name, shape, size, offset: this.size, init });
    this.size += size;
  }

  /**
   * A dense layer's weights: W [nIn, nOut] then b [nOut], adjacent, so together they are one
   * row-major [nIn + 1, nOut] block (b the last row) that `unpack` can cut as `name.wb`.
   */
  addDense(name: string, nIn: number, nOut: number): void {
    this.add(`${name}.w`, [nIn, nOut]);
    this.add(`${name}.b`, [nOut], 'zeros');
    this.denseLayers.add(name);
  }

  /** Seeded initial values: Glorot-uniform for matrices, N(0, 0.5²) for embedding tables. */
  initialise(rng: Rng): Float32Array {
    const out = new Float32Array(this.size);
    for (const s of this.specs) {
      const view = out.subarray(s.offset, s.offset + s.size);
      if (s.init === 'ones') view.fill(1);
      else if (s.init === 'glorot') {
        const fanIn = s.shape.length > 1 ? s.shape[s.shape.length - 2]! : s.shape[0]!;
        const fanOut = s.shape[s.shape.length - 1]!;
        const limit = Math.sqrt(6 / (fanIn + fanOut));
        for (let i = 0; i < view.length; i++) view[i] = (rng.next() * 2 - 1) * limit;
      } else if (s.init === 'normal') {
        for (let i = 0; i < view.length; i++) view[i] = rng.normal() * 0.5;
      }
    }
    return out;
  }

  /**
   * Named views of `theta`: one split kernel, reshapes are free. With `joinDense`, each dense
   * layer comes as one view `name.wb` [nIn + 1, nOut] instead of `name.w` and `name.b` (the
   * fused WebGL dense layer multiplies by both at once: see gpu/dense.ts).
   */
  unpack(theta: tf.Tensor1D, joinDense = false): Params {
    const views: Array<{ name: string; shape: number[]; size: number }> = [];
    for (let i = 0; i < this.specs.length; i++) {
      const s = this.specs[i]!;
      const base = s.name.slice(0, -2);
      if (joinDense && s.name.endsWith('.w') && this.denseLayers.has(base)) {
        const b = this.specs[++i]!; // name.b, added right after by addDense
        views.push({ name: `${base}.wb`, shape: [s.shape[0]! + 1, s.shape[1]!], size: s.size + b.size });
      } else views.push(s);
    }
    const pieces = tf.split(theta, views.map((s) => s.size));
    const out: Params = {};
    views.forEach((s, i) => (out[s.name] = s.shape.length === 1 ? pieces[i]! : tf.reshape(pieces[i]!, s.shape)));
    return out;
  }

  /** The values of one named parameter inside a flat copy of theta (for tests and figures). */
  view(flat: Float32Array, name: string): Float32Array {
    const s = this.specs.find((p) => p.name === name);
    if (!s) throw new Error(`no parameter ${name}`);
    return flat.subarray(s.offset, s.offset + s.size);
  }
}
