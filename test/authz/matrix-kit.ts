/** The authorization matrix (matrix-cases.ts): the cases and fixtures its entries share */

import { claimResponseId } from "#domain/settlement/claim-response.ts";
import { CITY_IDS } from "#lib/config/province.ts";
import { caseMessage, son } from "#lib/world/index.ts";
import { RESIDENT_ID_SYSTEM } from "#schemas/patient.ts";
import { DEPARTMENT_SYSTEM, DEPARTMENTS } from "#schemas/registry-codes.ts";
import { INFORMED_CONSENT_URL, TELEMEDICINE_CATEGORY_SYSTEM } from "#schemas/telemedicine.ts";
import type { Dimension, Hospital, MatrixCase, MatrixContext, RouteEntry } from "./matrix-types.ts";

// ——— shared cases ———

export const heartbeat = () => ({ fepVersion: "1.0.0", backlog: 0, clock: new Date().toISOString() });
export const TODAY = "2026-01-05T09:00:00+08:00";
let serial = 0;
export const unique = (prefix: string) => `${prefix}-${Date.now().toString(36)}-${++serial}`;

/** A case refused with `status` (403 unless said), recorded by `recordedBy` */
export const refused = (
  dimension: Dimension,
  title: string,
  recordedBy: MatrixCase["recordedBy"],
  run: MatrixCase["run"],
  status = 403,
): MatrixCase => ({ dimension, title, answer: { status }, recordedBy, run });

/** A names B's practitioner on a city route: 403 at the practitioner check, audited naming A */
export const borrowedPractitioner = (
  method: string,
  path: string | ((ctx: MatrixContext, a: Hospital) => string),
  body?: (a: Hospital) => unknown,
): MatrixCase =>
  refused("practitioner", "a hospital names another hospital's practitioner in X-Practitioner-Id", "audit", async (ctx) => {
    const a = ctx.attacker();
    const url = typeof path === "string" ? path : path(ctx, a);
    return { attempt: await ctx.asHospital(a, method, url, { practitioner: ctx.victim.practitioner, body: body?.(a) }), agent: a.id };
  });

/** A hospital uses another hospital's ids: refused, audited naming the hospital (`run` returns it as the agent) */
export const objectCase = (title: string, status: number, run: MatrixCase["run"]): MatrixCase =>
  refused("object", title, "audit", run, status);

/** A hospital's credential on an operator route: the operator authorizer's Deny, in the access log */
export const hospitalOnOperatorRoute = (method: string, path: (ctx: MatrixContext) => string, body?: unknown): MatrixCase =>
  refused("function", "a hospital's credential on an operator route", "access-log", async (ctx) => {
    const a = ctx.attacker();
    return { attempt: await ctx.atHub(a.credential, method, path(ctx), { body }), agent: a.id };
  });

/** An IAM route called unsigned, and with a hospital's bearer credential: 403 at the gateway, in the access log */
export const notSigned = (target: string, method: string, path: string, body?: unknown): MatrixCase[] => [
  refused("function", "an unsigned call on an IAM route", "access-log", async (ctx) => ({
    attempt: await ctx.unsigned(target, method, path, { body }),
  })),
  refused("function", "a hospital's credential on an IAM route", "access-log", async (ctx) => ({
    attempt: await ctx.unsigned(target, method, path, { body, token: ctx.attacker().credential }),
  })),
];

/** A city function whose declaration does not list the route: refused by its grant, in the access log */
export const ungranted = (target: string, method: string, path: string, signer: { nodeId: string; fn: string }): MatrixCase =>
  refused("node", `${signer.nodeId}'s ${signer.fn}, whose declaration does not list the route`, "access-log", async (ctx) => ({
    attempt: await ctx.signed(signer, target, method, path),
    caller: `-${signer.fn}/`,
  }));

/**
 * City X's function acts for a hospital of city Y (named in X-HHC-Hospital or the body): 403 at the
 * hub (actingFor), audited naming that hospital.
 */
export function actingForAnother(
  method: string,
  path: string,
  fn: string,
  body?: (y: Hospital) => unknown,
  unchanged?: (ctx: MatrixContext, y: Hospital) => Promise<void>,
): MatrixCase {
  return refused("node", `a city's ${fn} acts for another city's hospital`, "audit", async (ctx) => {
    // a hospital of another city than the signer's (Baoding), the cities taken in turn so that none runs out
    const y = ctx.attacker(OTHER_CITIES[otherCityTurn++ % OTHER_CITIES.length]!);
    const attempt = await ctx.signed({ nodeId: "baoding", fn }, "hub", method, path, {
      headers: { "x-hhc-hospital": y.id },
      body: body?.(y),
    });
    return { attempt, agent: y.id, ...(unchanged ? { unchanged: () => unchanged(ctx, y) } : {}) };
  });
}

