/** The authorization matrix (matrix-cases.ts), city routes: health cards, drugs and devices, telemedicine and scheduling, public health, the internal API */

import { son } from "#lib/world/index.ts";
import { encounterSystem } from "#schemas/documents.ts";
import {
  borrowedPractitioner,
  cardIssue,
  cardStatus,
  cardVerify,
  caseReport,
  expectEqual,
  notSigned,
  objectCase,
  schedulingCases,
  serviceRequest,
  traceScan,
  ungranted,
  victimTask,
  victimTaskOwner,
} from "./matrix-kit.ts";
import type { RouteEntry } from "./matrix-types.ts";

export const cityServiceEntries: Record<string, RouteEntry> = {
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
