// The modular tfjs the engine uses, on the cpu backend (see /work/shared/ENVIRONMENT.md).
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-core/dist/register_all_gradients';

await tf.setBackend('cpu');
export { tf };

/** A model small enough for many steps in a unit test: reversal of 3-5 symbols, d_model 16. */
export const TINY = {
  task: { task: 'reversal', symbols: 6, minLength: 3, maxLength: 5 },
  model: { dModel: 16, heads: 2, ffn: 32 },
  train: { batchSize: 4 },
  seed: 7,
} as const;
