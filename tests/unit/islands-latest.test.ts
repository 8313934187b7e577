import { describe, expect, it } from 'vitest';
import { latestQuery } from '../../src/islands/live/shared/latest';

/** A query whose answers the test releases by hand, in any order it likes. */
function manual() {
  const calls: Array<{ arg: string; done: () => void }> = [];
  const run = (arg: string) => new Promise<void>((done) => calls.push({ arg, done }));
  return { calls, run };
}
const flush = () => new Promise((r) => setTimeout(r, 0));

describe('latestQuery: one request at a time, the newest one kept', () => {
  it('runs a request made while another is in flight once that one ends (it is not dropped)', async () => {
    const { calls, run } = manual();
    const q = latestQuery(run);
    const first = q('a');
    const second = q('b');
    expect(calls.map((c) => c.arg)).toEqual(['a']);
    calls[0]!.done();
    await flush();
    expect(calls.map((c) => c.arg)).toEqual(['a', 'b']);
    calls[1]!.done();
    await Promise.all([first, second]);
  });

  it('of several requests made meanwhile, only the newest runs', async () => {
    const { calls, run } = manual();
    const q = latestQuery(run);
    void q('a');
    void q('b');
    void q('c');
    const last = q('d');
    calls[0]!.done();
    await flush();
    expect(calls.map((c) => c.arg)).toEqual(['a', 'd']);
    calls[1]!.done();
    await last;
    void q('e'); // idle again: runs at once
    expect(calls.map((c) => c.arg)).toEqual(['a', 'd', 'e']);
    calls[2]!.done();
  });

  it('a request that throws does not block the next one', async () => {
    let n = 0;
    const q = latestQuery(async () => {
      n++;
      if (n === 1) throw new Error('boom');
    });
    await expect(q()).rejects.toThrow('boom');
    await q();
    expect(n).toBe(2);
  });
});
