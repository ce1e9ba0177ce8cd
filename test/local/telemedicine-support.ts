/**
 * What the telemedicine local-province tests share (telemedicine.test.ts, telemedicine-scheduling.test.ts):
 * calls as a hospital and its practitioner, a request for the seeded resident, the Task in an answer
 * and its owner, moves with If-Match, the inbox, and publishing a document the record locator knows.
 */
import { expect } from "vitest";
import { father, patientOf, publishBundle } from "#lib/world/index.ts";
import { mrnSystem, RESIDENT_ID_SYSTEM } from "#schemas/patient.ts";
import { DEPARTMENT_SYSTEM } from "#schemas/registry-codes.ts";
import { INFORMED_CONSENT_URL, OWNER_ORGANIZATION_URL, TELEMEDICINE_CATEGORY_SYSTEM } from "#schemas/telemedicine.ts";
import { call, type TestProvince, waitFor } from "../support/province.ts";

export type Hospital = TestProvince["credentials"]["hospitals"][number];
export type Json = Record<string, unknown>;
type Init = { body?: unknown; ifMatch?: string; practitioner?: string | null };

export function telemedicineCalls(province: () => TestProvince) {
  const hospital = (id: string) => province().credentials.hospitals.find((h) => h.id === id)!;
  const as = (h: Hospital, method: string, path: string, init: Init = {}) =>
    call(`${province().province.url}/cities/${h.cityId}${path}`, {
      method,
      token: h.credential,
      body: init.body,
      headers: {
        ...(init.practitioner === null ? {} : { "x-practitioner-id": init.practitioner ?? h.practitioners[0]! }),
        ...(init.ifMatch ? { "if-match": init.ifMatch } : {}),
      },
    });
  const ownerOf = (task: Json | undefined): Hospital | undefined => {
    const ext = (task?.extension as { url: string; valueReference: { reference: string } }[] | undefined)?.find(
      (e) => e.url === OWNER_ORGANIZATION_URL,
    );
    const org = ext?.valueReference.reference ?? (task?.owner as { reference?: string } | undefined)?.reference;
    return org?.startsWith("Organization/") ? hospital(org.split("/")[1]!) : undefined;
  };
  const move = (h: Hospital, task: Json, body: Json) =>
    as(h, "PUT", `/fhir/Task/${String(task.id)}`, { body: { resourceType: "Task", ...body }, ifMatch: version(task) });

  /** The Communications about a Task in a hospital's inbox (a poll hides what it returned for the visibility period: each sees new ones) */
  async function inboxAbout(h: Hospital, taskId: string): Promise<string[]> {
    const res = await as(h, "GET", "/fep/inbox?wait=0", { practitioner: null });
    const items = ((res.json?.entry as { resource: Json }[] | undefined) ?? []).map((e) => e.resource);
    return items
      .filter((c) => (c.payload as { contentReference: { reference: string } }[])[0]!.contentReference.reference === `Task/${taskId}`)
      .map((c) => (c.category as { text: string }[])[0]!.text);
  }

  /** Publishes a document for the resident at `h` (fed under its MRN first) and waits until the hub's record locator has it */
  async function publish(h: Hospital, master: string): Promise<string> {
    const local = { system: mrnSystem(h.id), value: `TM-${h.id}` };
    const fed = await as(h, "POST", "/fhir/Patient", { body: patientOf(h.id, local.value, father), practitioner: null });
    expect(fed.status).toBeLessThan(300);
    const res = await as(h, "POST", "/fhir", {
      body: publishBundle(h, master, local, { bytes: Buffer.from(`<ClinicalDocument>${master}</ClinicalDocument>`), withList: false }),
    });
    expect(res.status, JSON.stringify(res.json)).toBe(201);
    const id = String((res.json!.entry as { response: { location: string } }[])[0]!.response.location).split("/")[1]!;
    const query = `/fhir/DocumentReference?patient.identifier=${encodeURIComponent(`${RESIDENT_ID_SYSTEM}|${father.residentId}`)}`;
    await waitFor(
      async () => (await as(h, "GET", query)).json,
      (b) => ((b?.entry as { resource: { id: string } }[] | undefined) ?? []).some((e) => e.resource.id === id),
    );
    return id;
  }
  return { hospital, as, ownerOf, move, inboxAbout, publish };
}

/** A request for the seeded resident (father), naming `documentId` */
export const serviceRequest = (
  documentId: string,
  overrides: Json = {},
  priority = "routine",
  category = "imaging-read",
  specialty = "internal-medicine",
) => ({
  resourceType: "ServiceRequest",
  category: [{ coding: [{ system: TELEMEDICINE_CATEGORY_SYSTEM, code: category }] }],
  priority,
  subject: { identifier: { system: RESIDENT_ID_SYSTEM, value: father.residentId } },
  performerType: { coding: [{ system: DEPARTMENT_SYSTEM, code: specialty }] },
  reasonCode: [{ text: "shadow on the chest film: second opinion" }],
  supportingInfo: [{ reference: `DocumentReference/${documentId}` }],
  extension: [{ url: INFORMED_CONSENT_URL, valueBoolean: true }],
  ...overrides,
});

export const taskOf = (bundle: Json | undefined) =>
  ((bundle?.entry as { resource: Json }[] | undefined) ?? []).find((e) => e.resource.resourceType === "Task")?.resource;
export const version = (resource: Json | undefined) => `W/"${(resource?.meta as { versionId: string } | undefined)?.versionId}"`;
export const business = (task: Json | undefined) => (task?.businessStatus as { coding: { code: string }[] } | undefined)?.coding[0]?.code;
