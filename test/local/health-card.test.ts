/**
 * The resident health card through the local province (docs/health-card.md): issue at a Baoding
 * hospital, verify at a Tangshan one (static and dynamic codes), replay, expiry on the province clock,
 * pause and reactivate, lost, reissue, a merged resident's card, tampered codes and another card's key,
 * concurrent verifications of one dynamic code, the operator's status change and usage, the audit trail.
 * One province for the file.
 */
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient, GetCommand } from "@aws-sdk/lib-dynamodb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dynamicCode, staticCode } from "#domain/health-card.ts";
import { cstDay } from "#domain/settlement/claim-response.ts";
import { encounterOf, patientOf, type Registration, son } from "#lib/world/index.ts";
import { HEALTH_CARD_OUTCOME_SYSTEM, HEALTH_CARD_SYSTEM } from "#schemas/health-card.ts";
import { EMPI_SYSTEM, RESIDENT_ID_SYSTEM } from "#schemas/patient.ts";
import { advanceClock, call, queueSettled, startTestProvince, type TestProvince, waitFor } from "../support/province.ts";

let t: TestProvince;
type Hospital = TestProvince["credentials"]["hospitals"][number];
let bd: Hospital; // issues (Baoding)
let ts: Hospital; // verifies (Tangshan)
let sonEmpi: string;

type Json = Record<string, unknown>;
const cityUrl = (h: Hospital, path: string) => `${t.province.url}/cities/${h.cityId}${path}`;
const parameters = (values: Record<string, unknown>) => ({
  resourceType: "Parameters",
  parameter: Object.entries(values).map(([name, value]) =>
    typeof value === "object"
      ? { name, valueIdentifier: value }
      : typeof value === "boolean"
        ? { name, valueBoolean: value }
        : { name, valueString: value },
  ),
});
const param = (json: Json | undefined, name: string) => ((json?.parameter ?? []) as Json[]).find((p) => p.name === name);
const why = (json: Json | undefined) =>
  ((json?.issue as { details?: { coding?: { system: string; code: string }[] } }[])?.[0]?.details?.coding ?? [])[0];

const feed = async (h: Hospital, mrn: string, person: Registration): Promise<string> => {
  const res = await call(cityUrl(h, "/fhir/Patient"), { token: h.credential, body: patientOf(h.id, mrn, person) });
  expect(res.status).toBe(201);
  return ((res.json?.identifier ?? []) as { system: string; value: string }[]).find((i) => i.system === EMPI_SYSTEM)!.value;
};
const issue = (values: Record<string, unknown>, h = bd) =>
  call(cityUrl(h, "/fhir/Patient/$issue-health-card"), {
    token: h.credential,
    headers: { "x-practitioner-id": h.practitioners[0]! },
    body: parameters(values),
  });
const verify = (code: string, careStep = "registration", h = ts) =>
  call(cityUrl(h, "/fhir/Patient/$verify-health-card"), {
    token: h.credential,
    body: {
      resourceType: "Parameters",
      parameter: [
        { name: "code", valueString: code },
        { name: "terminal", valueString: `${h.id}-desk-1` },
        { name: "careStep", valueCode: careStep },
      ],
    },
  });
const setStatus = (cardId: string, status: string, h: Hospital | "operator" = bd) =>
  h === "operator"
    ? call(`${t.province.url}/hub/health-card/status`, {
        token: t.credentials.operator,
        body: parameters({ cardId, status, reason: `test: ${status}` }),
      })
    : call(cityUrl(h, "/fhir/Patient/$health-card-status"), {
        token: h.credential,
        body: parameters({ cardId, status, reason: `test: ${status}` }),
      });
const provinceSeconds = async () =>
  Math.floor(Date.parse(String((await call(`${t.province.url}/local/clock`, { method: "GET" })).json!.now)) / 1000);
