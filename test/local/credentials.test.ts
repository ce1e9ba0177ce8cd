/**
 * Credentials over their life through the local province: rotate (the old one works for the
 * grace period, then 401), revoke (401 at once), and the operator-only audit trail that refuses
 * changes. Onboarding a new hospital is covered in test/local/onboarding.test.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { clock } from "#shared/clock.ts";
import { advanceClock, call, startTestProvince, type TestProvince, waitFor } from "../support/province.ts";

let t: TestProvince;
beforeAll(async () => {
  t = await startTestProvince();
});
afterAll(async () => {
  await t?.province.stop();
});

const heartbeat = (cityId: string, token: string) =>
  call(`${t.province.url}/cities/${cityId}/fep/heartbeat`, {
    token,
    // the hospital's clock keeps the province's time
    body: { fepVersion: "1.0.0", backlog: 0, clock: clock.isoNow() },
  });

describe("credential rotation and revocation", () => {
  it("rotates with a grace period, then revokes at once", async () => {
    const h = t.credentials.hospitals.find((x) => x.cityId === "zhangjiakou")!;
    const hub = `${t.province.url}/hub`;
    // rotate with a one-hour grace period
    const rotated = await call(`${hub}/hospitals/${h.id}/credentials`, { token: t.credentials.operator, body: { graceHours: 1 } });
    expect(rotated.status).toBe(201);
    const fresh = rotated.json as { credential: string; previous: { credentialId: string; expiresAt: string }[] };
    expect(fresh.previous).toHaveLength(1);
    expect((await heartbeat(h.cityId, fresh.credential)).status).toBe(204);
    // within the grace period the old credential still works
    expect((await heartbeat(h.cityId, h.credential)).status).toBe(204);
    // the province clock passes the end of the grace period: the old one is refused, the new one works
    const expiresAt = Date.parse(fresh.previous[0]!.expiresAt);
    await advanceClock(t.province, Math.ceil((expiresAt - clock.nowMs()) / 1000) + 1);
    expect(clock.nowMs()).toBeGreaterThan(expiresAt);
    expect((await heartbeat(h.cityId, h.credential)).status).toBe(401);
    expect((await heartbeat(h.cityId, fresh.credential)).status).toBe(204);

    // revoke: refused at once, locally
    const revoked = await call(`${hub}/hospitals/${h.id}/credentials`, { token: t.credentials.operator, method: "DELETE" });
    expect(revoked.status).toBe(200);
    expect((revoked.json as { revoked: string[] }).revoked.length).toBe(2);
    expect((await heartbeat(h.cityId, fresh.credential)).status).toBe(401);
    // and nothing left to rotate
    expect((await call(`${hub}/hospitals/${h.id}/credentials`, { token: t.credentials.operator, body: {} })).status).toBe(404);
  });

  it("refuses a grace period out of range with 400 naming it, changing nothing", async () => {
    const h = t.credentials.hospitals.find((x) => x.cityId === "cangzhou")!;
    const res = await call(`${t.province.url}/hub/hospitals/${h.id}/credentials`, {
      token: t.credentials.operator,
      body: { graceHours: -1 },
    });
    expect(res.status).toBe(400);
    expect(res.json).toMatchObject({ resourceType: "OperationOutcome", issue: [{ expression: ["graceHours"] }] });
    expect((await heartbeat(h.cityId, h.credential)).status).toBe(204);
  });

  it("admits only the operator to credential management", async () => {
    const h = t.credentials.hospitals[3]!;
    expect((await call(`${t.province.url}/hub/hospitals/${h.id}/credentials`, { token: h.credential, method: "DELETE" })).status).toBe(403);
    expect((await heartbeat(h.cityId, h.credential)).status).toBe(204);
  });

  it("counts credentials refused at the authorizers", async () => {
    await heartbeat("baoding", "hhc.nobody-seed.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA");
    const index = await waitFor(
      async () => (await call(`${t.province.url}/`)).json as { metrics: { credentialRefusals: Record<string, { unauthorized: number }> } },
      (i) => (i.metrics.credentialRefusals.baoding?.unauthorized ?? 0) >= 1,
    );
    expect(index.metrics.credentialRefusals.baoding!.unauthorized).toBeGreaterThanOrEqual(1);
  });
});

describe("the audit trail is append-only and the auditor's", () => {
  const auditUrl = () => `${t.province.url}/hub/fhir/AuditEvent`;
  it.each([
    ["POST", ""],
    ["PUT", "/any-id"],
    ["DELETE", "/any-id"],
  ])("%s AuditEvent%s → 405", async (method, suffix) => {
    const res = await call(`${auditUrl()}${suffix}`, {
      token: t.credentials.operator,
      method,
      ...(method === "DELETE" ? {} : { body: { resourceType: "AuditEvent" } }),
    });
    expect(res.status).toBe(405);
    expect(res.json).toMatchObject({ resourceType: "OperationOutcome", issue: [{ code: "not-supported" }] });
  });

  it("refuses unknown search parameters with 400 and hospitals with 403", async () => {
    const bad = await call(`${auditUrl()}?subject=x`, { token: t.credentials.operator });
    expect(bad.status).toBe(400);
    expect(bad.json).toMatchObject({ issue: [{ expression: ["subject"] }] });
    expect((await call(`${auditUrl()}?date=2026-11-26`, { token: t.credentials.hospitals[0]!.credential })).status).toBe(403);
  });
});

describe("the auditor's reads are audited, naming the residents they show", () => {
  it("records a read by id and a search by day, each naming the residents of what was shown", async () => {
    const auditUrl = `${t.province.url}/hub/fhir/AuditEvent`;
    const resident = `https://hebei.health/sid/resident-id|130602196005200119`;
    const byResident = async () => {
      const res = await call(`${auditUrl}?patient.identifier=${encodeURIComponent(resident)}&_count=500`, {
        token: t.credentials.operator,
      });
      expect(res.status).toBe(200);
      return ((res.json?.entry ?? []) as { resource: { id: string; entity: { what?: { reference?: string }; query?: string }[] } }[]).map(
        (e) => e.resource,
      );
    };
    // a search by resident (audited since before): its own AuditEvent names the resident
    await byResident();
    const [first] = await byResident();
    expect(first).toBeDefined();
    // the auditor reads that event by id, and searches by day
    expect((await call(`${auditUrl}/${first!.id}`, { token: t.credentials.operator })).status).toBe(200);
    const day = clock.isoNow().slice(0, 10);
    const byDay = await call(`${auditUrl}?date=ge${day}&_count=500`, { token: t.credentials.operator });
    expect(byDay.status).toBe(200);
    // both are on the resident's trail now
    const trail = await byResident();
    expect(trail.some((e) => e.entity.some((x) => x.what?.reference === `AuditEvent/${first!.id}`))).toBe(true);
    expect(JSON.stringify(trail)).toContain(Buffer.from(`AuditEvent?date=ge${day}&_count=500`).toString("base64"));
  });
});
