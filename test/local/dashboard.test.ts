/**
 * The operations dashboard in a real headless browser (Debian's chromium, driven by playwright-core):
 * the page served at / shows the numbers the hub's operations summary gives the operator.
 */
import { mkdirSync } from "node:fs";
import path from "node:path";
import { type Browser, chromium } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeResidentId } from "#domain/mpi/resident-id.ts";
import { REPO_ROOT } from "#lib/bundle.ts";
import { patientOf, residentAt, reviewed, reviewedElsewhere } from "#lib/world/index.ts";
import type { OpsSummary } from "#use-cases/ops-summary.ts";
import { call, startTestProvince, type TestProvince, waitFor } from "../support/province.ts";

/** Debian's package (CI installs it: .ci/run); HHC_CHROMIUM points elsewhere */
const CHROMIUM = process.env.HHC_CHROMIUM ?? "/usr/bin/chromium";
let t: TestProvince;
let browser: Browser;
beforeAll(async () => {
  t = await startTestProvince();
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ["--no-sandbox", "--disable-gpu"] });
});
afterAll(async () => {
  await browser?.close();
  await t?.province.stop();
});

const summary = async () =>
  (await call(`${t.province.url}/hub/ops/summary`, { token: t.credentials.operator })).json as unknown as OpsSummary;