let serial = 0;
const nonce = () => `nonce${String(++serial).padStart(6, "0")}`;
const dynamic = async (card: { cardId: string; cardKey: string }, offset = 0) =>
  dynamicCode(card.cardId, card.cardKey, (await provinceSeconds()) + offset, nonce());
const issued = (json: Json | undefined) => ({
  cardId: String(param(json, "cardId")?.valueString),
  cardKey: String(param(json, "cardKey")?.valueString),
});

let card: { cardId: string; cardKey: string };
let firstCard: string;

beforeAll(async () => {
  t = await startTestProvince();
  const withStaff = (city: string) => t.credentials.hospitals.find((h) => h.cityId === city && h.practitioners.length > 0)!;
  bd = withStaff("baoding");
  ts = withStaff("tangshan");
  sonEmpi = await feed(bd, "HC-S", son);
});
afterAll(async () => {
  await t?.province.stop();
});

describe("issue", () => {
  it("issues a card on a resident ID number: 201 with cardId, staticCode and cardKey; 409 names it the second time", async () => {
    const res = await issue({ identifier: { system: RESIDENT_ID_SYSTEM, value: son.residentId } });
    expect(res.status).toBe(201);
    card = issued(res.json);
    firstCard = card.cardId;
    expect(card.cardId).toMatch(/^[A-Z2-7]{32}$/);
    expect(card.cardKey).toMatch(/^[0-9a-f]{64}$/);
    expect(param(res.json, "staticCode")?.valueString).toBe(`HC1:${card.cardId}`);
    expect(JSON.stringify(res.json)).not.toContain(son.residentId!);
    const again = await issue({ identifier: { system: RESIDENT_ID_SYSTEM, value: son.residentId } });
    expect(again.status).toBe(409);
    expect(JSON.stringify(again.json)).toContain(card.cardId);
  });

  it("PIXm resolves the card like any identifier, and lists it for the resident", async () => {
    const pix = (source: string) =>
      call(cityUrl(ts, `/fhir/Patient/$ihe-pix?sourceIdentifier=${encodeURIComponent(source)}`), {
        token: ts.credential,
        headers: { "x-practitioner-id": ts.practitioners[0]! },
      });
    const targets = (json: Json | undefined) =>
      ((json?.parameter ?? []) as { valueIdentifier?: { system: string; value: string } }[]).map(
        (p) => `${p.valueIdentifier?.system}|${p.valueIdentifier?.value}`,
      );
    const byCard = await pix(`${HEALTH_CARD_SYSTEM}|${card.cardId.toLowerCase()}`);
    expect(byCard.status).toBe(200);
    expect(targets(byCard.json)).toContain(`${EMPI_SYSTEM}|${sonEmpi}`);
    expect(targets((await pix(`${RESIDENT_ID_SYSTEM}|${son.residentId}`)).json)).toContain(`${HEALTH_CARD_SYSTEM}|${card.cardId}`);
  });

  it("refuses an unknown resident (404), a malformed document (400 naming it) and an issue without a named practitioner (403)", async () => {
    expect((await issue({ identifier: { system: RESIDENT_ID_SYSTEM, value: "130602199003070029" } })).status).toBe(404);
    const bad = await issue({ identifier: { system: "https://hebei.health/sid/passport", value: "12" } });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.json)).toContain("identifier.value");
    const anonymous = await call(cityUrl(bd, "/fhir/Patient/$issue-health-card"), {
      token: bd.credential,
      body: parameters({ identifier: { system: RESIDENT_ID_SYSTEM, value: son.residentId } }),
    });
    expect(anonymous.status).toBe(403);
  });
});

