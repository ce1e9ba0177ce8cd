/**
 * The nodes as integrators call them (docs/fhir-clients.md): a maintained FHIR client library,
 * fhir-kit-client, drives every interaction each node's CapabilityStatement declares, against the
 * local province. Every call goes through the library as a hospital's or the operator's code would
 * make it (its URLs, its headers, its paging); the last test of each node fails naming any declared
 * interaction that no test drove to a 2xx, so a route added without its interaction working through
 * the client fails the suite.
 *
 * A city (Baoding): a hospital feeds a resident, publishes five documents through `transaction`
 * (which the library posts to `[base]/`), pages them two at a time to the end, reads each by id and
 * its Binary, finds them in `$everything`, withdraws a sixth; records, finds and reads an encounter;
 * subscribes; claims, and reads the settlement and its inbox Communication by id; registers staff;
 * reads the registries, following `next` links; records and revokes a consent; resolves a drug; requests a remote
 * read and schedules a consult's session (slots, $hold, $book, cancel). A Tangshan
 * hospital registers the resident and reads the documents and the encounter by id across cities. The hub:
 * the operator's registry writes and reads, the drug catalogue's changes and the audit trail.
 */
import { Client, type FhirResource } from "fhir-kit-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeLicense } from "#domain/registry/license.ts";
import { claimResponseId } from "#domain/settlement/claim-response.ts";
import { makeUscc } from "#domain/uscc.ts";
import { generateDrugCatalogue } from "#lib/seed/drugs.ts";
import { HEBEI_DIVISIONS } from "#lib/seed/hebei-divisions.ts";
import { claimOf } from "#lib/world/claims.ts";
import { consentOf } from "#lib/world/consents.ts";
import { FATHER_ID, father, patientOf, publishBundle } from "#lib/world/index.ts";
import { EMPI_SYSTEM, mrnSystem, RESIDENT_ID_SYSTEM } from "#schemas/patient.ts";
import { DEPARTMENT_SYSTEM, PRACTITIONER_SYSTEM, USCC_SYSTEM } from "#schemas/registry-codes.ts";
import { claimSystem } from "#schemas/settlement.ts";
import { INFORMED_CONSENT_URL, TELEMEDICINE_CATEGORY_SYSTEM } from "#schemas/telemedicine.ts";
import { startTestProvince, type TestProvince, waitFor } from "../support/province.ts";

type Hospital = TestProvince["credentials"]["hospitals"][number];
type Bundle = FhirResource & {
  total?: number;
  entry?: { resource: FhirResource & { id: string } }[];
  link: { relation: string; url: string }[];
};
type Statement = { rest: { interaction?: { code: string }[]; resource: { type: string; interaction: { code: string }[] }[] }[] };

let t: TestProvince;
let bd: Hospital; // Baoding: publishes, records, claims, registers staff
let ts: Hospital; // Tangshan: reads Baoding's records by id
const clients = {} as Record<"bd" | "ts" | "hub", Client>;

/** "<node> <Type> <interaction>" (or "<node> transaction") driven to a 2xx through the library */
const driven = new Set<string>();
async function drive<T>(key: string, call: Promise<T>): Promise<T> {
  const answer = await call; // the library throws on anything but a 2xx
  driven.add(key);
  return answer;
}

/** The interactions a node's CapabilityStatement declares, as drive() keys */
async function declared(node: "city" | "hub", client: Client): Promise<string[]> {
  const statement = (await client.capabilityStatement()) as unknown as Statement;
  const rest = statement.rest[0]!;
  return [
    ...(rest.interaction ?? []).map((i) => `${node} ${i.code}`),
    ...rest.resource.flatMap((r) => r.interaction.map((i) => `${node} ${r.type} ${i.code}`)),
  ].sort();
}

const client = (base: string, token: string, practitioner?: string) =>
  new Client({ baseUrl: base, bearerToken: token, customHeaders: practitioner ? { "x-practitioner-id": practitioner } : {} });
const statusOf = async (call: Promise<unknown>): Promise<{ status: number; data: unknown }> =>
  call.then(
    () => ({ status: 200, data: undefined }),
    (error: { response?: { status: number; data: unknown } }) => error.response ?? { status: 0, data: String(error) },
  );
