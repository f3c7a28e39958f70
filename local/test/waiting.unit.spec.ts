import { honouringRetryAfter, whileProgressing } from '../src/waiting.js';

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

describe('honouringRetryAfter', () => {
  const answer = (status: number, retryAfter?: string) => ({ status, headers: retryAfter === undefined ? {} : { 'retry-after': retryAfter } });

  it('given a 503 with Retry-After then a 200, when sent, then it waits that long, sends again and answers the 200', async () => {
    const answers = [answer(503, '0.2'), answer(200)];
    const began = Date.now();

    const res = await honouringRetryAfter(() => Promise.resolve(answers.shift() ?? answer(500)));

    expect(res.status).toBe(200);
    expect(Date.now() - began).toBeGreaterThanOrEqual(190);
    expect(answers).toHaveLength(0);
  });

  it('given a 503 without Retry-After, or any other status, when sent, then that answer is returned at once', async () => {
    let sent = 0;
    const send = (status: number, retryAfter?: string) => () => {
      sent += 1;
      return Promise.resolve(answer(status, retryAfter));
    };

    expect((await honouringRetryAfter(send(503))).status).toBe(503);
    expect((await honouringRetryAfter(send(409, '1'))).status).toBe(409);
    expect(sent).toBe(2);
  });

  it('given 503 after 503, when sent, then it gives up after the attempts and answers the last 503', async () => {
    let sent = 0;

    const res = await honouringRetryAfter(() => {
      sent += 1;
      return Promise.resolve(answer(503, '0'));
    }, 3);

    expect([res.status, sent]).toEqual([503, 3]);
  });
});
