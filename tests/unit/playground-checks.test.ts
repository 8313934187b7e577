import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { tf } from './engine/tf';
import * as lesson from '../../src/playground/lesson-api';
import { checks } from '../../src/playground/checks';
import { GUARD, instrumentLoops } from '../../src/playground/guard';
import { transpile } from '../../src/playground/transpile';
import { splitExercise } from '../../src/schemas/exercise';
import type { CheckResult } from '../../src/playground/protocol';

/**
 * The exercise checks, in Node on tfjs's cpu backend: each check passes the reference solution
 * of every locale and fails its starter. Learner code runs the way runner.worker.ts runs it
 * (transpile(instrumentLoops(code)) as an async function of require/exports/…), minus the
 * worker's lockdown and limits. Training is stubbed (createTopicClassifier/createMaskedLM) so
 * the classifier and MLM exercises take milliseconds; their checks only read meanPool,
 * maskWindow and the recorded losses.
 */
const IDS = ['embedding', 'attention', 'block', 'classifier', 'mlm'] as const;
const TAGS = ['en', 'pt-BR', 'es', 'fr', 'de', 'ar', 'zh-CN', 'ja'];
const AsyncFunction = (async () => {}).constructor as new (...a: string[]) => (...a: unknown[]) => Promise<unknown>;

function fakeModel() {
  let loss = 2;
  return {
    paramCount: 1234,
    classes: ['sport', 'weather'],
    async step() {
      loss *= 0.95;
      return { loss, accuracy: 0.5 };
    },
    async evaluate() {
      return { examples: 10, accuracy: 0.9 };
    },
    async predict(texts: string[]) {
      return texts.map((input) => ({ input, tokens: [], predictions: [{ top: [{ token: 'sport', p: 1 }] }] }));
    },
    dispose() {},
  };
}
const lessonForTests = { ...lesson, createTopicClassifier: fakeModel, createMaskedLM: fakeModel };

async function runExercise(source: string) {
  const t = transpile(instrumentLoops(source));
  if (!t.ok) throw new Error(`does not transpile: ${JSON.stringify(t)}`);
  const modules: Record<string, unknown> = { '@tensorflow/tfjs': tf, lesson: lessonForTests };
  const require = (name: string) => modules[name] ?? (() => { throw new Error(`no module ${name}`); })();
  const exports: Record<string, unknown> = {};
  const printed: unknown[] = [];
  const displays: Array<{ kind: string; title?: string }> = [];
  const show = {
    line: (_: unknown, o: { title?: string } = {}) => displays.push({ kind: 'line', title: o.title }),
    heatmap: (_: unknown, o: { title?: string } = {}) => displays.push({ kind: 'heatmap', title: o.title }),
    table: (_: unknown, o: { title?: string } = {}) => displays.push({ kind: 'table', title: o.title }),
  };
  const console = { log: (...a: unknown[]) => printed.push(a), info: () => {}, warn: () => {}, error: () => {} };
  await new AsyncFunction('require', 'exports', 'module', 'console', 'show', GUARD, t.code)(require, exports, { exports }, console, show, () => true);
  return { exports, printed, displays };
}

const code = (tag: string, id: string) => splitExercise(readFileSync(`content/${tag}/exercises/${id}.mdx`, 'utf8'));
const passes = (r: CheckResult[]) => r.every((x) => x.pass);

describe('exercise checks', () => {
  it('has one check per source exercise, and each result names a UI key', () => {
    expect(Object.keys(checks).sort()).toEqual([...IDS].sort());
    const ui = JSON.parse(readFileSync('i18n/ui/en.json', 'utf8')) as Record<string, string>;
    for (const key of ['export', 'threw', 'tensor', 'shape', 'close', 'rows', 'steps', 'lossDown', 'maskShape', 'maskIds', 'maskOne', 'maskRate']) {
      expect(ui[`playground.check.${key}`], key).toBeTruthy();
    }
  });

  it('fails cleanly when the function is not exported', async () => {
    for (const id of IDS) {
      const r = await checks[id]!({});
      expect(r[0]).toMatchObject({ pass: false, key: 'export' });
      expect(passes(r)).toBe(false);
    }
  });

  it('turns a throw in the learner\'s function into a failed result', async () => {
    const r = await checks.embedding!({ embed: () => { throw new Error('boom'); } });
    expect(r).toContainEqual({ pass: false, key: 'threw', params: { name: 'embed', message: 'boom' } });
  });

  it('reports a wrong shape and a non-tensor', async () => {
    const wrongShape = await checks.embedding!({ embed: () => tf.zeros([1, 1]) });
    expect(wrongShape.find((x) => x.key === 'shape')).toMatchObject({ pass: false, params: { want: '[3, 5, 8]', got: '[1, 1]' } });
    const notTensor = await checks.block!({ myBlock: () => [1, 2] });
    expect(notTensor).toContainEqual({ pass: false, key: 'tensor', params: { name: 'myBlock(block, x)' } });
  });

  it('plain results cross postMessage: no functions among the enumerable fields', async () => {
    const r = await checks.attention!({ attention: () => ({}) });
    expect(() => structuredClone(r)).not.toThrow();
  });

  it('lossFalls: too few losses, and losses that do not fall, fail', async () => {
    const meanPool = (x: tf.Tensor3D) => tf.mean(x, 1);
    const few = await checks.classifier!({ meanPool, losses: [1, 0.5] });
    expect(few.find((x) => x.key === 'steps')).toMatchObject({ pass: false, params: { want: 30, got: 2 } });
    const flat = await checks.classifier!({ meanPool, losses: Array(40).fill(1) });
    expect(flat.find((x) => x.key === 'lossDown')?.pass).toBe(false);
  });

  for (const tag of TAGS) {
    describe(tag, () => {
      for (const id of IDS) {
        it(`${id}: the solution passes, the starter does not, nothing leaks`, async () => {
          const { starter, solution } = code(tag, id);
          const before = tf.memory().numTensors;
          const sol = await runExercise(solution!);
          const solResults = await checks[id]!(sol.exports);
          expect(solResults.filter((x) => !x.pass), `${tag}/${id}`).toEqual([]);
          const st = await runExercise(starter!);
          expect(passes(await checks[id]!(st.exports)), `${tag}/${id} starter`).toBe(false);
          expect(tf.memory().numTensors - before, 'tensors left after solution, starter and checks').toBe(0);
          // The displays and console output a learner sees exist in every locale.
          expect(sol.displays.length).toBeGreaterThan(0);
          expect(sol.printed.length).toBeGreaterThan(0);
        });
      }
    });
  }
});