const ids = (bundle: Bundle) => (bundle.entry ?? []).map((e) => e.resource.id);
/** Every page of a search, following `next` links as the library does */
async function allPages(c: Client, first: Bundle): Promise<Bundle[]> {
  const pages = [first];
  for (let next = c.nextPage({ bundle: first }); next; next = c.nextPage({ bundle: pages.at(-1)! })) pages.push((await next) as Bundle);
  return pages;
}

const mrn = { system: "", value: "FC-1" };
/** A telemedicine request for the resident, naming the first document published */
const telemedicineRequest = (category: string, specialty: string) =>
  ({
    resourceType: "ServiceRequest",
    category: [{ coding: [{ system: TELEMEDICINE_CATEGORY_SYSTEM, code: category }] }],
    priority: "routine",
    subject: { identifier: { system: RESIDENT_ID_SYSTEM, value: FATHER_ID } },
    performerType: { coding: [{ system: DEPARTMENT_SYSTEM, code: specialty }] },
    note: [{ text: "second opinion" }],
    supportingInfo: [{ reference: `DocumentReference/${[...documents.keys()][0]}` }],
    extension: [{ url: INFORMED_CONSENT_URL, valueBoolean: true }],
  }) as unknown as FhirResource;
const residentToken = `${RESIDENT_ID_SYSTEM}|${FATHER_ID}`;
let empi = "";
const documents = new Map<string, Buffer>(); // published document id → its bytes

beforeAll(async () => {
  t = await startTestProvince();
  const inCity = (city: string) => t.credentials.hospitals.find((h) => h.cityId === city && h.practitioners.length > 0)!;
  [bd, ts] = [inCity("baoding"), inCity("tangshan")];
  mrn.system = mrnSystem(bd.id);
  const url = t.province.url;
  clients.bd = client(`${url}/cities/baoding/fhir`, bd.credential, bd.practitioners[0]);
  clients.ts = client(`${url}/cities/tangshan/fhir`, ts.credential, ts.practitioners[0]);
  clients.hub = client(`${url}/hub/fhir`, t.credentials.operator);
}, 120_000);
afterAll(async () => {
  await t?.province.stop();
});

