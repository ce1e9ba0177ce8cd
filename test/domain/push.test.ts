/** Subscription criteria and the matcher, without I/O (in-memory stores). */
import { describe, expect, it } from "vitest";
import { BadRequestError, ForbiddenError } from "#domain/errors.ts";
import { CriteriaError, parseCriteria } from "#domain/push/criteria.ts";
import { communicationId, type SubscriptionTarget } from "#domain/push/notification.ts";
import { type Contact, RELATIONSHIP_DAYS } from "#domain/push/relationship.ts";
import type { AdmissionStore, InboxItem, InboxStore, StoredSubscription, SubscriptionStore } from "#ports/push.ts";
import { type ClinicalEventMessageV1, type InboxCommunication, inboxCommunicationSchema } from "#schemas/messages.ts";
import { deliver, type InboxDeps } from "#use-cases/push/inbox.ts";
import { admittedMatchKey, empiMatchKey, matchClinicalEvent } from "#use-cases/push/matcher.ts";
import { createSubscription, listSubscriptions, removeSubscription } from "#use-cases/push/subscriptions.ts";

const ADMITTED = (h: string) =>
  `patient._has:Encounter:subject:service-provider=Organization/${h}&patient._has:Encounter:subject:status=in-progress`;

describe("parseCriteria", () => {
  it("reads one resident's identifier, decoded", () => {
    expect(parseCriteria("DocumentReference?patient.identifier=https%3A%2F%2Fhebei.health%2Fsid%2Fempi|E0000000000013", "h1")).toEqual({
      kind: "patient",
      resourceType: "DocumentReference",
      identifier: { system: "https://hebei.health/sid/empi", value: "E0000000000013" },
    });
  });
  it("reads the admitted-patients form in either order, for the subscriber's own hospital only", () => {
    expect(parseCriteria(`Encounter?${ADMITTED("h1")}`, "h1")).toEqual({ kind: "admitted", resourceType: "Encounter", hospitalId: "h1" });
    const [a, b] = ADMITTED("h1").split("&");
    expect(parseCriteria(`DocumentReference?${b}&${a}`, "h1").kind).toBe("admitted");
    expect(() => parseCriteria(`DocumentReference?${ADMITTED("h2")}`, "h1")).toThrow(/subscribing hospital/);
  });
  it.each([
    ["Observation?patient.identifier=a|b", /DocumentReference or Encounter/],
    ["DocumentReference", /give patient.identifier/],
    ["DocumentReference?patient.identifier=ab", /<system>\|<value>/],
    ["DocumentReference?patient.identifier=a|", /<system>\|<value>/],
    ["DocumentReference?patient.identifier=a|b&patient.identifier=a|c", /once/],
    ["DocumentReference?patient.identifier=a|b&type=x", /type is not supported/],
    [`DocumentReference?${ADMITTED("h1").replace("in-progress", "finished")}`, /must be in-progress/],
    ["DocumentReference?patient._has:Encounter:subject:status=in-progress", /service-provider must be given once/],
  ])("refuses %s", (criteria, message) => {
    expect(() => parseCriteria(criteria, "h1")).toThrow(CriteriaError);
    expect(() => parseCriteria(criteria, "h1")).toThrow(message);
  });
});

