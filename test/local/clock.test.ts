/**
 * The province clock (docs/operations.md): `GET /local/clock` reads it, `POST /local/clock`
 * moves it forward for every node at once, never backward, loopback only; it survives a restart,
 * and the schedules see an advance at once (the hourly inbox sweeper deletes what expired).
 */
import { execFile } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient, GetCommand, PutCommand } from "@aws-sdk/lib-dynamodb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { answerClock, CLOCK_FILE, restoreClock } from "#local/clock.ts";
import { clock, clockOffsetMs } from "#shared/clock.ts";
import { advanceClock, call, startTestProvince, type TestProvince, waitFor } from "../support/province.ts";
import { scratchFolders } from "../support/scratch.ts";

const ISO_WITH_ZONE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;
const DAY = 86_400;

describe("the clock's answers (no province)", () => {
  const tempDir = scratchFolders();
  const dir = tempDir("hhc-clock-");
  it("answers only on the loopback address", () => {
    for (const remoteAddress of ["10.0.0.5", "192.168.1.20", "::ffff:10.1.2.3", undefined]) {
      const answer = answerClock(dir, { method: "POST", remoteAddress, body: '{"advanceSeconds":60}' });
      expect(answer.status, String(remoteAddress)).toBe(403);
    }
    for (const remoteAddress of ["127.0.0.1", "::1", "::ffff:127.0.0.1"])
      expect(answerClock(dir, { method: "GET", remoteAddress, body: "" }).status).toBe(200);
  });

  it("refuses other methods", () => {
    expect(answerClock(dir, { method: "DELETE", remoteAddress: "127.0.0.1", body: "" }).status).toBe(405);
  });

  it("restores the offset a data folder reached, and never goes back to a smaller one", () => {
    const saved = tempDir("hhc-clock-");
    const ahead = clockOffsetMs() + 3 * DAY * 1000;
    writeFileSync(path.join(saved, CLOCK_FILE), JSON.stringify({ offsetMs: ahead }));
    restoreClock(saved);
    expect(clockOffsetMs()).toBe(ahead);
    const behind = tempDir("hhc-clock-");
    writeFileSync(path.join(behind, CLOCK_FILE), JSON.stringify({ offsetMs: 1000 }));
    restoreClock(behind);
    expect(clockOffsetMs()).toBe(ahead);
    // the folder now holds the time the province went on from
    expect(JSON.parse(readFileSync(path.join(behind, CLOCK_FILE), "utf8")).offsetMs).toBe(ahead);
  });
});

// under load a first call waits for the cold starts the schedules began at start
describe("the province clock", { timeout: 120_000 }, () => {
  let t: TestProvince;
  let ddb: DynamoDBDocumentClient;
  beforeAll(async () => {
    t = await startTestProvince();
    ddb = DynamoDBDocumentClient.from(new DynamoDBClient({ endpoint: t.province.endpoints.dynamodb }));
  });
  afterAll(async () => {
    ddb?.destroy();
    await t?.province.stop();
  });
  const clockUrl = () => `${t.province.url}/local/clock`;
  const now = async () => {
    const res = await call(clockUrl());
    expect(res.status).toBe(200);
    return String(res.json?.now);
  };

  it("reads the time as ISO 8601 with its zone", async () => {
    const res = await call(clockUrl());
    expect(res.status).toBe(200);
    expect(Object.keys(res.json ?? {})).toEqual(["now"]);
    expect(String(res.json?.now)).toMatch(ISO_WITH_ZONE);
    expect(Math.abs(Date.parse(String(res.json?.now)) - clock.nowMs())).toBeLessThan(5000);
  });

  it("moves forward for every node at once, never backward", async () => {
    const before = Date.parse(await now());
    const res = await call(clockUrl(), { body: { advanceSeconds: 3600 } });
    expect(res.status).toBe(200);
    expect(String(res.json?.now)).toMatch(ISO_WITH_ZONE);
    const after = Date.parse(String(res.json?.now));
    expect(after - before).toBeGreaterThanOrEqual(3600_000);
    expect(after - before).toBeLessThan(3600_000 + 5000);
    // zero is allowed and changes nothing
    const zero = await call(clockUrl(), { body: { advanceSeconds: 0 } });
    expect(zero.status).toBe(200);
    expect(Date.parse(String(zero.json?.now))).toBeGreaterThanOrEqual(after);

    for (const body of [{ advanceSeconds: -1 }, { advanceSeconds: 1.5 }, { advanceSeconds: "60" }, {}, { advanceSeconds: 1e12 }]) {
      const refused = await call(clockUrl(), { body });
      expect(refused.status, JSON.stringify(body)).toBe(400);
      expect(refused.json).toMatchObject({ resourceType: "OperationOutcome", issue: [{ expression: ["advanceSeconds"] }] });
    }
    const notJson = await call(clockUrl(), { rawBody: "{", headers: { "content-type": "application/json" } });
    expect(notJson.status).toBe(400);
    expect(JSON.stringify(notJson.json)).toContain("advanceSeconds");
    expect(Date.parse(await now())).toBeGreaterThanOrEqual(after);
  });

  it("is seen by the next tick of every schedule: the hourly inbox sweeper deletes what expired at once", async () => {
    const table = t.province.resources.get("tangshan")!.tables.get("Inbox")!;
    const key = { hospitalId: "ts-clock-test", communicationId: "c-clock-1" };
    await ddb.send(
      new PutCommand({
        TableName: table,
        Item: { ...key, visibleAt: clock.isoNow(), receiveCount: 0, expiresAt: new Date(clock.nowMs() + DAY * 1000).toISOString() },
      }),
    );
    const item = async () => (await ddb.send(new GetCommand({ TableName: table, Key: key, ConsistentRead: true }))).Item;
    expect(await item()).toBeDefined();
    // two days on: past its expiry, and past the sweeper's next hourly run, which therefore comes at once
    await advanceClock(t.province, 2 * DAY);
    await waitFor(item, (i) => i === undefined, 60_000);
  });

  it("keeps its time across a restart", async () => {
    const before = Date.parse(await advanceClock(t.province, 600));
    await t.province.stop();
    const saved = JSON.parse(readFileSync(path.join(t.dataDir, CLOCK_FILE), "utf8")) as { offsetMs: number };
    expect(saved.offsetMs).toBe(clockOffsetMs());
    // a fresh process reading the folder starts where this one left off
    const script = path.join(t.dataDir, "read-clock.ts");
    writeFileSync(
      script,
      `import { restoreClock } from ${JSON.stringify(path.resolve("local/clock.ts"))};\n` +
        `import { clockOffsetMs } from ${JSON.stringify(path.resolve("lambdas/shared/clock.ts"))};\n` +
        `restoreClock(${JSON.stringify(t.dataDir)});\nconsole.log(clockOffsetMs());\n`,
    );
    const { stdout } = await promisify(execFile)("npx", ["tsx", script], { timeout: 60_000 });
    expect(Number(stdout.trim())).toBe(saved.offsetMs);

    t = await startTestProvince(t.dataDir);
    expect(Date.parse(await now())).toBeGreaterThanOrEqual(before);
  });
});
