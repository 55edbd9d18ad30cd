import { describe, expect, it } from "vitest";
import { parseQueueAddress, redactedUrl } from "../../cli/queue/connection.ts";
import { readRunJob, runJob, runJobId } from "../../cli/queue/jobs.ts";
import { dtsim } from "../cli/dtsim.ts";
import { freePort } from "./redis.ts";

describe("--queue URL", () => {
  it("accepts redis:// and rediss:// with a host, an optional port and database", () => {
    for (const url of [
      "redis://h",
      "redis://h:7000",
      "redis://h:7000/3",
      "rediss://u:p@h:6380/0",
      "redis://[::1]:6379",
    ]) {
      expect(parseQueueAddress(url).url).toBe(url);
    }
  });

  it("hides the credentials in what it shows, also in its errors", () => {
    expect(redactedUrl("redis://alice:s3cret@h:6379/1")).toBe("redis://***@h:6379/1");
    expect(redactedUrl("redis://:s3cret@h")).toBe("redis://***@h");
    expect(redactedUrl("redis://h:6379")).toBe("redis://h:6379");
    expect(parseQueueAddress("redis://alice:s3cret@h/2").shown).toBe("redis://***@h/2");
    expect(() => parseQueueAddress("redis://alice:s3cret@h/db")).toThrow('--queue: got "redis://***@h/db"');
    expect(() => parseQueueAddress("redis://alice:s3cret@h/db")).not.toThrow(/s3cret/);
  });

  it("refuses other schemes, a missing host, a database that is not a number, a query", () => {
    for (const url of ["http://h:6379", "h:6379", "redis://", "redis://h/x", "redis://h?db=1"]) {
      expect(() => parseQueueAddress(url), url).toThrow(/--queue/);
    }
  });
});

describe("run jobs", () => {
  const job = runJob("allreduce", { cluster: { workers: 4 }, schedule: { kind: "allreduce" } }, 1);

  it("are named by a hash of what they run: the same run, the same id; any change, another", () => {
    expect(runJobId(job)).toBe(
      runJobId(runJob("allreduce", { cluster: { workers: 4 }, schedule: { kind: "allreduce" } }, 1)),
    );
    expect(runJobId(job)).toMatch(/^run-[0-9a-f]{40}$/);
    const others = [
      runJob("allreduce", { cluster: { workers: 4 }, schedule: { kind: "allreduce" } }, 2),
      runJob("allreduce", { cluster: { workers: 8 }, schedule: { kind: "allreduce" } }, 1),
      runJob("other", { cluster: { workers: 4 }, schedule: { kind: "allreduce" } }, 1),
    ];
    expect(new Set([job, ...others].map(runJobId)).size).toBe(4);
  });

  it("keep non-finite numbers (YAML, not JSON, carries them)", () => {
    expect(runJob("x", { a: Number.POSITIVE_INFINITY }, 0).scenario).toContain(".inf");
  });

  it("are read back only when well-formed, with a plain file name", () => {
    expect(readRunJob(JSON.parse(JSON.stringify(job)))).toEqual(job);
    for (const bad of [
      null,
      { ...job, seed: -1 },
      { ...job, seed: 1.5 },
      { ...job, name: "../x" },
      { ...job, name: ".." },
      { ...job, scenario: 3 },
    ]) {
      expect(readRunJob(bad)).toBeUndefined();
    }
  });
});

describe.concurrent("dtsim sweep --queue and dtsim worker: input and environment errors", () => {
  it("a Redis nobody listens on: exit 3, one line, no password", async () => {
    const port = await freePort();
    for (const args of [
      [
        "sweep",
        "scenarios/core/allreduce.yaml",
        "--queue",
        `redis://bob:hunter2@127.0.0.1:${port}`,
        "--out",
        "/tmp/dtsim-never-written",
      ],
      ["worker", "--queue", `redis://bob:hunter2@127.0.0.1:${port}`],
    ]) {
      const outcome = await dtsim(args);
      expect(outcome.status, outcome.stderr).toBe(3);
      expect(outcome.stderr.trim().split("\n")).toHaveLength(1);
      expect(outcome.stderr).toContain(`redis://***@127.0.0.1:${port}`);
      expect(outcome.stderr).not.toContain("hunter2");
    }
  });

  it("--parallel with --queue, a bad URL, a bad --concurrency: exit 2", async () => {
    for (const args of [
      [
        "sweep",
        "scenarios/core/allreduce.yaml",
        "--queue",
        "redis://127.0.0.1:1",
        "--parallel",
        "2",
        "--out",
        "/tmp/x",
      ],
      ["worker", "--queue", "http://h"],
      ["worker", "--queue", "redis://127.0.0.1:1", "--concurrency", "0"],
    ]) {
      const outcome = await dtsim(args);
      expect(outcome.status, outcome.stderr).toBe(2);
      expect(outcome.stderr.trim().split("\n")).toHaveLength(1);
    }
  });
});
