import { UserCreated, UserRole } from '@msa/contracts';
import { z } from 'zod';
import { MAX_PASSWORD_LENGTH } from '../../domain/password-policy.js';

// Field formats come from the event contract, so a request the API accepts is an event the contract accepts.
const { email, name, phone } = UserCreated.payload.shape;

/** Long enough for any accepted password, short enough that hashing cannot be made expensive. */
const password = z.string().min(1).max(MAX_PASSWORD_LENGTH * 4);

/** `POST /api/users` */
export const RegisterRequest = z
  .strictObject({ email, password, name, phone })
  .meta({ id: 'RegisterRequest', description: 'A new account; the password policy is checked after the format' });

/** `POST /api/users/login` */
export const LoginRequest = z
  .strictObject({ email: z.string().min(1).max(254), password })
  .meta({ id: 'LoginRequest' });

/**
 * `PATCH /api/users/me`: one or more of the profile fields; the role and the password are not among
 * them. A new email address needs the current password.
 */
export const UpdateProfileRequest = z
  .strictObject({ name: name.optional(), email: email.optional(), phone: phone.optional(), currentPassword: password.optional() })
  .meta({ id: 'UpdateProfileRequest', description: 'currentPassword is required when email changes' });

/** `POST /api/users/me/password` */
export const ChangePasswordRequest = z
  .strictObject({ currentPassword: password, newPassword: password })
  .meta({ id: 'ChangePasswordRequest', description: 'The new password is checked by the password policy' });

/** `POST /api/users/password-reset` */
export const PasswordResetRequest = z.strictObject({ email }).meta({ id: 'PasswordResetRequest' });

/** `POST /api/users/password-reset/confirm`: the token from the reset link and the password to set. */
export const PasswordResetConfirmation = z
  .strictObject({ token: z.string().min(1).max(128), newPassword: password })
  .meta({ id: 'PasswordResetConfirmation' });

/** The one answer to every reset request, whether the address has an account or not. */
export const PasswordResetAccepted = z
  .object({ message: z.string() })
  .meta({ id: 'PasswordResetAccepted' });

/** `GET /api/users` */
export const ListUsersQuery = z.object({
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(100).default(20),
});

/** A user's profile; `version` is the user's stream version, which grows with every change. */
export const UserResponse = z
  .object({
    id: z.uuid(),
    email: z.string(),
    name: z.string(),
    role: UserRole,
    phone: z.string().optional(),
    version: z.int().min(1),
  })
  .meta({ id: 'User' });

/** An access token for the `Authorization: Bearer` header. */
export const TokenResponse = z
  .object({ accessToken: z.string(), tokenType: z.literal('Bearer'), expiresAt: z.iso.datetime() })
  .meta({ id: 'Token' });

/** One page of users, newest registrations last, with the total across all pages. */
export const UserPageResponse = z
  .object({
    items: z.array(UserResponse),
    page: z.int().min(1),
    pageSize: z.int().min(1),
    total: z.int().min(0),
  })
  .meta({ id: 'UserPage' });
