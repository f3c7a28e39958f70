import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { startTelemetry } from '../../src/index.js';
import { testApp } from './fixture.js';

const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const CALLER_SPAN_ID = '00f067aa0ba902b7';

describe('HTTP kit: tracing', () => {
  let stopTelemetry: () => Promise<void>;
  beforeAll(() => {
    stopTelemetry = startTelemetry({ service: 'user' });
  });
  afterAll(() => stopTelemetry());

  it('given a W3C traceparent, when a JSON body is posted, then the handler and access logs continue that trace', async () => {
    const { http, lines } = testApp();

    await request(http.app)
      .post('/api/users')
      .set('traceparent', `00-${TRACE_ID}-${CALLER_SPAN_ID}-01`)
      .send({ email: 'ada@example.com', password: 'long-enough' })
      .expect(201);

    const handlerLine = lines.find((line) => line.msg === 'registering');
    const accessLine = lines.find((line) => line.msg === 'request completed');
    expect(handlerLine).toMatchObject({ trace_id: TRACE_ID });
    expect(accessLine).toMatchObject({ trace_id: TRACE_ID, route: '/api/users', status: 201 });
    expect(handlerLine?.span_id).toMatch(/^[0-9a-f]{16}$/);
    expect(handlerLine?.span_id).not.toBe(CALLER_SPAN_ID);
  });

  it('given a JSON body arriving in pieces, when posted, then the handler still runs inside the request trace', async () => {
    const { http, lines } = testApp();
    const server = await http.listen(0, '127.0.0.1');
    const { port } = server.address() as AddressInfo;

    await new Promise<void>((resolve, reject) => {
      const headers = { 'content-type': 'application/json', traceparent: `00-${TRACE_ID}-${CALLER_SPAN_ID}-01` };
      const req = httpRequest({ host: '127.0.0.1', port, method: 'POST', path: '/api/users', headers }, (res) => {
        res.resume().on('end', resolve);
      });
      req.on('error', reject);
      req.write('{"email": "ada@example.com", ');
      setTimeout(() => req.end('"password": "long-enough"}'), 30);
    });
    server.close();

    expect(lines.find((line) => line.msg === 'registering')).toMatchObject({ trace_id: TRACE_ID });
  });

  it('given no traceparent, when requested, then a new trace is started for the request', async () => {
    const { http, lines } = testApp();

    await request(http.app).get('/api/users?page=2').expect(200);

    const accessLine = lines.find((line) => line.msg === 'request completed');
    expect(accessLine?.trace_id).toMatch(/^[0-9a-f]{32}$/);
  });
});
