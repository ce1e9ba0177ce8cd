/**
 * Three-tier telemedicine through the local province (docs/telemedicine.md): a county hospital's
 * request (and the refused ones: no consent, no supporting document, unknown resident or specialty,
 * nothing recorded), dispatch one tier up, every move of the Task's life and the refused ones (a third
 * hospital 403, out of turn 409, If-Match missing 428 and stale 412), the owner reading the supporting
 * document through the exchange, the report and the closed loop; rejection → re-dispatch → escalation;
 * deadline expiry driven by POST /local/clock; cancellation; a restart mid-flow that loses no Task and
 * no timer; a short `npm run simulate` whose county hospitals ask and close the loop. One province for the file.
 */
import { execFile } from "node:child_process";
import { rmSync } from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from "vitest";
import { generateHospitals } from "#lib/seed/hospitals.ts";
import { provincialHospitalIds } from "#lib/seed/telemedicine.ts";
import { EMPI_SYSTEM, RESIDENT_ID_SYSTEM } from "#schemas/patient.ts";
import { DEPARTMENT_SYSTEM } from "#schemas/registry-codes.ts";
import { INFORMED_CONSENT_URL } from "#schemas/telemedicine.ts";
import { advanceClock, call, startTestProvince, type TestProvince, waitFor } from "../support/province.ts";
import { business, type Hospital, type Json, serviceRequest, taskOf, telemedicineCalls, version } from "./telemedicine-support.ts";

const ROOT = path.resolve(import.meta.dirname, "../..");
const TSX = path.join(ROOT, "node_modules/.bin/tsx");
let t: TestProvince;
let county: Hospital; // the requester: a level-2 hospital in Baoding
let third: Hospital; // neither requester nor owner
let documentId = "";
const provincial = new Set(provincialHospitalIds(generateHospitals()));
const { hospital, as, ownerOf, move, inboxAbout, publish } = telemedicineCalls(() => t);
const request = (overrides: Json = {}, priority = "routine", category = "imaging-read") =>
  serviceRequest(documentId, overrides, priority, category);

async function newTask(priority = "routine", category = "imaging-read"): Promise<Json> {
  const res = await as(county, "POST", "/fhir/ServiceRequest", { body: request({}, priority, category) });
  expect(res.status, JSON.stringify(res.json)).toBe(201);
  return taskOf(res.json)!;
}
const read = async (h: Hospital, id: string) => (await as(h, "GET", `/fhir/Task/${id}`)).json!;

beforeAll(async () => {
  t = await startTestProvince();
  const counties = t.credentials.hospitals.filter((h) => h.cityId === "baoding" && h.level === 2 && h.practitioners.length > 0);
  county = counties[0]!;
  third = counties[1]!;
  documentId = await publish(county, "TM-DOC-1");
}, 180_000);
afterAll(async () => {
  await t?.province.stop();
});

