import * as tf from '@tensorflow/tfjs-core';
import type { Rng } from './random';

/**
 * The layout of a model's weights: names, shapes, and offsets in one flat [P] vector. The flat
 * vector is how weights are initialised (seeded), checkpointed (one Float32Array) and updated
 * (Adam runs on the concatenated gradient: a dozen kernels for the whole model instead of a
 * dozen per weight). The weights themselves live as one variable each in their natural shape:
 * measured, views cut from a flat variable every step made the forward pass 3-7x slower on WebGL
 * and WASM (sliced views get re-packed/copied at every use). `unpack` remains for tests that
 * differentiate with respect to the flat vector (finite differences).
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

  add(name: string, shape: number[], init: Init = 'glorot'): void {
    if (this.specs.some((s) => s.name === name)) throw new Error(`duplicate parameter ${name}`);
    const size = shape.reduce((a, b) => a * b, 1);
    this.specs.push({ name, shape, size, offset: this.size, init });
    this.size += size;
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

  /** Named views of `theta`: one split kernel, reshapes are free. */
  unpack(theta: tf.Tensor1D): Params {
    const pieces = tf.split(theta, this.specs.map((s) => s.size));
    const out: Params = {};
    this.specs.forEach((s, i) => (out[s.name] = s.shape.length === 1 ? pieces[i]! : tf.reshape(pieces[i]!, s.shape)));
    return out;
  }

  /** The values of one named parameter inside a flat copy of theta (for tests and figures). */
  view(flat: Float32Array, name: string): Float32Array {
    const s = this.specs.find((p) => p.name === name);
    if (!s) throw new Error(`no parameter ${name}`);
    return flat.subarray(s.offset, s.offset + s.size);
  }
}
