import { STATUS_CODES } from 'node:http';
import type { Request, Response } from 'express';
import { z } from 'zod';
import { findRequestContext } from './request-context.js';

/** RFC 9457 problem details, with the `errors` extension naming fields and the request id for support. */
export const problemSchema = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string().optional(),
    instance: z.string(),
    requestId: z.string(),
    errors: z.array(z.object({ field: z.string(), message: z.string() })).optional(),
  })
  .meta({ id: 'Problem', description: 'RFC 9457 problem details' });

/** An RFC 9457 problem details document as this kit sends it. */
export type Problem = z.output<typeof problemSchema> & Readonly<Record<string, unknown>>;

/** The standard reason phrase, which RFC 9457 asks for as the title of `about:blank` problems. */
export function titleOf(status: number): string {
  return STATUS_CODES[status] ?? 'Error';
}

/** Members a problem may add to, or override in, the base document. */
export type ProblemFields = Partial<Pick<Problem, 'type' | 'detail' | 'errors'>> & Readonly<Record<string, unknown>>;

/**
 * The problem document for `req` with `status`: `about:blank` type, the status phrase as title, the
 * request path (no query, which may hold personal data) as instance, and the request id.
 */
export function problemFor(req: Request, status: number, fields: ProblemFields = {}): Problem {
  return {
    type: 'about:blank',
    title: titleOf(status),
    status,
    instance: req.originalUrl.split('?', 1)[0] ?? '/',
    requestId: findRequestContext(req)?.requestId ?? 'unknown',
    ...fields,
  };
}

/** Sends a problem with its media type; extra headers (`WWW-Authenticate`) go with it. */
export function sendProblem(res: Response, problem: Problem, headers: Readonly<Record<string, string>> = {}): void {
  res
    .status(problem.status)
    .set(headers)
    .type('application/problem+json')
    .send(JSON.stringify(problem));
}
