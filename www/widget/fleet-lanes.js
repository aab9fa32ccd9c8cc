// Bounded concurrency for the fleet view: the `parallel` attribute read once, and a runner that
// gives each id to `work` in list order with at most that many under way. A wait for a password
// not posted yet is not run here (it holds no lane: fleet.js starts it apart).

/** Requests in flight: the `parallel` attribute, 1 to 16, default 8. */
export const PARALLEL = Object.freeze({ min: 1, max: 16, default: 8 });

/** The number of lanes an attribute value asks for (out of range or not a number: the default). @param {string | null} value */
export function parallelOf(value) {
  const n = Number(value);
  return value !== null && Number.isInteger(n) && n >= PARALLEL.min ? Math.min(n, PARALLEL.max) : PARALLEL.default;
}

/**
 * Runs `work` for each of `ids`, in order, at most `lanes` at a time; once `signal` is aborted no
 * id is started any more, and a lane whose `work` returns false stops.
 * @param {readonly string[]} ids @param {number} lanes @param {AbortSignal} signal
 * @param {(id: string) => Promise<boolean | void>} work
 */
export async function inLanes(ids, lanes, signal, work) {
  let next = 0;
  const lane = async () => {
    while (next < ids.length && !signal.aborted) {
      if ((await work(ids[next++])) === false) return;
    }
  };
  await Promise.all(Array.from({ length: Math.min(Math.max(1, lanes), ids.length) }, lane));
}