describe("the operations dashboard", () => {
  it("needs the operator's credential in AWS: the page is static, the summary is refused without it", async () => {
    const page = await fetch(`${t.province.url}/hub/dashboard`);
    expect(page.status).toBe(200);
    expect(page.headers.get("content-type")).toMatch(/text\/html/);
    expect(await page.text()).toContain("Operator sign-in");
    expect((await call(`${t.province.url}/hub/ops/summary`)).status).toBe(401);
    const hospital = t.credentials.hospitals[0]!;
    expect((await call(`${t.province.url}/hub/ops/summary`, { token: hospital.credential })).status).toBe(403);
  });

  it("shows in the browser the figures of the operations summary", async () => {
    // some activity: heartbeats from three cities' hospitals and two registered patients
    const beating = ["baoding", "handan", "handan", "tangshan"].map((c, i) => t.credentials.hospitals.filter((h) => h.cityId === c)[i]!);
    for (const h of beating) {
      const res = await call(`${t.province.url}/cities/${h.cityId}/fep/heartbeat`, {
        token: h.credential,
        body: { fepVersion: "1.0.0", backlog: 0, clock: new Date().toISOString() },
      });
      expect(res.status).toBe(204);
    }
    const feeder = beating[0]!;
    for (const i of [1, 2]) {
      const res = await call(`${t.province.url}/cities/${feeder.cityId}/fhir/Patient`, {
        token: feeder.credential,
        body: patientOf(feeder.id, `P${String(i).padStart(7, "0")}`, residentAt(i, "130602")),
      });
      expect(res.status).toBe(201);
    }
    // the month so far counted (the operator's run; the daily schedule counted the month before): the
    // dashboard draws the latest month kept
    const now = new Date((await summary()).generatedAt);
    const MONTH = new Date(now.getTime() + 8 * 3_600_000).toISOString().slice(0, 7);
    const month = await call(`${t.province.url}/hub/public-health/monthly?month=${MONTH}`, {
      token: t.credentials.operator,
      method: "POST",
    });
    expect(month.status, JSON.stringify(month.json)).toBe(200);
    // a review a later registration answers: the same woman, with the first hospital's phone and the second's address
    for (const [mrn, person] of [
      ["R0000001", reviewed],
      ["R0000002", reviewedElsewhere],
      ["R0000003", { ...reviewed, address: reviewedElsewhere.address }],
    ] as const) {
      const res = await call(`${t.province.url}/cities/${feeder.cityId}/fhir/Patient`, {
        token: feeder.credential,
        body: patientOf(feeder.id, mrn, person),
      });
      expect(res.status).toBe(201);
    }
    // a link a later registration puts in doubt: a twin's record typed short, then the twin himself
    const twin = {
      family: "司马",
      given: "思远",
      sex: "male" as const,
      birthDate: "2016-04-12",
      residentId: makeResidentId("130102", "2016-04-12", "015"),
      phone: "13911112222",
      address: "河北省石家庄市长安区建设路88号",
    };
    for (const [mrn, person] of [
      ["T0000001", twin],
      ["T0000002", { ...twin, residentId: undefined, given: "思" }],
      ["T0000003", { ...twin, residentId: makeResidentId("130102", "2016-04-12", "037"), given: "思齐" }],
    ] as const) {
      const res = await call(`${t.province.url}/cities/${feeder.cityId}/fhir/Patient`, {
        token: feeder.credential,
        body: patientOf(feeder.id, mrn, person),
      });
      expect(res.status).toBe(201);
    }
    const expected = await waitFor(summary, (s) => s.hospitals.connected === beating.length);
    const last15 = (m: { thisMinute: number; lastMinutes: number[] }) => m.lastMinutes.reduce((x, y) => x + y, m.thisMinute);
    expect(last15(expected.activity.reviewsAnswered)).toBe(1);
    expect(last15(expected.activity.doubtsRaised)).toBe(1);
    expect(expected.hospitals.total).toBe(t.credentials.hospitals.length);

    const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    await page.goto(`${t.province.url}/`);
    await page.waitForFunction("document.body.dataset.generatedAt !== undefined", undefined, { timeout: 20_000 });
    const text = async (id: string) => (await page.getByTestId(id).textContent())?.trim();
    expect(await text("connected-total")).toBe(String(expected.hospitals.connected));
    expect(await text("hospitals-total")).toBe(String(expected.hospitals.total));
    expect(await text("exchanging-total")).toBe(String(expected.hospitals.exchanging ?? 0));
    expect(await text("mpi-review")).toBe(String(expected.mpiReviewQueue));
    expect(await text("mpi-reviews-answered-15min")).toBe("1");
    expect(await text("mpi-doubts-raised-15min")).toBe("1");
    expect(await text("dead-letters-total")).toBe(String(expected.deadLetters));
    for (const city of expected.cities) {
      const row = page.getByTestId(`city-${city.cityId}`);
      expect(await row.getAttribute("data-connected"), city.cityId).toBe(String(city.connected));
    }
    expect(await page.getByTestId("city-handan").getAttribute("data-connected")).toBe("2");
    const queueRows = await page.locator('[data-testid^="queue-"]').count();
    expect(queueRows).toBe(expected.queues.filter((q) => q.deployed).length);
    expect(queueRows).toBeGreaterThan(11);
    // the health card panel: a row per city with card use today (none here), the province's visit rate
    expect(await page.locator('[data-testid^="card-city-"]').count()).toBe(expected.healthCard?.cities.length);
    expect(await text("card-visit-rate")).toBe("–");
    // the public-health chart: the latest month's MeasureReport of each city, a row and its bars each
    expect(expected.publicHealth?.month).toBe(MONTH);
    expect(await text("public-health-month")).toBe(MONTH);
    const kept = await call(`${t.province.url}/hub/fhir/MeasureReport?period=${MONTH}&subject=baoding`, { token: t.credentials.operator });
    const group = (
      kept.json!.entry as { resource: { group: { code: { coding: { code: string }[] }; population: { count: number }[] }[] } }[]
    )[0]!.resource.group;
    const baoding = expected.publicHealth!.cities.find((c) => c.cityId === "baoding")!;
    expect(baoding.figures).toEqual(Object.fromEntries(group.map((g) => [g.code.coding[0]!.code, g.population[0]!.count])));
    expect(await page.locator('[data-testid^="ph-city-"]').count()).toBe(expected.publicHealth!.cities.length);
    expect(await page.locator('[data-testid^="ph-city-"]').count()).toBeGreaterThanOrEqual(11);
    expect(await page.getByTestId("ph-city-baoding").getAttribute("data-births")).toBe(String(baoding.figures.births));
    expect(await page.locator('[data-testid="ph-city-baoding"] svg rect').count()).toBe(8);
    // the telemedicine panel: today's requests per requester tier (none here), no-shows and the closed loop
    expect(expected.telemedicine).toMatchObject({ total: { requests: 0, noShows: 0 } });
    expect(await page.locator('[data-testid^="telemedicine-tier-"]').count()).toBe(expected.telemedicine?.tiers.length);
    expect(await text("telemedicine-no-shows")).toBe("0");
    expect(await text("telemedicine-closed-loop")).toBe("–");

    const out = path.join(REPO_ROOT, "test-output");
    mkdirSync(out, { recursive: true });
    await page.screenshot({ path: path.join(out, "dashboard.png"), fullPage: true });
    await page.close();
  });

  it("counts registered patients per minute in the summary", async () => {
    // the two patients above were registered in the current minute or the one before
    const s = await summary();
    expect(s.activity.patients.thisMinute + s.activity.patients.perMinute).toBeGreaterThanOrEqual(2);
    expect(s.activity.patients.lastMinutes).toHaveLength(15);
    expect(s.activity.documents.thisMinute).toBe(0);
  });
});
