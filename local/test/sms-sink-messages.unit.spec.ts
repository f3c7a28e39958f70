import { createMessage, rfc2822, segmentCount, type CreateOutcome } from '../src/sms-sink/messages.js';

const accountSid = `AC${'a'.repeat(32)}`;
const sid = `SM${'b'.repeat(32)}`;
const now = new Date('2026-12-01T23:26:33.120Z');

function create(fields: Record<string, string>): CreateOutcome {
  return createMessage(new URLSearchParams(fields), { accountSid, sid, now });
}

function errorOf(outcome: CreateOutcome): { code: number; status: number } {
  if (outcome.kind !== 'refused') throw new Error(`expected a refusal, got ${JSON.stringify(outcome)}`);
  return { code: outcome.error.code, status: outcome.error.status };
}

describe('createMessage', () => {
  it('given To, From and Body, when created, then it is queued as Twilio represents a message', () => {
    const outcome = create({ To: '+4915112345678', From: '+15005550006', Body: 'Your order shipped' });

    expect(outcome).toEqual({
      kind: 'accepted',
      message: expect.objectContaining({
        sid,
        account_sid: accountSid,
        api_version: '2010-04-01',
        to: '+4915112345678',
        from: '+15005550006',
        body: 'Your order shipped',
        status: 'queued',
        num_segments: '1',
        date_created: 'Tue, 01 Dec 2026 23:26:33 +0000',
        uri: `/2010-04-01/Accounts/${accountSid}/Messages/${sid}.json`,
      }) as unknown,
    });
  });

  it('given an alphanumeric sender ID, when created, then it is accepted', () => {
    expect(create({ To: '+4915112345678', From: 'MSA Shop', Body: 'hi' }).kind).toBe('accepted');
  });

  it.each([
    ['no To', 21604, { From: '+15005550006', Body: 'hi' }],
    ['a To without its plus', 21211, { To: '4915112345678', From: '+15005550006', Body: 'hi' }],
    ['a To with letters', 21211, { To: '+49151CALLME', From: '+15005550006', Body: 'hi' }],
    ['a To over 15 digits', 21211, { To: '+1234567890123456', From: '+15005550006', Body: 'hi' }],
    ['no From', 21603, { To: '+4915112345678', Body: 'hi' }],
    ['a From that is neither a number nor a sender ID', 21212, { To: '+4915112345678', From: '12-34', Body: 'hi' }],
    ['no Body', 21602, { To: '+4915112345678', From: '+15005550006' }],
    ['a Body over 1600 characters', 21617, { To: '+4915112345678', From: '+15005550006', Body: 'x'.repeat(1601) }],
  ])('given %s, when created, then it is refused with 400 and Twilio code %i', (_, code, fields) => {
    expect(errorOf(create(fields))).toEqual({ code, status: 400 });
  });

  it.each([
    ['+15005550001', 21211],
    ['+15005550002', 21612],
    ['+15005550003', 21408],
    ['+15005550004', 21610],
    ['+15005550009', 21614],
  ])('given the magic To %s, when created, then it is refused as Twilio refuses it, code %i', (to, code) => {
    expect(errorOf(create({ To: to, From: '+15005550006', Body: 'hi' }))).toEqual({ code, status: 400 });
  });

  it('given an error, when refused, then more_info links the code page', () => {
    const outcome = create({ To: 'nope', From: '+15005550006', Body: 'hi' });

    expect(outcome.kind === 'refused' && outcome.error.more_info).toBe('https://www.twilio.com/docs/errors/21211');
  });
});

describe('segmentCount', () => {
  it.each([
    ['160 GSM characters', 1, 'a'.repeat(160)],
    ['161 GSM characters', 2, 'a'.repeat(161)],
    ['306 GSM characters', 2, 'a'.repeat(306)],
    ['70 UCS-2 characters', 1, 'ж'.repeat(70)],
    ['71 UCS-2 characters', 2, 'ж'.repeat(71)],
  ])('given %s, when counted, then it takes %i segment(s)', (_, segments, body) => {
    expect(segmentCount(body)).toBe(segments);
  });
});

describe('rfc2822', () => {
  it('given a date, when formatted, then it is UTC with a numeric zone as Twilio writes it', () => {
    expect(rfc2822(new Date('2026-01-05T07:08:09Z'))).toBe('Mon, 05 Jan 2026 07:08:09 +0000');
  });
});
