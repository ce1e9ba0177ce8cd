/**
 * The health-resources registries (IHE mCSD) through the local province: facility and practitioner
 * searches at the hub and from city nodes, the operator's facility writes, a hospital's own staff
 * writes, and bad input refused with an OperationOutcome naming the field, nothing stored.
 */
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient, PutCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PRACTITIONER_SYSTEM, USCC_SYSTEM } from "#domain/registry/codes.ts";
import { entryId } from "#domain/registry/index-entries.ts";
import { makeLicense } from "#domain/registry/license.ts";
import { HEBEI_DIVISIONS } from "#lib/seed/hebei-divisions.ts";
import { call, startTestProvince, type TestProvince } from "../support/province.ts";

interface Bundle {
  resourceType: "Bundle";
  total: number;
  link: { relation: string; url: string }[];
  entry?: { fullUrl: string; resource: Resource; search: { mode: string } }[];
}
interface Resource {
  resourceType: string;
  id: string;
  name?: unknown;
  partOf?: { reference: string };
  identifier?: { system: string; value: string }[];
  meta?: { versionId: string };
  [k: string]: unknown;
}
interface Outcome {
  resourceType: "OperationOutcome";
  issue: { code: string; diagnostics: string; expression?: string[] }[];
}

let t: TestProvince;
let hub: string;
const city = (cityId: string) => `${t.province.url}/cities/${cityId}`;
const hospital = (cityId: string, i = 0) => t.credentials.hospitals.filter((h) => h.cityId === cityId)[i]!;

/** GET `${base}/fhir/${path}` as the operator (hub) or a hospital (city). */
async function get(base: string, path: string, token: string, headers: Record<string, string> = {}) {
  return call(`${base}/fhir/${path}`, { token, headers });
}
const search = async (base: string, path: string, token: string) => {
  const res = await get(base, path, token);
  expect(res.status, JSON.stringify(res.json)).toBe(200);
  expect(res.headers.get("content-type")).toContain("application/fhir+json");
  return res.json as unknown as Bundle;
};
const atHub = (path: string) => search(hub, path, t.credentials.operator);
const ids = (bundle: Bundle) => (bundle.entry ?? []).map((e) => e.resource.id);
const outcome = (res: { json?: unknown }) => res.json as Outcome;
/** A Bundle with its links' page tokens left out (they are sealed for each caller) */
const withoutTokens = (json: unknown) =>
  JSON.parse(JSON.stringify(json ?? null).replace(/_pageToken=[A-Za-z0-9_-]+/g, "_pageToken=…")) as unknown;

beforeAll(async () => {
  t = await startTestProvince();
  hub = `${t.province.url}/hub`;
});
afterAll(async () => {
  await t?.province.stop();
});

