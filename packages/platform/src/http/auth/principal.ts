import type { Request, RequestHandler } from 'express';
import { z } from 'zod';
import { UnauthorizedError } from '../errors.js';

/** The platform's roles. */
export const ROLES = ['customer', 'admin'] as const;
/** A platform role. */
export type Role = (typeof ROLES)[number];

/** Who a verified token speaks for. */
export interface Principal {
  readonly userId: string;
  readonly email: string;
  readonly roles: readonly Role[];
}

/** The token claims that carry a principal: `sub`, `email`, `roles`. */
export const principalClaimsSchema = z
  .object({ sub: z.string().min(1), email: z.email(), roles: z.array(z.enum(ROLES)).min(1) })
  .transform(({ sub, email, roles }): Principal => ({ userId: sub, email, roles }));

/** Express middleware made by `requireAuth`; routes that carry one receive a typed `principal`. */
export interface AuthMiddleware extends RequestHandler {
  /** The roles, any one of which admits the caller; empty when any verified caller will do. */
  readonly requiredRoles: readonly Role[];
}

const principals = new WeakMap<Request, Principal>();

export function attachPrincipal(req: Request, principal: Principal): void {
  principals.set(req, principal);
}

/**
 * The principal `requireAuth` verified for this request. Throws `UnauthorizedError` when there is none,
 * so a route that forgot its guard fails closed.
 */
export function principalOf(req: Request): Principal {
  const principal = principals.get(req);
  if (!principal) throw new UnauthorizedError('authentication is required');
  return principal;
}
