import { Router } from 'express';
import type { Logger } from 'pino';
import { unavailableDependency } from './dependency-errors.js';
import { problemFor, sendProblem } from './problem.js';
import { markRoute } from './request-context.js';

/** A dependency the service cannot serve without, probed by `/health/ready`. */
export interface ReadinessCheck {
  /** Named in the readiness response when it fails: `postgres`, `kafka`, `mongo`, `redis`. */
  readonly name: string;
  /** Resolves when the dependency answers; `signal` aborts when the check's time is up. */
  readonly check: (signal: AbortSignal) => Promise<unknown>;
}

/** One check's outcome as the readiness endpoint reports it. */
export interface CheckResult {
  readonly name: string;
  readonly status: 'up' | 'down';
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
 * failing ones and why so traffic is withheld until they recover.
 */
export function healthRoutes({ service, checks, timeoutMs, retryAfterSeconds, logger }: HealthRoutesOptions): Router {
  const log = logger.child({ component: 'readiness' });
  const router = Router();
  router.get('/health/live', markRoute('/health/live'), (_req, res) => {
    res.json({ status: 'up', service });
  });
  router.get('/health/ready', markRoute('/health/ready'), async (req, res) => {
    const results = await Promise.all(checks.map((check) => runCheck(check, timeoutMs, log)));
    const down = results.filter((result) => result.status === 'down');
    if (down.length === 0) {
      res.json({ status: 'ready', checks: results });
      return;
    }
    const detail = `not ready: ${down.map((result) => result.name).join(', ')}`;
    const retryAfter = { 'Retry-After': String(retryAfterSeconds) };
    sendProblem(res, problemFor(req, 503, { detail, checks: results }), retryAfter);
  });
  return router;
}

async function runCheck({ name, check }: ReadinessCheck, timeoutMs: number, log: Logger): Promise<CheckResult> {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => {
      controller.abort();
      reject(new CheckTimedOut());
    }, timeoutMs);
  });
  try {
    await Promise.race([check(controller.signal), timedOut]);
    return { name, status: 'up' };
  } catch (error) {
    const reason =
      error instanceof CheckTimedOut ? `timed out after ${timeoutMs}ms` : (unavailableDependency(error)?.reason ?? 'check failed');
    log.warn({ err: error, check: name }, `readiness check ${reason}`);
    return { name, status: 'down', reason };
  } finally {
    clearTimeout(timer);
  }
}
