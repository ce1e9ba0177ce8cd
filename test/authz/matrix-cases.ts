/**
 * The authorization matrix (docs/security.md#authorization-matrix): for every route of every API in
 * the node declarations, the attempts that must be refused, or the reason the route has none.
 * test/local/authorization-matrix.test.ts iterates the declarations and fails naming any route that
 * has no entry here, then runs every case against one local province.
 *
 * The dimensions:
 * - object: a hospital uses another hospital's ids (its patient's MRN, its document, role,
 *   subscription, claim, inbox item);
 * - practitioner: a hospital names another hospital's practitioner in X-Practitioner-Id;
 * - node: a city's function acts for another city's hospital on the hub's internal API;
 * - function: a caller reaches a route that is not its kind's (a hospital on the operator API or an
 *   IAM route; an unsigned call on an IAM route).
 */

import { encounterIdOf } from "#domain/documents/records.ts";
import { claimResponseId } from "#domain/settlement/claim-response.ts";
import { CITY_IDS } from "#lib/config/province.ts";
import { claimOf } from "#lib/world/claims.ts";
import { caseMessage, consentOf, encounterOf, patientOf, publishBundle, son } from "#lib/world/index.ts";
import type { LocalCredentials } from "#local/seed.ts";
import { documentSystem, encounterSystem } from "#schemas/documents.ts";
import { mrnSystem, RESIDENT_ID_SYSTEM } from "#schemas/patient.ts";
import { DEPARTMENT_SYSTEM, DEPARTMENTS } from "#schemas/registry-codes.ts";
import { claimSystem } from "#schemas/settlement.ts";
import { INFORMED_CONSENT_URL, TELEMEDICINE_CATEGORY_SYSTEM } from "#schemas/telemedicine.ts";

export type Hospital = LocalCredentials["hospitals"][number];
export type Dimension = "object" | "practitioner" | "node" | "function";

/** An answer as a case sees it; `requestId` is the gateway's (its access-log line) */
export interface Attempt {
  status: number;
  json?: Record<string, unknown>;
  requestId: string;
  /** The gateway response type, when the gateway answered itself (no function ran) */
  errorType?: string;
}

/** What the victim hospital B owns before the matrix runs (test/local/authorization-matrix.test.ts makes it) */
export interface Victim {
  hospital: Hospital;
  /** B's doctor */
  practitioner: string;
  /** B's PractitionerRole for that doctor */
  roleId: string;
  /** B's patient: its MRN and EMPI */
  mrn: { system: string; value: string };
  empi: string;
  /** B's published document, and the Binary id of its bytes */
  documentId: string;
  binaryId: string;
  /** B's recorded encounter (its identifier value) */
  encounter: string;
  subscriptionId: string;
  /** B's claim number (under B's claim system) */
  claim: string;
  /** A Communication in B's FEP inbox, not acknowledged */
  communicationId: string;
}

type Init = { body?: unknown; practitioner?: string; headers?: Record<string, string> };

export interface MatrixContext {
  victim: Victim;
  /** A hospital no other case uses (its refusals are told apart by it), in `cityId` (default: any) */
  attacker(cityId?: string): Hospital;
  /** A call to a hospital's own city node with its credential */
  asHospital(h: Hospital, method: string, path: string, init?: Init): Promise<Attempt>;
  /** A call to the hub's operator API with a credential (a hospital's, on the operator's routes) */
  atHub(token: string | undefined, method: string, path: string, init?: Init): Promise<Attempt>;
  /** A call to a node's IAM route, SigV4-signed as the function `fn` of `signer` signs (the local identities) */
  signed(signer: { nodeId: string; fn: string }, target: string, method: string, path: string, init?: Init): Promise<Attempt>;
  /** A call to a node's IAM route with no signature, or with a hospital's bearer credential */
  unsigned(target: string, method: string, path: string, init?: Init & { token?: string }): Promise<Attempt>;
  /** B's view of its own objects, for the "nothing changed" checks */
  asVictim(method: string, path: string, init?: Init): Promise<Attempt>;
  readDocument(cityId: string, key: Record<string, string>, table: string): Promise<Record<string, unknown> | undefined>;
}

/** What a case did: the answer, the audit agent that tells its refusal apart, and a check that nothing changed */
export interface Outcome {
  attempt: Attempt;
  /**
   * The AuditEvent agent (a hospital id) no other case's refusal names; for a refusal in the access log,
   * the authorizer's principal
   */
  agent?: string;
  /** For a refusal in the access log: what the IAM caller's role ARN contains */
  caller?: string;
  /** Throws if the refused write changed anything */
  unchanged?: () => Promise<void>;
}

export interface MatrixCase {
  dimension: Dimension;
  /** What is tried, in words */
  title: string;
  /**
   * The answer the design gives: a 403 (who may act as whom), 404 where saying "exists" would tell
   * another hospital's object apart from an unknown one, or the uniform empty answer a system PIXm
   * gives for a resident the caller never registered (200, recorded as a success naming nobody).
   */
  answer: { status: number; uniform?: Record<string, unknown> };
  /**
   * Where the refusal is recorded: the hub's audit repository (an AuditEvent naming `agent`, outcome 4,
   * or 0 for the uniform answer), or the gateway's access log (refused before any function ran).
   */
  recordedBy: "audit" | "access-log";
  run(ctx: MatrixContext): Promise<Outcome>;
}

export type RouteEntry = { cases: MatrixCase[] } | { exempt: string };

// ——— shared cases ———

const heartbeat = () => ({ fepVersion: "1.0.0", backlog: 0, clock: new Date().toISOString() });
const TODAY = "2026-01-05T09:00:00+08:00";
let serial = 0;
const unique = (prefix: string) => `${prefix}-${Date.now().toString(36)}-${++serial}`;

/** A case refused with `status` (403 unless said), recorded by `recordedBy` */
const refused = (
  dimension: Dimension,
  title: string,
  recordedBy: MatrixCase["recordedBy"],
  run: MatrixCase["run"],
  status = 403,
): MatrixCase => ({ dimension, title, answer: { status }, recordedBy, run });