describe("verify", () => {
  it("a static code identifies only; a dynamic code gives the resident", async () => {
    const stat = await verify(staticCode(card.cardId));
    expect(stat.status).toBe(200);
    expect(param(stat.json, "patient")?.resource).toEqual({
      resourceType: "Patient",
      identifier: [{ system: EMPI_SYSTEM, value: sonEmpi }],
    });
    expect(param(stat.json, "status")?.valueCode).toBe("active");
    const dyn = await verify(await dynamic(card));
    expect(dyn.status).toBe(200);
    expect(param(dyn.json, "patient")?.resource).toMatchObject({
      gender: son.sex,
      birthDate: son.birthDate,
      name: [{ family: son.family }],
    });
  });

  it("refuses a replay, a code older than 5 minutes (province clock), a tampered code, another card's key, a static code at the pharmacy; 404 for an unknown card", async () => {
    const code = await dynamic(card);
    expect((await verify(code, "consultation")).status).toBe(200);
    const replay = await verify(code, "consultation");
    expect([replay.status, why(replay.json)]).toEqual([422, { system: HEALTH_CARD_OUTCOME_SYSTEM, code: "replayed" }]);

    const later = await dynamic(card);
    await advanceClock(t.province, 301);
    expect(why((await verify(later)).json)?.code).toBe("expired");

    const fresh = await dynamic(card);
    const tampered = fresh.replace(/:(\d+):/, (_m, s: string) => `:${Number(s) + 1}:`);
    expect(why((await verify(tampered)).json)?.code).toBe("invalid");
    const foreignKey = dynamicCode(card.cardId, "0".repeat(64), await provinceSeconds(), nonce());
    expect(why((await verify(foreignKey)).json)?.code).toBe("invalid");
    expect(why((await verify(staticCode(card.cardId), "pharmacy")).json)?.code).toBe("dynamic-code-required");
    expect((await verify("HC1:not-a-card")).status).toBe(422);
    expect((await verify(staticCode("A".repeat(32)))).status).toBe(404);
  });

  it("concurrent verifications of one dynamic code: exactly one accepted", async () => {
    const code = await dynamic(card);
    const answers = await Promise.all(Array.from({ length: 8 }, () => verify(code, "payment")));
    expect(answers.map((a) => a.status).sort()).toEqual([200, 422, 422, 422, 422, 422, 422, 422]);
    expect(answers.filter((a) => why(a.json)?.code === "replayed")).toHaveLength(7);
  });
});

describe("lifecycle", () => {
  it("pause and reactivate; only the issuing hospital (or the operator); lost; reissue: the old card refused, the new one works", async () => {
    expect((await setStatus(card.cardId, "paused")).status).toBe(200);
    expect(why((await verify(await dynamic(card))).json)?.code).toBe("card-inactive");
    expect((await setStatus(card.cardId, "active", ts)).status).toBe(403);
    expect((await setStatus(card.cardId, "active", "operator")).status).toBe(200);
    expect((await verify(await dynamic(card))).status).toBe(200);

    const lost = await setStatus(card.cardId, "lost");
    expect(lost.status).toBe(200);
    expect(((lost.json?.parameter ?? []) as Json[]).filter((p) => p.name === "history")).toHaveLength(4);
    const reissued = await issue({ identifier: { system: RESIDENT_ID_SYSTEM, value: son.residentId }, reissue: true });
    expect(reissued.status).toBe(201);
    const next = issued(reissued.json);
    expect(next.cardId).not.toBe(card.cardId);
    expect(why((await verify(staticCode(card.cardId))).json)?.code).toBe("card-inactive");
    expect((await verify(await dynamic(next), "pharmacy")).status).toBe(200);
    card = next;
  });

  it("a merged resident's card resolves to the survivor", async () => {
    const person: Registration = { family: "韩", given: "雪梅", sex: "female", birthDate: "1985-04-12", residentId: "130602198504120024" };
    const survivor = await feed(ts, "HC-M1", { family: "周", given: "晓燕", sex: "female", birthDate: "1991-09-30", phone: "13911112222" });
    const merged = await feed(bd, "HC-M2", person);
    expect(merged).not.toBe(survivor);
    const res = await issue({ identifier: { system: RESIDENT_ID_SYSTEM, value: person.residentId } });
    expect(res.status).toBe(201);
    const mergeAnswer = await call(`${t.province.url}/hub/mpi/merge`, {
      token: t.credentials.operator,
      body: { survivor, merged, reason: "same woman" },
    });
    expect(mergeAnswer.status).toBe(200);
    const answer = await verify(staticCode(issued(res.json).cardId));
    expect(param(answer.json, "patient")?.resource).toEqual({
      resourceType: "Patient",
      identifier: [{ system: EMPI_SYSTEM, value: survivor }],
    });
  });
});

