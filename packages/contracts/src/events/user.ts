import { z } from 'zod';
import { defineUpcaster } from '../upcasting.js';
import { defineEvent } from './envelope.js';
import { email, id, phoneNumber, text } from './fields.js';

/** A user's role: what the platform lets them do. */
export const UserRole = z.enum(['customer', 'admin']);

/** A user's role. */
export type UserRole = z.infer<typeof UserRole>;

const userCreatedPayload = z.object({
  userId: id,
  email,
  name: text(100),
  role: UserRole,
  phone: phoneNumber.optional(),
});

/**
 * A user registered. Carries the profile only: credentials stay in the user service's write side
 * and never travel in an event. aggregateId is the user id.
 */
export const UserCreated = defineEvent({
  eventType: 'UserCreated',
  aggregateType: 'User',
  schemaVersion: 2,
  payload: userCreatedPayload,
  aggregateIdField: 'userId',
});

/** A user registered. */
export type UserCreated = z.infer<typeof UserCreated.schema>;

/** A user changed their profile; only the changed fields are present. aggregateId is the user id. */
export const UserUpdated = defineEvent({
  eventType: 'UserUpdated',
  aggregateType: 'User',
  schemaVersion: 1,
  payload: z
    .object({ userId: id, name: text(100).optional(), email: email.optional(), phone: phoneNumber.optional() })
    .refine(
      (p) => p.name !== undefined || p.email !== undefined || p.phone !== undefined,
      'must change at least one of name, email, phone',
    ),
  aggregateIdField: 'userId',
});

/** A user changed their profile. */
export type UserUpdated = z.infer<typeof UserUpdated.schema>;

/**
 * A user's password changed, by the user (`change`, the current password given) or through a reset
 * link (`reset`). Carries no secret. Tokens issued before `occurredAt` stop working.
 * aggregateId is the user id.
 */
export const UserPasswordChanged = defineEvent({
  eventType: 'UserPasswordChanged',
  aggregateType: 'User',
  schemaVersion: 1,
  payload: z.object({ userId: id, via: z.enum(['change', 'reset']) }),
  aggregateIdField: 'userId',
});

/** A user's password changed. */
export type UserPasswordChanged = z.infer<typeof UserPasswordChanged.schema>;

/**
 * A user asked for a password reset link. `resetToken` is the single-use secret the link carries
 * (the user service keeps only its hash); it travels to the notification service, which mails it,
 * and is worthless once used or past `expiresAt`. aggregateId is the user id.
 */
export const PasswordResetRequested = defineEvent({
  eventType: 'PasswordResetRequested',
  aggregateType: 'User',
  schemaVersion: 1,
  payload: z.object({
    userId: id,
    email,
    name: text(100),
    resetToken: z.string().regex(/^[A-Za-z0-9_-]{32,128}$/, 'must be a base64url token'),
    expiresAt: z.iso.datetime(),
  }),
  aggregateIdField: 'userId',
});

/** A user asked for a password reset link. */
export type PasswordResetRequested = z.infer<typeof PasswordResetRequested.schema>;

/** Schema evolution of the user events. */
export const userUpcasters = [
  defineUpcaster({
    eventType: 'UserCreated',
    fromVersion: 1,
    reason:
      'v1 predates roles and repeated the time as createdAt; every v1 user registered through the ' +
      'public sign-up, so is a customer, and the envelope occurredAt already holds the time',
    from: z.object({ userId: id, email, name: text(100), createdAt: z.string() }),
    upcast: ({ userId, email: address, name }): z.input<typeof userCreatedPayload> => ({
      userId,
      email: address,
      name,
      role: 'customer',
    }),
  }),
];
