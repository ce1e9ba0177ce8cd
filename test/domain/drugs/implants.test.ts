/**
 * Implanted devices on an Encounter (docs/drugs-devices.md#implants): the contract (existing encounters
 * stay valid; every contained Device referenced, every reference resolving), the carriers parsed into
 * implants, and the recall's use case over in-memory stores (idempotent by DI and lot, one
 * Communication per affected hospital, an interrupted recall finished as recorded).
 */
import { describe, expect, it } from "vitest";
import { implantsOf } from "#domain/drugs/implants.ts";
import { generateDeviceRegistry, udiOf } from "#lib/seed/devices.ts";
import { encounterOf, withImplants } from "#lib/world/index.ts";
import type { ImplantRecord, Recall, RecallStore } from "#ports/devices.ts";
import { encounterSchema } from "#schemas/encounter.ts";
import type { InboxCommunication } from "#schemas/messages.ts";
import { issueRecall, type RecallDeps, recallQuery } from "#use-cases/drugs/recall.ts";

const devices = generateDeviceRegistry();
const gs1 = devices.find((d) => d.implantable && /^[0-9]/.test(d.di))!;
const hibcc = devices.find((d) => d.implantable && !/^[0-9]/.test(d.di))!;
const plain = encounterOf("bd001", "E-1", "MRN-1", true, "2026-11-02T09:00:00+08:00");
const issuesOf = (body: unknown) => {
  const parsed = encounterSchema.safeParse(body);
  return parsed.success ? [] : parsed.error.issues.map((i) => i.path.join("."));
};

describe("the Encounter contract with implanted devices", () => {
  it("keeps an encounter without devices valid and unchanged, and drops extensions it does not name", () => {
    expect(issuesOf(plain)).toEqual([]);
    const parsed = encounterSchema.parse({ ...plain, extension: [{ url: "https://example.org/other", valueString: "x" }] });
    expect(parsed.extension).toEqual([]);
    expect(parsed.contained).toBeUndefined();
  });

  it("accepts contained Devices referenced by the implanted-device extension, beside contained Conditions", () => {
    const withDevice = withImplants(plain, [udiOf(gs1, "L1"), udiOf(hibcc, "L2")]);
    expect(issuesOf(withDevice)).toEqual([]);
    expect(encounterSchema.parse(withDevice).contained).toHaveLength(2);
  });

  it("refuses a Device without its one carrier, and a diagnosis naming a Device", () => {
    const withDevice = withImplants(plain, [udiOf(gs1, "L1")]);
    expect(issuesOf({ ...withDevice, diagnosis: [{ condition: { reference: "#implant-1" } }] })).toEqual([
      "diagnosis.0.condition.reference",
    ]);
    expect(issuesOf({ ...withDevice, contained: [{ ...withDevice.contained[0]!, udiCarrier: [] }] })).toEqual(["contained.0.udiCarrier"]);
  });
});

describe("implantsOf", () => {
  it("parses each carrier, GS1 and HIBCC, into DI, lot, serial and dates", () => {
    const gs1Full = `(01)${gs1.di}(11)260115(17)291231(10)LOT-7(21)SN-1`;
    const implants = implantsOf(encounterSchema.parse(withImplants(plain, [gs1Full, udiOf(hibcc, "H9")])));
    expect(implants).toEqual([
      {
        deviceId: "implant-1",
        issuer: "GS1",
        di: gs1.di,
        lot: "LOT-7",
        serial: "SN-1",
        manufactureDate: "2026-01-15",
        expiryDate: "2029-12-31",
      },
      { deviceId: "implant-2", issuer: "HIBCC", di: hibcc.di, lot: "H9" },
    ]);
  });

  it("refuses a Device nothing references, and a reference to no contained Device, naming them", () => {
    const withDevice = withImplants(plain, [udiOf(gs1, "L1")]);
    expect(() => implantsOf(encounterSchema.parse({ ...withDevice, extension: [] }))).toThrow(/^Encounter\.contained\[0\]: /);
    const dangling = { ...withDevice, extension: [{ ...withDevice.extension[0]!, valueReference: { reference: "#nope" } }] };
    expect(() => implantsOf(encounterSchema.parse(dangling))).toThrow(/^Encounter\.extension\[0\]\.valueReference: /);
  });

  it("refuses a carrier that does not parse, naming it and the fault, and a Device of another patient", () => {
    const wrongCheck = `(01)${gs1.di.slice(0, 13)}${(Number(gs1.di[13]) + 1) % 10}(10)L1`;
    const encounter = encounterSchema.parse(withImplants(plain, [udiOf(gs1, "L1"), wrongCheck]));
    expect(() => implantsOf(encounter)).toThrow(/Encounter\.contained\[1\]\.udiCarrier\[0\]\.carrierHRF: .*check digit/);
    const other = encounterSchema.parse(withImplants(plain, [udiOf(gs1, "L1")]));
    other.contained![0] = {
      ...other.contained![0]!,
      patient: { identifier: { system: plain.subject.identifier.system, value: "MRN-2" } },
    } as never;
    expect(() => implantsOf(other)).toThrow(/Encounter\.contained\[0\]\.patient/);
  });
});