describe("a city node through fhir-kit-client", () => {
  it("feeds, updates and finds the resident (Patient create, update, search)", async () => {
    const created = await drive(
      "city Patient create",
      clients.bd.create({ resourceType: "Patient", body: patientOf(bd.id, mrn.value, father) }),
    );
    empi = ((created.identifier ?? []) as { system: string; value: string }[]).find((i) => i.system === EMPI_SYSTEM)!.value;
    expect(empi).toMatch(/^E\d+$/);
    const updated = await drive(
      "city Patient update",
      clients.bd.update({
        resourceType: "Patient",
        searchParams: { identifier: `${mrn.system}|${mrn.value}` },
        body: patientOf(bd.id, mrn.value, { ...father, phone: "13900000001" }),
      }),
    );
    expect(updated.resourceType).toBe("Patient");
    const found = (await drive(
      "city Patient search-type",
      clients.bd.search({ resourceType: "Patient", searchParams: { identifier: residentToken } }),
    )) as Bundle;
    expect(found.entry?.length).toBeGreaterThan(0);
  });

  it("publishes five documents through transaction (posted to [base]/) and a sixth it withdraws (DocumentReference update)", async () => {
    for (let n = 1; n <= 6; n++) {
      const bytes = Buffer.from(`出院小结 ${n} of resident ${FATHER_ID}: ${"x".repeat(100 * n)}`);
      const bundle = publishBundle(bd, `FC-D${n}`, mrn, { bytes, contentType: "text/plain", date: `2026-11-0${n}T09:00:00+08:00` });
      const answer = (await drive("city transaction", clients.bd.transaction({ body: bundle }))) as Bundle;
      expect(answer).toMatchObject({ resourceType: "Bundle", type: "transaction-response" });
      const location = (answer.entry as unknown as { response: { location: string } }[])
        .map((e) => e.response.location)
        .find((l) => l.startsWith("DocumentReference/"))!;
      documents.set(location.split("/")[1]!, bytes);
    }
    const sixth = [...documents.keys()].at(-1)!;
    const withdrawn = await drive(
      "city DocumentReference update",
      clients.bd.update({
        resourceType: "DocumentReference",
        id: sixth,
        body: { resourceType: "DocumentReference", status: "entered-in-error" },
      }),
    );
    expect(withdrawn).toMatchObject({ id: sixth, status: "entered-in-error" });
    documents.delete(sixth);
  });

  it("pages the resident's documents two at a time to the end, and reads each by id and its Binary", async () => {
    const first = (await drive(
      "city DocumentReference search-type",
      clients.bd.search({ resourceType: "DocumentReference", searchParams: { "patient.identifier": residentToken, _count: 2 } }),
    )) as Bundle;
    const pages = await allPages(clients.bd, first);
    expect(pages.map((p) => p.entry?.length ?? 0)).toEqual([2, 2, 1]);
    for (const page of pages) {
      expect(page.total).toBe(5);
      expect(page.link?.find((l) => l.relation === "self")).toBeDefined();
    }
    const found = pages.flatMap(ids);
    expect(found.sort()).toEqual([...documents.keys()].sort());
    for (const page of pages)
      for (const { resource } of page.entry ?? []) {
        const read = await drive("city DocumentReference read", clients.bd.read({ resourceType: "DocumentReference", id: resource.id }));
        expect(read).toEqual(resource);
        const url = (resource.content as { attachment: { url: string } }[])[0]!.attachment.url;
        const binaryId = url.split("/").at(-1)!;
        const binary = await drive("city Binary read", clients.bd.read({ resourceType: "Binary", id: binaryId }));
        expect(binary).toMatchObject({ resourceType: "Binary", contentType: "text/plain" });
        expect(Buffer.from(String(binary.data), "base64").equals(documents.get(resource.id)!)).toBe(true);
      }
  });

  it("refuses a page token followed by another caller, and a page token altered (400 naming _pageToken)", async () => {
    const first = (await clients.bd.search({
      resourceType: "DocumentReference",
      searchParams: { "patient.identifier": residentToken, _count: 2 },
    })) as Bundle;
    const next = first.link!.find((l) => l.relation === "next")!.url;
    const other = client(`${t.province.url}/cities/baoding/fhir`, bd.credential, bd.practitioners[1] ?? bd.practitioners[0]);
    const colleague = bd.practitioners[1] ? await statusOf(other.request(next)) : { status: 400, data: { skipped: true } };
    const tampered = await statusOf(
      clients.bd.request(next.replace(/_pageToken=(.)/, (_, c: string) => `_pageToken=${c === "A" ? "B" : "A"}`)),
    );
    for (const answer of [colleague, tampered]) {
      expect(answer.status).toBe(400);
      if (!(answer.data as { skipped?: boolean }).skipped)
        expect(answer.data).toMatchObject({ resourceType: "OperationOutcome", issue: [{ expression: ["_pageToken"] }] });
    }
  });

  it("records an encounter, finds it and reads it by id (Encounter create, search, read)", async () => {
    const body = {
      resourceType: "Encounter",
      identifier: [{ system: `https://hebei.health/sid/encounter/${bd.id}`, value: "FC-E1" }],
      status: "finished",
      class: { system: "http://terminology.hl7.org/CodeSystem/v3-ActCode", code: "AMB", display: "ambulatory" },
      subject: { identifier: mrn },
      period: { start: "2026-11-07T09:00:00+08:00", end: "2026-11-07T10:00:00+08:00" },
    };
    const created = await drive("city Encounter create", clients.bd.create({ resourceType: "Encounter", body }));
    const found = (await drive(
      "city Encounter search-type",
      clients.bd.search({ resourceType: "Encounter", searchParams: { "patient.identifier": residentToken } }),
    )) as Bundle;
    expect(ids(found)).toContain(created.id);
    const read = await drive("city Encounter read", clients.bd.read({ resourceType: "Encounter", id: String(created.id) }));
    expect(read).toEqual(found.entry!.find((e) => e.resource.id === created.id)!.resource);
  });

  it("finds everything in $everything", async () => {
    const everything = (await clients.bd.operation({ name: "everything", resourceType: "Patient", id: empi, method: "GET" })) as Bundle;
    const held = ids(everything);
    for (const id of documents.keys()) expect(held).toContain(id);
    expect(everything.entry!.some((e) => e.resource.resourceType === "Encounter")).toBe(true);
  });

  it("reads another city's documents and encounter by id, once the hub holds them", async () => {
    // Tangshan's hospital registers the resident first: its treatment relationship opens the record (docs/consent.md)
    await clients.ts.create({ resourceType: "Patient", body: patientOf(ts.id, "FC-T1", father) });
    const wanted = [...documents.keys()];
    await waitFor(
      async () =>
        ids(
          (await clients.ts.search({ resourceType: "DocumentReference", searchParams: { "patient.identifier": residentToken } })) as Bundle,
        ),
      (found) => wanted.every((id) => found.includes(id)),
      60_000,
    );
    for (const id of wanted)
      expect(await clients.ts.read({ resourceType: "DocumentReference", id })).toMatchObject({ id, status: "current" });
    const encounters = (await clients.ts.search({
      resourceType: "Encounter",
      searchParams: { "patient.identifier": residentToken },
    })) as Bundle;
    const encounter = ids(encounters)[0]!;
    expect(await clients.ts.read({ resourceType: "Encounter", id: encounter })).toMatchObject({ id: encounter });
    expect((await statusOf(clients.ts.read({ resourceType: "Encounter", id: `baoding-e${"0".repeat(31)}` }))).status).toBe(404);
  }, 90_000);

  it("requests a remote read and follows its Task (ServiceRequest create, Task search, read, update)", async () => {
    const body = telemedicineRequest("imaging-read", "medical-imaging");
    const created = (await drive("city ServiceRequest create", clients.bd.create({ resourceType: "ServiceRequest", body }))) as Bundle;
    const task = created.entry!.map((e) => e.resource).find((r) => r.resourceType === "Task")!;
    const found = (await drive(
      "city Task search-type",
      clients.bd.search({ resourceType: "Task", searchParams: { requester: `Organization/${bd.id}` } }),
    )) as Bundle;
    expect(ids(found)).toContain(task.id);
    const read = (await drive("city Task read", clients.bd.read({ resourceType: "Task", id: task.id }))) as FhirResource & {
      meta: { versionId: string };
    };
    const cancelled = await drive(
      "city Task update",
      clients.bd.update({
        resourceType: "Task",
        id: task.id,
        body: { resourceType: "Task", id: task.id, status: "cancelled" } as FhirResource,
        options: { headers: { "if-match": `W/"${read.meta.versionId}"` } },
      }),
    );
    expect(cancelled).toMatchObject({ id: task.id, status: "cancelled" });
  });

  it("schedules a consult's session (Slot search, Appointment $hold, $book, read, update)", async () => {
    const body = telemedicineRequest("consult", "internal-medicine");
    const created = (await clients.bd.create({ resourceType: "ServiceRequest", body })) as Bundle;
    const task = created.entry!.map((e) => e.resource).find((r) => r.resourceType === "Task")! as FhirResource & {
      id: string;
      meta: { versionId: string };
      owner: { reference: string };
      extension: { valueReference: { reference: string } }[];
      for: { reference: string };
    };
    // the expert's hospital accepts, through the library too
    const owner = t.credentials.hospitals.find((h) => `Organization/${h.id}` === task.extension[0]!.valueReference.reference)!;
    const ownerClient = client(`${t.province.url}/cities/${owner.cityId}/fhir`, owner.credential, owner.practitioners[0]);
    await ownerClient.update({
      resourceType: "Task",
      id: task.id,
      body: { resourceType: "Task", id: task.id, status: "accepted" } as FhirResource,
      options: { headers: { "if-match": `W/"${task.meta.versionId}"` } },
    });
    const slots = (await drive(
      "city Slot search-type",
      clients.bd.search({ resourceType: "Slot", searchParams: { "schedule.actor": task.owner.reference, status: "free" } }),
    )) as Bundle;
    const [first] = ids(slots);
    const parameters = (slot: string) =>
      ({
        resourceType: "Parameters",
        parameter: [
          { name: "slot", valueReference: { reference: `Slot/${slot}` } },
          { name: "task", valueReference: { reference: `Task/${task.id}` } },
          { name: "patient", valueReference: { reference: task.for.reference } },
        ],
      }) as unknown as FhirResource;
    const held = (await clients.bd.operation({ name: "hold", resourceType: "Appointment", input: parameters(first!) })) as FhirResource & {
      id: string;
    };
    expect(held).toMatchObject({ resourceType: "Appointment", status: "pending" });
    const booked = await ownerClient.operation({
      name: "book",
      resourceType: "Appointment",
      input: { resourceType: "Parameters", parameter: [{ name: "appointment", valueReference: { reference: `Appointment/${held.id}` } }] },
    });
    expect(booked).toMatchObject({ id: held.id, status: "booked" });
    expect(await drive("city Appointment read", clients.bd.read({ resourceType: "Appointment", id: held.id }))).toMatchObject({
      id: held.id,
      status: "booked",
    });
    expect((await statusOf(clients.bd.operation({ name: "book", resourceType: "Appointment", input: parameters(first!) }))).status).toBe(
      409,
    );
    const cancelled = await drive(
      "city Appointment update",
      clients.bd.update({
        resourceType: "Appointment",
        id: held.id,
        body: { resourceType: "Appointment", id: held.id, status: "cancelled" } as FhirResource,
      }),
    );
    expect(cancelled).toMatchObject({ status: "cancelled" });
  });

  it("subscribes to the resident, finds, reads and removes the subscription (Subscription create, search, read, delete)", async () => {
    const body = {
      resourceType: "Subscription",
      status: "requested",
      reason: "care",
      criteria: `DocumentReference?patient.identifier=${residentToken}`,
      channel: { type: "message" },
    };
    const created = await drive("city Subscription create", clients.bd.create({ resourceType: "Subscription", body }));
    const id = String(created.id);
    const found = (await drive("city Subscription search-type", clients.bd.search({ resourceType: "Subscription" }))) as Bundle;
    expect(ids(found)).toContain(id);
    expect(await drive("city Subscription read", clients.bd.read({ resourceType: "Subscription", id }))).toMatchObject({ id });
    await drive("city Subscription delete", clients.bd.delete({ resourceType: "Subscription", id }));
    expect((await statusOf(clients.bd.read({ resourceType: "Subscription", id }))).status).toBe(404);
  });

  it("claims, finds the settlement, reads it and its inbox Communication by id (Claim create, ClaimResponse search and read, Communication read)", async () => {
    const claim = claimOf(bd, "FC-C1", mrn, { items: [["A", 320.5]], start: "2026-11-07", created: "2026-11-07T11:00:00+08:00" });
    await drive("city Claim create", clients.bd.create({ resourceType: "Claim", body: { resourceType: "Claim", ...claim } }));
    const search = () =>
      drive(
        "city ClaimResponse search-type",
        clients.bd.search({ resourceType: "ClaimResponse", searchParams: { "request.identifier": `${claimSystem(bd.id)}|FC-C1` } }),
      ) as Promise<Bundle>;
    const settled = await waitFor(search, (b) => (b.entry?.length ?? 0) > 0, 60_000);
    const response = settled.entry![0]!.resource;
    expect(response.id).toBe(claimResponseId({ hospitalId: bd.id, claimNumber: "FC-C1", action: "submit" }));
    expect(await drive("city ClaimResponse read", clients.bd.read({ resourceType: "ClaimResponse", id: response.id }))).toEqual(response);
    const communicationId = `cr-${response.id}`.slice(0, 64);
    const communication = await waitFor(
      () => statusOf(clients.bd.read({ resourceType: "Communication", id: communicationId })),
      (a) => a.status === 200,
      30_000,
    );
    expect(communication.status).toBe(200);
    const read = await drive("city Communication read", clients.bd.read({ resourceType: "Communication", id: communicationId }));
    expect(read).toMatchObject({ id: communicationId, payload: [{ contentReference: { reference: `ClaimResponse/${response.id}` } }] });
  }, 90_000);

  it("registers a nurse and her role, then ends the role (Practitioner create, PractitionerRole create and update)", async () => {
    const license = makeLicense({ type: "nurse", prefecture: "1306", year: 2031, serial: 4242 });
    const nurse = await drive(
      "city Practitioner create",
      clients.bd.create({
        resourceType: "Practitioner",
        body: {
          resourceType: "Practitioner",
          identifier: [{ system: PRACTITIONER_SYSTEM, value: license }],
          name: [{ text: "客户端护士", family: "客", given: ["户端护士"] }],
          gender: "female",
        },
      }),
    );
    const role = {
      resourceType: "PractitionerRole",
      practitioner: { reference: `Practitioner/${nurse.id}` },
      organization: { reference: `Organization/${bd.id}` },
      code: [{ coding: [{ system: "http://terminology.hl7.org/CodeSystem/practitioner-role", code: "nurse" }] }],
    };
    const registered = await drive("city PractitionerRole create", clients.bd.create({ resourceType: "PractitionerRole", body: role }));
    const ended = await drive(
      "city PractitionerRole update",
      clients.bd.update({
        resourceType: "PractitionerRole",
        id: String(registered.id),
        body: { ...role, id: registered.id, active: false },
      }),
    );
    expect(ended).toMatchObject({ active: false });
  });

  it("searches and reads the registries, following next links (Organization, Location, Practitioner, PractitionerRole)", async () => {
    await searchAndRead("city", clients.bd, bd);
  });

  it("records a resident's consent, finds it and revokes it (Consent create, search, update)", async () => {
    const body = consentOf(
      { system: RESIDENT_ID_SYSTEM, value: FATHER_ID },
      { type: "permit", actors: [ts.id], purposes: ["TREAT"] },
    ) as FhirResource;
    const created = await drive("city Consent create", clients.bd.create({ resourceType: "Consent", body }));
    const found = (await drive(
      "city Consent search-type",
      clients.bd.search({ resourceType: "Consent", searchParams: { "patient.identifier": residentToken } }),
    )) as Bundle;
    expect(ids(found)).toContain(created.id);
    const revoked = await drive(
      "city Consent update",
      clients.bd.update({ resourceType: "Consent", id: String(created.id), body: { ...body, id: created.id, status: "inactive" } }),
    );
    expect(revoked).toMatchObject({ id: created.id, status: "inactive" });
  });

  it("resolves a drug by any of its codes (MedicationKnowledge search)", async () => {
    const drug = generateDrugCatalogue()[0]!;
    const found = (await drive(
      "city MedicationKnowledge search-type",
      clients.bd.search({ resourceType: "MedicationKnowledge", searchParams: { code: drug.nationalDrugCode } }),
    )) as Bundle;
    expect(found.entry).toHaveLength(1);
  });

  it("speaks JSON: _format=json and Accept application/json are served, XML is a 406 saying so", async () => {
    const asJson = await clients.bd.request(`Organization/${bd.id}?_format=json`);
    expect(asJson).toMatchObject({ resourceType: "Organization", id: bd.id });
    const plain = await clients.bd.read({ resourceType: "Organization", id: bd.id, options: { headers: { accept: "application/json" } } });
    expect(plain).toMatchObject({ id: bd.id });
    // one request at a time: the second, started while the first is awaited, could reject unhandled
    for (const refused of [
      () => clients.bd.read({ resourceType: "Organization", id: bd.id, options: { headers: { accept: "application/fhir+xml" } } }),
      () => clients.bd.request(`Organization/${bd.id}?_format=xml`),
    ]) {
      const answer = await statusOf(refused());
      expect(answer.status).toBe(406);
      expect(answer.data).toMatchObject({ resourceType: "OperationOutcome", issue: [{ code: "not-supported" }] });
      expect(JSON.stringify(answer.data)).toContain("JSON");
    }
  });

  it("drove every interaction the city's CapabilityStatement declares", async () => {
    const wanted = await declared("city", clients.bd);
    expect(wanted.filter((key) => !driven.has(key))).toEqual([]);
    expect(wanted).toContain("city transaction");
    expect(wanted).toContain("city DocumentReference read");
  });
});

