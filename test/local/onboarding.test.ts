/**
 * Onboarding a hospital through the operator API: its Organization joins the registry (visible
 * from every city node at once), its credential works at its own city node, and the connection
 * board counts it; bad input stores nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hospitalOrganization } from "#domain/registry/organizations.ts";
import { makeUscc } from "#domain/uscc.ts";
import { call, startTestProvince, type TestProvince, waitFor } from "../support/province.ts";

let t: TestProvince;
beforeAll(async () => {
  t = await startTestProvince();
});
afterAll(async () => {
  await t?.province.stop();
});

const uscc = makeUscc({ authority: "1", category: "2", divisionCode: "130602", orgBody8: "HHC0TE57" });
const newHospital = hospitalOrganization(
  {
    id: "bd901",
    cityId: "baoding",
    countyCode: "130602",
    countyName: "竞秀区",
    name: "保定市测试第九医院",
    level: 2,
    uscc,
    beds: 320,
  },
  { id: "baoding", nameZh: "保定市" },
);

describe("onboarding a hospital", () => {
  it("registers it, issues a working credential, and the board counts it", async () => {
    const hub = `${t.province.url}/hub`;
    const res = await call(`${hub}/hospitals`, { token: t.credentials.operator, body: newHospital });
    expect(res.status).toBe(201);
    const onboarded = res.json as { hospitalId: string; cityId: string; credential: string; location: { id: string } };
    expect(onboarded).toMatchObject({ hospitalId: "bd901", cityId: "baoding", location: { id: "loc-bd901" } });

    // visible from another city node at once
    const found = await call(`${t.province.url}/cities/hengshui/fhir/Organization?identifier=https://hebei.health/sid/uscc|${uscc}`, {
      token: t.credentials.hospitals.find((h) => h.cityId === "hengshui")!.credential,
    });
    expect(found.status).toBe(200);
    expect((found.json as { entry: { resource: { id: string; name: string } }[] }).entry.map((e) => e.resource.id)).toEqual(["bd901"]);

    // its credential works at its own city node only
    const beat = { fepVersion: "1.0.0", backlog: 0, clock: new Date().toISOString() };
    expect((await call(`${t.province.url}/cities/baoding/fep/heartbeat`, { token: onboarded.credential, body: beat })).status).toBe(204);
    expect((await call(`${t.province.url}/cities/handan/fep/heartbeat`, { token: onboarded.credential, body: beat })).status).toBe(403);
    const board = await waitFor(
      async () =>
        (await call(`${hub}/connections`, { token: t.credentials.operator })).json as { totals: { total: number; connected: number } },
      (b) => b.totals.connected === 1,
    );
    expect(board.totals).toMatchObject({ total: 468, connected: 1 });

    // onboarding it again is refused: rotate instead
    expect((await call(`${hub}/hospitals`, { token: t.credentials.operator, body: newHospital })).status).toBe(409);
  });

  it.each([
    [
      "an invalid credit code",
      {
        ...newHospital,
        id: "bd902",
        identifier: [{ system: "https://hebei.health/sid/uscc", value: `${uscc.slice(0, 17)}${uscc.endsWith("0") ? "1" : "0"}` }],
      },
      "identifier",
    ],
    ["a county outside Hebei", { ...newHospital, id: "bd903", partOf: { reference: "Organization/county-110101" } }, "partOf"],
    ["no id", { ...newHospital, id: undefined }, "id"],
  ])("refuses %s with 400 naming the field, storing nothing", async (_label, body, field) => {
    const res = await call(`${t.province.url}/hub/hospitals`, { token: t.credentials.operator, body });
    expect(res.status).toBe(400);
    expect(JSON.stringify((res.json as { issue: { expression?: string[] }[] }).issue.map((i) => i.expression?.[0] ?? ""))).toContain(field);
    const id = (body as { id?: string }).id;
    if (id) expect((await call(`${t.province.url}/hub/fhir/Organization/${id}`, { token: t.credentials.operator })).status).toBe(404);
  });
});
