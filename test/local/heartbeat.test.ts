/**
 * The first flow end to end through the local province: heartbeats at city nodes travel through
 * the hub's exchange queue to the connection board; bad input and bad credentials change nothing.
 */

import { DynamoDBClient, ScanCommand } from "@aws-sdk/client-dynamodb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ConnectionBoard } from "#domain/connections.ts";
import { CITY_IDS } from "#lib/config/province.ts";
import { call, startTestProvince, type TestProvince, waitFor } from "../support/province.ts";

let t: TestProvince;
const beat = { fepVersion: "2.1.0", backlog: 12, clock: "2026-11-26T08:00:00+08:00" };

const board = async () =>
  (await call(`${t.province.url}/hub/connections`, { token: t.credentials.operator })).json as unknown as ConnectionBoard;
const scanCount = async (table: string) => {
  const ddb = new DynamoDBClient({ endpoint: t.province.endpoints.dynamodb });
  const out = await ddb.send(new ScanCommand({ TableName: table, Select: "COUNT" }));
  ddb.destroy();
  return out.Count ?? 0;
};
const hubTable = (id: string) => t.province.resources.get("hub")!.tables.get(id)!;

beforeAll(async () => {
  t = await startTestProvince();
});
afterAll(async () => {
  await t?.province.stop();
});

