import { beforeEach, describe, expect, it } from "vitest";
import { dynamicCode, type EncounterVisit, staticCode } from "#domain/health-card.ts";
import { cstDay } from "#domain/settlement/claim-response.ts";
import type { Identifier } from "#ports/health-card.ts";
import { HEALTH_CARD_OUTCOME_SYSTEM, HEALTH_CARD_SYSTEM } from "#schemas/health-card.ts";
import { EMPI_SYSTEM, RESIDENT_ID_SYSTEM } from "#schemas/patient.ts";
import { changeCardStatus, type HealthCardDeps, issueCard, verifyCard } from "#use-cases/health-card.ts";
import { cardUsage } from "#use-cases/health-card-usage.ts";
import { MemoryCardResidents, MemoryCardStore } from "./memory-store.ts";

const SECRET = Buffer.from("2a".repeat(32), "hex");
const T0 = Date.parse("2026-03-02T02:00:00Z");
const BD = { hospitalId: "bd001", cityId: "baoding" };
const TS = { hospitalId: "ts001", cityId: "tangshan" };
const ID = "13060219900307001X";
const EMPI = "E0000000000001";

let now: number;
let cards: MemoryCardStore;
let residents: MemoryCardResidents;
let deps: HealthCardDeps;
let encounters: EncounterVisit[];

beforeEach(() => {
  now = T0;
  cards = new MemoryCardStore();
  residents = new MemoryCardResidents();
  residents.add({
    empi: EMPI,
    identifiers: [
      { system: EMPI_SYSTEM, value: EMPI },
      { system: RESIDENT_ID_SYSTEM, value: ID },
    ],
    name: [{ family: "张", given: ["伟"] }],
    gender: "male",
    birthDate: "1990-03-07",
  });
  encounters = [];
  const visits = { on: async (date: string) => encounters.filter((e) => cstDay(e.start) === date) };
  deps = { cards, residents, visits, secret: async () => SECRET, now: () => new Date(now) };
});

const issue = (reissue?: boolean) =>
  issueCard(deps, BD, { identifier: { system: RESIDENT_ID_SYSTEM, value: ID }, ...(reissue ? { reissue } : {}) });
const param = (body: Record<string, unknown>, name: string) =>
  (body.parameter as Record<string, unknown>[]).find((p) => p.name === name) as Record<string, unknown>;
const keyOf = (body: Record<string, unknown>) => param(body, "cardKey").valueString as string;
const verify = (code: string, careStep = "registration" as const, by = TS) => verifyCard(deps, by, { code, terminal: "t-7", careStep });
const reason = (body: Record<string, unknown>) =>
  ((body.issue as { details: { coding: { system: string; code: string }[] } }[])[0]?.details.coding[0] ?? {}) as {
    system: string;
    code: string;
  };
const seconds = () => Math.floor(now / 1000);

describe("issue", () => {
  it("issues once, links the card to the resident, and 409 names the existing card", async () => {
    const first = await issue();
    expect(param(first.body, "staticCode").valueString).toBe(`HC1:${first.cardId}`);
    expect(keyOf(first.body)).toMatch(/^[0-9a-f]{64}$/);
    expect(residents.links).toEqual([{ empi: EMPI, identifiers: [{ system: HEALTH_CARD_SYSTEM, value: first.cardId }] }]);
    await expect(issue()).rejects.toMatchObject({ kind: "conflict", message: expect.stringContaining(first.cardId) });
  });

  it("an unknown resident is 404 naming the identifier", async () => {
    await expect(issueCard(deps, BD, { identifier: { system: RESIDENT_ID_SYSTEM, value: "130602199003070029" } })).rejects.toMatchObject({
      kind: "not-found",
      issues: [{ expression: "identifier" }],
    });
  });

  it("reissue cancels the old generation and issues the next, which is refused no more", async () => {
    const first = await issue();
    const second = await issue(true);
    expect(second.generation).toBe(2);
    expect(second.cardId).not.toBe(first.cardId);
    expect((await cards.get(first.cardId))?.status).toBe("cancelled");
    expect((await verify(staticCode(first.cardId))).body).toMatchObject({ resourceType: "OperationOutcome" });
    expect(reason((await verify(staticCode(first.cardId))).body).code).toBe("card-inactive");
    expect((await verify(dynamicCode(second.cardId, keyOf(second.body), seconds(), "fresh001"))).statusCode).toBe(200);
  });

  it("the same resident and generation give the same card (a store lost and rebuilt derives it again)", async () => {
    const first = await issue();
    cards = new MemoryCardStore();
    deps = { ...deps, cards };
    expect((await issue()).cardId).toBe(first.cardId);
  });
});