describe("recalls", () => {
  const implant = (hospitalId: string, empi: string, lot: string, n: number): ImplantRecord => ({
    deviceId: "implant-1",
    issuer: "GS1",
    di: gs1.di,
    lot,
    empi,
    hospitalId,
    cityId: hospitalId.startsWith("bd") ? "baoding" : "tangshan",
    encounterId: `baoding-enc${String(n).padStart(8, "0")}`,
    at: "2026-11-02T01:00:00.000Z",
  });
  const index = [
    implant("bd001", "E1", "L1", 1),
    implant("bd001", "E2", "L2", 2),
    implant("ts001", "E3", "L1", 3),
    implant("bd001", "E4", "L1", 4),
  ];
  function deps(failSendsAfter = Number.POSITIVE_INFINITY) {
    const recalls = new Map<string, Recall>();
    const sent: [string, InboxCommunication][] = [];
    const audited: [string, string[]][] = [];
    const store: RecallStore = {
      get: async (di, lot) => recalls.get(`${di}|${lot}`),
      create: async (r) => {
        if (recalls.has(`${r.di}|${r.lot}`)) return false;
        recalls.set(`${r.di}|${r.lot}`, { ...r });
        return true;
      },
      markSent: async (di, lot) => {
        recalls.get(`${di}|${lot}`)!.sent = true;
      },
    };
    const d: RecallDeps = {
      implants: { put: async () => {}, byDi: async (di, lot) => index.filter((i) => i.di === di && (lot === undefined || i.lot === lot)) },
      recalls: store,
      registry: { byDis: async () => new Map(), put: async () => {} },
      inbox: async (_city, hospitalId, c) => {
        if (sent.length >= failSendsAfter) throw new Error("queue down");
        sent.push([hospitalId, c]);
      },
      now: () => new Date("2026-12-01T00:00:00Z"),
      audit: async (empis, access) => void audited.push([access, empis]),
    };
    return { d, sent, audited };
  }

  it("lists the residents of the lot by hospital, and refuses a malformed DI or lot naming it", async () => {
    const { d, audited } = deps();
    const answer = await recallQuery(d, gs1.di, "L1");
    expect(answer.hospitals.map((h) => [h.hospitalId, h.implants.map((i) => i.empi)])).toEqual([
      ["bd001", ["E1", "E4"]],
      ["ts001", ["E3"]],
    ]);
    expect(audited).toEqual([["query", ["E1", "E4", "E3"]]]);
    await expect(recallQuery(d, "0690000000001", undefined)).rejects.toMatchObject({ issues: [{ expression: "di" }] });
    await expect(recallQuery(d, gs1.di, "(bad)")).rejects.toMatchObject({ issues: [{ expression: "lot" }] });
  });

  it("sends one Communication per affected hospital, once: again answers the recall without sending", async () => {
    const { d, sent } = deps();
    const first = await issueRecall(d, { di: gs1.di, lot: "L1", reason: "sterility" });
    expect(first.statusCode).toBe(201);
    expect(sent.map(([h, c]) => [h, c.payload.map((p) => p.contentReference.reference)])).toEqual([
      ["bd001", ["Patient/E1", "Patient/E4", "Encounter/baoding-enc00000001", "Encounter/baoding-enc00000004"]],
      ["ts001", ["Patient/E3", "Encounter/baoding-enc00000003"]],
    ]);
    expect((await issueRecall(d, { di: gs1.di, lot: "L1", reason: "another reason" })).statusCode).toBe(200);
    expect(sent).toHaveLength(2);
  });

  it("finishes a recall interrupted while sending, with the same Communication ids and the recorded reason", async () => {
    const broken = deps(1);
    await expect(issueRecall(broken.d, { di: gs1.di, lot: "L1", reason: "sterility" })).rejects.toThrow("queue down");
    const firstId = broken.sent[0]![1].id;
    const healed = { ...broken.d, inbox: deps().d.inbox };
    const sent: [string, InboxCommunication][] = [];
    healed.inbox = async (_c, h, c) => void sent.push([h, c]);
    const finished = await issueRecall(healed, { di: gs1.di, lot: "L1", reason: "changed" });
    expect(finished).toMatchObject({ statusCode: 200, recall: { reason: "sterility", sent: true } });
    expect(sent[0]![1].id).toBe(firstId);
    expect(sent.map(([h]) => h)).toEqual(["bd001", "ts001"]);
  });
});
