import { setTimeout as sleep } from 'node:timers/promises';
import {
  type AuthMiddleware,
  NotFoundError,
  type Principal,
  route,
  type Route,
  type TokenIssuer,
  UnauthorizedError,
} from '@msa/platform';
import { roleAtRegistration } from '../../domain/roles.js';
import type { UserAccounts, UserProfiles, VersionedProfile } from '../../ports.js';
import {
  ChangePasswordRequest,
  ListUsersQuery,
  LoginRequest,
  PasswordResetAccepted,
  PasswordResetConfirmation,
  PasswordResetRequest,
  RegisterRequest,
  TokenResponse,
  UpdateProfileRequest,
  UserPageResponse,
  UserResponse,
} from './schemas.js';

/** What the user routes are built from; app.ts supplies the real ones. */
export interface UserRoutesDependencies {
  readonly accounts: UserAccounts;
  readonly profiles: UserProfiles;
  readonly tokens: TokenIssuer;
  /** Admits any verified caller. */
  readonly authenticated: AuthMiddleware;
  /** Admits verified callers with the `admin` role. */
  readonly adminOnly: AuthMiddleware;
  /** Addresses that become admins when they register. */
  readonly adminEmails: readonly string[];
  readonly newUserId: () => string;
  /**
   * The least time a reset request takes to answer, whatever happened, so the response time does
   * not tell an address with an account from one without. @default RESET_REQUEST_ANSWER_MS
   */
  readonly resetRequestAnswerMs?: number;
}

/**
 * Well above the time a reset request takes for an address with an account (a transaction with an
 * append: 11 ms at the median, 65 ms at worst over 60 requests on the shared local servers, against
 * 2 ms for an unknown address), so both kinds answer after this long.
 */
const RESET_REQUEST_ANSWER_MS = 250;

const TAGS = ['users'];

const RESET_ACCEPTED = { message: 'if the address belongs to an account, a reset link is on its way to it' };

function toResponse({ profile, version }: VersionedProfile) {
  const { userId, ...fields } = profile;
  return { id: userId, ...fields, version };
}

function principalOf({ profile }: VersionedProfile): Principal {
  return { userId: profile.userId, email: profile.email, roles: [profile.role] };
}

/** The user service's HTTP API: registration, login, the caller's own profile and password, password resets, and the admin listing. */
export function userRoutes(deps: UserRoutesDependencies): Route[] {
  const { accounts, profiles, tokens, authenticated, adminOnly, resetRequestAnswerMs = RESET_REQUEST_ANSWER_MS } = deps;

  async function tokenFor(user: VersionedProfile) {
    const issued = await tokens.issue(principalOf(user));
    return { accessToken: issued.token, tokenType: issued.tokenType, expiresAt: issued.expiresAt.toISOString() };
  }

  const register = route(
    {
      method: 'post',
      path: '/api/users',
      summary: 'Register an account',
      description: 'Addresses on the configured admin list become admins; everyone else is a customer.',
      tags: TAGS,
      request: { body: RegisterRequest },
      responses: { 201: { description: 'Registered', body: UserResponse } },
      problems: [409, 422],
    },
    async ({ body, command, reply }) => {
      const registered = await accounts.register(
        {
          type: 'RegisterUser',
          data: { ...body, userId: deps.newUserId(), role: roleAtRegistration(body.email, deps.adminEmails) },
        },
        command,
      );
      return reply(201, toResponse(registered), { location: '/api/users/me' });
    },
  );

  const login = route(
    {
      method: 'post',
      path: '/api/users/login',
      summary: 'Exchange an email and password for an access token',
      tags: TAGS,
      request: { body: LoginRequest },
      responses: { 200: { description: 'A signed access token', body: TokenResponse } },
      problems: [401],
    },
    async ({ body, reply }) => {
      const token = await accounts.authenticate(body.email, body.password, tokenFor);
      // One answer for an unknown email and a wrong password, so the API does not reveal who has an account.
      if (token === undefined) throw new UnauthorizedError('the email or password is not correct');
      return reply(200, token);
    },
  );

  const me = route(
    {
      method: 'get',
      path: '/api/users/me',
      summary: "The caller's profile",
      description: 'Served from the read model, which follows a registration or change within moments.',
      tags: TAGS,
      auth: authenticated,
      responses: { 200: { description: 'The profile', body: UserResponse } },
      problems: [404],
    },
    async ({ principal, reply }) => {
      const found = await profiles.byId(principal.userId);
      if (found === undefined) throw new NotFoundError('the profile is not available yet');
      return reply(200, toResponse(found));
    },
  );

  const updateMe = route(
    {
      method: 'patch',
      path: '/api/users/me',
      summary: "Change the caller's name, email or phone",
      description: 'A new email address needs `currentPassword`; without it, or with a wrong one, 422 names `body.currentPassword`.',
      tags: TAGS,
      auth: authenticated,
      request: { body: UpdateProfileRequest },
      responses: { 200: { description: 'The profile after the change', body: UserResponse } },
      problems: [404, 409, 422],
    },
    async ({ body, principal, command, reply }) => {
      const updated = await accounts.updateProfile({ ...body, userId: principal.userId }, command);
      return reply(200, toResponse(updated));
    },
  );

  const changePassword = route(
    {
      method: 'post',
      path: '/api/users/me/password',
      summary: "Replace the caller's password",
      description:
        'Tokens issued before the change stop working on every service; the answer is a fresh token, so the caller stays signed in.',
      tags: TAGS,
      auth: authenticated,
      request: { body: ChangePasswordRequest },
      responses: { 200: { description: 'A token issued after the change', body: TokenResponse } },
      problems: [404, 422],
    },
    async ({ body, principal, command, reply }) => {
      const changed = await accounts.changePassword({ ...body, userId: principal.userId }, command);
      return reply(200, await tokenFor(changed));
    },
  );

  const requestReset = route(
    {
      method: 'post',
      path: '/api/users/password-reset',
      summary: 'Ask for a password reset link by email',
      description:
        'The same answer, after the same time, whether or not the address has an account; at most a few links per account and hour are sent.',
      tags: TAGS,
      request: { body: PasswordResetRequest },
      responses: { 202: { description: 'Accepted; a link is mailed if the address has an account', body: PasswordResetAccepted } },
    },
    async ({ body, command, reply }) => {
      await Promise.all([accounts.requestPasswordReset(body.email, command), sleep(resetRequestAnswerMs)]);
      return reply(202, RESET_ACCEPTED);
    },
  );

  const confirmReset = route(
    {
      method: 'post',
      path: '/api/users/password-reset/confirm',
      summary: 'Set a new password with the token of a reset link',
      description: 'A token works once, until it expires, and only while it is the newest one asked for.',
      tags: TAGS,
      request: { body: PasswordResetConfirmation },
      responses: { 204: { description: 'The password is set; tokens issued before it stop working' } },
      problems: [422],
    },
    async ({ body, command, reply }) => {
      await accounts.resetPassword(body, command);
      return reply(204);
    },
  );

  const list = route(
    {
      method: 'get',
      path: '/api/users',
      summary: 'List users, a page at a time (admins only)',
      tags: TAGS,
      auth: adminOnly,
      request: { query: ListUsersQuery },
      responses: { 200: { description: 'A page of users', body: UserPageResponse } },
    },
    async ({ query: { page, pageSize }, reply }) => {
      const { items, total } = await profiles.page(page, pageSize);
      return reply(200, { items: items.map(toResponse), page, pageSize, total });
    },
  );

  return [register, login, me, updateMe, changePassword, requestReset, confirmReset, list];
}
