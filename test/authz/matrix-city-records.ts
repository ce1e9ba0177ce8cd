/** The authorization matrix (matrix-cases.ts), city routes: reading records, the inbox, subscriptions, consent and claims */

import { encounterIdOf } from "#domain/documents/records.ts";
import { claimOf } from "#lib/world/claims.ts";
import { consentOf, encounterOf, son } from "#lib/world/index.ts";
import { encounterSystem } from "#schemas/documents.ts";
import { mrnSystem, RESIDENT_ID_SYSTEM } from "#schemas/patient.ts";
import { claimSystem } from "#schemas/settlement.ts";
import { borrowedPractitioner, expectEqual, objectCase, subscriptionTo, TODAY, unique, victimClaimResponse } from "./matrix-kit.ts";
import type { RouteEntry } from "./matrix-types.ts";

export const cityRecordEntries: Record<string, RouteEntry> = {
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
};
