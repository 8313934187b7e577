import * as tf from '@tensorflow/tfjs-core';
import { packed, run } from './run';

/**
 * fork(x) → [x, x]: two handles on the same texture (no program), as one op with two outputs,
 * whose gradient is the sum of the two outputs' gradients in one packed program (WebGL).
 * Why: a tensor used twice gets its gradients summed by tfjs's add, which on the engine's
 * WebGL settings (WEBGL_PACK off) unpacks packed gradients before adding them: two programs
 * more for the post-norm residual stream, whose gradients are packed.
 */
const FORK = 'EngineFork';
let registered = false;

interface RefCounting {
  incRef(dataId: object): void;
}

function register(): void {
  tf.registerKernel({
    kernelName: FORK,
    backendName: 'webgl',
    kernelFunc: ({ inputs, backend }) => {
      const x = inputs.x as tf.TensorInfo;
      const b = backend as unknown as RefCounting;
      b.incRef(x.dataId);
      b.incRef(x.dataId);
      return [0, 1].map(() => ({ dataId: x.dataId, shape: x.shape, dtype: x.dtype }));
    },
  });
  tf.registerGradient({
    kernelName: FORK,
    gradFunc: (dy: tf.Tensor | tf.Tensor[]) => {
      const [a, b] = dy as tf.Tensor[];
      return { x: () => addPacked(a!, b!) };
    },
  });
  registered = true;
}

/** a + b (same shape, last axis and row count even), packed. */
function addPacked(a: tf.Tensor, b: tf.Tensor): tf.Tensor {
  const d = a.shape[a.shape.length - 1]!;
  const [pa, pb] = [packed(tf.reshape(a, [-1, d])), packed(tf.reshape(b, [-1, d]))];
  const sum = run({
    variableNames: ['A', 'B'],
    outputShape: pa.shape,
    packedInputs: true,
    packedOutput: true,
    glsl: 'setOutput(getA(c.x, c.y) + getB(c.x, c.y));',
    wgsl: '',
  }, [pa, pb]);
  return tf.reshape(sum, a.shape);
}

/** [x, x] with one summed gradient (see above). WebGL only; x's rows and last axis even. */
export function fork(x: tf.Tensor): tf.Tensor[] {
  if (!registered) register();
  return tf.engine().runKernel(FORK, { x }, {}) as unknown as tf.Tensor[];
}

/**
 * a + b for packed a and b of the same shape (rows and last axis even), as one differentiable
 * program whose gradient passes dy to both: a pre-norm block's residual sum, which tfjs's add
 * would compute unpacked (converting both inputs first). WebGL only.
 */
export function residualAdd(a: tf.Tensor, b: tf.Tensor): tf.Tensor {
  const op = tf.customGrad(((a: tf.Tensor, b: tf.Tensor) => ({ value: addPacked(a, b), gradFunc: (dy: tf.Tensor) => [dy, dy] })) as never) as unknown as (a: tf.Tensor, b: tf.Tensor) => tf.Tensor;
  return op(a, b);
}