describe("verify", () => {
  it("a static code identifies only; a dynamic code gives demographics and registers the resident", async () => {
    const card = await issue();
    const stat = await verify(staticCode(card.cardId));
    expect(stat.statusCode).toBe(200);
    expect(param(stat.body, "patient").resource).toEqual({ resourceType: "Patient", identifier: [{ system: EMPI_SYSTEM, value: EMPI }] });
    expect(cards.registrations).toEqual([]);
    const dyn = await verify(dynamicCode(card.cardId, keyOf(card.body), seconds(), "nonce0001"));
    expect(dyn.statusCode).toBe(200);
    expect(param(dyn.body, "patient").resource).toMatchObject({ gender: "male", birthDate: "1990-03-07", name: [{ family: "张" }] });
    expect(param(dyn.body, "status").valueCode).toBe("active");
    expect(cards.registrations).toEqual([{ hospitalId: "ts001", empi: EMPI, at: new Date(T0).toISOString() }]);
  });

  it("refuses a replay, an expired code, a tampered code and another card's key, with the outcome coded; 404 for an unknown card", async () => {
    const card = await issue();
    const key = keyOf(card.body);
    const code = dynamicCode(card.cardId, key, seconds(), "nonce0002");
    expect((await verify(code)).statusCode).toBe(200);
    const replay = await verify(code);
    expect([replay.statusCode, reason(replay.body)]).toEqual([422, { system: HEALTH_CARD_OUTCOME_SYSTEM, code: "replayed" }]);
    const old = dynamicCode(card.cardId, key, seconds() - 301, "nonce0003");
    expect(reason((await verify(old)).body).code).toBe("expired");
    const tampered = `${code.slice(0, -1)}${code.endsWith("0") ? "1" : "0"}`;
    expect(reason((await verify(tampered)).body).code).toBe("invalid");
    const other = await issueCard(deps, BD, { identifier: { system: RESIDENT_ID_SYSTEM, value: ID }, reissue: true });
    expect(reason((await verify(dynamicCode(other.cardId, key, seconds(), "nonce0004"))).body).code).toBe("invalid");
    expect(reason((await verify("HC1:nope")).body).code).toBe("invalid");
    expect((await verify(staticCode("A".repeat(32)))).statusCode).toBe(404);
    expect(cards.uses.map((u) => u.outcome)).toEqual(["accepted", "replayed", "expired", "invalid", "invalid", "invalid", "unknown-card"]);
  });

  it("a static code at pharmacy, payment or inpatient: dynamic-code-required", async () => {
    const card = await issue();
    expect(reason((await verify(staticCode(card.cardId), "payment" as never)).body).code).toBe("dynamic-code-required");
  });

  it("concurrent verifications of one dynamic code: exactly one accepted", async () => {
    const card = await issue();
    const code = dynamicCode(card.cardId, keyOf(card.body), seconds(), "nonce0005");
    const answers = await Promise.all(Array.from({ length: 20 }, () => verify(code)));
    expect(answers.filter((a) => a.statusCode === 200)).toHaveLength(1);
    expect(answers.filter((a) => a.statusCode === 422 && reason(a.body).code === "replayed")).toHaveLength(19);
  });

  it("a merged resident's card resolves to the survivor", async () => {
    const card = await issue();
    residents.add({ empi: "E0000000000002", identifiers: [{ system: EMPI_SYSTEM, value: "E0000000000002" }] });
    residents.mergedInto.set(EMPI, "E0000000000002");
    const answer = await verify(staticCode(card.cardId));
    expect(param(answer.body, "patient").resource).toEqual({
      resourceType: "Patient",
      identifier: [{ system: EMPI_SYSTEM, value: "E0000000000002" }],
    });
  });
});

