import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '@msa/local';
import { field, list, synthesized, workloads } from './support/manifests.js';

/** Variables an entrypoint reads: `$NAME` or `${NAME...}`. */
const readBy = (script: string, name: string) => new RegExp(`\\$\\{?${name}\\b`).test(script);

describe('the local-node profile`s servers on the images built here', () => {
  const servers = workloads(synthesized['local-node'].manifests).flatMap(({ id, pod }) =>
    list(pod, 'spec', 'containers').map((container) => ({ id, container, image: String(field(container, 'image')) })),
  );

  it('given a server whose image has an entrypoint script, then that script reads every variable the pod sets for it', () => {
    let checked = 0;
    for (const { id, container, image } of servers) {
      const name = /^localhost\/msa\/([a-z-]+):/.exec(image)?.[1];
      const script = join(repoRoot, 'images', name ?? '', 'entrypoint.sh');
      if (name === undefined || !existsSync(script)) continue;
      const text = readFileSync(script, 'utf8');
      const env = list(container, 'env').map((variable) => ({ name: String(field(variable, 'name')), value: String(field(variable, 'value')) }));
      // Variables only spelled into others ($(POD_NAME)) and the generic KAFKA_CFG_<NAME> settings are not read by name.
      const spelled = (variable: string) => env.some(({ value }) => value.includes(`$(${variable})`));
      const generic = (variable: string) => variable.startsWith('KAFKA_CFG_') && text.includes('^KAFKA_CFG_');
      for (const { name: variable } of env) {
        if (spelled(variable) || generic(variable) || variable === 'PGDATA') continue;
        expect({ id, variable, read: readBy(text, variable) }).toEqual({ id, variable, read: true });
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(5);
  });
});
