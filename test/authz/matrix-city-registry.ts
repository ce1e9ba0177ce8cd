/** The authorization matrix (matrix-cases.ts), city routes: heartbeats, the registry, patients and publishing */

import { patientOf, publishBundle, son } from "#lib/world/index.ts";
import { documentSystem } from "#schemas/documents.ts";
import { mrnSystem, RESIDENT_ID_SYSTEM } from "#schemas/patient.ts";
import {
  borrowedPractitioner,
  expectEqual,
  heartbeat,
  objectCase,
  PUBLIC,
  registryId,
  registryTypes,
  unique,
  victimDocumentUnchanged,
} from "./matrix-kit.ts";
import type { RouteEntry } from "./matrix-types.ts";

export const cityRegistryEntries: Record<string, RouteEntry> = {
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
};