describe("lifecycle and usage", () => {
  it("pause and reactivate, lost, history kept; only the issuing hospital or the operator", async () => {
    const card = await issue();
    const set = (status: "active" | "paused" | "lost" | "cancelled", by: typeof BD | "operator" = BD) =>
      changeCardStatus(deps, by === "operator" ? undefined : by, { cardId: card.cardId, status, reason: `to ${status}` });
    await set("paused");
    expect(reason((await verify(staticCode(card.cardId))).body).code).toBe("card-inactive");
    await set("active");
    expect((await verify(staticCode(card.cardId))).statusCode).toBe(200);
    await expect(set("lost", TS)).rejects.toMatchObject({ kind: "forbidden" });
    await set("lost", "operator");
    await expect(set("lost")).rejects.toMatchObject({ kind: "conflict" });
    await set("cancelled");
    await expect(set("active", "operator")).rejects.toMatchObject({ kind: "conflict", issues: [{ expression: "status" }] });
    expect((await cards.get(card.cardId))?.history.map((h) => `${h.status}/${h.by}`)).toEqual([
      "active/bd001",
      "paused/bd001",
      "active/bd001",
      "lost/operator",
      "cancelled/bd001",
    ]);
  });

  it("counts the day's issues and verifications per hospital, by care step and outcome", async () => {
    const card = await issue();
    await verify(staticCode(card.cardId));
    await verify(staticCode(card.cardId), "pharmacy" as never);
    await verify(staticCode(card.cardId), "registration", BD);
    const none = { encounters: 0, byCard: 0, rate: null };
    expect((await cardUsage(deps, "2026-03-02")).hospitals).toEqual([
      { cityId: "baoding", hospitalId: "bd001", issued: 1, verifications: { registration: { accepted: 1 } }, visits: none },
      {
        cityId: "tangshan",
        hospitalId: "ts001",
        issued: 0,
        verifications: { registration: { accepted: 1 }, pharmacy: { "dynamic-code-required": 1 } },
        visits: none,
      },
    ]);
    expect((await cardUsage(deps, "2026-03-02", "tangshan")).hospitals).toHaveLength(1);
    expect(await cardUsage(deps, "2026-03-03")).toEqual({ hospitals: [], cities: [] });
  });

  it("the card-based visit rate: encounters preceded within an hour at the same hospital by a card verification at registration", async () => {
    const card = await issue();
    const key = keyOf(card.body);
    const at = (minutes: number) => new Date(T0 + minutes * 60_000).toISOString();
    const seconds = Math.floor(T0 / 1000);
    expect((await verify(dynamicCode(card.cardId, key, seconds, "nonce0001"))).statusCode).toBe(200); // ts001, 10:00 CST
    expect((await verify(dynamicCode(card.cardId, "0".repeat(64), seconds, "nonce0002"))).statusCode).toBe(422); // refused: counts not
    const visit = (hospitalId: string, cityId: string, minutes: number, empi = EMPI) => ({ hospitalId, cityId, empi, start: at(minutes) });
    encounters.push(
      visit("ts001", "tangshan", 30), // card-based
      visit("ts001", "tangshan", 60), // card-based: an hour to the minute
      visit("ts001", "tangshan", 61), // over the hour
      visit("ts001", "tangshan", -1), // before the verification
      visit("ts001", "tangshan", 10, "E0000000000002"), // another resident
      visit("bd001", "baoding", 10), // another hospital
    );
    const usage = await cardUsage(deps, "2026-03-02");
    const ts = usage.hospitals.find((h) => h.hospitalId === "ts001");
    expect(ts?.visits).toEqual({ encounters: 5, byCard: 2, rate: 0.4 });
    expect(usage.hospitals.find((h) => h.hospitalId === "bd001")?.visits).toEqual({ encounters: 1, byCard: 0, rate: 0 });
    expect(usage.cities.find((c) => c.cityId === "tangshan")).toMatchObject({ hospitals: 1, visits: { encounters: 5, byCard: 2 } });

    // a verification late the evening before counts for an encounter just after midnight (CST)
    now = Date.parse("2026-03-02T15:40:00Z"); // 23:40 CST
    expect((await verify(dynamicCode(card.cardId, key, Math.floor(now / 1000), "nonce0003"))).statusCode).toBe(200);
    encounters.push({ hospitalId: "ts001", cityId: "tangshan", empi: EMPI, start: "2026-03-02T16:20:00Z" }); // 00:20 CST, 3 March
    expect((await cardUsage(deps, "2026-03-03")).hospitals[0]?.visits).toEqual({ encounters: 1, byCard: 1, rate: 1 });
  });
});