/** A names B's practitioner on a city route: 403 at the practitioner check, audited naming A */
const borrowedPractitioner = (
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
const objectCase = (title: string, status: number, run: MatrixCase["run"]): MatrixCase => refused("object", title, "audit", run, status);

/** A hospital's credential on an operator route: the operator authorizer's Deny, in the access log */
const hospitalOnOperatorRoute = (method: string, path: (ctx: MatrixContext) => string, body?: unknown): MatrixCase =>
  refused("function", "a hospital's credential on an operator route", "access-log", async (ctx) => {
    const a = ctx.attacker();
    return { attempt: await ctx.atHub(a.credential, method, path(ctx), { body }), agent: a.id };
  });

/** An IAM route called unsigned, and with a hospital's bearer credential: 403 at the gateway, in the access log */
const notSigned = (target: string, method: string, path: string, body?: unknown): MatrixCase[] => [
  refused("function", "an unsigned call on an IAM route", "access-log", async (ctx) => ({
    attempt: await ctx.unsigned(target, method, path, { body }),
  })),
  refused("function", "a hospital's credential on an IAM route", "access-log", async (ctx) => ({
    attempt: await ctx.unsigned(target, method, path, { body, token: ctx.attacker().credential }),
  })),
];

/** A city function whose declaration does not list the route: refused by its grant, in the access log */
const ungranted = (target: string, method: string, path: string, signer: { nodeId: string; fn: string }): MatrixCase =>
  refused("node", `${signer.nodeId}'s ${signer.fn}, whose declaration does not list the route`, "access-log", async (ctx) => ({
    attempt: await ctx.signed(signer, target, method, path),
    caller: `-${signer.fn}/`,
  }));

/**
 * City X's function acts for a hospital of city Y (named in X-HHC-Hospital or the body): 403 at the
 * hub (actingFor), audited naming that hospital.
 */
function actingForAnother(
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
const OTHER_CITIES = CITY_IDS.filter((c) => c !== "baoding");
let otherCityTurn = 0;

const expectEqual = (what: string, actual: unknown, expected: unknown) => {
  if (JSON.stringify(actual) !== JSON.stringify(expected))
    throw new Error(`${what} changed: ${JSON.stringify(actual)?.slice(0, 300)} (was ${JSON.stringify(expected)?.slice(0, 300)})`);
};

const PUBLIC = "Public by design (no credential, no id, no patient data): readiness and the CapabilityStatement";
const registryTypes = ["Organization", "Location", "Practitioner", "PractitionerRole"] as const;

/** The ids the registry-read cases name (any id: the practitioner check comes first) */
const registryId = (ctx: MatrixContext, type: (typeof registryTypes)[number]) =>
  ({
    Organization: ctx.victim.hospital.id,
    Location: ctx.victim.hospital.id,
    Practitioner: ctx.victim.practitioner,
    PractitionerRole: ctx.victim.roleId,
  })[type];

// ——— the matrix, one entry per declared route: "<node kind> <API id> <METHOD> <path>" ———

const cityEntries: Record<string, RouteEntry> = {
  "GET /health": { exempt: PUBLIC },
  "GET /fhir/metadata": { exempt: PUBLIC },
  "POST /fep/heartbeat": { cases: [borrowedPractitioner("POST", "/fep/heartbeat", heartbeat)] },
  ...Object.fromEntries(
    registryTypes.flatMap((type) => [
      [`GET /fhir/${type}`, { cases: [borrowedPractitioner("GET", `/fhir/${type}?_count=1`)] }],
      [`GET /fhir/${type}/{id}`, { cases: [borrowedPractitioner("GET", (ctx) => `/fhir/${type}/${registryId(ctx, type)}`)] }],
    ]),
  ),
  "POST /fhir/Practitioner": { cases: [borrowedPractitioner("POST", "/fhir/Practitioner", () => ({ resourceType: "Practitioner" }))] },
  "POST /fhir/PractitionerRole": {
    cases: [
      borrowedPractitioner("POST", "/fhir/PractitionerRole", () => ({ resourceType: "PractitionerRole" })),
      objectCase("a hospital registers a role of its own practitioner at another hospital", 403, async (ctx) => {
        const a = ctx.attacker(ctx.victim.hospital.cityId);
        const practitioner = a.practitioners.at(-1)!;
        const attempt = await ctx.asHospital(a, "POST", "/fhir/PractitionerRole", {
          body: {
            resourceType: "PractitionerRole",
            practitioner: { reference: `Practitioner/${practitioner}` },
            organization: { reference: `Organization/${ctx.victim.hospital.id}` },
            code: [{ coding: [{ system: "http://terminology.hl7.org/CodeSystem/practitioner-role", code: "doctor" }] }],
          },
        });
        return {
          attempt,
          agent: a.id,
          async unchanged() {
            const roles = await ctx.asVictim(
              "GET",
              `/fhir/PractitionerRole?practitioner=${practitioner}&organization=${ctx.victim.hospital.id}`,
            );
            expectEqual(
              `roles of ${practitioner} at ${ctx.victim.hospital.id}`,
              roles.json?.total ?? (roles.json?.entry as unknown[] | undefined)?.length ?? 0,
              0,
            );
          },
        };
      }),
    ],
  },
  "PUT /fhir/PractitionerRole/{id}": {
    cases: [
      borrowedPractitioner(
        "PUT",
        (ctx) => `/fhir/PractitionerRole/${ctx.victim.roleId}`,
        () => ({ resourceType: "PractitionerRole" }),
      ),
      objectCase("a hospital ends another hospital's practitioner's role", 403, async (ctx) => {
        const a = ctx.attacker(ctx.victim.hospital.cityId);
        const path = `/fhir/PractitionerRole/${ctx.victim.roleId}`;
        const before = (await ctx.asVictim("GET", path)).json!;
        const { meta: _meta, ...role } = before;
        const attempt = await ctx.asHospital(a, "PUT", path, { body: { ...role, period: { end: "2026-01-01" }, active: false } });
        return {
          attempt,
          agent: a.id,
          async unchanged() {
            expectEqual(`role ${ctx.victim.roleId}`, (await ctx.asVictim("GET", path)).json, before);
          },
        };
      }),
    ],
  },
  "POST /fhir/Patient": {
    cases: [
      borrowedPractitioner("POST", "/fhir/Patient", (a) => patientOf(a.id, unique("MX-P"), son)),
      objectCase("a hospital feeds a patient under another hospital's MRN system", 403, async (ctx) => {
        const a = ctx.attacker();
        const mrn = unique("MX-EVIL");
        const patient = patientOf(ctx.victim.hospital.id, mrn, son);
        const attempt = await ctx.asHospital(a, "POST", "/fhir/Patient", { body: patient });
        return {
          attempt,
          agent: a.id,
          async unchanged() {
            const pix = await ctx.asVictim(
              "GET",
              `/fhir/Patient/$ihe-pix?sourceIdentifier=${encodeURIComponent(`${mrnSystem(ctx.victim.hospital.id)}|${mrn}`)}`,
            );
            expectEqual(`${ctx.victim.hospital.id}'s MRN ${mrn}`, pix.json, { resourceType: "Parameters", parameter: [] });
          },
        };
      }),
    ],
  },
  "PUT /fhir/Patient": {
    cases: [
      borrowedPractitioner(
        "PUT",
        (_ctx, a) => `/fhir/Patient?identifier=${encodeURIComponent(`${mrnSystem(a.id)}|MX-PUT`)}`,
        (a) => patientOf(a.id, "MX-PUT", son),
      ),
      objectCase("a hospital replaces another hospital's patient record (its MRN)", 403, async (ctx) => {
        const a = ctx.attacker();
        const { mrn } = ctx.victim;
        const query = `/fhir/Patient?identifier=${encodeURIComponent(`${mrn.system}|${mrn.value}`)}`;
        const before = await ctx.asVictim("GET", query, { practitioner: ctx.victim.practitioner });
        const attempt = await ctx.asHospital(a, "PUT", query, {
          body: patientOf(ctx.victim.hospital.id, mrn.value, { ...son, family: "冒", given: "名" }),
        });
        return {
          attempt,
          agent: a.id,
          async unchanged() {
            const after = await ctx.asVictim("GET", query, { practitioner: ctx.victim.practitioner });
            expectEqual(`patient ${mrn.value}`, (after.json?.entry as unknown[])?.length, (before.json?.entry as unknown[])?.length);
            expectEqual(`patient ${mrn.value}'s names`, JSON.stringify(after.json).includes("冒"), false);
          },
        };
      }),
    ],
  },
  "GET /fhir/Patient": {
    cases: [borrowedPractitioner("GET", `/fhir/Patient?identifier=${encodeURIComponent(`${RESIDENT_ID_SYSTEM}|${son.residentId}`)}`)],
  },
  "GET /fhir/Patient/$ihe-pix": {
    cases: [
      borrowedPractitioner(
        "GET",
        `/fhir/Patient/$ihe-pix?sourceIdentifier=${encodeURIComponent(`${RESIDENT_ID_SYSTEM}|${son.residentId}`)}`,
      ),
      {
        dimension: "object",
        title: "a hospital's system asks PIXm about another hospital's MRN, a resident it never registered",
        answer: { status: 200, uniform: { resourceType: "Parameters", parameter: [] } },
        recordedBy: "audit",
        async run(ctx) {
          const a = ctx.attacker();
          const { mrn } = ctx.victim;
          const attempt = await ctx.asHospital(
            a,
            "GET",
            `/fhir/Patient/$ihe-pix?sourceIdentifier=${encodeURIComponent(`${mrn.system}|${mrn.value}`)}`,
          );
          return { attempt, agent: a.id };
        },
      },
    ],
  },
  "POST /fhir": {
    cases: [
      borrowedPractitioner("POST", "/fhir", (a) =>
        publishBundle(a, unique("MX-DOC"), { system: mrnSystem(a.id), value: "MX-1" }, { bytes: Buffer.from("x"), withList: false }),
      ),
      objectCase("a hospital publishes a new version of another hospital's document (its master identifier)", 403, async (ctx) => {
        const a = ctx.attacker(ctx.victim.hospital.cityId);
        const bundle = publishBundle(
          a,
          "MX-DOC-1",
          { system: mrnSystem(a.id), value: "MX-1" },
          { bytes: Buffer.from("forged"), withList: false },
        );
        const doc = bundle.entry.find((e) => (e.resource as { resourceType: string }).resourceType === "DocumentReference")!.resource as {
          masterIdentifier: { system: string };
        };
        doc.masterIdentifier.system = documentSystem(ctx.victim.hospital.id);
        const attempt = await ctx.asHospital(a, "POST", "/fhir", { body: bundle, practitioner: a.practitioners[0]! });
        return { attempt, agent: a.id, unchanged: () => victimDocumentUnchanged(ctx) };
      }),
    ],
  },
  "POST /fhir/Binary/$upload-url": {
    cases: [borrowedPractitioner("POST", "/fhir/Binary/$upload-url", () => ({ contentType: "application/pdf", size: 5_000_000 }))],
  },
  "PUT /fhir/DocumentReference/{id}": {
    cases: [
      borrowedPractitioner(
        "PUT",
        (ctx) => `/fhir/DocumentReference/${ctx.victim.documentId}`,
        () => ({
          resourceType: "DocumentReference",
          status: "entered-in-error",
        }),
      ),
      objectCase("a hospital withdraws another hospital's document", 403, async (ctx) => {
        const a = ctx.attacker(ctx.victim.hospital.cityId);
        const attempt = await ctx.asHospital(a, "PUT", `/fhir/DocumentReference/${ctx.victim.documentId}`, {
          practitioner: a.practitioners[0]!,
          body: { resourceType: "DocumentReference", status: "entered-in-error" },
        });
        return { attempt, agent: a.id, unchanged: () => victimDocumentUnchanged(ctx) };
      }),
    ],
  },
  "GET /fhir/DocumentReference": {
    cases: [
      borrowedPractitioner(
        "GET",
        (ctx) => `/fhir/DocumentReference?patient.identifier=${encodeURIComponent(`${ctx.victim.mrn.system}|${ctx.victim.mrn.value}`)}`,
      ),
    ],
  },
  // reading by id what a search finds: the search's rules (a licensed practitioner of the caller; see the search's note above)
  "GET /fhir/DocumentReference/{id}": {
    cases: [
      borrowedPractitioner("GET", (ctx) => `/fhir/DocumentReference/${ctx.victim.documentId}`),
      objectCase("a hospital reads another hospital's document by id, of a resident it does not treat", 403, async (ctx) => {
        const a = ctx.attacker();
        const path = `/fhir/DocumentReference/${ctx.victim.documentId}`;
        return { attempt: await ctx.asHospital(a, "GET", path, { practitioner: a.practitioners[0]! }), agent: a.id };
      }),
    ],
  },
  "GET /fhir/Binary/{id}": {
    cases: [
      borrowedPractitioner("GET", (ctx) => `/fhir/Binary/${ctx.victim.binaryId}`),
      objectCase("a hospital retrieves another hospital's document of a resident it does not treat", 403, async (ctx) => {
        const a = ctx.attacker();
        return {
          attempt: await ctx.asHospital(a, "GET", `/fhir/Binary/${ctx.victim.binaryId}`, { practitioner: a.practitioners[0]! }),
          agent: a.id,
        };
      }),
    ],
  },
  "GET /fhir/Encounter/{id}": {
    cases: [
      borrowedPractitioner(
        "GET",
        (ctx) =>
          `/fhir/Encounter/${encounterIdOf(ctx.victim.hospital.cityId, { system: encounterSystem(ctx.victim.hospital.id), value: ctx.victim.encounter })}`,
      ),
    ],
  },
  "GET /fhir/Encounter": {
    cases: [
      borrowedPractitioner(
        "GET",
        (ctx) => `/fhir/Encounter?patient.identifier=${encodeURIComponent(`${ctx.victim.mrn.system}|${ctx.victim.mrn.value}`)}`,
      ),
    ],
  },
  "GET /fhir/Patient/{id}/$everything": {
    cases: [
      borrowedPractitioner("GET", (ctx) => `/fhir/Patient/${ctx.victim.empi}/$everything`),
      objectCase("a hospital reads the whole record of another hospital's patient, whom it does not treat", 403, async (ctx) => {
        const a = ctx.attacker();
        const path = `/fhir/Patient/${ctx.victim.empi}/$everything`;
        return { attempt: await ctx.asHospital(a, "GET", path, { practitioner: a.practitioners[0]! }), agent: a.id };
      }),
    ],
  },
  "POST /fhir/Encounter": {
    cases: [
      borrowedPractitioner("POST", "/fhir/Encounter", (a) => encounterOf(a.id, unique("MX-E"), "MX-1", false, TODAY)),
      objectCase("a hospital records an encounter under another hospital's encounter identifier", 403, async (ctx) => {
        const a = ctx.attacker(ctx.victim.hospital.cityId);
        const b = ctx.victim.hospital;
        const encounter = { ...encounterOf(b.id, ctx.victim.encounter, ctx.victim.mrn.value, false, TODAY, "2026-01-05T10:00:00+08:00") };
        const attempt = await ctx.asHospital(a, "POST", "/fhir/Encounter", {
          practitioner: a.practitioners[0]!,
          body: { ...encounter, status: "cancelled" },
        });
        return {
          attempt,
          agent: a.id,
          async unchanged() {
            const found = await ctx.asVictim(
              "GET",
              `/fhir/Encounter?patient.identifier=${encodeURIComponent(`${ctx.victim.mrn.system}|${ctx.victim.mrn.value}`)}`,
              { practitioner: ctx.victim.practitioner },
            );
            const statuses = ((found.json?.entry ?? []) as { resource: { status: string } }[]).map((e) => e.resource.status);
            expectEqual(`${b.id}'s encounter ${ctx.victim.encounter}`, statuses.includes("cancelled"), false);
          },
        };
      }),
    ],
  },
  "GET /fep/inbox": { cases: [borrowedPractitioner("GET", "/fep/inbox?wait=0")] },
  "POST /fep/inbox/{communicationId}/ack": {
    cases: [
      borrowedPractitioner("POST", (ctx) => `/fep/inbox/${ctx.victim.communicationId}/ack`),
      {
        dimension: "object",
        title: "a hospital acknowledges a Communication of another hospital's inbox",
        // as for an id it never received: which ids exist in other inboxes is not told
        answer: { status: 404 },
        recordedBy: "audit",
        async run(ctx) {
          const a = ctx.attacker(ctx.victim.hospital.cityId);
          const attempt = await ctx.asHospital(a, "POST", `/fep/inbox/${ctx.victim.communicationId}/ack`);
          return {
            attempt,
            agent: a.id,
            async unchanged() {
              const item = await ctx.readDocument(
                ctx.victim.hospital.cityId,
                { hospitalId: ctx.victim.hospital.id, communicationId: ctx.victim.communicationId },
                "Inbox",
              );
              expectEqual(`${ctx.victim.hospital.id}'s inbox item ${ctx.victim.communicationId} is pending`, Boolean(item), true);
            },
          };
        },
      },
    ],
  },
  "GET /fhir/Communication/{id}": {
    cases: [
      borrowedPractitioner("GET", (ctx) => `/fhir/Communication/${ctx.victim.communicationId}`),
      objectCase("a hospital reads a Communication of another hospital's inbox", 404, async (ctx) => {
        // as for an id it never received: which ids exist in other inboxes is not told
        const a = ctx.attacker(ctx.victim.hospital.cityId);
        return { attempt: await ctx.asHospital(a, "GET", `/fhir/Communication/${ctx.victim.communicationId}`), agent: a.id };
      }),
    ],
  },
  "POST /fhir/Subscription": {
    cases: [
      borrowedPractitioner("POST", "/fhir/Subscription", () => subscriptionTo(son.residentId!)),
      objectCase("a hospital subscribes to another hospital's patient, with whom it has no treatment relationship", 403, async (ctx) => {
        const a = ctx.attacker();
        const { mrn } = ctx.victim;
        const body = { ...subscriptionTo(""), criteria: `DocumentReference?patient.identifier=${mrn.system}|${mrn.value}` };
        return {
          attempt: await ctx.asHospital(a, "POST", "/fhir/Subscription", { body, practitioner: a.practitioners[0]! }),
          agent: a.id,
        };
      }),
    ],
  },
  "GET /fhir/Subscription": { cases: [borrowedPractitioner("GET", "/fhir/Subscription")] },
  "POST /fhir/Consent": {
    cases: [
      borrowedPractitioner("POST", "/fhir/Consent", () =>
        consentOf({ system: RESIDENT_ID_SYSTEM, value: son.residentId! }, { type: "permit" }),
      ),
      objectCase("a hospital records a consent for another hospital's patient, whom it does not treat", 403, async (ctx) => {
        const a = ctx.attacker();
        const body = consentOf(ctx.victim.mrn, { type: "permit", actors: [a.id], labels: ["HIV"] });
        return {
          attempt: await ctx.asHospital(a, "POST", "/fhir/Consent", { body, practitioner: a.practitioners[0]! }),
          agent: a.id,
          async unchanged() {
            const path = `/fhir/Consent?patient.identifier=${encodeURIComponent(`${ctx.victim.mrn.system}|${ctx.victim.mrn.value}`)}`;
            const list = await ctx.asVictim("GET", path, { practitioner: ctx.victim.practitioner });
            expectEqual("the resident's consents", (list.json?.entry as unknown[] | undefined)?.length ?? 0, 0);
          },
        };
      }),
    ],
  },
  "GET /fhir/Consent": {
    cases: [
      borrowedPractitioner(
        "GET",
        (ctx) => `/fhir/Consent?patient.identifier=${encodeURIComponent(`${ctx.victim.mrn.system}|${ctx.victim.mrn.value}`)}`,
      ),
    ],
  },
  "PUT /fhir/Consent/{id}": {
    cases: [
      borrowedPractitioner("PUT", "/fhir/Consent/x", () => ({
        ...consentOf({ system: RESIDENT_ID_SYSTEM, value: son.residentId! }, { type: "permit" }),
        status: "inactive",
      })),
    ],
  },
  "POST /fhir/Consent/$decide": {
    cases: [
      borrowedPractitioner("POST", "/fhir/Consent/$decide", () => ({
        resourceType: "Parameters",
        parameter: [{ name: "patient", valueIdentifier: { system: RESIDENT_ID_SYSTEM, value: son.residentId! } }],
      })),
    ],
  },
  "GET /fhir/Subscription/{id}": {
    cases: [
      borrowedPractitioner("GET", (ctx) => `/fhir/Subscription/${ctx.victim.subscriptionId}`),
      objectCase("a hospital reads another hospital's subscription", 404, async (ctx) => {
        const a = ctx.attacker(ctx.victim.hospital.cityId);
        return { attempt: await ctx.asHospital(a, "GET", `/fhir/Subscription/${ctx.victim.subscriptionId}`), agent: a.id };
      }),
    ],
  },
  "DELETE /fhir/Subscription/{id}": {
    cases: [
      borrowedPractitioner("DELETE", (ctx) => `/fhir/Subscription/${ctx.victim.subscriptionId}`),
      objectCase("a hospital removes another hospital's subscription", 404, async (ctx) => {
        const a = ctx.attacker();
        const path = `/fhir/Subscription/${ctx.victim.subscriptionId}`;
        const before = (await ctx.asVictim("GET", path)).json;
        return {
          attempt: await ctx.asHospital(a, "DELETE", path),
          agent: a.id,
          async unchanged() {
            expectEqual(`subscription ${ctx.victim.subscriptionId}`, (await ctx.asVictim("GET", path)).json, before);
          },
        };
      }),
    ],
  },
  "POST /fhir/Claim": {
    cases: [
      borrowedPractitioner("POST", "/fhir/Claim", (a) =>
        claimOf(a, unique("MX-C"), { system: mrnSystem(a.id), value: "MX-1" }, { items: [["A", 10]] }),
      ),
      objectCase("a hospital cancels another hospital's claim (its claim number)", 403, async (ctx) => {
        const a = ctx.attacker(ctx.victim.hospital.cityId);
        const b = ctx.victim.hospital;
        const claim = claimOf(a, ctx.victim.claim, ctx.victim.mrn, {
          items: [["A", 10]],
          status: "cancelled",
          system: claimSystem(b.id),
        });
        const attempt = await ctx.asHospital(a, "POST", "/fhir/Claim", { body: claim, practitioner: a.practitioners[0]! });
        return {
          attempt,
          agent: a.id,
          async unchanged() {
            const cancel = await ctx.readDocument(
              b.cityId,
              { claimKey: `${claimSystem(b.id)}|${ctx.victim.claim}`, action: "cancel" },
              "Claims",
            );
            expectEqual(`${b.id}'s claim ${ctx.victim.claim} cancelled`, Boolean(cancel), false);
          },
        };
      }),
    ],
  },
  "GET /fhir/ClaimResponse": {
    cases: [
      borrowedPractitioner("GET", (_ctx, a) => `/fhir/ClaimResponse?request.identifier=${encodeURIComponent(`${claimSystem(a.id)}|MX-C`)}`),
      objectCase("a hospital reads the settlement of another hospital's claim", 403, async (ctx) => {
        const a = ctx.attacker(ctx.victim.hospital.cityId);
        const query = `/fhir/ClaimResponse?request.identifier=${encodeURIComponent(`${claimSystem(ctx.victim.hospital.id)}|${ctx.victim.claim}`)}`;
        return { attempt: await ctx.asHospital(a, "GET", query, { practitioner: a.practitioners[0]! }), agent: a.id };
      }),
    ],
  },
  "GET /fhir/ClaimResponse/{id}": {
    cases: [
      borrowedPractitioner("GET", (ctx) => `/fhir/ClaimResponse/${victimClaimResponse(ctx)}`),
      objectCase("a hospital reads the settlement of another hospital's claim by id", 403, async (ctx) => {
        const a = ctx.attacker(ctx.victim.hospital.cityId);
        const path = `/fhir/ClaimResponse/${victimClaimResponse(ctx)}`;
        return { attempt: await ctx.asHospital(a, "GET", path, { practitioner: a.practitioners[0]! }), agent: a.id };
      }),
    ],
  },
  // health cards (docs/health-card.md): any hospital verifies any card by design; issue and status name a practitioner when one acts
  "POST /fhir/Patient/$issue-health-card": { cases: [borrowedPractitioner("POST", "/fhir/Patient/$issue-health-card", () => cardIssue())] },
  "POST /fhir/Patient/$verify-health-card": {
    cases: [borrowedPractitioner("POST", "/fhir/Patient/$verify-health-card", () => cardVerify())],
  },
  "POST /fhir/Patient/$health-card-status": {
    cases: [borrowedPractitioner("POST", "/fhir/Patient/$health-card-status", () => cardStatus())],
  },
  "GET /fhir/MedicationKnowledge": { cases: [borrowedPractitioner("GET", "/fhir/MedicationKnowledge?code=86900001000019")] },
  "POST /fhir/Device/$parse-udi": {
    cases: [
      borrowedPractitioner("POST", "/fhir/Device/$parse-udi", () => ({
        resourceType: "Parameters",
        parameter: [{ name: "udi", valueString: "+A123BJC5D6E71G" }],
      })),
    ],
  },
  // telemedicine (docs/telemedicine.md): a Task is seen and moved only by its requester and its owner
  "POST /fhir/ServiceRequest": { cases: [borrowedPractitioner("POST", "/fhir/ServiceRequest", () => serviceRequest(son.residentId!))] },
  "GET /fhir/Task": {
    cases: [
      borrowedPractitioner("GET", (_ctx, a) => `/fhir/Task?requester=Organization/${a.id}`),
      objectCase("a hospital searches the Tasks another hospital requested", 403, async (ctx) => {
        const a = ctx.attacker();
        const path = `/fhir/Task?requester=Organization/${ctx.victim.hospital.id}`;
        return { attempt: await ctx.asHospital(a, "GET", path, { practitioner: a.practitioners[0]! }), agent: a.id };
      }),
    ],
  },
  "GET /fhir/Task/{id}": {
    cases: [
      borrowedPractitioner("GET", "/fhir/Task/x"),
      objectCase("a hospital reads another hospital's Task", 403, async (ctx) => {
        const a = ctx.attacker();
        const path = `/fhir/Task/${await victimTask(ctx)}`;
        return { attempt: await ctx.asHospital(a, "GET", path, { practitioner: a.practitioners[0]! }), agent: a.id };
      }),
    ],
  },
  "PUT /fhir/Task/{id}": {
    cases: [
      borrowedPractitioner("PUT", "/fhir/Task/x", () => ({ resourceType: "Task", status: "cancelled" })),
      objectCase("a hospital cancels another hospital's Task", 403, async (ctx) => {
        const a = ctx.attacker();
        const path = `/fhir/Task/${await victimTask(ctx)}`;
        const before = (await ctx.asVictim("GET", path, { practitioner: ctx.victim.practitioner })).json;
        const version = (before?.meta as { versionId?: string } | undefined)?.versionId;
        const attempt = await ctx.asHospital(a, "PUT", path, {
          practitioner: a.practitioners[0]!,
          body: { resourceType: "Task", status: "cancelled" },
          headers: { "if-match": `W/"${version}"` },
        });
        return {
          attempt,
          agent: a.id,
          async unchanged() {
            const after = (await ctx.asVictim("GET", path, { practitioner: ctx.victim.practitioner })).json;
            expectEqual(`Task ${path}`, after?.status, before?.status);
          },
        };
      }),
    ],
  },
  // scheduling (docs/telemedicine.md#scheduling): only a Task's requester and owner search the expert's slots, hold and book
  "GET /fhir/Slot": {
    cases: [
      borrowedPractitioner("GET", "/fhir/Slot?schedule.actor=PractitionerRole/x-r1"),
      objectCase("a hospital searches the slots of the expert owning another hospital's Task", 403, async (ctx) => {
        const a = ctx.attacker();
        const path = `/fhir/Slot?schedule.actor=${await victimTaskOwner(ctx)}&status=free`;
        return { attempt: await ctx.asHospital(a, "GET", path, { practitioner: a.practitioners[0]! }), agent: a.id };
      }),
    ],
  },
  "POST /fhir/Appointment/$hold": schedulingCases("$hold"),
  "POST /fhir/Appointment/$book": schedulingCases("$book"),
  "GET /fhir/Appointment/{id}": { cases: [borrowedPractitioner("GET", "/fhir/Appointment/x")] },
  "PUT /fhir/Appointment/{id}": {
    cases: [borrowedPractitioner("PUT", "/fhir/Appointment/x", () => ({ resourceType: "Appointment", status: "cancelled" }))],
  },
  "POST /fhir/$trace-scan": {
    cases: [
      borrowedPractitioner("POST", "/fhir/$trace-scan", (a) => traceScan(encounterSystem(a.id), "MX-E")),
      objectCase("a hospital scans a dispense naming another hospital's encounter", 403, async (ctx) => {
        const a = ctx.attacker(ctx.victim.hospital.cityId);
        const body = traceScan(encounterSystem(ctx.victim.hospital.id), ctx.victim.encounter);
        return { attempt: await ctx.asHospital(a, "POST", "/fhir/$trace-scan", { body, practitioner: a.practitioners[0]! }), agent: a.id };
      }),
    ],
  },
  "POST /fhir/$process-message": {
    cases: [
      borrowedPractitioner("POST", "/fhir/$process-message", (a) => caseReport(a.id)),
      objectCase("a hospital sends a case report as another hospital (MessageHeader.source)", 403, async (ctx) => {
        const a = ctx.attacker(ctx.victim.hospital.cityId);
        const body = caseReport(ctx.victim.hospital.id);
        return {
          attempt: await ctx.asHospital(a, "POST", "/fhir/$process-message", { body, practitioner: a.practitioners[0]! }),
          agent: a.id,
        };
      }),
      objectCase("a hospital reports a case on another hospital's encounter", 403, async (ctx) => {
        const a = ctx.attacker(ctx.victim.hospital.cityId);
        const body = caseReport(a.id, { system: encounterSystem(ctx.victim.hospital.id), value: ctx.victim.encounter });
        return {
          attempt: await ctx.asHospital(a, "POST", "/fhir/$process-message", { body, practitioner: a.practitioners[0]! }),
          agent: a.id,
        };
      }),
    ],
  },
  "GET /fhir/$case-reports": { cases: [borrowedPractitioner("GET", "/fhir/$case-reports")] },
  "GET /internal/fhir/Binary/{id}": {
    cases: [
      ...notSigned("baoding", "GET", "/internal/fhir/Binary/x"),
      ungranted("baoding", "GET", "/internal/fhir/Binary/x", { nodeId: "tangshan", fn: "FepHeartbeat" }),
    ],
  },
  "GET /internal/fhir/Encounter/{id}": {
    cases: [
      ...notSigned("baoding", "GET", "/internal/fhir/Encounter/x"),
      ungranted("baoding", "GET", "/internal/fhir/Encounter/x", { nodeId: "tangshan", fn: "FepHeartbeat" }),
    ],
  },
};

/** A telemedicine request for a resident (by resident ID), naming a document (any: the hub checks it) */
const serviceRequest = (residentId: string, documentId = "baoding-x0000000", identifier?: { system: string; value: string }) => ({
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
function schedulingAtHub(operation: string): RouteEntry {
  const body = { resourceType: "Parameters", parameter: [{ name: "task", valueReference: { reference: "Task/x" } }] };
  return hubIam(
    "POST",
    `/internal/telemedicine/Appointment/${operation}`,
    actingAs("TelemedicineProxy", () => body),
  );
}
/** $hold and $book of a slot of the expert owning B's Task, for that Task */
const slotParameters = async (ctx: MatrixContext) => ({
  resourceType: "Parameters",
  parameter: [
    { name: "slot", valueReference: { reference: `Slot/${(await victimTaskOwner(ctx)).split("/")[1]}.209901050900` } },
    { name: "task", valueReference: { reference: `Task/${await victimTask(ctx)}` } },
    { name: "patient", valueReference: { reference: "Patient/E1" } },
  ],
});
function schedulingCases(operation: string): RouteEntry {
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
const victimTaskOwner = async (ctx: MatrixContext): Promise<string> => {
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
const victimTask = (ctx: MatrixContext): Promise<string> => {
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
const victimClaimResponse = (ctx: MatrixContext): string =>
  claimResponseId({ hospitalId: ctx.victim.hospital.id, claimNumber: ctx.victim.claim, action: "submit" });
const cardParameters = (parameter: Record<string, unknown>[]) => ({ resourceType: "Parameters", parameter });
const cardIssue = () => cardParameters([{ name: "identifier", valueIdentifier: { system: RESIDENT_ID_SYSTEM, value: son.residentId } }]);
const cardVerify = () =>
  cardParameters([
    { name: "code", valueString: `HC1:${"A".repeat(32)}` },
    { name: "terminal", valueString: "matrix" },
    { name: "careStep", valueCode: "registration" },
  ]);
const cardStatus = () =>
  cardParameters([
    { name: "cardId", valueString: "A".repeat(32) },
    { name: "status", valueCode: "paused" },
    { name: "reason", valueString: "matrix" },
  ]);
/** A class A case report of hospital `hospitalId`'s (its patient: the son), optionally on an encounter */
const caseReport = (hospitalId: string, encounter?: { system: string; value: string }) =>
  caseMessage({
    hospitalId,
    messageId: unique("MX-CR"),
    patient: { system: RESIDENT_ID_SYSTEM, value: son.residentId! },
    code: "A00",
    recordedDate: TODAY,
    ...(encounter ? { encounter } : {}),
  });
/** The Parameters of a dispense scan of a code no other case uses */
function traceScan(system: string, encounter: string) {
  return {
    resourceType: "Parameters",
    parameter: [
      { name: "code", valueString: `8${String(Date.now()).padStart(19, "0")}`.slice(0, 20) },
      { name: "event", valueCode: "dispense" },
      { name: "encounter", valueReference: { identifier: { system, value: encounter } } },
    ],
  };
}

function subscriptionTo(residentId: string) {
  return {
    resourceType: "Subscription",
    status: "requested",
    reason: "care",
    criteria: `DocumentReference?patient.identifier=${RESIDENT_ID_SYSTEM}|${residentId}`,
    channel: { type: "message" },
  };
}

/** B's document is still current, at its first version */
async function victimDocumentUnchanged(ctx: MatrixContext): Promise<void> {
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

const operatorEntries: Record<string, RouteEntry> = {
  "GET /health": { exempt: PUBLIC },
  "GET /fhir/metadata": { exempt: PUBLIC },
  "GET /dashboard": { exempt: "The dashboard page: static HTML, no data (the operator signs in to read the summary)" },
  // the department exchange (docs/departments.md): its member authorizer admits departments and the operator, never a hospital
  "GET /xchg/services": { cases: [hospitalOnOperatorRoute("GET", () => "/xchg/services")] },
  "POST /xchg/messages": { cases: [hospitalOnOperatorRoute("POST", () => "/xchg/messages", { resourceType: "Bundle", type: "message" })] },
  "GET /xchg/services/{serviceId}/allowed": { cases: [hospitalOnOperatorRoute("GET", () => "/xchg/services/death-notification/allowed")] },
  "POST /xchg/access-requests": {
    cases: [hospitalOnOperatorRoute("POST", () => "/xchg/access-requests", { service: "household-death", purpose: "x", legalBasis: "x" })],
  },
  // the evidence of a message: the operator and the members party to it (docs/departments.md#evidence-log)
  "GET /xchg/evidence/{messageId}": { cases: [hospitalOnOperatorRoute("GET", () => "/xchg/evidence/m-1")] },
};

/** An IAM route of the hub: unsigned and with a hospital's credential, and the node case `node` makes for it */
const hubIam = (method: string, path: string, node: (method: string, path: string) => MatrixCase): RouteEntry => ({
  cases: [...notSigned("hub", method, path), node(method, path)],
});
const actingAs =
  (fn: string, body?: (y: Hospital) => unknown, unchanged?: (ctx: MatrixContext, y: Hospital) => Promise<void>) =>
  (method: string, path: string) =>
    actingForAnother(method, path, fn, body, unchanged);
const grantless =
  (nodeId: string, fn: string) =>
  (method: string, path: string): MatrixCase =>
    ungranted("hub", method, path, { nodeId, fn });

const hubInternalEntries: Record<string, RouteEntry> = {
  "POST /internal/authenticate": {
    cases: [
      ...notSigned("hub", "POST", "/internal/authenticate", { credential: "x" }),
      ungranted("hub", "POST", "/internal/authenticate", { nodeId: "baoding", fn: "FepHeartbeat" }),
      ungranted("hub", "POST", "/internal/authenticate", { nodeId: "hub", fn: "Connections" }),
    ],
  },
  "POST /internal/practitioner-check": hubIam(
    "POST",
    "/internal/practitioner-check",
    actingAs("FepHeartbeat", (y) => ({ hospitalId: y.id, practitionerId: y.practitioners[0] })),
  ),
  "POST /internal/fhir/Practitioner": hubIam(
    "POST",
    "/internal/fhir/Practitioner",
    actingAs("RegistryProxy", () => ({ resourceType: "Practitioner" })),
  ),
  "POST /internal/fhir/PractitionerRole": hubIam(
    "POST",
    "/internal/fhir/PractitionerRole",
    actingAs("RegistryProxy", (y) => ({
      resourceType: "PractitionerRole",
      practitioner: { reference: `Practitioner/${y.practitioners.at(-1)}` },
      organization: { reference: `Organization/${y.id}` },
      code: [{ coding: [{ system: "http://terminology.hl7.org/CodeSystem/practitioner-role", code: "doctor" }] }],
    })),
  ),
  "PUT /internal/fhir/PractitionerRole/{id}": hubIam(
    "PUT",
    "/internal/fhir/PractitionerRole/x",
    actingAs("RegistryProxy", () => ({ resourceType: "PractitionerRole" })),
  ),
  "POST /internal/fhir/Patient": hubIam(
    "POST",
    "/internal/fhir/Patient",
    actingAs(
      "PatientFeed",
      (y) => patientOf(y.id, "MX-NODE", son),
      async (ctx, y) => {
        const pix = await ctx.signed(
          { nodeId: "tangshan", fn: "PatientQuery" },
          "hub",
          "GET",
          `/internal/fhir/Patient/$ihe-pix?sourceIdentifier=${encodeURIComponent(`${mrnSystem(y.id)}|MX-NODE`)}`,
        );
        // had the feed been applied, the MPI would cross-reference the MRN (200 with the EMPI)
        const known = pix.status === 200 && ((pix.json?.parameter as unknown[] | undefined) ?? []).length > 0;
        expectEqual(`${y.id}'s MRN MX-NODE known to the MPI`, known, false);
      },
    ),
  ),
  "PUT /internal/fhir/Patient": hubIam(
    "PUT",
    `/internal/fhir/Patient?identifier=${encodeURIComponent(`${mrnSystem("x")}|1`)}`,
    actingAs("PatientFeed", (y) => patientOf(y.id, "MX-NODE-PUT", son)),
  ),
  "GET /internal/fhir/Patient": hubIam("GET", "/internal/fhir/Patient?family=x", grantless("baoding", "FepHeartbeat")),
  "GET /internal/fhir/Patient/$ihe-pix": hubIam(
    "GET",
    "/internal/fhir/Patient/$ihe-pix?sourceIdentifier=x|1",
    grantless("baoding", "FepHeartbeat"),
  ),
  "GET /internal/record-locator/{empi}": hubIam("GET", "/internal/record-locator/E1", grantless("baoding", "PatientQuery")),
  "POST /internal/fhir/Subscription": hubIam(
    "POST",
    "/internal/fhir/Subscription",
    actingAs("SubscriptionProxy", () => subscriptionTo(son.residentId!)),
  ),
  "GET /internal/fhir/Subscription": hubIam("GET", "/internal/fhir/Subscription", actingAs("SubscriptionProxy")),
  "GET /internal/fhir/Subscription/{id}": hubIam("GET", "/internal/fhir/Subscription/x", actingAs("SubscriptionProxy")),
  "DELETE /internal/fhir/Subscription/{id}": hubIam("DELETE", "/internal/fhir/Subscription/x", actingAs("SubscriptionProxy")),
  "GET /internal/fhir/ClaimResponse": hubIam("GET", "/internal/fhir/ClaimResponse?request.identifier=x|1", actingAs("Claims")),
  "GET /internal/fhir/ClaimResponse/{id}": hubIam("GET", "/internal/fhir/ClaimResponse/x", actingAs("Claims")),
  "POST /internal/health-card/issue": hubIam("POST", "/internal/health-card/issue", actingAs("HealthCardProxy", cardIssue)),
  "POST /internal/health-card/verify": hubIam("POST", "/internal/health-card/verify", actingAs("HealthCardProxy", cardVerify)),
  "POST /internal/health-card/status": hubIam("POST", "/internal/health-card/status", actingAs("HealthCardProxy", cardStatus)),
  "POST /internal/telemedicine/ServiceRequest": hubIam(
    "POST",
    "/internal/telemedicine/ServiceRequest",
    actingAs("TelemedicineProxy", () => serviceRequest(son.residentId!)),
  ),
  "GET /internal/telemedicine/Task": hubIam("GET", "/internal/telemedicine/Task?requester=Organization/x", actingAs("TelemedicineProxy")),
  "GET /internal/telemedicine/Task/{id}": hubIam("GET", "/internal/telemedicine/Task/x", actingAs("TelemedicineProxy")),
  "GET /internal/telemedicine/Slot": hubIam(
    "GET",
    "/internal/telemedicine/Slot?schedule.actor=PractitionerRole/x-r1",
    actingAs("TelemedicineProxy"),
  ),
  "POST /internal/telemedicine/Appointment/$hold": schedulingAtHub("$hold"),
  "POST /internal/telemedicine/Appointment/$book": schedulingAtHub("$book"),
  "GET /internal/telemedicine/Appointment/{id}": hubIam("GET", "/internal/telemedicine/Appointment/x", actingAs("TelemedicineProxy")),
  "PUT /internal/telemedicine/Appointment/{id}": hubIam(
    "PUT",
    "/internal/telemedicine/Appointment/x",
    actingAs("TelemedicineProxy", () => ({ resourceType: "Appointment", status: "cancelled" })),
  ),
  "PUT /internal/telemedicine/Task/{id}": hubIam(
    "PUT",
    "/internal/telemedicine/Task/x",
    actingAs("TelemedicineProxy", () => ({ resourceType: "Task", status: "cancelled" })),
  ),
  "POST /internal/drugs/trace-scan": hubIam(
    "POST",
    "/internal/drugs/trace-scan",
    actingAs("DrugsDevices", () => ({ code: "80000000000000000018", event: "dispense", encounter: "MX-NODE" })),
  ),
  "POST /internal/drugs/trace-check": hubIam(
    "POST",
    "/internal/drugs/trace-check",
    actingAs("Claims", () => ({ codes: ["80000000000000000018"] })),
  ),
  "GET /internal/devices/definition": hubIam("GET", "/internal/devices/definition?di=06912345000018", grantless("baoding", "FepHeartbeat")),
  "POST /internal/public-health/case-reports": hubIam(
    "POST",
    "/internal/public-health/case-reports",
    actingAs("CaseReporting", () => ({ messageId: "MX-NODE", event: "void", practitionerId: "x", reportId: "cr-x" })),
  ),
  "GET /internal/public-health/case-reports": hubIam("GET", "/internal/public-health/case-reports", actingAs("CaseReporting")),
  "POST /internal/public-health/expectations": hubIam(
    "POST",
    "/internal/public-health/expectations",
    actingAs("EncounterRecord", () => ({
      diagnoses: [{ encounterId: "tangshan-ex", empi: "E0000000000000", code: "A00", diagnosedAt: TODAY }],
    })),
  ),
  "GET /internal/fhir/MedicationKnowledge": hubIam(
    "GET",
    "/internal/fhir/MedicationKnowledge?code=86900001000019",
    grantless("baoding", "FepHeartbeat"),
  ),
  "POST /internal/fhir/Consent": hubIam(
    "POST",
    "/internal/fhir/Consent",
    actingAs("ConsentProxy", () => consentOf({ system: RESIDENT_ID_SYSTEM, value: son.residentId! }, { type: "permit" })),
  ),
  "GET /internal/fhir/Consent": hubIam(
    "GET",
    `/internal/fhir/Consent?patient.identifier=${encodeURIComponent(`${RESIDENT_ID_SYSTEM}|${son.residentId!}`)}`,
    actingAs("ConsentProxy"),
  ),
  "PUT /internal/fhir/Consent/{id}": hubIam(
    "PUT",
    "/internal/fhir/Consent/x",
    actingAs("ConsentProxy", () => ({
      ...consentOf({ system: RESIDENT_ID_SYSTEM, value: son.residentId! }, { type: "permit" }),
      status: "inactive",
    })),
  ),
  "POST /internal/privacy/context": hubIam(
    "POST",
    "/internal/privacy/context",
    actingAs("DocumentQuery", () => ({ empi: "E0000000000000" })),
  ),
  ...Object.fromEntries(
    registryTypes.flatMap((type) => [
      [`GET /internal/fhir/${type}`, hubIam("GET", `/internal/fhir/${type}`, grantless("baoding", "FepHeartbeat"))],
      [`GET /internal/fhir/${type}/{id}`, hubIam("GET", `/internal/fhir/${type}/x`, grantless("baoding", "FepHeartbeat"))],
    ]),
  ),
};

/**
 * Operator routes: a hospital's credential is refused by the operator authorizer. Every route the
 * operator API declares with its default auth gets this case (they all are the operator's), so a new
 * operator route needs no entry unless it is public; the ids and bodies make each attempt meaningful.
 */
const OPERATOR_ATTEMPTS: Record<string, { path?: (ctx: MatrixContext) => string; body?: unknown }> = {
  ...Object.fromEntries(
    registryTypes.map((type) => [`GET /fhir/${type}/{id}`, { path: (ctx: MatrixContext) => `/fhir/${type}/${registryId(ctx, type)}` }]),
  ),
  "PUT /fhir/Organization/{id}": { path: (ctx) => `/fhir/Organization/${ctx.victim.hospital.id}`, body: { resourceType: "Organization" } },
  "PUT /fhir/Location/{id}": { path: (ctx) => `/fhir/Location/${ctx.victim.hospital.id}`, body: { resourceType: "Location" } },
  "PUT /fhir/Practitioner/{id}": {
    path: (ctx) => `/fhir/Practitioner/${ctx.victim.practitioner}`,
    body: { resourceType: "Practitioner", active: false },
  },
  "POST /fhir/PractitionerRole/{id}/$approve": { path: (ctx) => `/fhir/PractitionerRole/${ctx.victim.roleId}/$approve` },
  "POST /fhir/PractitionerRole/{id}/$reject": { path: (ctx) => `/fhir/PractitionerRole/${ctx.victim.roleId}/$reject` },
  "POST /hospitals/{hospitalId}/credentials": { path: (ctx) => `/hospitals/${ctx.victim.hospital.id}/credentials` },
  "DELETE /hospitals/{hospitalId}/credentials": { path: (ctx) => `/hospitals/${ctx.victim.hospital.id}/credentials` },
  "GET /fhir/AuditEvent/{id}": { path: () => "/fhir/AuditEvent/x" },
  "PUT /fhir/AuditEvent/{id}": { path: () => "/fhir/AuditEvent/x", body: { resourceType: "AuditEvent" } },
  "DELETE /fhir/AuditEvent/{id}": { path: () => "/fhir/AuditEvent/x" },
  "GET /mpi/residents/{empi}": { path: (ctx) => `/mpi/residents/${ctx.victim.empi}` },
  "POST /privacy/break-glass/{id}/review": { path: () => "/privacy/break-glass/x/review", body: { outcome: "justified", note: "x" } },
  "POST /mpi/residents/{empi}/dismiss-review": { path: (ctx) => `/mpi/residents/${ctx.victim.empi}/dismiss-review` },
  "POST /xchg/access-requests/{id}/decision": { path: () => "/xchg/access-requests/x/decision", body: { decision: "grant", reason: "x" } },
  // a hospital may neither list another hospital's implant recipients nor send every hospital a recall
  "GET /devices/recall": { path: () => "/devices/recall?di=06900000000018" },
  "POST /devices/recall": { body: { di: "06900000000018", reason: "a hospital posing as the operator" } },
};

/** The matrix entry of a declared route ("hub Operator GET /connections"), or undefined when it has none */
export function entryOf(
  node: "hub" | "city",
  apiId: string,
  method: string,
  path: string,
  operatorDefault: boolean,
): RouteEntry | undefined {
  const key = `${method} ${path}`;
  if (node === "city") return cityEntries[key];
  if (apiId === "Internal") return hubInternalEntries[key];
  if (operatorEntries[key]) return operatorEntries[key];
  if (!operatorDefault) return undefined;
  const attempt = OPERATOR_ATTEMPTS[key];
  if (path.includes("{") && !attempt?.path) return undefined; // an id-bearing route needs a real id to try
  const concrete = attempt?.path ?? (() => path);
  return {
    cases: [hospitalOnOperatorRoute(method, concrete, attempt?.body ?? (method === "GET" || method === "DELETE" ? undefined : {}))],
  };
}
