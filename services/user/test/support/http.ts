import type { Problem } from '@msa/platform';
import type request from 'supertest';

/** A user as the API returns it. */
export interface UserBody {
  readonly id: string;
  readonly email: string;
  readonly name: string;
  readonly role: string;
  readonly version: number;
}

/** The response as the RFC 9457 problem it must be. */
export function problemOf(res: request.Response): Problem {
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  return res.body as Problem;
}

export function userOf(res: request.Response): UserBody {
  return res.body as UserBody;
}
