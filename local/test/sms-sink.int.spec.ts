import { randomInt } from 'node:crypto';
import { localServers, readSmsSinkCredentials, smsSinkClient } from '../src/index.js';

describe('SMS sink smoke', () => {
  const { smsSinkUrl } = localServers();
  const { accountSid, authToken } = readSmsSinkCredentials();
  const client = smsSinkClient();
  // A number of this spec's own, so other specs' messages on the shared sink never show up here.
  const to = `+4915${String(randomInt(10 ** 9)).padStart(9, '0')}`;

  afterAll(async () => {
    await client.clear(to);
  });

  it('given the local credentials, when a message is created as a Twilio client does, then the client reads it by its number', async () => {
    const response = await fetch(`${smsSinkUrl}/2010-04-01/Accounts/${accountSid}/Messages.json`, {
      method: 'POST',
      headers: { authorization: `Basic ${Buffer.from(`${accountSid}:${authToken}`).toString('base64')}` },
      body: new URLSearchParams({ To: to, From: '+15005550006', Body: 'Your code is 123456' }),
      signal: AbortSignal.timeout(5_000),
    });
    const created = (await response.json()) as { sid: string };

    expect(response.status).toBe(201);
    expect(await client.messages(to)).toEqual([
      expect.objectContaining({ sid: created.sid, to, body: 'Your code is 123456', status: 'queued' }),
    ]);
    expect(await client.clear(to)).toBe(1);
    expect(await client.messages(to)).toEqual([]);
  });
});
