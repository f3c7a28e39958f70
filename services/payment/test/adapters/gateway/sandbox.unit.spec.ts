import { SANDBOX_TOKENS, SandboxRefundRefused, sandboxGateway } from '../../../src/adapters/gateway/sandbox.js';
import { type ChargeRequest, GatewayUnavailableError } from '../../../src/gateway.js';
import { inMemorySandboxBook } from '../../support/in-memory-sandbox-book.js';

const amount = { amountMinor: 91_800, currency: 'KRW' } as const;

function chargeOf(token: string, idempotencyKey = 'order-1'): ChargeRequest {
  return { idempotencyKey, amount, method: 'CARD', token, description: 'Order order-1', metadata: { orderId: 'order-1' } };
}

const open = () => new AbortController().signal;

describe('Sandbox gateway', () => {
  it('given pm_card_visa, when it is charged, then it succeeds with a sandbox reference', async () => {
    const gateway = sandboxGateway({ book: inMemorySandboxBook() });

    const outcome = await gateway.charge(chargeOf(SANDBOX_TOKENS.succeeds), open());

    expect(outcome).toEqual({ status: 'succeeded', reference: expect.stringMatching(/^sandbox_ch_/) as unknown });
  });

  it.each([
    [SANDBOX_TOKENS.declines, 'DECLINED', 'Your card was declined.'],
    [SANDBOX_TOKENS.insufficientFunds, 'INSUFFICIENT_FUNDS', 'Your card has insufficient funds.'],
    ['pm_card_unknown', 'DECLINED', 'the sandbox knows no payment method pm_card_unknown'],
  ])('given %s, when it is charged, then it is declined with %s', async (token, code, reason) => {
    const gateway = sandboxGateway({ book: inMemorySandboxBook() });

    expect(await gateway.charge(chargeOf(token), open())).toEqual({ status: 'declined', code, reason });
  });

  it('given a charged key, when the same key is charged again, then the first answer comes back and nothing more is charged', async () => {
    const book = inMemorySandboxBook();
    const gateway = sandboxGateway({ book });

    const first = await gateway.charge(chargeOf(SANDBOX_TOKENS.succeeds), open());
    const again = await gateway.charge(chargeOf(SANDBOX_TOKENS.succeeds), open());
    // A retry that changed the token still gets the first answer: the key decides.
    const changed = await gateway.charge(chargeOf(SANDBOX_TOKENS.declines), open());

    expect(again).toEqual(first);
    expect(changed).toEqual(first);
    expect(book.charges.size).toBe(1);
  });

  it('given a new sandbox on the same books (a restart), when a charged key is charged again, then it answers as before', async () => {
    const book = inMemorySandboxBook();
    const first = await sandboxGateway({ book }).charge(chargeOf(SANDBOX_TOKENS.insufficientFunds), open());

    expect(await sandboxGateway({ book }).charge(chargeOf(SANDBOX_TOKENS.insufficientFunds), open())).toEqual(first);
  });

  it('given pm_sandbox_timeout, when it is charged, then it answers nothing until its signal aborts, and records nothing', async () => {
    const book = inMemorySandboxBook();
    const gateway = sandboxGateway({ book });

    const began = Date.now();
    await expect(gateway.charge(chargeOf(SANDBOX_TOKENS.neverAnswers), AbortSignal.timeout(100))).rejects.toThrow(GatewayUnavailableError);

    expect(Date.now() - began).toBeGreaterThanOrEqual(90);
    expect(book.charges.size).toBe(0);
  });

  it('given an error rate, when a call draws under it, then it fails transiently without charging, and a retry with the key succeeds', async () => {
    const book = inMemorySandboxBook();
    const draws = [0.1, 0.9];
    const gateway = sandboxGateway({ book, errorRate: 0.5, random: () => draws.shift() ?? 1 });

    await expect(gateway.charge(chargeOf(SANDBOX_TOKENS.succeeds), open())).rejects.toThrow(new GatewayUnavailableError('the sandbox answered 503 (a simulated transient error)'));
    expect(book.charges.size).toBe(0);

    expect(await gateway.charge(chargeOf(SANDBOX_TOKENS.succeeds), open())).toMatchObject({ status: 'succeeded' });
  });

  it('given a latency, when a call is made, then it answers after it, or not at all when its signal aborts first', async () => {
    const gateway = sandboxGateway({ book: inMemorySandboxBook(), latencyMs: 80 });

    const began = Date.now();
    await gateway.charge(chargeOf(SANDBOX_TOKENS.succeeds), open());
    expect(Date.now() - began).toBeGreaterThanOrEqual(75);

    await expect(gateway.charge(chargeOf(SANDBOX_TOKENS.succeeds, 'order-2'), AbortSignal.timeout(20))).rejects.toThrow(GatewayUnavailableError);
  });

  it('given a succeeded charge, when it is refunded twice, then one refund is made and both calls answer it', async () => {
    const book = inMemorySandboxBook();
    const gateway = sandboxGateway({ book });
    const charged = await gateway.charge(chargeOf(SANDBOX_TOKENS.succeeds), open());
    if (charged.status !== 'succeeded') throw new Error('expected a charge');

    const first = await gateway.refund({ idempotencyKey: 'refund-order-1', chargeReference: charged.reference, amount }, open());
    const again = await gateway.refund({ idempotencyKey: 'refund-order-1', chargeReference: charged.reference, amount }, open());

    expect(first.reference).toMatch(/^sandbox_re_/);
    expect(again).toEqual(first);
    expect(book.refunds.size).toBe(1);
  });

  it('given a reference the sandbox never charged, when it is refunded, then the refund is refused for good', async () => {
    const gateway = sandboxGateway({ book: inMemorySandboxBook() });

    await expect(gateway.refund({ idempotencyKey: 'refund-x', chargeReference: 'sandbox_ch_unknown', amount }, open())).rejects.toThrow(SandboxRefundRefused);
  });
});
