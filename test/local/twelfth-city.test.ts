/**
 * A 12th city joins a running province (ADR 2: adding a city never redeploys the hub). The hub's
 * functions were built and loaded before it joined, for the seed's 11 cities; the new city's node
 * comes up on the same bundles; through the gateway its hospital's heartbeat reaches the hub's
 * connection board, and documents published in it and in another city are found from each other.
 * The hub's bundles are neither rebuilt nor re-imported.
 */
import { readdirSync, statSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ConnectionBoard } from "#domain/connections.ts";
import type { CityConfig } from "#lib/config/province.ts";
import { FATHER_ID, father, type Id, patientOf, publishBundle } from "#lib/world/index.ts";
import { EMPI_SYSTEM, mrnSystem, RESIDENT_ID_SYSTEM } from "#schemas/patient.ts";
import { call, startTestProvince, type TestProvince, waitFor } from "../support/province.ts";

type Hospital = TestProvince["credentials"]["hospitals"][number];

const XIONGAN: CityConfig = {
  id: "xiongan",
  stackName: "Xiongan",
  nameZh: "雄安新区",
  adminCode: "1331",
  populationMillions: 1.3,
  hospitalIdPrefix: "xa",
};

let t: TestProvince;
let xa: Hospital; // the 12th city's first hospital
let sjz: Hospital; // a hospital of a seed city
/** index.mjs of every hub bundle → its modification time, before the city joined */
let hubBundles: Map<string, number>;
/** the hub's loaded functions (their imported module), before the city joined */
let hubModules: Map<string, unknown>;

const hubFunctions = () => [...t.province.functions.values()].filter((f) => f.nodeId === "hub");
const bundleMtimes = () => new Map(hubFunctions().map((f) => [f.name, statSync(path.join(f.bundleDir, "index.mjs")).mtimeMs]));
const loadedModule = (f: object) => (f as { loaded?: Promise<unknown> }).loaded;
const bundleDirs = () => readdirSync(path.dirname(hubFunctions()[0]!.bundleDir)).sort();

const board = async () =>
  (await call(`${t.province.url}/hub/connections`, { token: t.credentials.operator })).json as unknown as ConnectionBoard;
const as = (h: Hospital) => ({ token: h.credential, headers: { "x-practitioner-id": h.practitioners[0]! } });
const cityUrl = (h: Hospital, p: string) => `${t.province.url}/cities/${h.cityId}${p}`;
const feed = (h: Hospital, mrn: string) => call(cityUrl(h, "/fhir/Patient"), { token: h.credential, body: patientOf(h.id, mrn, father) });
const publish = (h: Hospital, master: string, mrn: string, bytes: Buffer) =>
  call(cityUrl(h, "/fhir"), {
    token: h.credential,
    body: publishBundle(h, master, { system: mrnSystem(h.id), value: mrn }, { bytes, contentType: "application/xml" }),
    headers: { ...as(h).headers, "content-type": "application/fhir+json" },
  });
const residentId: Id = { system: RESIDENT_ID_SYSTEM, value: FATHER_ID };
const searchFrom = (h: Hospital) =>
  call(cityUrl(h, `/fhir/DocumentReference?patient.identifier=${encodeURIComponent(`${residentId.system}|${residentId.value}`)}`), as(h));
const idsOf = (res: { json?: Record<string, unknown> }) =>
  ((res.json?.entry ?? []) as { resource: { id: string } }[]).map((e) => e.resource.id);
const retrieve = async (h: Hospital, id: string) => {
  const res = await fetch(cityUrl(h, `/fhir/Binary/${id}`), { headers: { authorization: `Bearer ${h.credential}`, ...as(h).headers } });
  return { status: res.status, bytes: Buffer.from(await res.arrayBuffer()) };
};

/**
 * `from` feeds the resident and publishes a document; `to`, which registers the resident too (the consent
 * policy opens another hospital's record to a hospital treating the resident), finds it by the resident ID
 * and retrieves the exact bytes
 */
async function exchange(from: Hospital, to: Hospital, mrn: string, toMrn: string, master: string, text: string): Promise<string> {
  expect([200, 201]).toContain((await feed(from, mrn)).status);
  expect([200, 201]).toContain((await feed(to, toMrn)).status);
  const bytes = Buffer.from(`<ClinicalDocument>${text} ${Date.now()}</ClinicalDocument>`);
  const res = await publish(from, master, mrn, bytes);
  expect(res.status, JSON.stringify(res.json)).toBe(201);
  const docId = (res.json!.entry as { resource?: { id: string } }[]).find((e) => e.resource)!.resource!.id;
  const found = await waitFor(
    () => searchFrom(to),
    (r) => idsOf(r).includes(docId),
    60_000,
  );
  expect(found.status).toBe(200);
  const retrieved = await retrieve(to, docId);
  expect(retrieved.status).toBe(200);
  expect(retrieved.bytes.equals(bytes)).toBe(true);
  return docId;
}

