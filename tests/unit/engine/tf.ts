// The modular tfjs the engine uses, on the cpu backend (see /work/shared/ENVIRONMENT.md).
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-core/dist/register_all_gradients';

await tf.setBackend('cpu');
export { tf };
