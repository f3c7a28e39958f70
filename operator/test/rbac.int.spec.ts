import { readFileSync, writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { z } from 'zod';
import type { RunningOperator } from '../src/app.js';
import { operatorRbacRules } from '../src/manifests/rbac.js';
import {
  core,
  createNamespace,
  createTopic,
  deleteTopic,
  kubeconfigPath,
  rbac,
  startTestOperator,
  uniqueName,
  useKafkaAdmin,
  waitGone,
  waitKafkaTopicDeleted,
  waitReady,
} from './support/harness.js';

const kubeconfigShape = z.looseObject({ users: z.array(z.looseObject({ user: z.looseObject({}) })) });

const admin = useKafkaAdmin();
let namespace: string;
let operator: RunningOperator | undefined;
let workDir: string;

/** A copy of the admin kubeconfig that acts as `user` (the admin certificate may impersonate). */
function impersonatingKubeconfig(user: string): string {
  const config = kubeconfigShape.parse(parse(readFileSync(kubeconfigPath, 'utf8')));
  for (const entry of config.users) entry.user.as = user;
  const path = join(workDir, 'kubeconfig');
  writeFileSync(path, stringify(config), { mode: 0o600 });
  return path;
}

beforeEach(async () => {
  namespace = await createNamespace();
  workDir = mkdtempSync(join(tmpdir(), 'operator-rbac-'));
});

afterEach(async () => {
  await operator?.stop();
  operator = undefined;
  rmSync(workDir, { recursive: true, force: true });
  await core.deleteNamespace({ name: namespace });
});

describe('operator RBAC', () => {
  it('given only the rules of operatorRbacRules, when the operator runs, then it creates, reports on and deletes topics', async () => {
    const serviceAccount = `system:serviceaccount:${namespace}:topic-operator`;
    await rbac.createNamespacedRole({
      namespace,
      body: {
        metadata: { name: 'topic-operator' },
        rules: operatorRbacRules.map((r) => ({ apiGroups: [...r.apiGroups], resources: [...r.resources], verbs: [...r.verbs] })),
      },
    });
    await rbac.createNamespacedRoleBinding({
      namespace,
      body: {
        metadata: { name: 'topic-operator' },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'topic-operator' },
        subjects: [{ kind: 'User', name: serviceAccount, apiGroup: 'rbac.authorization.k8s.io' }],
      },
    });
    operator = await startTestOperator({ namespace, env: { KUBECONFIG: impersonatingKubeconfig(serviceAccount) } });
    const name = uniqueName('t');

    await createTopic(namespace, name);
    await waitReady(namespace, name);
    await deleteTopic(namespace, name);

    await waitGone(namespace, name);
    expect(operator.isLeader()).toBe(true);
    expect(await waitKafkaTopicDeleted(admin, name)).not.toContain(name);
    const events = await core.listNamespacedEvent({ namespace });
    expect(events.items.map((e) => e.reason)).toEqual(expect.arrayContaining(['TopicCreated', 'TopicDeleted']));
  });
});