beforeAll(async () => {
  t = await startTestProvince();
  sjz = t.credentials.hospitals.find((h) => h.cityId === "shijiazhuang" && h.practitioners.length > 0)!;
  // the hub serves (and has loaded) its functions before the city exists
  expect((await board()).cities.map((c) => c.cityId)).not.toContain("xiongan");
  expect((await searchFrom(sjz)).status).toBe(200);
  hubBundles = bundleMtimes();
  hubModules = new Map(hubFunctions().map((f) => [f.name, loadedModule(f)]));
  const dirs = bundleDirs();

  const added = await t.province.addCity(XIONGAN, { counties: [{ code: "133121", nameZh: "容城县" }] });
  expect(added.url).toBe(`${t.province.url}/cities/xiongan`);
  xa = added.hospitals[0]!;
  expect(xa).toMatchObject({ id: "xa001", cityId: "xiongan" });
  expect(bundleDirs()).toEqual(dirs);
}, 600_000);
afterAll(async () => {
  await t?.province.stop();
});

// cold starts of the city's functions on a busy machine take tens of seconds
describe("a 12th city joins a running province", { timeout: 240_000 }, () => {
  it("serves its hospitals at once (health, its own registry view)", async () => {
    expect((await call(`${t.province.url}/cities/xiongan/health`)).status).toBe(200);
    const org = await call(cityUrl(xa, `/fhir/Organization/${xa.id}`), { token: xa.credential });
    expect(org.status).toBe(200);
    expect(org.json).toMatchObject({ id: "xa001", address: [{ city: "雄安新区", district: "容城县" }] });
  });

  it("its hospital's heartbeat reaches the hub's connection board", async () => {
    const res = await call(cityUrl(xa, "/fep/heartbeat"), {
      token: xa.credential,
      body: { fepVersion: "2.1.0", backlog: 0, clock: new Date().toISOString() },
    });
    expect(res.status).toBe(204);
    const result = await waitFor(board, (b) => b.hospitals.some((h) => h.hospitalId === xa.id && h.status === "connected"), 60_000);
    expect(result.hospitals.find((h) => h.hospitalId === xa.id)).toMatchObject({ cityId: "xiongan", fepVersion: "2.1.0" });
    expect(result.cities.find((c) => c.cityId === "xiongan")).toMatchObject({ total: 1, connected: 1 });
    expect(result.totals.total).toBe(468);
  });

  it("a document published there is found and retrieved from another city", async () => {
    const docId = await exchange(xa, sjz, "XA-1", "S-1", "XA-DOC-1", "雄安 出院小结");
    expect(docId.startsWith("xiongan-")).toBe(true);
  });

  it("a document of another city is found and retrieved from it", async () => {
    const docId = await exchange(sjz, xa, "S-1", "XA-1", "SJZ-DOC-1", "石家庄 检验报告");
    expect(docId.startsWith("shijiazhuang-")).toBe(true);
    // the resident is one across the two cities
    const empis = await Promise.all(
      [xa, sjz].map(async (h) => {
        const pix = await call(
          cityUrl(h, `/fhir/Patient/$ihe-pix?sourceIdentifier=${encodeURIComponent(`${residentId.system}|${residentId.value}`)}`),
          { token: h.credential },
        );
        return ((pix.json?.parameter ?? []) as { valueIdentifier?: Id }[]).find((p) => p.valueIdentifier?.system === EMPI_SYSTEM)
          ?.valueIdentifier?.value;
      }),
    );
    expect(empis[0]).toBeTruthy();
    expect(empis[0]).toBe(empis[1]);
  });

  it("the hub's bundles were not rebuilt, nor its functions reloaded", () => {
    expect(bundleMtimes()).toEqual(hubBundles);
    for (const f of hubFunctions()) if (hubModules.get(f.name)) expect(loadedModule(f), f.name).toBe(hubModules.get(f.name));
    // the functions that served before the city joined served after it, from the same module
    expect(loadedModule(hubFunctions().find((f) => f.declaration.id === "Connections")!)).toBeDefined();
  });
});