function memoryStores() {
  const records = new Map<string, StoredSubscription>();
  const entries = new Map<string, SubscriptionTarget[]>();
  const encounters = new Map<string, { hospitalId: string; status: string; recordedAt: string }>();
  const subscriptions = {
    getRecord: async (h: string, id: string) => records.get(`${h}/${id}`),
    matchEntries: async (key: string) => entries.get(key) ?? [],
    deleteMatchEntry: async (key: string, id: string) => {
      entries.set(
        key,
        (entries.get(key) ?? []).filter((t) => t.subscriptionId !== id),
      );
    },
    lapse: async (h: string, id: string, error: string, at: string) => {
      const r = records.get(`${h}/${id}`);
      if (r?.status !== "active") return false;
      records.set(`${h}/${id}`, { ...r, status: "lapsed", resource: { ...r.resource, status: "off", error, meta: { lastUpdated: at } } });
      return true;
    },
  } as unknown as SubscriptionStore;
  const admissions: AdmissionStore = {
    async recordEncounter(empi, hospitalId, encounterId, status, recordedAt) {
      const key = `${empi}/${hospitalId}#${encounterId}`;
      const prior = encounters.get(key);
      if (!prior || prior.recordedAt <= recordedAt) encounters.set(key, { hospitalId, status, recordedAt });
    },
    encounters: async (empi) => [...encounters].filter(([k]) => k.startsWith(`${empi}/`)).map(([, v]) => v),
  };
  const add = (key: string, target: SubscriptionTarget, status: StoredSubscription["status"] = "active") => {
    entries.set(key, [...(entries.get(key) ?? []), target]);
    records.set(`${target.hospitalId}/${target.subscriptionId}`, {
      hospitalId: target.hospitalId,
      subscriptionId: target.subscriptionId,
      status,
      matchKey: key,
      resource: {},
    });
  };
  const sent: { cityId: string; hospitalId: string; communication: InboxCommunication }[] = [];
  const send = async (cityId: string, hospitalId: string, communication: InboxCommunication) => {
    sent.push({ cityId, hospitalId, communication });
  };
  const merged = new Map<string, string[]>();
  const residentEmpis = async (empi: string) => merged.get(empi) ?? [empi];
  // unless a test says otherwise, every subscriber registered the resident shortly before the events
  const relation: { list?: Contact[] } = {};
  const contacts = async () =>
    relation.list ?? [...records.values()].map((r) => ({ hospitalId: r.hospitalId, at: "2025-12-31T00:00:00.000Z" }));
  return { deps: { subscriptions, admissions, send, residentEmpis, contacts }, add, sent, merged, records, entries, relation };
}

const event = (over: Partial<ClinicalEventMessageV1> = {}): ClinicalEventMessageV1 => ({
  type: "clinical-event",
  version: 1,
  eventId: "DocumentReference/d1/1",
  resourceType: "DocumentReference",
  resourceId: "d1",
  empi: "E0000000000013",
  hospitalId: "sjz01",
  cityId: "shijiazhuang",
  status: "current",
  recordedAt: "2026-01-01T10:00:00.000Z",
  ...over,
});
const target = (subscriptionId: string, hospitalId: string, over: Partial<SubscriptionTarget> = {}): SubscriptionTarget => ({
  subscriptionId,
  hospitalId,
  cityId: "tangshan",
  resourceType: "DocumentReference",
  ...over,
});

