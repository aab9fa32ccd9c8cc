// The fleet view's bounded concurrency (www/widget/fleet-lanes.js): never more than the lanes in
// flight, every id once and started in order, a stop starts nothing more, the attribute's range.
import { test } from "node:test";
import assert from "node:assert/strict";
import { inLanes, parallelOf, PARALLEL } from "../../www/widget/fleet-lanes.js";

const ids = Array.from({ length: 57 }, (_, i) => `s${i}`);
const tick = () => new Promise((resolve) => setTimeout(resolve, Math.random() * 3));

test("at most `lanes` in flight, each id once, started in list order", async () => {
  for (const lanes of [1, 4, 16, 100]) {
    let inFlight = 0;
    let most = 0;
    const started = [];
    await inLanes(ids, lanes, new AbortController().signal, async (id) => {
      started.push(id);
      most = Math.max(most, ++inFlight);
      await tick();
      inFlight--;
    });
    assert.deepEqual(started, ids, `lanes ${lanes}`);
    assert.equal(most, Math.min(lanes, ids.length), `lanes ${lanes}: the most in flight`);
  }
});

test("an abort starts nothing more; work returning false stops its lane", async () => {
  const stop = new AbortController();
  const started = [];
  await inLanes(ids, 4, stop.signal, async (id) => {
    started.push(id);
    if (started.length === 10) stop.abort();
    await tick();
  });
  assert.equal(started.length, 10);
  const one = [];
  await inLanes(ids, 1, new AbortController().signal, async (id) => { one.push(id); return one.length < 3; });
  assert.deepEqual(one, ids.slice(0, 3));
});

test("parallel attribute: 1 to the maximum, else the default", () => {
  assert.equal(parallelOf(null), PARALLEL.default);
  assert.equal(parallelOf("abc"), PARALLEL.default);
  assert.equal(parallelOf("0"), PARALLEL.default);
  assert.equal(parallelOf("2.5"), PARALLEL.default);
  assert.equal(parallelOf("1"), 1);
  assert.equal(parallelOf(String(PARALLEL.max + 10)), PARALLEL.max);
});
