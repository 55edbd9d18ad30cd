import { Queue, Worker } from "bullmq";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  connectionOptions,
  parseQueueAddress,
  probeQueue,
  QueueUnavailableError,
} from "../../cli/queue/connection.ts";
import { redisMissing, startRedis, type TestRedis } from "./redis.ts";

/** What the queue asks of a Redis server: the eviction policy, and credentials in the URL. */
const missing = redisMissing();
const skipped = missing === undefined ? "" : ` (skipped: ${missing})`;

describe.skipIf(missing !== undefined)(`Redis ACL credentials${skipped}`, () => {
  let redis: TestRedis;
  beforeAll(async () => {
    redis = await startRedis({ requirePass: "pa55word" });
  });
  afterAll(() => redis?.stop());

  it("are used when given in the URL; a wrong or missing password is refused without being shown", async () => {
    const at = `127.0.0.1:${redis.port}`;
    await expect(probeQueue(parseQueueAddress(`redis://default:pa55word@${at}/2`))).resolves.toBeUndefined();
    await expect(probeQueue(parseQueueAddress(`redis://:pa55word@${at}`))).resolves.toBeUndefined();
    const wrong = probeQueue(parseQueueAddress(`redis://default:nope-nope@${at}`));
    await expect(wrong).rejects.toThrow(QueueUnavailableError);
    await expect(wrong).rejects.toThrow(`--queue redis://***@${at}: cannot use Redis there`);
    await expect(wrong).rejects.not.toThrow(/nope-nope|pa55word/);
    await expect(probeQueue(parseQueueAddress(`redis://${at}`))).rejects.toThrow(/NOAUTH/);
  });

  it("a user limited as the README suggests can run the queue (and is warned it cannot read the policy)", async () => {
    const admin = new Redis({ host: "127.0.0.1", port: redis.port, password: "pa55word" });
    const acl = [
      "sweeper",
      "on",
      ">s3cret",
      "~bull:*",
      "&bull:*",
      "+@all",
      "-@dangerous",
      "+info",
      "+client",
    ];
    try {
      expect(await admin.call("ACL", "SETUSER", ...acl)).toBe("OK");
    } finally {
      admin.disconnect();
    }
    const address = parseQueueAddress(`redis://sweeper:s3cret@127.0.0.1:${redis.port}/1`);
    const warning = await probeQueue(address);
    expect(warning).toMatch(/could not read maxmemory-policy .*make sure it is noeviction$/);
    expect(warning).not.toContain("s3cret");
    const queue = new Queue("dtsim-runs", { connection: connectionOptions(address) });
    const worker = new Worker("dtsim-runs", async (job) => `ran ${job.id}`, {
      connection: connectionOptions(address),
    });
    try {
      await queue.add("run", {}, { jobId: "run-acl" });
      await new Promise<void>((resolve) => worker.once("completed", () => resolve()));
      const job = await queue.getJob("run-acl");
      expect(job?.returnvalue).toBe("ran run-acl");
    } finally {
      await worker.close();
      await queue.close();
    }
  });
});

describe.skipIf(missing !== undefined)(`Redis's eviction policy${skipped}`, () => {
  let redis: TestRedis;
  beforeAll(async () => {
    redis = await startRedis({ policy: "allkeys-lru" });
  });
  afterAll(() => redis?.stop());

  it("must be noeviction: another is refused, saying how to set it", async () => {
    const probe = probeQueue(parseQueueAddress(`redis://127.0.0.1:${redis.port}`));
    await expect(probe).rejects.toThrow(QueueUnavailableError);
    await expect(probe).rejects.toThrow(/maxmemory-policy allkeys-lru; the queue needs noeviction/);
  });
});