describe("heartbeats feed the connection board", () => {
  it("counts exactly the five hospitals that sent heartbeats as connected, with their details", async () => {
    // prepare: five hospitals in five different cities
    const five = t.credentials.hospitals.filter((h, i, all) => all.findIndex((o) => o.cityId === h.cityId) === i).slice(0, 5);
    expect(new Set(five.map((h) => h.cityId)).size).toBe(5);
    // act: each FEP's clock runs 90 s ahead of the platform's
    let slowest = 0;
    for (const h of five) {
      const sent = Date.now();
      const body = { ...beat, clock: new Date(sent + 90_000).toISOString() };
      const res = await call(`${t.province.url}/cities/${h.cityId}/fep/heartbeat`, { token: h.credential, body });
      slowest = Math.max(slowest, (Date.now() - sent) / 1000);
      expect(res.status).toBe(204);
    }
    // assess: province-wide within seconds
    const result = await waitFor(board, (b) => b.totals.connected === 5);
    expect(result.totals).toEqual({ total: 467, connected: 5, silent: 0, neverSeen: 462, exchanging: 0 });
    const connected = result.hospitals.filter((h) => h.status === "connected");
    expect(connected.map((h) => h.hospitalId).sort()).toEqual(five.map((h) => h.id).sort());
    for (const h of connected) {
      expect(h.fepVersion).toBe("2.1.0");
      expect(h.backlog).toBe(12);
      // the city stamps receipt while the request is in flight: 90 s minus at most the request's duration
      expect(h.clockSkewSeconds).toBeGreaterThanOrEqual(90 - slowest - 0.2);
      expect(h.clockSkewSeconds).toBeLessThanOrEqual(90.2);
    }
    const perCity = new Map(result.cities.map((c) => [c.cityId, c]));
    expect(result.cities).toHaveLength(11);
    for (const h of five) expect(perCity.get(h.cityId)!.connected).toBe(1);
    expect(result.cities.reduce((n, c) => n + c.total, 0)).toBe(467);
  }, 180_000); // the first call of five cities: each city's authorizer and heartbeat function start cold

  it("acknowledges each heartbeat back to its city, so the city outboxes drain", async () => {
    const outboxes = [...t.province.resources.entries()]
      .filter(([id]) => CITY_IDS.includes(id as (typeof CITY_IDS)[number]))
      .map(([, r]) => r.tables.get("Outbox")!);
    const counts = await waitFor(
      () => Promise.all(outboxes.map(scanCount)),
      (c) => c.every((n) => n === 0),
    );
    expect(counts.reduce((a, b) => a + b, 0)).toBe(0);
  });

  it("refuses a missing or unknown credential with 401 and records nothing", async () => {
    const before = await scanCount(hubTable("Connections"));
    const baoding = `${t.province.url}/cities/baoding/fep/heartbeat`;
    for (const token of [undefined, "hhc.bd001-seed.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", "not-a-credential"]) {
      const res = await call(baoding, { token, body: beat });
      expect(res.status).toBe(401);
      expect(res.json).toMatchObject({ resourceType: "OperationOutcome", issue: [{ code: "login", expression: ["Authorization"] }] });
    }
    expect(await scanCount(hubTable("Connections"))).toBe(before);
  });

  it("refuses a hospital of another city with 403 naming both cities", async () => {
    const handanHospital = t.credentials.hospitals.find((h) => h.cityId === "handan")!;
    const res = await call(`${t.province.url}/cities/baoding/fep/heartbeat`, { token: handanHospital.credential, body: beat });
    expect(res.status).toBe(403);
    const diagnostics = (res.json as { issue: { diagnostics: string }[] }).issue[0]!.diagnostics;
    expect(diagnostics).toContain(handanHospital.id);
    expect(diagnostics).toContain("handan");
    expect(diagnostics).toContain("baoding");
  });

  it.each([
    ["a negative backlog", { ...beat, backlog: -1 }, "backlog"],
    ["a fractional backlog", { ...beat, backlog: 1.5 }, "backlog"],
    ["a version that is not semver", { ...beat, fepVersion: "v2" }, "fepVersion"],
    ["a clock without a time zone", { ...beat, clock: "2026-11-26T08:00:00" }, "clock"],
    ["a missing clock", { fepVersion: "2.1.0", backlog: 0 }, "clock"],
    ["an unknown field", { ...beat, extra: 1 }, ""],
  ])("refuses %s with 400 naming the field, recording nothing", async (_label, body, field) => {
    const h = t.credentials.hospitals.find((x) => x.cityId === "chengde")!;
    const res = await call(`${t.province.url}/cities/chengde/fep/heartbeat`, { token: h.credential, body });
    expect(res.status).toBe(400);
    const outcome = res.json as { resourceType: string; issue: { expression?: string[]; diagnostics: string }[] };
    expect(outcome.resourceType).toBe("OperationOutcome");
    if (field) expect(outcome.issue.map((i) => i.expression?.[0])).toContain(field);
    else expect(outcome.issue[0]!.diagnostics).toMatch(/extra|unrecognized/i);
    const b = await board();
    expect(b.hospitals.find((x) => x.hospitalId === h.id)!.status).toBe("neverSeen");
  });

  it("refuses an X-Practitioner-Id that is not the calling hospital's with 403, recording nothing", async () => {
    const [a, b] = t.credentials.hospitals.filter((x) => x.cityId === "langfang");
    const res = await call(`${t.province.url}/cities/langfang/fep/heartbeat`, {
      token: a!.credential,
      body: beat,
      headers: { "x-practitioner-id": b!.practitioners[0]! },
    });
    expect(res.status).toBe(403);
    expect(res.json).toMatchObject({ resourceType: "OperationOutcome", issue: [{ code: "forbidden" }] });
    const own = await call(`${t.province.url}/cities/langfang/fep/heartbeat`, {
      token: a!.credential,
      body: beat,
      headers: { "x-practitioner-id": a!.practitioners[0]! },
    });
    expect(own.status).toBe(204);
    const result = await waitFor(board, (x) => x.hospitals.find((h) => h.hospitalId === a!.id)!.status === "connected");
    expect(result.hospitals.find((h) => h.hospitalId === b!.id)!.status).toBe("neverSeen");
  });

  it("refuses a body that is not JSON with 400", async () => {
    const h = t.credentials.hospitals.find((x) => x.cityId === "chengde")!;
    const res = await call(`${t.province.url}/cities/chengde/fep/heartbeat`, {
      token: h.credential,
      rawBody: "{not json",
      headers: { "content-type": "application/json" },
    });
    expect(res.status).toBe(400);
    expect(res.json).toMatchObject({ resourceType: "OperationOutcome", issue: [{ code: "structure" }] });
  });

  it("admits only the operator to the connection board", async () => {
    const hospital = t.credentials.hospitals[0]!;
    expect((await call(`${t.province.url}/hub/connections`, { token: hospital.credential })).status).toBe(403);
    expect((await call(`${t.province.url}/hub/connections`)).status).toBe(401);
  });
});
