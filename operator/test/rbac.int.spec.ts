import { readFileSync, writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Admin } from 'kafkajs';
import { parse, stringify } from 'yaml';
import { z } from 'zod';
import type { RunningOperator } from '../src/app.js';
import { operatorRbacRules } from '../src/manifests/rbac.js';
import {
  core,
  createNamespace,
  createTopic,
  deleteTopic,
  eventually,
  kafkaAdmin,
  kubeconfigPath,
  rbac,
  readTopic,
  startTestOperator,
  uniqueName,
  waitReady,
} from './support/harness.js';

const kubeconfigShape = z.looseObject({ users: z.array(z.looseObject({ user: z.looseObject({}) })) });

let admin: Admin;
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

beforeAll(async () => {
  admin = await kafkaAdmin();
});

afterAll(async () => {
  await admin.disconnect();
});

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

    await eventually(() => readTopic(namespace, name), (kt) => kt === undefined);
    expect(operator.isLeader()).toBe(true);
    expect(await eventually(() => admin.listTopics(), (topics) => !topics.includes(name))).not.toContain(name);
    const events = await core.listNamespacedEvent({ namespace });
    expect(events.items.map((e) => e.reason)).toEqual(expect.arrayContaining(['TopicCreated', 'TopicDeleted']));
  });
});
