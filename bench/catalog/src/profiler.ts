import { writeFile } from 'node:fs/promises';
import { Session } from 'node:inspector/promises';

/**
 * CPU profiles of measured windows only, through the inspector: `--cpu-prof` would profile the
 * whole life of the process, start-up, seeding and warm-ups included.
 */
export function windowProfiler(): { start(file: string): Promise<void>; stop(): Promise<void> } {
  let session: Session | undefined;
  let target: string | undefined;
  return {
    async start(file) {
      if (session === undefined) {
        session = new Session();
        session.connect();
        await session.post('Profiler.enable');
      }
      target = file;
      await session.post('Profiler.start');
    },
    async stop() {
      if (session === undefined || target === undefined) return;
      const { profile } = await session.post('Profiler.stop');
      await writeFile(target, JSON.stringify(profile));
      target = undefined;
    },
  };
}