describe("verify, audited at the hub (the city asked: no practitioner named)", () => {
  const audited = (code: string) => verifyCard(deps, TS, { code, terminal: "t-7", careStep: "registration" }, true);
  const entities = (i: number) =>
    (cards.audits.get(i)!.event.entity as { what?: { identifier?: Identifier; reference?: string } }[]).map(
      (e) => e.what?.identifier?.value ?? e.what?.reference,
    );

  it("writes each verification's AuditEvent with its use, as the city would record it, and names it in the answer", async () => {
    const card = await issue();
    const code = dynamicCode(card.cardId, keyOf(card.body), seconds(), "audit001");
    const accepted = await audited(code);
    const replayed = await audited(code);
    const unknown = await audited(staticCode("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"));
    const malformed = await audited("HC1:nonsense:1");
    expect([accepted, replayed, unknown, malformed].map((v) => v.statusCode)).toEqual([200, 422, 404, 422]);
    expect(cards.uses.map((u) => u.outcome)).toEqual(["accepted", "replayed", "unknown-card", "invalid"]);
    expect([...cards.audits.keys()]).toEqual([0, 1, 2, 3]);
    expect([0, 1, 2, 3].map((i) => cards.audits.get(i)!.id)).toEqual([accepted, replayed, unknown, malformed].map((v) => v.auditEventId));
    const resource = "Patient/$verify-health-card?careStep=registration&terminal=t-7";
    expect(cards.audits.get(0)!.event).toMatchObject({ action: "R", outcome: "0", source: { site: "tangshan" } });
    expect(entities(0)).toEqual([card.cardId, EMPI, resource]);
    expect(cards.audits.get(0)!.index.agents).toEqual(["ts001"]);
    expect(cards.audits.get(1)!.event).toMatchObject({ outcome: "4", outcomeDesc: expect.stringContaining("replayed") });
    expect(entities(1)).toEqual([card.cardId, resource]);
    expect(entities(2)).toEqual(["ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", resource]);
    expect(cards.audits.get(2)!.event).toMatchObject({ outcome: "4", outcomeDesc: expect.stringContaining("not known") });
    expect(entities(3)).toEqual([resource]);
  });

  it("without the city's asking, writes none", async () => {
    const card = await issue();
    const v = await verify(dynamicCode(card.cardId, keyOf(card.body), seconds(), "audit002"));
    expect(v.statusCode).toBe(200);
    expect(v.auditEventId).toBeUndefined();
    expect(cards.audits.size).toBe(0);
  });
});
