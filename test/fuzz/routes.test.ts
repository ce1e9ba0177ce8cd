/**
 * Fuzzing every route (docs/security.md, "Fuzzing"): requests generated from each declared route's
 * schemas (lib/harness/fuzz/routes.ts), valid-shaped and broken, in process straight to the route's
 * function and over HTTP through the local gateway. Never a 5xx or a thrown handler; every 4xx an
 * OperationOutcome naming the field; no write by a refused request. The seed is fixed (HHC_FUZZ_SEED
 * overrides it) and printed with every failure, so a failure reproduces.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type CampaignResult, catalogueGaps, fuzzInProcess, fuzzOverHttp } from "#lib/harness/fuzz/campaign.ts";
import { call, startTestProvince, type TestProvince } from "../support/province.ts";

const SEED = Number(process.env.HHC_FUZZ_SEED ?? 20261203);
/** In process: "hundreds of cases per route" is at least 100 */
const CASES = Number(process.env.HHC_FUZZ_CASES ?? 100);
const HTTP_CASES = 10;

let t: TestProvince;
beforeAll(async () => {
  t = await startTestProvince();
}, 180_000);
afterAll(async () => {
  await t?.province.stop();
});

/** The failures, reported with the seed that reproduces them */
const report = (result: CampaignResult) =>
  result.failures.slice(0, 30).map((f) => `seed ${SEED} ${f.route}: ${f.problem}\n    request (${f.kind}): ${f.request}`);

describe("the fuzz catalogue", () => {
  it("has an entry for every declared route, and only for declared routes", () => {
    expect(catalogueGaps()).toEqual({ missing: [], unknown: [] });
  });
});

describe("fuzzing every route", () => {
  it("the gateway passes a path id with malformed percent-encoding to the handler, which refuses it naming the parameter (was a 502)", async () => {
    const hospital = t.credentials.hospitals[0]!;
    for (const id of ["%E4%B8", "%zz", "%"]) {
      const res = await call(`${t.province.url}/cities/${hospital.cityId}/fhir/Organization/${id}`, { token: hospital.credential });
      expect(res.status).toBe(400);
      expect(res.json).toMatchObject({ resourceType: "OperationOutcome", issue: [{ expression: ["id"] }] });
    }
  }, 180_000);

  it(`in process: ${CASES} requests per route, never a 5xx, every 4xx naming its field, no write by a refused request`, async () => {
    const result = await fuzzInProcess(t.province, t.credentials, { seed: SEED, cases: CASES, concurrency: 4 });
    expect(result.routes).toBeGreaterThan(90);
    expect(result.cases).toBe(result.routes * CASES);
    expect(report(result)).toEqual([]);
    expect(result.partialWrites).toEqual([]);
    // the refusals are many and of every kind
    for (const status of ["400", "403", "404"]) expect(result.statuses[status] ?? 0).toBeGreaterThan(CASES);
  }, 1_200_000);

  it(`over HTTP through the gateway: ${HTTP_CASES} requests per route from hospitals in turn, the same assertions`, async () => {
    const result = await fuzzOverHttp(t.province, t.credentials, { seed: SEED, cases: HTTP_CASES, concurrency: 4 });
    expect(result.cases).toBe(result.routes * HTTP_CASES);
    expect(report(result)).toEqual([]);
    expect(result.statuses["429"]).toBeUndefined();
  }, 600_000);
});
