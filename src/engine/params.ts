import * as tf from '@tensorflow/tfjs-core';
import type { Rng } from './random';

/**
 * All of a model's weights live in ONE flat variable `theta` ([P]); named tensors are views cut
 * from it by one `split` per forward pass. Why: the gradient of `split` is a single `concat`, so
 * the whole gradient arrives as one [P] vector and Adam, gradient clipping and the NaN check run
 * as a dozen kernels in total instead of a dozen per weight matrix. On WebGL and WASM, where a
 * step of a tiny model is dominated by per-kernel overhead, that is most of the engine's speed.
 * It also makes saving and loading one Float32Array.
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
    this.specs.forEach((s, i) => (out[s.name] = tf.reshape(pieces[i]!, s.shape)));
    return out;
  }

  /** The values of one named parameter inside a flat copy of theta (for tests and figures). */
  view(flat: Float32Array, name: string): Float32Array {
    const s = this.specs.find((p) => p.name === name);
    if (!s) throw new Error(`no parameter ${name}`);
    return flat.subarray(s.offset, s.offset + s.size);
  }
}
