import { describe, expect, it } from 'vitest';
import { evaluate } from '../../../src/engine/infer';
import { Session } from '../../../src/engine/session';
import { topicSets } from '../../../src/engine/data';
import './tf';

/**
 * The shipped topic sentences (content/<tag>/data/topics.json) repeat each topic's core words,
 * so the word-level classifier generalises to sentences it never saw, not just memorises them.
 * Settings and step count of the live figure by default (src/islands/live/classifier/island.ts).
 */
describe('topic classifier generalises', () => {
  it('en: held-out accuracy >= 0.6 (chance 0.25)', async () => {
    expect(topicSets.en!.length).toBeGreaterThanOrEqual(120);
    const s = new Session({
      task: { task: 'classify', locale: 'en' },
      model: { kind: 'classifier', dModel: 32, heads: 2, ffn: 64, layers: 1 },
      train: { batchSize: 32, learningRate: 0.005 },
      seed: 1,
    });
    s.fit(200);
    const ev = await evaluate(s);
    expect(ev.examples).toBeGreaterThanOrEqual(30);
    expect(ev.exactMatch).toBeGreaterThanOrEqual(0.6);
    s.dispose();
  });
});
