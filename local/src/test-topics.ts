import type { Admin, ITopicConfig } from 'kafkajs';

/**
 * Creates topics for a test and waits until the broker serves every partition. kafkajs's own
 * `waitForLeaders` gives up with "This server does not host this topic-partition" when the broker's
 * metadata trails the controller's commit for a moment, which a loaded machine makes likely; here
 * that answer means "not yet" until `timeoutMs` runs out.
 */
export async function createTestTopics(
  admin: Admin,
  topics: readonly ITopicConfig[],
  timeoutMs = 30_000,
): Promise<void> {
  await admin.createTopics({ topics: [...topics], waitForLeaders: false });
  const names = topics.map((t) => t.topic);
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const served = await admin.fetchTopicMetadata({ topics: names }).then(
      (metadata) =>
        metadata.topics.length === names.length &&
        metadata.topics.every((t) => t.partitions.length > 0 && t.partitions.every((p) => p.leader >= 0)),
      () => false,
    );
    if (served) return;
    if (Date.now() >= deadline) throw new Error(`topics ${names.join(', ')} not served after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