describe("a telemedicine request", () => {
  it("is refused, naming the field and recording nothing, without consent, supporting document, known resident or specialty", async () => {
    const before = (await as(county, "GET", `/fhir/Task?requester=Organization/${county.id}`)).json!.total;
    const cases: [Json, number, string][] = [
      [{ extension: [{ url: INFORMED_CONSENT_URL, valueBoolean: false }] }, 400, "extension"],
      [{ extension: [] }, 400, "extension"],
      [{ supportingInfo: [] }, 400, "supportingInfo"],
      [{ supportingInfo: [{ reference: "DocumentReference/baoding-nosuchdocument1" }] }, 422, "supportingInfo"],
      [{ subject: { identifier: { system: RESIDENT_ID_SYSTEM, value: "130102199001010000" } } }, 422, "subject"],
      [{ performerType: { coding: [{ system: DEPARTMENT_SYSTEM, code: "astrology" }] } }, 400, "performerType"],
      [{ reasonCode: undefined }, 400, "reasonCode"],
    ];
    for (const [change, status, field] of cases) {
      const res = await as(county, "POST", "/fhir/ServiceRequest", { body: request(change) });
      expect(res.status, JSON.stringify(change)).toBe(status);
      expect(JSON.stringify((res.json!.issue as { expression?: string[] }[])[0]!.expression)).toContain(field);
    }
    // a request names its practitioner
    expect((await as(county, "POST", "/fhir/ServiceRequest", { body: request(), practitioner: null })).status).toBe(403);
    expect((await as(county, "GET", `/fhir/Task?requester=Organization/${county.id}`)).json!.total).toBe(before);
  });

  it("is answered with the ServiceRequest and its Task, assigned to an expert one tier up who is told in its inbox", async () => {
    const res = await as(county, "POST", "/fhir/ServiceRequest", { body: request() });
    expect(res.status).toBe(201);
    const sr = (res.json!.entry as { resource: Json }[]).find((e) => e.resource.resourceType === "ServiceRequest")!.resource;
    const task = taskOf(res.json)!;
    expect(task).toMatchObject({
      status: "requested",
      intent: "order",
      focus: { reference: `ServiceRequest/${String(sr.id)}` },
      requester: { reference: `Organization/${county.id}` },
      for: { identifier: { system: EMPI_SYSTEM } },
    });
    expect(business(task)).toBe("assigned");
    expect(String((task.owner as { reference: string }).reference)).toMatch(/^PractitionerRole\//);
    expect(Date.parse(String((task.restriction as { period: { end: string } }).period.end))).toBeGreaterThan(Date.now() - 86_400_000);
    const owner = ownerOf(task)!;
    // county → a municipal hospital, of the requester's city first
    expect(owner.level).toBe(3);
    expect(provincial.has(owner.id)).toBe(false);
    expect(owner.cityId).toBe(county.cityId);
    await waitFor(
      () => inboxAbout(owner, String(task.id)),
      (c) => c.includes("telemedicine-assigned"),
    );
  });
});

describe("a retried telemedicine request", () => {
  it("is made once: two attempts with the hospital's identifier at once answer 201 and 200 with one Task, listed once", async () => {
    const identifier = [{ system: `urn:oid:${county.id}.orders`, value: `TM-${Date.now()}` }];
    const [a, b] = await Promise.all([0, 1].map(() => as(county, "POST", "/fhir/ServiceRequest", { body: request({ identifier }) })));
    expect([a!.status, b!.status].sort(), JSON.stringify([a!.json, b!.json])).toEqual([200, 201]);
    const [first, second] = [taskOf(a!.json)!, taskOf(b!.json)!];
    expect(second.id).toBe(first.id);
    expect(ownerOf(second)?.id).toBe(ownerOf(first)?.id);
    // a later retry too, with the ServiceRequest as sent (its identifier) and the Task as it is now
    const again = await as(county, "POST", "/fhir/ServiceRequest", { body: request({ identifier }) });
    expect(again.status).toBe(200);
    const sr = (again.json!.entry as { resource: Json }[]).find((e) => e.resource.resourceType === "ServiceRequest")!.resource;
    expect(sr.identifier).toEqual(identifier);
    expect(taskOf(again.json)!.id).toBe(first.id);
    const mine = (await as(county, "GET", `/fhir/Task?requester=Organization/${county.id}`)).json!;
    const listed = ((mine.entry as { resource: Json }[] | undefined) ?? []).filter((e) => e.resource.id === first.id);
    expect(listed).toHaveLength(1);
    const owner = ownerOf(first)!;
    const theirs = (await as(owner, "GET", `/fhir/Task?owner-organization=${owner.id}`)).json!;
    expect(((theirs.entry as { resource: Json }[] | undefined) ?? []).filter((e) => e.resource.id === first.id)).toHaveLength(1);
    // the same identifier for another patient is refused, naming it
    const other = await as(county, "POST", "/fhir/ServiceRequest", {
      body: request({ identifier, subject: { identifier: { system: RESIDENT_ID_SYSTEM, value: "130102199001010000" } } }),
    });
    expect(other.status).toBe(409);
    expect(JSON.stringify(other.json)).toContain("identifier[0]");
  });
});

describe("the Task's life", () => {
  it("moves requested → accepted → on-hold → accepted → in-progress → completed → reviewed, each refusal named", async () => {
    const task = await newTask("urgent", "consult");
    const id = String(task.id);
    const owner = ownerOf(task)!;
    // a third hospital neither sees nor moves it, nor finds it
    expect((await as(third, "GET", `/fhir/Task/${id}`)).status).toBe(403);
    expect((await move(third, task, { status: "cancelled" })).status).toBe(403);
    const theirs = (await as(third, "GET", `/fhir/Task?owner-organization=${third.id}`)).json!;
    expect(JSON.stringify(theirs)).not.toContain(id);
    expect((await as(third, "GET", `/fhir/Task?requester=Organization/${county.id}`)).status).toBe(403);
    // If-Match: missing 428, stale 412
    expect((await as(owner, "PUT", `/fhir/Task/${id}`, { body: { resourceType: "Task", status: "accepted" } })).status).toBe(428);
    expect(
      (await as(owner, "PUT", `/fhir/Task/${id}`, { body: { resourceType: "Task", status: "accepted" }, ifMatch: 'W/"1"' })).status,
    ).toBe(412);
    // out of turn: the requester cannot accept, the owner cannot complete yet
    expect((await move(county, task, { status: "accepted" })).status).toBe(409);
    expect((await move(owner, task, { status: "in-progress" })).status).toBe(409);
    const accepted = await move(owner, task, { status: "accepted" });
    expect(accepted.status).toBe(200);
    expect(accepted.headers.get("etag")).toBe(version(accepted.json));
    // the supporting document is open to the owner through the exchange while the Task is open
    const doc = await as(owner, "GET", `/fhir/DocumentReference/${documentId}`);
    expect(doc.status, JSON.stringify(doc.json)).toBe(200);
    // the version read before is stale now
    expect((await move(owner, task, { status: "in-progress" })).status).toBe(412);
    expect((await move(owner, accepted.json!, { status: "on-hold" })).status).toBe(422);
    const held = await move(owner, accepted.json!, { status: "on-hold", note: [{ text: "the lateral film, please" }] });
    expect(held.status).toBe(200);
    expect(held.json!.restriction).toBeUndefined(); // the clock stopped
    expect((await move(owner, held.json!, { status: "accepted" })).status).toBe(409);
    expect((await move(county, held.json!, { status: "accepted" })).status).toBe(422); // an answer carries a note
    const resumed = await move(county, held.json!, { status: "accepted", note: [{ text: "attached to the record" }] });
    expect(resumed.status).toBe(200);
    expect(resumed.json!.restriction).toBeDefined();
    const working = await move(owner, resumed.json!, { status: "in-progress" });
    expect(working.status).toBe(200);
    // completing needs the report: a document of this resident published by the owner's hospital
    expect((await move(owner, working.json!, { status: "completed" })).status).toBe(422);
    const foreign = { output: [{ valueReference: { reference: `DocumentReference/${documentId}` } }] };
    expect((await move(owner, working.json!, { status: "completed", ...foreign })).status).toBe(422);
    const report = await publish(owner, `TM-REPORT-${id.slice(0, 8)}`);
    const done = await move(owner, working.json!, {
      status: "completed",
      output: [{ valueReference: { reference: `DocumentReference/${report}` } }],
    });
    expect(done.status, JSON.stringify(done.json)).toBe(200);
    expect(done.json).toMatchObject({ status: "completed", output: [{ valueReference: { reference: `DocumentReference/${report}` } }] });
    expect((await move(county, done.json!, { status: "cancelled" })).status).toBe(409);
    const reviewed = await move(county, done.json!, { status: "completed", businessStatus: { coding: [{ code: "report-reviewed" }] } });
    expect(reviewed.status).toBe(200);
    expect(business(reviewed.json)).toBe("report-reviewed");
    await waitFor(
      () => inboxAbout(county, id),
      (c) => c.includes("telemedicine-completed"),
    );
    // both parties find it; a search narrows by status
    const mine = (await as(county, "GET", `/fhir/Task?requester=Organization/${county.id}&status=completed`)).json!;
    expect(JSON.stringify(mine)).toContain(id);
    const owned = (await as(owner, "GET", `/fhir/Task?owner-organization=${owner.id}&_lastUpdated=ge2000-01-01`)).json!;
    expect(JSON.stringify(owned)).toContain(id);
  }, 120_000);

  it("returns a declined Task for re-dispatch, and escalates it one tier up after two failed assignments", async () => {
    const task = await newTask();
    const first = ownerOf(task)!;
    expect((await move(first, task, { status: "rejected" })).status).toBe(422); // a rejection says why
    const declined = await move(first, task, { status: "rejected", statusReason: { text: "on leave" } });
    expect(declined.status).toBe(200);
    const second = ownerOf(declined.json)!;
    expect((declined.json!.owner as { reference: string }).reference).not.toBe((task.owner as { reference: string }).reference);
    expect(second.level).toBe(3);
    expect(provincial.has(second.id)).toBe(false);
    const again = await move(second, declined.json!, { status: "rejected", statusReason: { text: "not my field" } });
    expect(again.status).toBe(200);
    expect(business(again.json)).toBe("escalated");
    const provincialOwner = ownerOf(again.json)!;
    expect(provincial.has(provincialOwner.id)).toBe(true);
    await waitFor(
      () => inboxAbout(provincialOwner, String(task.id)),
      (c) => c.includes("telemedicine-escalated"),
    );
  });

  it("is cancelled by its requester, and the owner is told", async () => {
    const task = await newTask();
    const owner = ownerOf(task)!;
    expect((await move(owner, task, { status: "cancelled" })).status).toBe(409);
    const cancelled = await move(county, task, { status: "cancelled", statusReason: { text: "transferred" } });
    expect(cancelled.status).toBe(200);
    expect(cancelled.json).toMatchObject({ status: "cancelled" });
    await waitFor(
      () => inboxAbout(owner, String(task.id)),
      (c) => c.includes("telemedicine-cancelled"),
    );
  });
});

describe("deadlines on the province clock", () => {
  it("re-dispatches a Task its owner did not accept in time, then escalates it, across a restart", async () => {
    const task = await newTask("stat");
    const id = String(task.id);
    const first = (task.owner as { reference: string }).reference;
    await advanceClock(t.province, 16 * 60); // stat: accept within 15 minutes
    const second = await waitFor(
      () => read(county, id),
      (x) => Boolean(x.owner) && (x.owner as { reference: string }).reference !== first,
    );
    expect(business(second)).toBe("assigned");
    // a restart mid-flow: the Task and its timer are in the table
    await t.province.stop();
    t = await startTestProvince(t.dataDir);
    county = hospital(county.id);
    expect((await read(county, id)).meta).toMatchObject({ versionId: (second.meta as { versionId: string }).versionId });
    await advanceClock(t.province, 16 * 60);
    const escalated = await waitFor(
      () => read(county, id),
      (x) => business(x) === "escalated" && Boolean(x.owner),
    );
    expect(provincial.has(ownerOf(escalated)!.id)).toBe(true);
  }, 120_000);
});

describe("the operator's figures", () => {
  it("counts requests, deadlines met, re-dispatches, escalations and the closed loop per tier and hospital; a hospital is refused", async () => {
    const task = await newTask();
    const day = String(task.authoredOn).slice(0, 10);
    const around = (d: number) => new Date(Date.parse(`${day}T00:00:00Z`) + d * 86_400_000).toISOString().slice(0, 10);
    const url = `${t.province.url}/hub/telemedicine/kpis?from=${around(-1)}&to=${around(1)}`;
    const res = await call(url, { method: "GET", token: t.credentials.operator });
    expect(res.status, JSON.stringify(res.json)).toBe(200);
    const county = (
      res.json!.tiers as { tier: string; requests: number; redispatches: number; escalations: number; closedLoopPct: number }[]
    ).find((r) => r.tier === "county")!;
    // this file's 6 requests: one completed and reviewed, 4 re-dispatches and 2 escalations among them
    expect(county.requests).toBeGreaterThanOrEqual(6);
    expect(county.redispatches).toBeGreaterThanOrEqual(4);
    expect(county.escalations).toBeGreaterThanOrEqual(2);
    expect(county.closedLoopPct).toBeGreaterThan(0);
    expect((await call(url, { method: "GET", token: third.credential })).status).toBe(403);
    expect(
      (await call(`${t.province.url}/hub/telemedicine/kpis?from=${day}`, { method: "GET", token: t.credentials.operator })).status,
    ).toBe(400);
  });
});

describe("npm run simulate", () => {
  it("sends county hospitals' requests to the experts, who accept (or decline), book, report, and the requesters close the loop", async () => {
    // a short day of 2 hospitals (a county one), half of the county hospital's documents followed by a request
    const args = ["--base", t.province.url, "--data", t.dataDir, "--hospitals", "2", "--day-seconds", "10", "--drain-seconds", "20"];
    const run = await promisify(execFile)(
      TSX,
      ["scripts/simulate.ts", ...args, "--offline", "0", "--telemedicine", "0.5", "--seed", "3", "--json"],
      { cwd: ROOT, timeout: 280_000, maxBuffer: 16 * 1024 * 1024 },
    ).catch((error: { stdout: string; stderr: string }) => error); // exit 1: a backlog left when the short drain ran out
    expect(run.stdout, run.stderr).toMatch(/^\{/);
    const report = JSON.parse(run.stdout) as { workDir?: string; telemedicine: Json & { kpis: { total: { requests: number } } } };
    // a run that ends with a backlog keeps its FEP folders to look at (docs/simulation.md): this one's are the test's to remove
    const kept = report.workDir;
    if (kept) onTestFinished(() => rmSync(kept, { recursive: true, force: true }));
    const counts = report.telemedicine;
    expect(counts.requested, JSON.stringify(counts)).toBeGreaterThan(0);
    expect(counts.closedLoop, JSON.stringify(counts)).toBeGreaterThanOrEqual(1);
    // the hub's figures (the operator's) count at least the simulation's requests
    expect(counts.kpis.total.requests).toBeGreaterThanOrEqual(counts.requested as number);
  }, 300_000);
});
