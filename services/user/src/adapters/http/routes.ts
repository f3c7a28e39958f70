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
  ListUsersQuery,
  LoginRequest,
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
}

const TAGS = ['users'];

function toResponse({ profile, version }: VersionedProfile) {
  const { userId, ...fields } = profile;
  return { id: userId, ...fields, version };
}

/** The user service's HTTP API: registration, login, the caller's own profile, and the admin listing. */
export function userRoutes(deps: UserRoutesDependencies): Route[] {
  const { accounts, profiles, tokens, authenticated, adminOnly } = deps;

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
    },
    async ({ body, reply }) => {
      const user = await accounts.authenticate(body.email, body.password);
      // One answer for an unknown email and a wrong password, so the API does not reveal who has an account.
      if (user === undefined) throw new UnauthorizedError('the email or password is not correct');
      const principal: Principal = { userId: user.profile.userId, email: user.profile.email, roles: [user.profile.role] };
      const issued = await tokens.issue(principal);
      return reply(200, { accessToken: issued.token, tokenType: issued.tokenType, expiresAt: issued.expiresAt.toISOString() });
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
      tags: TAGS,
      auth: authenticated,
      request: { body: UpdateProfileRequest },
      responses: { 200: { description: 'The profile after the change', body: UserResponse } },
      problems: [404, 409],
    },
    async ({ body, principal, command, reply }) => {
      const updated = await accounts.updateProfile(
        { type: 'UpdateProfile', data: { ...body, userId: principal.userId } },
        command,
      );
      return reply(200, toResponse(updated));
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

  return [register, login, me, updateMe, list];
}
