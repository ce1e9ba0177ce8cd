/**
 * The local province's handler pool (HHC_WORKERS): a function's bundle runs in a worker thread with
 * its own environment, the province clock's offset, its errors and its timeout, as on the main thread.
 */
import { writeFileSync } from "node:fs";
import path from "node:path";
import { threadId } from "node:worker_threads";
import { afterAll, describe, expect, test } from "vitest";
import type { FunctionDeclaration } from "#lib/declaration/types.ts";
import { FunctionTimeoutError, LocalFunction } from "#local/runtime.ts";
import { HandlerPool, handlerPoolFromEnv } from "#local/workers.ts";
import { clockOffsetMs, setClockOffsetMs } from "#shared/clock.ts";
import { scratchFolders } from "../support/scratch.ts";

const dir = scratchFolders()("hhc-pool-");
writeFileSync(
  path.join(dir, "index.mjs"),
  `import { threadId } from "node:worker_threads";
const atInit = process.env.HHC_POOL_TEST;
export const handler = async (event, context) => {
  if (event.fail) throw new TypeError("asked to fail");
  if (event.sleepMs) await new Promise((r) => setTimeout(r, event.sleepMs));
  return { atInit, thread: threadId, offset: globalThis[Symbol.for("hhc.province-clock.offset-ms")] ?? 0, name: context.functionName, remaining: context.getRemainingTimeInMillis() };
};`,
);
const pool = new HandlerPool(2);
afterAll(() => pool.close());
const declaration = (id: string): FunctionDeclaration => ({ id, entry: "x.ts", description: "test", timeoutSeconds: 1, memoryMb: 128 });
const fn = (id: string, value: string) => new LocalFunction("hub", declaration(id), dir, { HHC_POOL_TEST: value }, 0, pool);

describe("handlers in worker threads", () => {
  test("each function loads with its own environment, off the main thread, named as in AWS", async () => {
    const [a, b] = await Promise.all([
      fn("First", "one").invoke<Record<string, unknown>>({}),
      fn("Second", "two").invoke<Record<string, unknown>>({}),
    ]);
    expect(a).toMatchObject({ atInit: "one", name: "hub-First" });
    expect(b).toMatchObject({ atInit: "two", name: "hub-Second" });
    expect(a!.thread).not.toBe(threadId);
    expect(a!.remaining as number).toBeGreaterThan(0);
    expect(a!.remaining as number).toBeLessThanOrEqual(1000);
    expect(process.env.HHC_POOL_TEST).toBeUndefined();
  });

  test("the province clock's offset reaches the worker with each invocation", async () => {
    setClockOffsetMs(clockOffsetMs() + 3_600_000);
    const answer = await fn("Clock", "x").invoke<{ offset: number }>({});
    expect(answer.offset).toBe(clockOffsetMs());
  });

  test("a handler's error and a timeout reach the caller as on the main thread", async () => {
    await expect(fn("Failing", "x").invoke({ fail: true })).rejects.toMatchObject({ name: "TypeError", message: "asked to fail" });
    await expect(fn("Slow", "x").invoke({ sleepMs: 1500 })).rejects.toBeInstanceOf(FunctionTimeoutError);
  });

  test("HHC_WORKERS: unset or 0 keeps the main thread; anything but a whole number above 0 is refused", async () => {
    expect(handlerPoolFromEnv(undefined)).toBeUndefined();
    expect(handlerPoolFromEnv("0")).toBeUndefined();
    expect(() => handlerPoolFromEnv("two")).toThrow(/HHC_WORKERS/);
    const one = handlerPoolFromEnv("1")!;
    expect(one.size).toBe(1);
    await one.close();
  });
});