/** The cities whose hospitals a Baoding function may claim to act for, in turn */
export const OTHER_CITIES = CITY_IDS.filter((c) => c !== "baoding");
let otherCityTurn = 0;

export const expectEqual = (what: string, actual: unknown, expected: unknown) => {
  if (JSON.stringify(actual) !== JSON.stringify(expected))
    throw new Error(`${what} changed: ${JSON.stringify(actual)?.slice(0, 300)} (was ${JSON.stringify(expected)?.slice(0, 300)})`);
};

export const PUBLIC = "Public by design (no credential, no id, no patient data): readiness and the CapabilityStatement";
export const registryTypes = ["Organization", "Location", "Practitioner", "PractitionerRole"] as const;

/** The ids the registry-read cases name (any id: the practitioner check comes first) */
export const registryId = (ctx: MatrixContext, type: (typeof registryTypes)[number]) =>
  ({
    Organization: ctx.victim.hospital.id,
    Location: ctx.victim.hospital.id,
    Practitioner: ctx.victim.practitioner,
    PractitionerRole: ctx.victim.roleId,
  })[type];

/** A telemedicine request for a resident (by resident ID), naming a document (any: the hub checks it) */
export const serviceRequest = (residentId: string, documentId = "baoding-x0000000", identifier?: { system: string; value: string }) => ({
  resourceType: "ServiceRequest",
  category: [{ coding: [{ system: TELEMEDICINE_CATEGORY_SYSTEM, code: "imaging-read" }] }],
  priority: "routine",
  subject: { identifier: identifier ?? { system: RESIDENT_ID_SYSTEM, value: residentId } },
  performerType: { coding: [{ system: DEPARTMENT_SYSTEM, code: "medical-imaging" }] },
  note: [{ text: "authorization matrix" }],
  supportingInfo: [{ reference: `DocumentReference/${documentId}` }],
  extension: [{ url: INFORMED_CONSENT_URL, valueBoolean: true }],
});
/** $hold and $book at the hub, for another hospital */
export function schedulingAtHub(operation: string): RouteEntry {
  const body = { resourceType: "Parameters", parameter: [{ name: "task", valueReference: { reference: "Task/x" } }] };
  return hubIam(
    "POST",
    `/internal/telemedicine/Appointment/${operation}`,
    actingAs("TelemedicineProxy", () => body),
  );
}
/** $hold and $book of a slot of the expert owning B's Task, for that Task */
export const slotParameters = async (ctx: MatrixContext) => ({
  resourceType: "Parameters",
  parameter: [
    { name: "slot", valueReference: { reference: `Slot/${(await victimTaskOwner(ctx)).split("/")[1]}.209901050900` } },
    { name: "task", valueReference: { reference: `Task/${await victimTask(ctx)}` } },
    { name: "patient", valueReference: { reference: "Patient/E1" } },
  ],
});
export function schedulingCases(operation: string): RouteEntry {
  return {
    cases: [
      borrowedPractitioner("POST", `/fhir/Appointment/${operation}`, () => ({
        resourceType: "Parameters",
        parameter: [{ name: "slot", valueReference: { reference: "Slot/x-r1.209901050900" } }],
      })),
      objectCase(`a hospital calls ${operation} for another hospital's Task`, 403, async (ctx) => {
        const a = ctx.attacker();
        const body = await slotParameters(ctx);
        return {
          attempt: await ctx.asHospital(a, "POST", `/fhir/Appointment/${operation}`, { body, practitioner: a.practitioners[0]! }),
          agent: a.id,
        };
      }),
    ],
  };
}
/** The owner (PractitionerRole/<id>) of B's Task */
export const victimTaskOwner = async (ctx: MatrixContext): Promise<string> => {
  const task = (await ctx.asVictim("GET", `/fhir/Task/${await victimTask(ctx)}`, { practitioner: ctx.victim.practitioner })).json;
  const owner = (task?.owner as { reference?: string } | undefined)?.reference;
  if (!owner) throw new Error(`B's Task has no owner: ${JSON.stringify(task)?.slice(0, 300)}`);
  return owner;
};
let victimTaskId: Promise<string> | undefined;
/** A Task B requested (for its patient, naming its document), made once */
/**
 * B's telemedicine request, dispatched: the specialties in turn until one has an expert one tier above B
 * (the seed's experts are a random share of level-3 doctors: B may be a hospital no expert of a given
 * specialty is above); a Task left without an owner is B's own, harmless to the cases
 */
