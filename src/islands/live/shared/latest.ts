/**
 * One request at a time, and never the reader's last one lost: a call made while another runs
 * is remembered, and when the running one ends the newest remembered call runs (the ones in
 * between are dropped: they asked about something the reader has since changed). The promise a
 * call returns settles once the work that answers it is done. `run` reports its own errors.
 */
export function latestQuery<A extends unknown[]>(run: (...args: A) => Promise<unknown>): (...args: A) => Promise<void> {
  let current: Promise<void> | undefined;
  let queued: A | undefined;
  const drain = async (first: A) => {
    let args: A | undefined = first;
    try {
      while (args) {
        await run(...args);
        args = queued;
        queued = undefined;
      }
    } finally {
      queued = undefined;
      current = undefined;
    }
  };
  return (...args: A) => {
    if (current) {
      queued = args;
      return current;
    }
    current = drain(args);
    return current;
  };
}