describe("use", () => {
  it("the operator's usage counts the day's issues and verifications by care step and outcome", async () => {
    const day = String((await call(`${t.province.url}/local/clock`, { method: "GET" })).json!.now);
    const date = new Date(Date.parse(day) + 8 * 3_600_000).toISOString().slice(0, 10);
    const usage = await call(`${t.province.url}/hub/health-card/usage?date=${date}`, { token: t.credentials.operator, method: "GET" });
    expect(usage.status).toBe(200);
    const rows = usage.json!.hospitals as { hospitalId: string; issued: number; verifications: Record<string, Record<string, number>> }[];
    const at = (id: string) => rows.find((r) => r.hospitalId === id);
    expect(at(ts.id)?.verifications.consultation).toMatchObject({ accepted: 1, replayed: 1 });
    expect(at(ts.id)?.verifications.payment).toEqual({ accepted: 1, replayed: 7 });
    expect((await call(`${t.province.url}/hub/health-card/usage?date=x`, { token: t.credentials.operator, method: "GET" })).status).toBe(
      400,
    );
  });

  it("every verification is audited, refusals included: the card's access report lists its uses by hospital", async () => {
    const report = async () =>
      call(`${t.province.url}/hub/audit/access-report?patient.identifier=${encodeURIComponent(`${HEALTH_CARD_SYSTEM}|${firstCard}`)}`, {
        token: t.credentials.operator,
        method: "GET",
      });
    const tsRow = (r: { json?: Json }) =>
      (r.json?.byHospital as { hospitalId: string; accesses: number; refused: number }[] | undefined)?.find((h) => h.hospitalId === ts.id);
    // at Tangshan: 5 accepted (static, dynamic, consultation, one of the 8 concurrent, after reactivation) and 15 refused
    // (replay, expired, tampered, another key, static at the pharmacy, 7 concurrent replays, paused, its attempt to
    // reactivate a card it did not issue, cancelled by the reissue)
    const answer = await waitFor(report, (r) => (tsRow(r)?.accesses ?? 0) >= 20);
    expect(tsRow(answer), JSON.stringify(answer.json?.byHospital)).toMatchObject({ accesses: 20, refused: 15 });
  });

  it("the card-based visit rate: encounters preceded within an hour at the same hospital by a registration by card, per hospital and city, on the dashboard", async () => {
    const now = async () => new Date((await provinceSeconds()) * 1000).toISOString();
    let n = 0;
    // the test's own ledger: each encounter recorded, and whether a registration by card preceded it within the hour
    const recorded: { hospitalId: string; cityId: string; start: string; byCard: boolean }[] = [];
    const encounter = async (h: Hospital, byCard: boolean) => {
      const start = await now();
      const res = await call(cityUrl(h, "/fhir/Encounter"), {
        token: h.credential,
        headers: { "x-practitioner-id": h.practitioners[0]! },
        body: {
          ...encounterOf(h.id, `HC-VISIT-${++n}`, "-", false, start, start),
          subject: { identifier: { system: RESIDENT_ID_SYSTEM, value: son.residentId } },
        },
      });
      expect(res.status, JSON.stringify(res.json)).toBe(201);
      recorded.push({ hospitalId: h.id, cityId: h.cityId, start, byCard });
    };
    await advanceClock(t.province, 2 * 3600); // the registrations by card above are over an hour old
    await encounter(ts, false);
    expect((await verify(await dynamic(card), "registration")).status).toBe(200);
    await advanceClock(t.province, 20 * 60);
    await encounter(ts, true); // 20 minutes after the registration by card
    await encounter(bd, false); // another hospital
    expect((await verify(await dynamic(card), "consultation")).status).toBe(200); // not a registration
    await advanceClock(t.province, 41 * 60);
    await encounter(ts, false); // 61 minutes after
    await queueSettled(t.province, "hub", "Exchange");

    const days = [...new Set(recorded.map((r) => cstDay(r.start)))];
    const count = (id: string, f: (r: (typeof recorded)[number]) => boolean) => recorded.filter((r) => r.hospitalId === id && f(r)).length;
    const usageOf = async (date: string, city = "") =>
      (await call(`${t.province.url}/hub/health-card/usage?date=${date}${city}`, { token: t.credentials.operator, method: "GET" })).json!;
    type Visits = { encounters: number; byCard: number; rate: number | null };
    const sum = async (pick: (u: Json) => Visits | undefined) => {
      const total = { encounters: 0, byCard: 0 };
      for (const d of days) {
        const v = pick(await usageOf(d));
        total.encounters += v?.encounters ?? 0;
        total.byCard += v?.byCard ?? 0;
      }
      return total;
    };
    const hospitalRow = (id: string) => (u: Json) =>
      (u.hospitals as { hospitalId: string; visits: Visits }[]).find((r) => r.hospitalId === id)?.visits;
    const cityRow = (id: string) => (u: Json) => (u.cities as { cityId: string; visits: Visits }[]).find((r) => r.cityId === id)?.visits;
    expect(await sum(hospitalRow(ts.id))).toEqual({ encounters: count(ts.id, () => true), byCard: count(ts.id, (r) => r.byCard) });
    expect(await sum(hospitalRow(bd.id))).toEqual({ encounters: count(bd.id, () => true), byCard: 0 });
    // no other hospital of the cities records encounters in this file: the city's row is the hospital's
    expect(await sum(cityRow(ts.cityId))).toEqual({ encounters: 3, byCard: 1 });
    const last = days.at(-1)!;
    const narrowed = await usageOf(last, `&city=${ts.cityId}`);
    expect((narrowed.hospitals as { cityId: string }[]).every((r) => r.cityId === ts.cityId)).toBe(true);

    // the operations summary (the dashboard's panel) gives today's rows per city
    const summary = (await call(`${t.province.url}/hub/ops/summary`, { token: t.credentials.operator })).json!;
    const panel = summary.healthCard as { date: string; cities: { cityId: string; visits: Visits }[] };
    expect(panel.date).toBe(cstDay(await now()));
    expect(panel.cities.find((c) => c.cityId === ts.cityId)?.visits).toEqual(cityRow(ts.cityId)(await usageOf(panel.date)));
  });
});

describe("replay markers", () => {
  it("a used code's marker goes after its lifetime (the table's TTL; locally the sweep on the province clock), and the code stays refused, as expired", async () => {
    const doc = DynamoDBDocumentClient.from(new DynamoDBClient({ endpoint: t.province.endpoints.dynamodb }));
    const table = t.province.resources.get("hub")!.tables.get("HealthCards")!;
    const code = await dynamic(card);
    const marker = () =>
      doc.send(
        new GetCommand({
          TableName: table,
          Key: { pk: `code#${code.split(":").slice(0, 4).join(":")}`, sk: "code" },
          ConsistentRead: true,
        }),
      );
    expect((await verify(code, "consultation")).status).toBe(200);
    const held = (await marker()).Item;
    expect(held?.expiresAt).toBe(Number(code.split(":")[2]) + 301);
    await advanceClock(t.province, 200); // within the lifetime: kept, and the replay refused
    expect((await marker()).Item).toBeDefined();
    expect(why((await verify(code, "consultation")).json)?.code).toBe("replayed");
    await advanceClock(t.province, 3600); // the hourly sweep is due
    await waitFor(marker, (m) => m.Item === undefined);
    expect(why((await verify(code, "consultation")).json)?.code).toBe("expired");
  });
});