/** Each registry type: a search with _count 2 followed to its second page, and a read of what it found */
async function searchAndRead(node: "city" | "hub", c: Client, h: Hospital) {
  const county = `county-${HEBEI_DIVISIONS.baoding[0]!.code}`;
  const searches: [string, Record<string, string | number>][] = [
    ["Organization", { partof: county, _count: 2 }],
    ["Location", { organization: h.id, _count: 2 }],
    ["PractitionerRole", { organization: h.id, _count: 2 }],
    ["Practitioner", { name: "王", _count: 2 }],
  ];
  for (const [resourceType, searchParams] of searches) {
    const first = (await drive(`${node} ${resourceType} search-type`, c.search({ resourceType, searchParams }))) as Bundle;
    expect(first.entry?.length, resourceType).toBeGreaterThan(0);
    const next = c.nextPage({ bundle: first });
    if ((first.total ?? 0) > 2) {
      const second = (await next) as Bundle;
      expect(
        ids(second).some((id) => ids(first).includes(id)),
        resourceType,
      ).toBe(false);
    }
    const id = ids(first)[0]!;
    expect(await drive(`${node} ${resourceType} read`, c.read({ resourceType, id }))).toMatchObject({ resourceType, id });
  }
}

describe("the hub through fhir-kit-client (the operator)", () => {
  const division = HEBEI_DIVISIONS.baoding[0]!.code;
  const clinicId = "bd-fhir-client-clinic";

  it("adds and renames a facility and its site (Organization and Location create, update)", async () => {
    const clinic = {
      resourceType: "Organization",
      id: clinicId,
      active: true,
      type: [{ coding: [{ system: "http://terminology.hl7.org/CodeSystem/organization-type", code: "prov" }] }],
      identifier: [
        { system: USCC_SYSTEM, value: makeUscc({ authority: "1", category: "2", divisionCode: division, orgBody8: "40999977" }) },
      ],
      name: "保定市客户端门诊部",
      address: [{ state: "河北省", city: "保定市" }],
      partOf: { reference: `Organization/county-${division}` },
    };
    await drive("hub Organization create", clients.hub.create({ resourceType: "Organization", body: clinic }));
    const renamed = await drive(
      "hub Organization update",
      clients.hub.update({ resourceType: "Organization", id: clinicId, body: { ...clinic, name: "保定市客户端改名门诊部" } }),
    );
    expect(renamed).toMatchObject({ name: "保定市客户端改名门诊部" });
    const site = {
      resourceType: "Location",
      name: "保定市客户端门诊部门诊楼",
      managingOrganization: { reference: `Organization/${clinicId}` },
    };
    const location = await drive("hub Location create", clients.hub.create({ resourceType: "Location", body: site }));
    const { meta: _meta, ...stored } = location;
    const described = await drive(
      "hub Location update",
      clients.hub.update({ resourceType: "Location", id: String(location.id), body: { ...stored, description: "门诊楼" } }),
    );
    expect(described).toMatchObject({ description: "门诊楼" });
  });

  it("corrects a practitioner (Practitioner update)", async () => {
    const doctor = await clients.hub.read({ resourceType: "Practitioner", id: bd.practitioners[0]! });
    const { meta: _meta, ...body } = doctor;
    const corrected = await drive(
      "hub Practitioner update",
      clients.hub.update({ resourceType: "Practitioner", id: String(doctor.id), body: { ...body, gender: body.gender ?? "unknown" } }),
    );
    expect(corrected).toMatchObject({ id: doctor.id });
  });

  it("searches and reads the registries, following next links", async () => {
    await searchAndRead("hub", clients.hub, bd);
  });

  it("lists the drug catalogue's changes since an instant (MedicationKnowledge search)", async () => {
    const changes = (await drive(
      "hub MedicationKnowledge search-type",
      clients.hub.search({ resourceType: "MedicationKnowledge", searchParams: { _lastUpdated: "gt2099-01-01T00:00:00Z" } }),
    )) as Bundle;
    expect(changes.resourceType).toBe("Bundle");
    expect(changes.entry ?? []).toHaveLength(0);
  });

  it("finds a month's public-health figures of a city (MeasureReport search)", async () => {
    const figures = (await drive(
      "hub MeasureReport search-type",
      clients.hub.search({ resourceType: "MeasureReport", searchParams: { period: "2099-01", subject: "baoding" } }),
    )) as Bundle;
    expect(figures).toMatchObject({ resourceType: "Bundle", type: "searchset" });
    expect(figures.entry ?? []).toHaveLength(0);
  });

  it("searches the audit trail and reads an AuditEvent by id", async () => {
    const found = (await waitFor(
      () =>
        drive("hub AuditEvent search-type", clients.hub.search({ resourceType: "AuditEvent", searchParams: { agent: bd.id, _count: 5 } })),
      (b) => ((b as Bundle).entry?.length ?? 0) > 0,
      60_000,
    )) as Bundle;
    const event = found.entry![0]!.resource;
    expect(await drive("hub AuditEvent read", clients.hub.read({ resourceType: "AuditEvent", id: event.id }))).toMatchObject({
      id: event.id,
    });
  }, 90_000);

  it("drove every interaction the hub's CapabilityStatement declares", async () => {
    const wanted = await declared("hub", clients.hub);
    expect(wanted.filter((key) => !driven.has(key))).toEqual([]);
    expect(wanted).not.toContain("hub AuditEvent create");
  });
});