describe("matchClinicalEvent", () => {
  it("notifies the resident's subscribers with a stable, valid Communication, not the recording hospital nor inactive ones", async () => {
    const { deps, add, sent } = memoryStores();
    add(empiMatchKey("E0000000000013"), target("s1", "ts01"));
    add(empiMatchKey("E0000000000013"), target("s2", "sjz01", { cityId: "shijiazhuang" })); // the publisher itself
    add(empiMatchKey("E0000000000013"), target("s3", "ts02", { resourceType: "Encounter" })); // other type
    add(empiMatchKey("E0000000000013"), target("s4", "ts03"), "requested"); // creation not finished
    add(empiMatchKey("E0000000000013"), target("s5", "ts04", { end: "2025-12-31T00:00:00Z" })); // ended
    add(empiMatchKey("E0000000000099"), target("s6", "ts05")); // another resident
    expect(await matchClinicalEvent(deps, event())).toBe(1);
    expect(sent).toHaveLength(1);
    const [n] = sent;
    expect(n).toMatchObject({ cityId: "tangshan", hospitalId: "ts01" });
    expect(inboxCommunicationSchema.parse(n!.communication)).toEqual(n!.communication);
    expect(n!.communication).toMatchObject({
      id: communicationId("s1", "DocumentReference/d1/1"),
      subject: { reference: "Patient/E0000000000013" },
      payload: [{ contentReference: { reference: "DocumentReference/d1" } }],
    });
    await matchClinicalEvent(deps, event());
    expect(sent[1]).toEqual(n); // redelivered: the same Communication
    await matchClinicalEvent(deps, event({ eventId: "DocumentReference/d2/1", resourceId: "d2" }));
    expect(sent[2]!.communication.id).not.toBe(n!.communication.id);
  });

  it("notifies admitted-patient subscribers while the resident has an open encounter there, in event-time order", async () => {
    const { deps, add, sent } = memoryStores();
    add(admittedMatchKey("ts01"), target("a1", "ts01"));
    add(admittedMatchKey("ts09"), target("a9", "ts09"));
    const encounter = (status: string, recordedAt: string) =>
      event({ eventId: `Encounter/e1/${status}`, resourceType: "Encounter", resourceId: "e1", hospitalId: "ts01", status, recordedAt });
    await matchClinicalEvent(deps, event());
    expect(sent).toHaveLength(0); // not admitted anywhere yet
    await matchClinicalEvent(deps, encounter("in-progress", "2026-01-01T09:00:00Z"));
    expect(sent).toHaveLength(0); // the admitting hospital's own encounter
    await matchClinicalEvent(deps, event());
    expect(sent.map((s) => s.hospitalId)).toEqual(["ts01"]);
    await matchClinicalEvent(deps, encounter("finished", "2026-01-01T12:00:00Z"));
    await matchClinicalEvent(deps, encounter("in-progress", "2026-01-01T09:00:00Z")); // late redelivery: ignored
    await matchClinicalEvent(deps, event({ eventId: "DocumentReference/d3/1", resourceId: "d3" }));
    expect(sent).toHaveLength(1);
  });

  it("matches a subscription made under an EMPI since merged into the event's resident", async () => {
    const { deps, add, sent, merged } = memoryStores();
    add(empiMatchKey("E0000000000021"), target("m1", "ts01"));
    await matchClinicalEvent(deps, event());
    expect(sent).toHaveLength(0);
    merged.set("E0000000000013", ["E0000000000013", "E0000000000021"]);
    await matchClinicalEvent(deps, event());
    expect(sent.map((s) => [s.hospitalId, s.communication.subject?.reference])).toEqual([["ts01", "Patient/E0000000000013"]]);
  });

  it("lapses a resident subscription once the relationship no longer holds at the event's time: nothing sent, switched off with the reason", async () => {
    const { deps, add, sent, records, entries, relation } = memoryStores();
    add(empiMatchKey("E0000000000013"), target("s1", "ts01"));
    add(empiMatchKey("E0000000000013"), target("s2", "ts02"));
    add(admittedMatchKey("ts01"), target("a1", "ts01"));
    await matchClinicalEvent(
      deps,
      event({ eventId: "Encounter/e1/1", resourceType: "Encounter", resourceId: "e1", hospitalId: "ts01", status: "in-progress" }),
    );
    const day = 86_400_000;
    const at = Date.parse("2026-01-01T10:00:00.000Z");
    relation.list = [
      { hospitalId: "ts01", at: new Date(at - (RELATIONSHIP_DAYS + 2) * day).toISOString() }, // lapsed 2 days before the event
      { hospitalId: "ts02", at: new Date(at - RELATIONSHIP_DAYS * day).toISOString() }, // holds, just
    ];
    expect(await matchClinicalEvent(deps, event())).toBe(2); // ts02's resident subscription and ts01's admitted one
    expect(sent.map((s) => s.communication.basedOn?.[0]?.reference).sort()).toEqual(["Subscription/a1", "Subscription/s2"]);
    expect(records.get("ts01/s1")).toMatchObject({
      status: "lapsed",
      resource: {
        status: "off",
        error: "treatment relationship with the resident lapsed on 2025-12-30; subscribe again after a new encounter or registration",
      },
    });
    expect(entries.get(empiMatchKey("E0000000000013"))!.map((t) => t.subscriptionId)).toEqual(["s2"]);
    // an interrupted lapse (record switched off, match entry left): the next event finishes it, sending nothing
    entries.set(empiMatchKey("E0000000000013"), [...entries.get(empiMatchKey("E0000000000013"))!, target("s1", "ts01")]);
    expect(await matchClinicalEvent(deps, event({ eventId: "DocumentReference/d2/1", resourceId: "d2" }))).toBe(2);
    expect(entries.get(empiMatchKey("E0000000000013"))!.map((t) => t.subscriptionId)).toEqual(["s2"]);
  });

  it("makes ids of 64 characters in the Communication id alphabet", () => {
    expect(communicationId("3f1c0a8e-6c1e-4d9e-9b8a-2f1e7d6c5b4a", "DocumentReference/x/1")).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe("the city's inbox: deliveries for its own hospitals only", () => {
  const stored: InboxItem[] = [];
  const store: InboxStore = {
    put: async (item) => {
      stored.push(item);
      return true;
    },
    visible: async () => [],
    take: async () => false,
    read: async () => undefined,
    acknowledge: async () => false,
    sweep: async () => 0,
  };
  const deps: InboxDeps = {
    cityId: "baoding",
    store,
    visibilitySeconds: 60,
    retentionDays: 14,
    now: () => new Date("2026-12-03T08:00:00Z"),
    sleep: async () => {},
  };
  const communication = inboxCommunicationSchema.parse({
    resourceType: "Communication",
    id: "c1",
    status: "completed",
    sent: "2026-12-03T07:59:00Z",
    recipient: [{ reference: "Organization/bd001" }],
    subject: { reference: "Patient/E0000000000013" },
    payload: [{ contentReference: { reference: "DocumentReference/d1" } }],
  });

  it("refuses a delivery addressed to another city's node, storing nothing", async () => {
    const message = { type: "inbox-delivery", version: 1, cityId: "tangshan", hospitalId: "ts001", communication } as const;
    await expect(deliver(deps, message)).rejects.toThrow(/tangshan node, not baoding/);
    expect(stored).toHaveLength(0);
  });
  it("stores one addressed to this node", async () => {
    const message = { type: "inbox-delivery", version: 1, cityId: "baoding", hospitalId: "bd001", communication } as const;
    expect(await deliver(deps, message)).toBe(true);
    expect(stored.map((s) => [s.hospitalId, s.communicationId])).toEqual([["bd001", "c1"]]);
  });
});

/** Subscription deps over an in-memory store, `cap` per hospital */
function memorySubscriptions(cap: number) {
  const records = new Map<string, StoredSubscription>();
  const store = {
    putRecord: async (r: StoredSubscription) => void records.set(`${r.hospitalId}/${r.subscriptionId}`, r),
    setStatus: async (h: string, id: string, status: StoredSubscription["status"]) => {
      const r = records.get(`${h}/${id}`);
      if (r) records.set(`${h}/${id}`, { ...r, status });
    },
    getRecord: async (h: string, id: string) => records.get(`${h}/${id}`),
    listRecords: async (h: string) => [...records.values()].filter((r) => r.hospitalId === h),
    deleteRecord: async (h: string, id: string) => void records.delete(`${h}/${id}`),
    putMatchEntry: async () => {},
    deleteMatchEntry: async () => {},
  } as unknown as SubscriptionStore;
  const deps = {
    store,
    resolveEmpi: async () => "E0000000000013",
    hasRelationship: async () => true,
    cap,
    now: () => new Date("2026-01-01T00:00:00Z"),
    pageKey: async () => Buffer.alloc(32, 7),
  };
  return { records, deps };
}

const subscriptionRequest = {
  resourceType: "Subscription" as const,
  status: "requested" as const,
  criteria: "DocumentReference?patient.identifier=https://hebei.health/sid/empi|E0000000000013",
  channel: { type: "message" as const },
};

describe("the per-hospital subscription cap (HHC_SUBSCRIPTION_CAP)", () => {
  it("refuses a subscription beyond the cap with a 403 naming it, counts lapsed ones, and frees a place on removal", async () => {
    const { records, deps } = memorySubscriptions(2);
    const request = subscriptionRequest;
    const ts01 = { hospitalId: "ts01", cityId: "tangshan" };
    const first = await createSubscription(deps, ts01, request);
    await createSubscription(deps, ts01, request);
    await expect(createSubscription(deps, ts01, request)).rejects.toThrow(ForbiddenError);
    await expect(createSubscription(deps, ts01, request)).rejects.toThrow(/holds 2 subscriptions, its cap of 2/);
    await createSubscription(deps, { hospitalId: "ts02", cityId: "tangshan" }, request); // another hospital's own cap
    const firstId = String(first.resource.id);
    records.set(`ts01/${firstId}`, { ...records.get(`ts01/${firstId}`)!, status: "lapsed" });
    await expect(createSubscription(deps, ts01, request)).rejects.toThrow(ForbiddenError); // a lapsed one still holds a place
    await removeSubscription(deps, "ts01", firstId);
    expect((await createSubscription(deps, ts01, request)).resource.status).toBe("active");
  });
});

describe("a Subscription search pages (docs/fhir-clients.md#paging)", () => {
  type Page = { total: number; entry: { fullUrl: string }[]; link: { relation: string; url: string }[] };
  const paramsOf = (url: string) => {
    const params: Record<string, string[]> = {};
    for (const [k, v] of new URL(url, "https://x/fhir/").searchParams) params[k] = [...(params[k] ?? []), v];
    return params;
  };

  it("answers _count at a time, following next to the end, each once, with an exact total", async () => {
    const { deps } = memorySubscriptions(10);
    const ts01 = { hospitalId: "ts01", cityId: "tangshan" };
    for (let i = 0; i < 5; i++) await createSubscription(deps, ts01, subscriptionRequest);
    await createSubscription(deps, { hospitalId: "ts02", cityId: "tangshan" }, subscriptionRequest);
    const seen: string[] = [];
    let params: Record<string, string[]> = { _count: ["2"] };
    for (let pages = 0; pages < 10; pages++) {
      const page = (await listSubscriptions(deps, "ts01", params)) as unknown as Page;
      expect(page.total).toBe(5);
      expect(page.entry.length).toBeLessThanOrEqual(2);
      seen.push(...page.entry.map((e) => e.fullUrl));
      const next = page.link.find((l) => l.relation === "next");
      if (!next) break;
      expect(next.url).toMatch(/^Subscription\?_count=2&_pageToken=/);
      params = paramsOf(next.url);
    }
    expect(seen).toHaveLength(5);
    expect(new Set(seen).size).toBe(5);
    expect(((await listSubscriptions(deps, "ts01")) as unknown as Page).entry).toHaveLength(5);
  });

  it("refuses another hospital's page token, another query's, and an unknown parameter, naming them", async () => {
    const { deps } = memorySubscriptions(10);
    for (let i = 0; i < 3; i++) await createSubscription(deps, { hospitalId: "ts01", cityId: "tangshan" }, subscriptionRequest);
    const page = (await listSubscriptions(deps, "ts01", { _count: ["1"] })) as unknown as Page;
    const next = paramsOf(page.link.find((l) => l.relation === "next")!.url);
    await expect(listSubscriptions(deps, "ts02", next)).rejects.toThrow(/_pageToken/);
    await expect(listSubscriptions(deps, "ts01", { ...next, _count: ["2"] })).rejects.toThrow(BadRequestError);
    await expect(listSubscriptions(deps, "ts01", { status: ["active"] })).rejects.toThrow(/^status: /);
    await expect(listSubscriptions(deps, "ts01", { _count: ["0"] })).rejects.toThrow(/_count/);
  });
});
