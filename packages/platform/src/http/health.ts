import { Router } from 'express';
import type { Logger } from 'pino';
import { unavailableDependency } from '../dependencies/unavailable.js';
import { problemFor, sendProblem } from './problem.js';
import { markRoute } from './request-context.js';

/** A dependency probed by `/health/ready`. */
export interface ReadinessCheck {
  /** Named in the readiness response when it fails: `postgres`, `kafka`, `mongo`, `redis`. */
  readonly name: string;
  /** Resolves when the dependency answers; `signal` aborts when the check's time is up. */
  readonly check: (signal: AbortSignal) => Promise<unknown>;
  /**
   * The service serves without it, only worse (Redis: uncached reads), so it being down makes the
   * service `degraded`, not unready. @default false
   */
  readonly optional?: boolean;
}

/** One check's outcome as the readiness endpoint reports it. */
export interface CheckResult {
  readonly name: string;
  readonly status: 'up' | 'down';
  /** Present, and true, for a check the service can serve without. */
  readonly optional?: true;
  /**
   * Why it is down, in a few words (`connection refused`, `server starting up`, `timed out after 2000ms`,
   * or `check failed` when the error says nothing recognisable); the error itself is logged, not exposed.
   */
  readonly reason?: string;
}

/** Options for `healthRoutes`. */
export interface HealthRoutesOptions {
  /** Reported by `/health/live`. */
  readonly service: string;
  readonly checks: readonly ReadinessCheck[];
  /** Time each check gets. */
  readonly timeoutMs: number;
  /** Seconds a not-ready answer asks the prober to wait, sent as `Retry-After`. */
  readonly retryAfterSeconds: number;
  readonly logger: Logger;
}

class CheckTimedOut extends Error {}

/**
 * `/health/live` answers as long as the process can serve HTTP (restart it otherwise); `/health/ready`
 * runs every dependency check concurrently, each bounded by `timeoutMs`, and answers 503 naming the
 * failing required ones and why so traffic is withheld until they recover. When only optional checks
 * fail it answers 200 with `status: 'degraded'`: withholding traffic would not bring them back, and
 * the service still answers correctly without them.
 */
export function healthRoutes({ service, checks, timeoutMs, retryAfterSeconds, logger }: HealthRoutesOptions): Router {
  const log = logger.child({ component: 'readiness' });
  const router = Router();
  router.get('/health/live', markRoute('/health/live'), (_req, res) => {
    res.json({ status: 'up', service });
  });
  router.get('/health/ready', markRoute('/health/ready'), async (req, res) => {
    const results = await Promise.all(checks.map((check) => runCheck(check, timeoutMs, log)));
    const down = results.filter((result) => result.status === 'down' && result.optional !== true);
    if (down.length === 0) {
      const degraded = results.some((result) => result.status === 'down');
      res.json({ status: degraded ? 'degraded' : 'ready', checks: results });
      return;
    }
    const detail = `not ready: ${down.map((result) => result.name).join(', ')}`;
    const retryAfter = { 'Retry-After': String(retryAfterSeconds) };
    sendProblem(res, problemFor(req, 503, { detail, checks: results }), retryAfter);
  });
  return router;
}

async function runCheck(readiness: ReadinessCheck, timeoutMs: number, log: Logger): Promise<CheckResult> {
  const { name, optional: marked = false } = readiness;
  const optional = marked ? ({ optional: true } as const) : {};
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => {
      controller.abort();
      reject(new CheckTimedOut());
    }, timeoutMs);
  });
  try {
    await Promise.race([readiness.check(controller.signal), timedOut]);
    return { name, status: 'up', ...optional };
  } catch (error) {
    const reason =
      error instanceof CheckTimedOut ? `timed out after ${timeoutMs}ms` : (unavailableDependency(error)?.reason ?? 'check failed');
    log.warn({ err: error, check: name }, `readiness check ${reason}`);
    return { name, status: 'down', ...optional, reason };
  } finally {
    clearTimeout(timer);
  }
}
