import * as tf from '@tensorflow/tfjs-core';

/**
 * Running our own WebGL programs through tfjs-backend-webgl. A program is a fragment shader
 * that computes one output element per pixel; tfjs generates the `getX(...)` samplers for each
 * input (named in `variableNames`, indexed in the input's own shape), `getOutputCoords()` and
 * `setOutput()`. Programs here read unpacked textures (one float per texel), the layout the
 * engine runs WebGL in (see DEFAULT_FLAGS in ../backend.ts).
 *
 * Why: on WebGL each kernel is a draw call with a fixed cost (measured here: ~0.1 ms on
 * SwiftShader, more than the arithmetic of most of our ops), and tfjs's matmul packs its
 * inputs and unpacks its output around every call. A fused kernel does in one draw what the
 * stock ops do in 5-20.
 */
export interface Program {
  variableNames: string[];
  outputShape: number[];
  userCode: string;
  /** The output is written packed (one vec4 per 2×2 block: (r,c), (r,c+1), (r+1,c), (r+1,c+1)). */
  packedOutput?: boolean;
  /** Float uniforms set per run (values passed to `run`), so a changing number needs no recompile. */
  customUniforms?: Array<{ name: string; type: 'float' }>;
}

interface WebGLBackend {
  runWebGLProgram(p: Program, inputs: tf.TensorInfo[], dtype: tf.DataType, uniforms?: number[][]): tf.TensorInfo;
}

let enabled = true;

/** Turn the fused WebGL kernels off (tests compare both paths on the same backend). */
export function setFusedKernels(on: boolean): void {
  enabled = on;
}

/** Whether the fused kernels run now: on the WebGL backend, unless turned off. */
export function fusedKernels(): boolean {
  return enabled && tf.getBackend() === 'webgl';
}

/** Run `p` on `inputs` (in `variableNames` order); the result is a float32 tensor of p.outputShape. */
export function run(p: Program, inputs: tf.Tensor[], uniforms?: number[]): tf.Tensor {
  const backend = tf.backend() as unknown as WebGLBackend;
  const info = backend.runWebGLProgram(p, inputs, 'float32', uniforms?.map((u) => [u]));
  return tf.engine().makeTensorFromTensorInfo(info);
}

/** A GLSL int literal. */
export const int = (n: number): string => String(Math.trunc(n));

interface TexData {
  texShape?: [number, number];
  isPacked?: boolean;
  slice?: { flatOffset: number };
}

/**
 * Where `t`'s elements lie in its texture: width W and flat offset, so a shader can fetch
 * element `idx` (row-major, flat) as texelFetch(X, ivec2((off + idx) % W, (off + idx) / W), 0).r
 * without tfjs's per-sample index→UV arithmetic. Uploads `t` first if it is still on the CPU.
 */
export function texLayout(t: tf.Tensor): { W: number; offset: number } {
  const d = texData(t);
  if (d.isPacked) throw new Error('texLayout: packed texture (call unpacked() first)');
  return { W: d.texShape![1], offset: d.slice?.flatOffset ?? 0 };
}

function texData(t: tf.Tensor): TexData {
  const backend = tf.backend() as unknown as { texData: { get(id: object): TexData }; uploadToGPU(id: object): void };
  let d = backend.texData.get(t.dataId);
  if (!d.texShape) {
    backend.uploadToGPU(t.dataId);
    d = backend.texData.get(t.dataId);
  }
  return d;
}

/** `t` in a packed texture (what tfjs's matmul reads): itself, or a packed copy (one draw). */
export function packed(t: tf.Tensor): tf.Tensor {
  if (texData(t).isPacked) return t;
  const backend = tf.backend() as unknown as { packTensor(t: tf.TensorInfo): tf.TensorInfo };
  return tf.engine().makeTensorFromTensorInfo(backend.packTensor(t));
}

/** `t` in an unpacked texture: itself, or an unpacked copy (one draw) if tfjs stored it packed. */
export function unpacked(t: tf.Tensor): tf.Tensor {
  if (!texData(t).isPacked) return t;
  const backend = tf.backend() as unknown as { unpackTensor(t: tf.TensorInfo): tf.TensorInfo };
  return tf.engine().makeTensorFromTensorInfo(backend.unpackTensor(t));
}

/** A GLSL float literal (GLSL does not turn `1` into `1.0`). */
export const flt = (x: number): string => {
  const s = String(x);
  return /[.eE]/.test(s) ? s : `${s}.0`;
};
