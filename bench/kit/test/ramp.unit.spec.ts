import hdr from 'hdr-histogram-js';
import { rampToMaximum, sustained, type StepResult } from '../src/ramp.js';

/** A platform that keeps up with every rate up to `capacity`. */
function platformUpTo(capacity: number): { offered: number[]; offerRate: (rate: number) => Promise<boolean> } {
  const offered: number[] = [];
  return {
    offered,
    offerRate: (rate) => {
      offered.push(rate);
      return Promise.resolve(rate <= capacity);
    },
  };
}

function step(overrides: Partial<StepResult>): StepResult {
  const histogram = hdr.build();
  return {
    rate: 10, seconds: 20, sent: 200, refused: 0, completed: 200, cancelled: 0, unfinished: 0, finishedPerSecond: 10,
    medianFirstMs: 100, medianLastMs: 120, keptUpShare: 1, latency: histogram, created: histogram, orders: [], errors: new Map(),
    ...overrides,
  };
}

describe('the ramp to the maximum sustained rate', () => {
  it('given a platform that keeps up to 17 orders/s, when ramped over 10, 14, 20, 28 with two refinements, then it stops at 20, tries 17 then 19, and places the maximum at 17', async () => {
    const platform = platformUpTo(17);

    const maximum = await rampToMaximum({ rates: [10, 14, 20, 28], refineSteps: 2 }, platform.offerRate);

    expect(platform.offered).toEqual([10, 14, 20, 17, 19]);
    expect(maximum).toBe(17);
  });

  it('given a refinement that fails, when ramped, then the next one halves the gap below it', async () => {
    const platform = platformUpTo(15);

    const maximum = await rampToMaximum({ rates: [10, 14, 20], refineSteps: 2 }, platform.offerRate);

    expect(platform.offered).toEqual([10, 14, 20, 17, 16]);
    expect(maximum).toBe(14);
  });

  it('given a platform that keeps up with no rate, when ramped, then there is no maximum and nothing is refined', async () => {
    const platform = platformUpTo(0);

    await expect(rampToMaximum({ rates: [3, 4], refineSteps: 2 }, platform.offerRate)).resolves.toBeUndefined();
    expect(platform.offered).toEqual([3]);
  });

  it('given every rate kept, when ramped, then the last one is the maximum', async () => {
    await expect(rampToMaximum({ rates: [3, 4, 5], refineSteps: 2 }, platformUpTo(100).offerRate)).resolves.toBe(5);
  });
});

describe('a sustained step', () => {
  it('given every order completed and the last fifth as fast as the first, when judged, then it is sustained', () => {
    expect(sustained(step({}))).toBe(true);
  });

  it('given one refused order, one cancelled or one unfinished, when judged, then it is not', () => {
    expect(sustained(step({ refused: 1 }))).toBe(false);
    expect(sustained(step({ cancelled: 1 }))).toBe(false);
    expect(sustained(step({ unfinished: 1 }))).toBe(false);
  });

  it('given a platform already behind in the first fifth, when the terminals of the send window’s second half are two thirds of the orders offered then, then it is not', () => {
    // The naive baseline at 10/s: first fifth 7.6 s, last fifth 11.9 s (within twice plus 0.5 s), 6.6/s completed.
    expect(sustained(step({ medianFirstMs: 7_575, medianLastMs: 11_897, keptUpShare: 0.66 }))).toBe(false);
    expect(sustained(step({ medianFirstMs: 3_000, medianLastMs: 3_100, keptUpShare: 0.9 }))).toBe(true);
  });

  it('given the last fifth slower than twice the first plus half a second, when judged, then a queue grew and it is not', () => {
    expect(sustained(step({ medianFirstMs: 100, medianLastMs: 700 }))).toBe(true);
    expect(sustained(step({ medianFirstMs: 100, medianLastMs: 701 }))).toBe(false);
  });
});