describe("facility registry searches", () => {
  it("counts the 467 hospitals by type=prov, with _summary=count too", async () => {
    const page = await atHub("Organization?type=prov");
    expect(page.total).toBe(467);
    expect(page.entry).toHaveLength(20);
    expect(page.entry!.every((e) => e.search.mode === "match" && e.fullUrl === `Organization/${e.resource.id}`)).toBe(true);
    const count = await atHub("Organization?type=http://terminology.hl7.org/CodeSystem/organization-type|prov&_summary=count");
    expect(count).toMatchObject({ resourceType: "Bundle", type: "searchset", total: 467 });
    expect(count.entry).toBeUndefined();
  });

  it("pages through all 467 with _count=100, following the next links", async () => {
    const seen: string[] = [];
    let url: string | undefined = "Organization?type=prov&_count=100";
    let pages = 0;
    while (url) {
      const page = await atHub(url);
      pages++;
      expect(page.total).toBe(467);
      seen.push(...ids(page));
      url = page.link.find((l) => l.relation === "next")?.url;
    }
    expect(pages).toBe(5);
    expect(seen).toHaveLength(467);
    expect(new Set(seen).size).toBe(467);
    expect(new Set(seen)).toEqual(new Set(t.credentials.hospitals.map((h) => h.id)));
  });

  it("walks the hierarchy province → city → county → hospital by partof", async () => {
    const cities = await atHub("Organization?partof=hebei");
    expect(cities.total).toBe(11);
    expect(ids(cities)).toContain("city-baoding");
    const counties = await atHub("Organization?partof=Organization/city-baoding&_count=100");
    expect(counties.total).toBe(HEBEI_DIVISIONS.baoding.length);
    const bd = hospital("baoding");
    const bd001 = (await get(hub, `Organization/${bd.id}`, t.credentials.operator)).json as unknown as Resource;
    const countyId = bd001.partOf!.reference.replace("Organization/", "");
    expect(ids(counties)).toContain(countyId);
    const inCounty = await atHub(`Organization?partof=${countyId}&_count=100`);
    expect(ids(inCounty)).toContain(bd.id);
    expect(inCounty.entry!.every((e) => e.resource.partOf?.reference === `Organization/${countyId}`)).toBe(true);
    expect((await atHub("Organization?partof=hebei&type=prov")).total).toBe(0);
  });

  it("finds hospitals by the start of their Chinese name, or its pinyin", async () => {
    const bd = hospital("baoding", 3);
    const prefix = bd.name.slice(0, 4);
    const byName = await atHub(`Organization?name=${encodeURIComponent(prefix)}&_count=100`);
    expect(ids(byName)).toContain(bd.id);
    expect(byName.entry!.every((e) => String(e.resource.name).startsWith(prefix))).toBe(true);
    const byPinyin = await atHub(`Organization?name=baoding&type=prov&_count=100`);
    expect(byPinyin.total).toBeGreaterThan(0);
    expect(byPinyin.entry!.every((e) => String(e.resource.name).startsWith("保定"))).toBe(true);
    expect((await atHub(`Organization?name=${encodeURIComponent(bd.name.slice(2))}`)).total).toBe(0);
  });

  it("finds exactly one hospital by its credit code", async () => {
    const bd = (await get(hub, `Organization/${hospital("handan").id}`, t.credentials.operator)).json as unknown as Resource;
    const uscc = bd.identifier!.find((i) => i.system === USCC_SYSTEM)!.value;
    const found = await atHub(`Organization?identifier=${USCC_SYSTEM}|${uscc}`);
    expect(found.total).toBe(1);
    expect(ids(found)).toEqual([bd.id]);
  });

  it("answers a city node's hospitals exactly as the hub answers the operator", async () => {
    const cz = hospital("cangzhou");
    for (const path of [
      "Organization?type=prov&_count=7",
      "Organization?partof=city-cangzhou&_count=50",
      `Organization/${cz.id}`,
      `Location?organization=${cz.id}`,
    ]) {
      const fromHub = await get(hub, path, t.credentials.operator);
      const fromCity = await get(city("cangzhou"), path, cz.credential);
      expect(fromCity.status).toBe(200);
      // page tokens are sealed for their caller (docs/fhir-clients.md#paging): all else is the same
      expect(withoutTokens(fromCity.json)).toEqual(withoutTokens(fromHub.json));
    }
  });

  it("answers a page token to the caller it was sealed for only (400 naming _pageToken to another)", async () => {
    const [cz, other] = [hospital("cangzhou"), hospital("cangzhou", 1)];
    const first = await get(city("cangzhou"), "Organization?type=prov&_count=7", cz.credential);
    const next = (first.json as unknown as Bundle).link.find((l) => l.relation === "next")!.url;
    const own = await get(city("cangzhou"), next, cz.credential);
    expect(own.status).toBe(200);
    expect(ids(own.json as unknown as Bundle)).not.toEqual(ids(first.json as unknown as Bundle));
    for (const res of [await get(city("cangzhou"), next, other.credential), await get(hub, next, t.credentials.operator)]) {
      expect(res.status).toBe(400);
      expect(outcome(res).issue[0]).toMatchObject({ expression: ["_pageToken"] });
    }
  });

  it("refuses an unknown search parameter with 400 naming it, at the hub and at a city", async () => {
    const tangshan = hospital("tangshan");
    for (const res of [
      await get(hub, "Organization?colour=red", t.credentials.operator),
      await get(city("tangshan"), "Practitioner?colour=red", tangshan.credential),
    ]) {
      expect(res.status).toBe(400);
      expect(outcome(res).issue[0]).toMatchObject({ code: "invalid", expression: ["colour"] });
    }
  });

  it("answers 404 with an OperationOutcome for an unknown id", async () => {
    const res = await get(hub, "Organization/nowhere", t.credentials.operator);
    expect(res.status).toBe(404);
    expect(outcome(res).issue[0]!.code).toBe("not-found");
  });
});

