import { whileProgressing } from '../src/waiting.js';

describe('whileProgressing', () => {
  it('given a count that keeps growing slowly, when it reaches the target, then the wait resolves however long it took in all', async () => {
    let count = 0;
    const timer = setInterval(() => {
      count += 1;
    }, 20);
    try {
      await expect(whileProgressing(() => count, 10, 200)).resolves.toBeUndefined();
    } finally {
      clearInterval(timer);
    }
    expect(count).toBeGreaterThanOrEqual(10);
  });

  it('given a count that stops short of the target, when nothing new comes for the stall time, then the wait fails saying where it stalled', async () => {
    let count = 0;
    const timer = setInterval(() => {
      if (count < 3) count += 1;
    }, 10);
    try {
      await expect(whileProgressing(() => count, 10, 300)).rejects.toThrow('stalled at 3 of 10: nothing new for 300 ms');
    } finally {
      clearInterval(timer);
    }
  });
});
