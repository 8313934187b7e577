import * as tf from '@tensorflow/tfjs-core';

/**
 * The benchmark's baseline: the reference configuration (one encoder layer, d_model 32, 2 heads,
 * FFN 64, batch 64, length 8, Adam) written the straightforward way — one op per line, a
 * variable per weight, a loop over heads, gather embeddings, tf.train.adam, and the loss read
 * back every step. It is what a first implementation looks like; the engine is measured against it.
 */
export interface NaiveModel {
  step(src: tf.Tensor2D, tgt: tf.Tensor2D): Promise<number>;
  dispose(): void;
}

export function buildNaive(vocab: number, seed: number, embedding: 'gather' | 'onehot' = 'gather', style: 'loop' | 'textbook' = 'loop', d = 32, heads = 2, ffn = 64, T = 8): NaiveModel {
  const dk = d / heads;
  const init = (shape: number[]) => tf.variable(tf.randomUniform(shape, -0.1, 0.1, 'float32', seed++));
  const zeros = (shape: number[]) => tf.variable(tf.zeros(shape));
  const ones = (shape: number[]) => tf.variable(tf.ones(shape));
  const emb = init([vocab, d]);
  const pos = init([T, d]);
  const wq: tf.Variable[] = [], wk: tf.Variable[] = [], wv: tf.Variable[] = [];
  if (style === 'textbook') {
    wq.push(init([d, d]));
    wk.push(init([d, d]));
    wv.push(init([d, d]));
  } else for (let h = 0; h < heads; h++) {
    wq.push(init([d, dk]));
    wk.push(init([d, dk]));
    wv.push(init([d, dk]));
  }
  const wo = init([d, d]), bo = zeros([d]);
  const g1 = ones([d]), b1 = zeros([d]), g2 = ones([d]), b2 = zeros([d]);
  const w1 = init([d, ffn]), c1 = zeros([ffn]), w2 = init([ffn, d]), c2 = zeros([d]);
  const wout = init([d, vocab]), bout = zeros([vocab]);
  const optimizer = tf.train.adam(3e-3);

  const layerNorm = (x: tf.Tensor, g: tf.Tensor, b: tf.Tensor) => {
    const mean = tf.mean(x, -1, true);
    const centered = tf.sub(x, mean);
    const variance = tf.mean(tf.square(centered), -1, true);
    const normed = tf.div(centered, tf.sqrt(tf.add(variance, 1e-5)));
    return tf.add(tf.mul(normed, g), b);
  };

  const loss = (src: tf.Tensor2D, tgt: tf.Tensor2D) => {
    const B = src.shape[0];
    // gather's gradient is missing on WASM: there the baseline gets the smallest fix, a one-hot matmul.
    let x = embedding === 'gather' ? tf.gather(emb, src) : tf.reshape(tf.matMul(tf.oneHot(tf.reshape(src, [-1]), vocab), emb), [B, T, d]);
    x = tf.add(x, pos);
    const x2 = tf.reshape(x, [B * T, d]);
    if (style === 'textbook') {
      // The textbook form: one projection per role, heads split by reshape and transpose,
      // tf.moments for layer norm, tf.losses for the cross-entropy.
      const split = (t: tf.Tensor) => tf.transpose(tf.reshape(t, [B, T, heads, dk]), [0, 2, 1, 3]);
      const q = split(tf.matMul(x2, wq[0]!));
      const k = split(tf.matMul(x2, wk[0]!));
      const v = split(tf.matMul(x2, wv[0]!));
      const scores = tf.div(tf.matMul(q, k, false, true), Math.sqrt(dk));
      const weights = tf.softmax(scores);
      const merged = tf.reshape(tf.transpose(tf.matMul(weights, v), [0, 2, 1, 3]), [B * T, d]);
      const ln = (t: tf.Tensor, g: tf.Tensor, b: tf.Tensor) => {
        const { mean, variance } = tf.moments(t, -1, true);
        return tf.add(tf.mul(tf.div(tf.sub(t, mean), tf.sqrt(tf.add(variance, 1e-5))), g), b);
      };
      const h1 = ln(tf.add(x2, tf.add(tf.matMul(merged, wo), bo)), g1, b1);
      const f = tf.relu(tf.add(tf.matMul(h1, w1), c1));
      const h2 = ln(tf.add(h1, tf.add(tf.matMul(f, w2), c2)), g2, b2);
      const logits = tf.add(tf.matMul(h2, wout), bout);
      return tf.losses.softmaxCrossEntropy(tf.oneHot(tf.reshape(tgt, [-1]), vocab), logits) as tf.Scalar;
    }
    const headsOut: tf.Tensor[] = [];
    for (let h = 0; h < heads; h++) {
      const q = tf.reshape(tf.matMul(x2, wq[h]!), [B, T, dk]);
      const k = tf.reshape(tf.matMul(x2, wk[h]!), [B, T, dk]);
      const v = tf.reshape(tf.matMul(x2, wv[h]!), [B, T, dk]);
      const scores = tf.div(tf.matMul(q, k, false, true), Math.sqrt(dk));
      const weights = tf.softmax(scores);
      headsOut.push(tf.matMul(weights, v));
    }
    const att = tf.reshape(tf.concat(headsOut, -1), [B * T, d]);
    const proj = tf.add(tf.matMul(att, wo), bo);
    const h1 = layerNorm(tf.add(x2, proj), g1, b1);
    const f = tf.relu(tf.add(tf.matMul(h1, w1), c1));
    const f2 = tf.add(tf.matMul(f, w2), c2);
    const h2 = layerNorm(tf.add(h1, f2), g2, b2);
    const logits = tf.add(tf.matMul(h2, wout), bout);
    const labels = tf.oneHot(tf.reshape(tgt, [-1]), vocab);
    const logp = tf.logSoftmax(logits);
    return tf.neg(tf.mean(tf.sum(tf.mul(labels, logp), -1))) as tf.Scalar;
  };

  return {
    async step(src, tgt) {
      const l = optimizer.minimize(() => loss(src, tgt), true)!;
      // Read back every step, synchronously where the backend allows it.
      const value = tf.getBackend() === 'webgpu' ? (await l.data())[0]! : l.dataSync()[0]!;
      l.dispose();
      return value;
    },
    dispose() {
      optimizer.dispose();
      tf.dispose([emb, pos, ...wq, ...wk, ...wv, wo, bo, g1, b1, g2, b2, w1, c1, w2, c2, wout, bout]);
    },
  };
}