export const victimTask = (ctx: MatrixContext): Promise<string> => {
  victimTaskId ??= (async () => {
    for (const specialty of Object.keys(DEPARTMENTS)) {
      const body = serviceRequest("", ctx.victim.documentId, ctx.victim.mrn);
      const res = await ctx.asVictim("POST", "/fhir/ServiceRequest", {
        practitioner: ctx.victim.practitioner,
        body: { ...body, performerType: { coding: [{ system: DEPARTMENT_SYSTEM, code: specialty }] } },
      });
      const task = ((res.json?.entry as { resource: { resourceType: string; id: string; owner?: unknown } }[] | undefined) ?? []).find(
        (e) => e.resource.resourceType === "Task",
      );
      if (res.status !== 201 || !task)
        throw new Error(`B's telemedicine request: ${res.status} ${JSON.stringify(res.json)?.slice(0, 300)}`);
      const read = await ctx.asVictim("GET", `/fhir/Task/${task.resource.id}`, { practitioner: ctx.victim.practitioner });
      if ((read.json?.owner as { reference?: string } | undefined)?.reference) return task.resource.id;
    }
    throw new Error("B's telemedicine request: no specialty has an expert one tier above B");
  })();
  return victimTaskId;
};

/** The ClaimResponse of B's claim (its submission) */
export const victimClaimResponse = (ctx: MatrixContext): string =>
  claimResponseId({ hospitalId: ctx.victim.hospital.id, claimNumber: ctx.victim.claim, action: "submit" });
export const cardParameters = (parameter: Record<string, unknown>[]) => ({ resourceType: "Parameters", parameter });
export const cardIssue = () =>
  cardParameters([{ name: "identifier", valueIdentifier: { system: RESIDENT_ID_SYSTEM, value: son.residentId } }]);
export const cardVerify = () =>
  cardParameters([
    { name: "code", valueString: `HC1:${"A".repeat(32)}` },
    { name: "terminal", valueString: "matrix" },
    { name: "careStep", valueCode: "registration" },
  ]);
export const cardStatus = () =>
  cardParameters([
    { name: "cardId", valueString: "A".repeat(32) },
    { name: "status", valueCode: "paused" },
    { name: "reason", valueString: "matrix" },
  ]);
/** A class A case report of hospital `hospitalId`'s (its patient: the son), optionally on an encounter */
export const caseReport = (hospitalId: string, encounter?: { system: string; value: string }) =>
  caseMessage({
    hospitalId,
    messageId: unique("MX-CR"),
    patient: { system: RESIDENT_ID_SYSTEM, value: son.residentId! },
    code: "A00",
    recordedDate: TODAY,
    ...(encounter ? { encounter } : {}),
  });
/** The Parameters of a dispense scan of a code no other case uses */
export function traceScan(system: string, encounter: string) {
  return {
    resourceType: "Parameters",
    parameter: [
      { name: "code", valueString: `8${String(Date.now()).padStart(19, "0")}`.slice(0, 20) },
      { name: "event", valueCode: "dispense" },
      { name: "encounter", valueReference: { identifier: { system, value: encounter } } },
    ],
  };
}

export function subscriptionTo(residentId: string) {
  return {
    resourceType: "Subscription",
    status: "requested",
    reason: "care",
    criteria: `DocumentReference?patient.identifier=${RESIDENT_ID_SYSTEM}|${residentId}`,
    channel: { type: "message" },
  };
}

/** B's document is still current, at its first version */
export async function victimDocumentUnchanged(ctx: MatrixContext): Promise<void> {
  const { mrn } = ctx.victim;
  const found = await ctx.asVictim(
    "GET",
    `/fhir/DocumentReference?patient.identifier=${encodeURIComponent(`${mrn.system}|${mrn.value}`)}`,
    {
      practitioner: ctx.victim.practitioner,
    },
  );
  const docs = ((found.json?.entry ?? []) as { resource: { id: string; status: string; meta?: { versionId?: string } } }[]).map(
    (e) => e.resource,
  );
  const doc = docs.find((d) => d.id === ctx.victim.documentId);
  expectEqual(
    `${ctx.victim.hospital.id}'s document ${ctx.victim.documentId}`,
    { status: doc?.status, count: docs.length },
    { status: "current", count: 1 },
  );
}

/** An IAM route of the hub: unsigned and with a hospital's credential, and the node case `node` makes for it */
export const hubIam = (method: string, path: string, node: (method: string, path: string) => MatrixCase): RouteEntry => ({
  cases: [...notSigned("hub", method, path), node(method, path)],
});
export const actingAs =
  (fn: string, body?: (y: Hospital) => unknown, unchanged?: (ctx: MatrixContext, y: Hospital) => Promise<void>) =>
  (method: string, path: string) =>
    actingForAnother(method, path, fn, body, unchanged);
export const grantless =
  (nodeId: string, fn: string) =>
  (method: string, path: string): MatrixCase =>
    ungranted("hub", method, path, { nodeId, fn });