describe("the operator's facility writes", () => {
  const countyId = `county-${HEBEI_DIVISIONS.langfang[0]!.code}`;
  const clinic = {
    resourceType: "Organization",
    id: "lf-test-clinic",
    active: true,
    type: [{ coding: [{ system: "http://terminology.hl7.org/CodeSystem/organization-type", code: "prov" }] }],
    identifier: [{ system: USCC_SYSTEM, value: "12131002MB0000001A" }],
    name: "廊坊市测试门诊部",
    address: [{ state: "河北省", city: "廊坊市" }],
    partOf: { reference: `Organization/${countyId}` },
  };

  it("creates and updates an Organization; a city node sees each change at once", async () => {
    const { makeUscc } = await import("#domain/uscc.ts");
    const body = {
      ...clinic,
      identifier: [
        {
          system: USCC_SYSTEM,
          value: makeUscc({ authority: "1", category: "2", divisionCode: HEBEI_DIVISIONS.langfang[0]!.code, orgBody8: "40999999" }),
        },
      ],
    };
    const created = await call(`${hub}/fhir/Organization`, { token: t.credentials.operator, body });
    expect(created.status, JSON.stringify(created.json)).toBe(201);
    expect(created.json).toMatchObject({ id: clinic.id, meta: { versionId: "1" } });
    const lf = hospital("langfang");
    const seen = await get(city("langfang"), `Organization?partof=${countyId}&name=${encodeURIComponent("廊坊市测试")}`, lf.credential);
    expect(ids(seen.json as unknown as Bundle)).toEqual([clinic.id]);
    const site = await get(city("langfang"), `Location?organization=${clinic.id}`, lf.credential);
    expect((site.json as unknown as Bundle).total).toBe(1);

    const renamed = await call(`${hub}/fhir/Organization/${clinic.id}`, {
      method: "PUT",
      token: t.credentials.operator,
      body: { ...body, name: "廊坊市改名门诊部" },
      headers: { "if-match": 'W/"1"' },
    });
    expect(renamed.status, JSON.stringify(renamed.json)).toBe(200);
    expect(renamed.json).toMatchObject({ name: "廊坊市改名门诊部", meta: { versionId: "2" } });
    const read = await get(city("langfang"), `Organization/${clinic.id}`, lf.credential);
    expect(read.json).toMatchObject({ name: "廊坊市改名门诊部" });
    expect((await search(city("langfang"), `Organization?name=${encodeURIComponent("廊坊市改名")}`, lf.credential)).total).toBe(1);
    expect((await search(city("langfang"), `Organization?name=${encodeURIComponent("廊坊市测试")}`, lf.credential)).total).toBe(0);

    const stale = await call(`${hub}/fhir/Organization/${clinic.id}`, {
      method: "PUT",
      token: t.credentials.operator,
      body,
      headers: { "if-match": 'W/"1"' },
    });
    expect(stale.status).toBe(412);
  });

  it("refuses an invalid credit code with 400 naming identifier, storing nothing", async () => {
    const res = await call(`${hub}/fhir/Organization`, {
      token: t.credentials.operator,
      body: { ...clinic, id: "lf-bad-code", identifier: [{ system: USCC_SYSTEM, value: "12131002MB0000001Z" }] },
    });
    expect(res.status).toBe(400);
    expect(outcome(res).issue.map((i) => i.expression?.[0])).toContain("identifier.0.value");
    expect(outcome(res).issue[0]!.diagnostics).toMatch(/credit code/);
    expect((await atHub("Organization?_id=lf-bad-code")).total).toBe(0);
    expect((await get(hub, "Organization/lf-bad-code", t.credentials.operator)).status).toBe(404);
  });

  it("drops a stale index entry from answers, and the next write of its record deletes it", async () => {
    // prepare: what a crash between writing Location/loc-<id> and retiring its old name entry leaves behind
    const lf = hospital("langfang", 2);
    const locationId = `loc-${lf.id}`;
    const stale = { indexKey: "loc:name:z", sortKey: `zombieyiyuan|Location/${locationId}|僵尸医院` };
    const ddb = DynamoDBDocumentClient.from(new DynamoDBClient({ endpoint: t.province.endpoints.dynamodb }));
    const tables = t.province.resources.get("hub")!.tables;
    await ddb.send(new PutCommand({ TableName: tables.get("RegistryIndex")!, Item: stale }));
    await ddb.send(
      new UpdateCommand({
        TableName: tables.get("Registry")!,
        Key: { resourceKey: `Location/${locationId}` },
        UpdateExpression: "SET retiredEntries = :r, indexPending = :p",
        ExpressionAttributeValues: { ":r": [entryId(stale)], ":p": true },
      }),
    );
    // act + assess: the hit is checked against the Location and left out
    const before = await atHub(`Location?name=${encodeURIComponent("僵尸")}`);
    expect(before.entry).toBeUndefined();
    const location = (await get(hub, `Location/${locationId}`, t.credentials.operator)).json as unknown as Resource;
    const { meta: _meta, ...body } = location;
    const put = await call(`${hub}/fhir/Location/${locationId}`, {
      method: "PUT",
      token: t.credentials.operator,
      body: { ...body, description: "门诊楼" },
    });
    expect(put.status, JSON.stringify(put.json)).toBe(200);
    expect((await atHub(`Location?name=${encodeURIComponent("僵尸")}`)).total).toBe(0);
    expect(ids(await atHub(`Location?organization=${lf.id}`))).toEqual([locationId]);
    ddb.destroy();
  });

  it("admits only the operator to facility writes", async () => {
    const res = await call(`${hub}/fhir/Organization`, { token: hospital("hengshui").credential, body: clinic });
    expect(res.status).toBe(403);
  });
});

describe("practitioner registry", () => {
  it("finds a practitioner by licence number and by name, and their roles by practitioner, organization and role", async () => {
    const xt = hospital("xingtai");
    const base = city("xingtai");
    const roles = await search(base, `PractitionerRole?organization=Organization/${xt.id}&_count=100`, xt.credential);
    expect(roles.total).toBeGreaterThanOrEqual(xt.practitioners.length);
    const practitionersHere = new Set(
      roles.entry!.map((e) => (e.resource.practitioner as { reference: string }).reference.replace("Practitioner/", "")),
    );
    for (const id of xt.practitioners) expect(practitionersHere).toContain(id);

    const doctors = await search(
      base,
      `PractitionerRole?organization=${xt.id}&role=http://terminology.hl7.org/CodeSystem/practitioner-role|doctor&_count=100`,
      xt.credential,
    );
    expect(doctors.total).toBeGreaterThan(0);
    expect(doctors.total).toBeLessThan(roles.total);
    const doctorRole = doctors.entry![0]!.resource;
    const doctorId = (doctorRole.practitioner as { reference: string }).reference.replace("Practitioner/", "");
    const ofDoctor = await search(base, `PractitionerRole?practitioner=${doctorId}`, xt.credential);
    expect(ids(ofDoctor)).toContain(doctorRole.id);

    const doctor = (await get(base, `Practitioner/${doctorId}`, xt.credential)).json as unknown as Resource & { name: { text: string }[] };
    const license = doctor.identifier!.find((i) => i.system === PRACTITIONER_SYSTEM)!.value;
    expect(ids(await search(base, `Practitioner?identifier=${PRACTITIONER_SYSTEM}|${license}`, xt.credential))).toEqual([doctorId]);
    const byName = await search(base, `Practitioner?name=${encodeURIComponent(doctor.name[0]!.text)}&_count=100`, xt.credential);
    expect(ids(byName)).toContain(doctorId);
    expect(byName.entry!.every((e) => (e.resource.name as { text: string }[])[0]!.text.startsWith(doctor.name[0]!.text))).toBe(true);
    expect((await search(hub, "PractitionerRole?role=admin&_summary=count", t.credentials.operator)).total).toBeGreaterThan(200);
  });

  it("lets a hospital register a practitioner and a role for itself, and end the role", async () => {
    const sjz = hospital("shijiazhuang");
    const base = city("shijiazhuang");
    const license = makeLicense({ type: "nurse", prefecture: "1301", year: 2030, serial: Math.floor(Math.random() * 99999) });
    const practitioner = {
      resourceType: "Practitioner",
      identifier: [{ system: PRACTITIONER_SYSTEM, value: license }],
      name: [{ text: "测试护士", family: "测", given: ["试护士"] }],
      gender: "female",
    };
    const created = await call(`${base}/fhir/Practitioner`, { token: sjz.credential, body: practitioner });
    expect(created.status, JSON.stringify(created.json)).toBe(201);
    const practitionerId = (created.json as unknown as Resource).id;
    const again = await call(`${base}/fhir/Practitioner`, { token: sjz.credential, body: practitioner });
    expect(again.status).toBe(200);
    expect((again.json as unknown as Resource).id).toBe(practitionerId);

    const role = {
      resourceType: "PractitionerRole",
      practitioner: { reference: `Practitioner/${practitionerId}` },
      organization: { reference: `Organization/${sjz.id}` },
      code: [{ coding: [{ system: "http://terminology.hl7.org/CodeSystem/practitioner-role", code: "nurse" }] }],
    };
    const registered = await call(`${base}/fhir/PractitionerRole`, { token: sjz.credential, body: role });
    expect(registered.status, JSON.stringify(registered.json)).toBe(201);
    const roleResource = registered.json as unknown as Resource;
    const asPractitioner = { "x-practitioner-id": practitionerId };
    expect((await get(base, "Organization/hebei", sjz.credential, asPractitioner)).status).toBe(200);

    const ended = await call(`${base}/fhir/PractitionerRole/${roleResource.id}`, {
      method: "PUT",
      token: sjz.credential,
      body: { ...role, id: roleResource.id, active: false },
    });
    expect(ended.status, JSON.stringify(ended.json)).toBe(200);
    expect(ended.json).toMatchObject({ active: false, period: { end: expect.any(String) }, meta: { versionId: "2" } });
    expect((await get(base, "Organization/hebei", sjz.credential, asPractitioner)).status).toBe(403);
  });

  it("refuses a role at another hospital with 403, storing nothing", async () => {
    const [own, other] = [hospital("qinhuangdao", 0), hospital("qinhuangdao", 1)];
    const practitionerId = own.practitioners[0]!;
    const before = await search(city("qinhuangdao"), `PractitionerRole?practitioner=${practitionerId}`, own.credential);
    const res = await call(`${city("qinhuangdao")}/fhir/PractitionerRole`, {
      token: own.credential,
      body: {
        resourceType: "PractitionerRole",
        practitioner: { reference: `Practitioner/${practitionerId}` },
        organization: { reference: `Organization/${other.id}` },
        code: [{ coding: [{ system: "https://hebei.health/fhir/CodeSystem/practitioner-role", code: "admin" }] }],
      },
    });
    expect(res.status).toBe(403);
    expect(outcome(res).issue[0]!.code).toBe("forbidden");
    const after = await search(city("qinhuangdao"), `PractitionerRole?practitioner=${practitionerId}`, own.credential);
    expect(after.total).toBe(before.total);
  });

  it("refuses an invalid licence number with 400 naming identifier, storing nothing", async () => {
    const zjk = hospital("zhangjiakou");
    const res = await call(`${city("zhangjiakou")}/fhir/Practitioner`, {
      token: zjk.credential,
      body: {
        resourceType: "Practitioner",
        identifier: [{ system: PRACTITIONER_SYSTEM, value: "130703111203454" }],
        name: [{ text: "无效执照" }],
      },
    });
    expect(res.status).toBe(400);
    expect(outcome(res).issue.map((i) => i.expression?.[0])).toContain("identifier.0.value");
    expect((await search(city("zhangjiakou"), `Practitioner?name=${encodeURIComponent("无效执照")}`, zjk.credential)).total).toBe(0);
  });

  it("checks X-Practitioner-Id on registry reads: another hospital's or an unknown practitioner → 403, an own active one → 200", async () => {
    const [own, other] = [hospital("chengde", 0), hospital("chengde", 1)];
    const read = (practitionerId: string) =>
      get(city("chengde"), "Organization/hebei", own.credential, { "x-practitioner-id": practitionerId });
    expect((await read(own.practitioners[1]!)).status).toBe(200);
    for (const id of [other.practitioners[0]!, "nobody-p999"]) {
      const res = await read(id);
      expect(res.status).toBe(403);
      expect(outcome(res).issue[0]!.diagnostics).toContain(id);
    }
    expect((await get(city("chengde"), "Organization/hebei", own.credential)).status).toBe(200);
  });
});
