/**
 * Who may act as whom (issue 12), through the local province: a hospital cannot borrow another
 * hospital's doctor (a role for a practitioner active elsewhere waits for the operator), `active` from
 * a hospital is not taken, the operator corrects and deactivates practitioners, and only licensed
 * clinical roles read and author clinical content; every refusal is a 403 naming the reason, audited.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isValidEmpi } from "#domain/mpi/empi.ts";
import { PRACTITIONER_SYSTEM } from "#domain/registry/codes.ts";
import { makeLicense } from "#domain/registry/license.ts";
import { daughter, encounterOf, father, patientOf, publishBundle, son } from "#lib/world/index.ts";
import { makeResidentId } from "#schemas/checks/resident-id.ts";
import { EMPI_SYSTEM, mrnSystem, RESIDENT_ID_SYSTEM } from "#schemas/patient.ts";
import { clock } from "#shared/clock.ts";
import { call, startTestProvince, type TestProvince, waitFor } from "../support/province.ts";

let t: TestProvince;
type Hospital = TestProvince["credentials"]["hospitals"][number];
type Outcome = { resourceType: string; issue: { code: string; diagnostics: string; expression?: string[] }[] };
type Role = { id: string; active?: boolean; extension?: { url: string; valueCode?: string }[]; period?: { end?: string } };

const APPROVAL = "https://hebei.health/fhir/StructureDefinition/role-approval";
const inCity = (cityId: string, i: number) => t.credentials.hospitals.filter((h) => h.cityId === cityId)[i]!;
const cityUrl = (h: Hospital, path: string) => `${t.province.url}/cities/${h.cityId}${path}`;
const hubUrl = (path: string) => `${t.province.url}/hub${path}`;
const asOperator = (path: string, init: { method?: string; body?: unknown; headers?: Record<string, string> } = {}) =>
  call(hubUrl(path), { token: t.credentials.operator, ...init });
const outcome = (res: { json?: unknown }) => res.json as Outcome;
const approvalOf = (role: Role) => role.extension?.find((e) => e.url === APPROVAL)?.valueCode;

/** PDQm (reading patients' demographics) as `practitionerId` of `h`: 200 or 403 */
const pdq = (h: Hospital, practitionerId: string) =>
  call(cityUrl(h, `/fhir/Patient?identifier=${encodeURIComponent(`${RESIDENT_ID_SYSTEM}|${son.residentId}`)}`), {
    token: h.credential,
    headers: { "x-practitioner-id": practitionerId },
  });

const roleBody = (practitionerId: string, hospitalId: string, code = "doctor", extra: Record<string, unknown> = {}) => ({
  resourceType: "PractitionerRole",
  practitioner: { reference: `Practitioner/${practitionerId}` },
  organization: { reference: `Organization/${hospitalId}` },
  code: [
    {
      coding: [
        {
          system:
            code === "admin" || code === "technician"
              ? "https://hebei.health/fhir/CodeSystem/practitioner-role"
              : "http://terminology.hl7.org/CodeSystem/practitioner-role",
          code,
        },
      ],
    },
  ],
  ...extra,
});

/** The hub's AuditEvents naming `agent`, refused ones (outcome 4) */
const refusalsOf = async (agent: string): Promise<Record<string, unknown>[]> => {
  const res = await asOperator(`/fhir/AuditEvent?agent=${encodeURIComponent(agent)}&outcome=4&_count=500`);
  expect(res.status, JSON.stringify(res.json)).toBe(200);
  return ((res.json as { entry?: { resource: Record<string, unknown> }[] }).entry ?? []).map((e) => e.resource);
};
const mentions = (event: Record<string, unknown>, text: string) => JSON.stringify(event).includes(text);

beforeAll(async () => {
  t = await startTestProvince();
});
afterAll(async () => {
  await t?.province.stop();
});

describe("item 2: a hospital cannot borrow another hospital's doctor", { timeout: 180_000 }, () => {
  it("a role for a doctor active at another hospital is pending: not in force until the operator approves it", async () => {
    // b in another city: the seed's multi-site doctors work within their city, so b's doctor holds no role at a
    const [a, b] = [inCity("handan", 0), inCity("tangshan", 1)];
    const doctor = b.practitioners[0]!;
    // a registers a patient first, so that PDQm reaches beyond the practitioner check
    expect((await call(cityUrl(a, "/fhir/Patient"), { token: a.credential, body: patientOf(a.id, "AUTH-1", son) })).status).toBe(201);
    const registered = await call(cityUrl(a, "/fhir/PractitionerRole"), {
      token: a.credential,
      body: roleBody(doctor, a.id, "doctor", { active: true }),
    });
    expect(registered.status, JSON.stringify(registered.json)).toBe(201);
    const role = registered.json as unknown as Role;
    expect(role.active).toBe(false);
    expect(approvalOf(role)).toBe("pending");

    // a cannot act as b's doctor: refused with 403 naming the reason, and audited
    const borrowed = await pdq(a, doctor);
    expect(borrowed.status).toBe(403);
    expect(outcome(borrowed).issue[0]!.diagnostics).toContain(`no active role at ${a.id}`);
    await waitFor(
      () => refusalsOf(doctor),
      (events) => events.some((e) => mentions(e, a.id)),
    );

    // a PUT with active true from the hospital does not bring it into force
    const forced = await call(cityUrl(a, `/fhir/PractitionerRole/${role.id}`), {
      method: "PUT",
      token: a.credential,
      body: { ...roleBody(doctor, a.id), id: role.id, active: true },
    });
    expect(forced.status, JSON.stringify(forced.json)).toBe(200);
    expect((forced.json as unknown as Role).active).toBe(false);
    expect((await pdq(a, doctor)).status).toBe(403);

    // the operator approves multi-site practice (多点执业): the role comes into force
    const approved = await asOperator(`/fhir/PractitionerRole/${role.id}/$approve`, { method: "POST" });
    expect(approved.status, JSON.stringify(approved.json)).toBe(200);
    expect(approved.json).toMatchObject({ id: role.id, active: true });
    expect(approvalOf(approved.json as unknown as Role)).toBe("approved");
    expect((await pdq(a, doctor)).status).toBe(200);
    // approving twice is a conflict, not a second approval
    expect((await asOperator(`/fhir/PractitionerRole/${role.id}/$approve`, { method: "POST" })).status).toBe(409);
  });

  it("the operator rejects a pending role: it is ended and never in force", async () => {
    const [a, b] = [inCity("cangzhou", 0), inCity("chengde", 1)];
    const doctor = b.practitioners[0]!;
    const registered = await call(cityUrl(a, "/fhir/PractitionerRole"), { token: a.credential, body: roleBody(doctor, a.id) });
    expect(registered.status, JSON.stringify(registered.json)).toBe(201);
    const role = registered.json as unknown as Role;
    expect(approvalOf(role)).toBe("pending");
    const rejected = await asOperator(`/fhir/PractitionerRole/${role.id}/$reject`, { method: "POST" });
    expect(rejected.status, JSON.stringify(rejected.json)).toBe(200);
    expect(rejected.json).toMatchObject({ active: false, period: { end: expect.any(String) } });
    expect((await pdq(a, doctor)).status).toBe(403);
    // a hospital cannot approve: the route is the operator's
    const byHospital = await call(hubUrl(`/fhir/PractitionerRole/${role.id}/$approve`), { method: "POST", token: a.credential });
    expect(byHospital.status).toBe(403);
  });

  it("the operator lists the roles awaiting approval (a paged searchset, audited); a hospital may not (403, audited)", async () => {
    const a = inCity("xingtai", 0);
    const doctors = ["langfang", "zhangjiakou", "hengshui"].map((city) => inCity(city, 1).practitioners[0]!);
    const pending: string[] = [];
    for (const doctor of doctors) {
      const registered = await call(cityUrl(a, "/fhir/PractitionerRole"), { token: a.credential, body: roleBody(doctor, a.id) });
      expect(registered.status, JSON.stringify(registered.json)).toBe(201);
      expect(approvalOf(registered.json as unknown as Role)).toBe("pending");
      pending.push(String(registered.json!.id));
    }
    const since = clock.isoNow(); // the province's clock, which the AuditEvents record
    /** Every page of the operator's search, following the Bundle's next links */
    const listAll = async (query: string) => {
      const roles: Role[] = [];
      let path: string | undefined = `/fhir/PractitionerRole?${query}`;
      for (let pages = 0; path; pages++) {
        const res = await asOperator(path);
        expect(res.status, JSON.stringify(res.json)).toBe(200);
        expect(res.json).toMatchObject({ resourceType: "Bundle", type: "searchset" });
        const bundle = res.json as { entry?: { resource: Role }[]; link?: { relation: string; url: string }[] };
        roles.push(...(bundle.entry ?? []).map((e) => e.resource));
        const next = bundle.link?.find((l) => l.relation === "next")?.url;
        path = next ? `/fhir/PractitionerRole?${next.split("?")[1]}` : undefined;
        expect(pages).toBeLessThan(50);
      }
      return roles;
    };
    // two a page: the three roles come in more than one page, every one of them pending
    const listed = await listAll("approval=pending&_count=2");
    expect(listed.map((r) => r.id)).toEqual(expect.arrayContaining(pending));
    expect(listed.every((r) => approvalOf(r) === "pending" && r.active === false)).toBe(true);
    // decided roles leave the list: approved is listed as approved
    expect((await asOperator(`/fhir/PractitionerRole/${pending[0]}/$approve`, { method: "POST" })).status).toBe(200);
    expect((await listAll("approval=pending")).map((r) => r.id)).not.toContain(pending[0]);
    expect((await listAll("approval=approved")).map((r) => r.id)).toContain(pending[0]);
    // narrowed to one hospital, with the other parameters
    expect((await listAll(`approval=pending&organization=${a.id}`)).map((r) => r.id).sort()).toEqual(pending.slice(1).sort());

    // each of the operator's searches left an AuditEvent naming the query
    const audit = await asOperator(`/fhir/AuditEvent?date=ge${since}&outcome=0&_count=500`);
    expect(audit.status, JSON.stringify(audit.json)).toBe(200);
    const queries = ((audit.json as { entry?: { resource: { entity?: { query?: string }[] } }[] }).entry ?? []).flatMap((e) =>
      (e.resource.entity ?? []).flatMap((x) => (x.query ? [Buffer.from(x.query, "base64").toString("utf8")] : [])),
    );
    expect(queries.some((q) => q.startsWith("PractitionerRole?") && q.includes("approval=pending") && q.includes("_count=2"))).toBe(true);

    // a hospital's search by approval, through its city, is refused and audited; its other searches are not
    const byHospital = await call(cityUrl(a, "/fhir/PractitionerRole?approval=pending"), { token: a.credential });
    expect(byHospital.status, JSON.stringify(byHospital.json)).toBe(403);
    expect(outcome(byHospital).issue[0]!.expression).toEqual(["approval"]);
    expect((await call(cityUrl(a, `/fhir/PractitionerRole?organization=${a.id}`), { token: a.credential })).status).toBe(200);
    expect((await refusalsOf(a.id)).some((e) => mentions(e, "only the provincial operator"))).toBe(true);
  });

  it("a hospital's active: false on a new Practitioner is not kept, and the operator corrects and deactivates practitioners", async () => {
    const a = inCity("hengshui", 0);
    const license = makeLicense({
      type: "physician",
      division: "131102",
      level: 1,
      category: 1,
      year: 2031,
      serial: 1000 + Math.floor(Math.random() * 8999),
    });
    const practitioner = {
      resourceType: "Practitioner",
      active: false,
      identifier: [{ system: PRACTITIONER_SYSTEM, value: license }],
      name: [{ text: "冒名医生", family: "冒", given: ["名医生"] }],
    };
    const squatted = await call(cityUrl(a, "/fhir/Practitioner"), { token: a.credential, body: practitioner });
    expect(squatted.status, JSON.stringify(squatted.json)).toBe(201);
    const id = (squatted.json as { id: string }).id;
    expect(squatted.json).toMatchObject({ active: true });

    // the operator corrects the name
    const corrected = await asOperator(`/fhir/Practitioner/${id}`, {
      method: "PUT",
      body: { ...practitioner, id, active: true, name: [{ text: "王真名", family: "王", given: ["真名"] }] },
    });
    expect(corrected.status, JSON.stringify(corrected.json)).toBe(200);
    expect(corrected.json).toMatchObject({ name: [{ text: "王真名" }], meta: { versionId: "2" } });

    // a doctor of the hospital, deactivated by the operator, can no longer act
    const doctor = a.practitioners[0]!;
    expect((await pdq(a, doctor)).status).toBe(200);
    const read = await call(cityUrl(a, `/fhir/Practitioner/${doctor}`), { token: a.credential });
    expect(read.status, JSON.stringify(read.json)).toBe(200);
    const stored = read.json as Record<string, unknown>;
    const { meta: _meta, ...body } = stored;
    const deactivated = await asOperator(`/fhir/Practitioner/${doctor}`, { method: "PUT", body: { ...body, active: false } });
    expect(deactivated.status, JSON.stringify(deactivated.json)).toBe(200);
    const refused = await pdq(a, doctor);
    expect(refused.status).toBe(403);
    expect(outcome(refused).issue[0]!.diagnostics).toContain("not active");
    // a hospital cannot reach the operator's route
    expect((await call(hubUrl(`/fhir/Practitioner/${doctor}`), { method: "PUT", token: a.credential, body })).status).toBe(403);
  });

  it("admin and technician roles, which need no licence, may not read clinical content (403 naming the reason, audited)", async () => {
    const h = inCity("langfang", 0);
    type Found = { entry?: { resource: { practitioner: { reference: string }; code: { coding: { code: string }[] }[] } }[] };
    const search = async (query: string) =>
      ((await call(cityUrl(h, `/fhir/PractitionerRole?${query}`), { token: h.credential })).json as Found).entry ?? [];
    let admin: string | undefined;
    for (const e of await search(`organization=${h.id}&role=admin&_count=20`)) {
      const id = e.resource.practitioner.reference.replace("Practitioner/", "");
      const codes = (await search(`practitioner=${id}`)).map((r) => r.resource.code[0]!.coding[0]!.code);
      if (codes.every((c) => c === "admin")) admin = id;
      if (admin) break;
    }
    if (!admin) throw new Error(`no administrative staff without a clinical role at ${h.id}`);
    const res = await pdq(h, admin);
    expect(res.status).toBe(403);
    expect(outcome(res).resourceType).toBe("OperationOutcome");
    expect(outcome(res).issue[0]!.diagnostics).toContain("licensed clinical role");
    await waitFor(
      () => refusalsOf(admin),
      (events) => events.some((e) => mentions(e, "licensed clinical role")),
    );
    expect((await pdq(h, h.practitioners[0]!)).status).toBe(200);
  });
});

describe("item 5: stored resources carry only checked claims", { timeout: 180_000 }, () => {
  type Doc = Record<string, unknown> & { author: { reference: string }[] };
  const bytes = Buffer.from("<ClinicalDocument>authority</ClinicalDocument>");
  /** `h` publishes a document about its patient `mrn`, its DocumentReference changed by `change` */
  const publish = (h: Hospital, master: string, mrn: string, change: (doc: Doc) => void = () => {}) => {
    const bundle = publishBundle(h, master, { system: mrnSystem(h.id), value: mrn }, { bytes, withList: false });
    change(bundle.entry.find((e) => (e.resource as Doc).resourceType === "DocumentReference")!.resource as Doc);
    return call(cityUrl(h, "/fhir"), { token: h.credential, body: bundle, headers: { "x-practitioner-id": h.practitioners[0]! } });
  };
  const refusedNaming = (res: { status: number; json?: unknown }, field: string) => {
    expect(res.status, JSON.stringify(res.json)).toBe(403);
    expect(
      outcome(res)
        .issue.map((i) => i.expression?.[0] ?? "")
        .join(" "),
    ).toContain(field);
  };

  it("refuses another hospital's author, custodian, related document and serviceProvider; drops unknown fields", async () => {
    const [h, other] = [inCity("xingtai", 0), inCity("xingtai", 1)];
    for (const x of [h, other])
      expect((await call(cityUrl(x, "/fhir/Patient"), { token: x.credential, body: patientOf(x.id, "AUTH-5", son) })).status).toBe(201);
    const theirs = await publish(other, "AUTH-THEIRS", "AUTH-5");
    expect(theirs.status, JSON.stringify(theirs.json)).toBe(201);
    const theirId = String((theirs.json as { entry: { response: { location: string } }[] }).entry[0]!.response.location).split("/")[1]!;

    const roles = await call(cityUrl(h, `/fhir/PractitionerRole?practitioner=${other.practitioners[0]}`), { token: h.credential });
    const theirRole = (roles.json as { entry: { resource: { id: string } }[] }).entry[0]!.resource.id;
    refusedNaming(
      await publish(h, "AUTH-A", "AUTH-5", (d) => d.author.push({ reference: `PractitionerRole/${theirRole}` })),
      "DocumentReference.author[1]",
    );
    refusedNaming(
      await publish(h, "AUTH-B", "AUTH-5", (d) => d.author.push({ reference: `Practitioner/${other.practitioners[0]}` })),
      "DocumentReference.author[1]",
    );
    refusedNaming(
      await publish(h, "AUTH-C", "AUTH-5", (d) => Object.assign(d, { custodian: { reference: `Organization/${other.id}` } })),
      "DocumentReference.custodian",
    );
    refusedNaming(
      await publish(h, "AUTH-D", "AUTH-5", (d) =>
        Object.assign(d, { relatesTo: [{ code: "appends", target: { reference: `DocumentReference/${theirId}` } }] }),
      ),
      "DocumentReference.relatesTo[0].target",
    );
    const encounter = {
      ...encounterOf(h.id, "AUTH-E1", "AUTH-5", false, "2026-01-05T09:00:00+08:00"),
      serviceProvider: { reference: `Organization/${other.id}` },
    };
    refusedNaming(
      await call(cityUrl(h, "/fhir/Encounter"), {
        token: h.credential,
        body: encounter,
        headers: { "x-practitioner-id": h.practitioners[0]! },
      }),
      "Encounter.serviceProvider",
    );

    // an unknown element is not stored: the province is served only what the schema knows
    const kept = await publish(h, "AUTH-F", "AUTH-5", (d) =>
      Object.assign(d, { custodian: { reference: `Organization/${h.id}` }, extraClaim: { reference: `Organization/${other.id}` } }),
    );
    expect(kept.status, JSON.stringify(kept.json)).toBe(201);
    const found = await call(cityUrl(h, `/fhir/DocumentReference?patient.identifier=${encodeURIComponent(`${mrnSystem(h.id)}|AUTH-5`)}`), {
      token: h.credential,
      headers: { "x-practitioner-id": h.practitioners[0]! },
    });
    expect(found.status, JSON.stringify(found.json)).toBe(200);
    const ours = ((found.json as { entry: { resource: Record<string, unknown> }[] }).entry ?? []).map((e) => e.resource);
    const stored = ours.find((r) => (r.masterIdentifier as { value: string }).value === "AUTH-F")!;
    expect(stored).toMatchObject({ custodian: { reference: `Organization/${h.id}` } });
    expect(stored).not.toHaveProperty("extraClaim");
    expect(ours.map((r) => (r.masterIdentifier as { value: string }).value).sort()).toEqual(["AUTH-F", "AUTH-THEIRS"]);
  });
});

describe("item 3: identity answers do not leak", { timeout: 180_000 }, () => {
  type Parameters = { resourceType: string; parameter: { name: string; valueIdentifier?: { system: string; value: string } }[] };
  const pix = (h: Hospital, source: string, headers: Record<string, string> = {}) =>
    call(cityUrl(h, `/fhir/Patient/$ihe-pix?sourceIdentifier=${encodeURIComponent(source)}`), { token: h.credential, headers });
  const systems = (res: { json?: unknown }) =>
    (res.json as Parameters).parameter.flatMap((p) => (p.valueIdentifier ? [p.valueIdentifier.system] : [])).sort();

  it("new EMPIs are random with their check digit; PIXm answers a system call its own MRN and the EMPI only, and the same for unknown residents", async () => {
    const [h1, h3, h2] = [inCity("qinhuangdao", 0), inCity("qinhuangdao", 1), inCity("zhangjiakou", 0)];
    const empis: string[] = [];
    for (const [h, who] of [
      [h1, father],
      [h3, father],
      [h1, daughter],
    ] as const) {
      const fed = await call(cityUrl(h, "/fhir/Patient"), { token: h.credential, body: patientOf(h.id, `AUTH-3-${who.residentId}`, who) });
      expect(fed.status, JSON.stringify(fed.json)).toBe(201);
      empis.push(
        (
          (fed.json as { identifier: { system: string; value: string }[] }).identifier.find((i) => i.system === EMPI_SYSTEM) ?? {
            value: "",
          }
        ).value,
      );
    }
    // father's two registrations are one resident; daughter is another, whose EMPI does not follow his
    expect(empis[0]).toBe(empis[1]);
    for (const empi of [empis[0]!, empis[2]!]) {
      expect(isValidEmpi(empi)).toBe(true);
      expect(Number(empi.slice(1, 13))).toBeGreaterThanOrEqual(100_000_000_000);
    }
    expect(Math.abs(Number(empis[2]!.slice(1, 13)) - Number(empis[0]!.slice(1, 13)))).toBeGreaterThan(1);

    const source = `${RESIDENT_ID_SYSTEM}|${father.residentId}`;
    // the registering hospital's system call: the EMPI and its own MRN, not the other hospital's
    const own = await pix(h1, source);
    expect(own.status, JSON.stringify(own.json)).toBe(200);
    expect(systems(own)).toEqual([EMPI_SYSTEM, mrnSystem(h1.id)].sort());
    // a hospital that never registered him: the same empty answer as for a resident nobody knows
    const stranger = await pix(h2, source);
    const unknown = await pix(h2, `${RESIDENT_ID_SYSTEM}|${makeResidentId("130702", "1977-03-15", "517")}`);
    expect(stranger.status).toBe(200);
    expect(unknown.status).toBe(200);
    expect(stranger.json).toEqual({ resourceType: "Parameters", parameter: [] });
    expect(unknown.json).toEqual(stranger.json);
    // a named practitioner gets the full cross-reference
    const named = await pix(h2, source, { "x-practitioner-id": h2.practitioners[0]! });
    expect(named.status, JSON.stringify(named.json)).toBe(200);
    expect(systems(named)).toEqual(expect.arrayContaining([EMPI_SYSTEM, mrnSystem(h1.id), mrnSystem(h3.id)]));
  });
});

describe("item 4: subscriptions need a named practitioner and a treatment relationship", { timeout: 180_000 }, () => {
  const subscribe = (h: Hospital, residentId: string, headers: Record<string, string>) =>
    call(cityUrl(h, "/fhir/Subscription"), {
      token: h.credential,
      headers,
      body: {
        resourceType: "Subscription",
        status: "requested",
        reason: "care",
        criteria: `DocumentReference?patient.identifier=${RESIDENT_ID_SYSTEM}|${residentId}`,
        channel: { type: "message" },
      },
    });

  it("refuses a credential alone, and a hospital that never registered the resident, alike for unknown residents", async () => {
    const [other, h] = [inCity("baoding", 1), inCity("baoding", 2)];
    const fed = await call(cityUrl(other, "/fhir/Patient"), { token: other.credential, body: patientOf(other.id, "AUTH-4", son) });
    expect([200, 201]).toContain(fed.status);
    const doctor = { "x-practitioner-id": h.practitioners[0]! };

    const alone = await subscribe(h, son.residentId!, {});
    expect(alone.status).toBe(403);
    expect(outcome(alone).issue[0]!.diagnostics).toContain("X-Practitioner-Id");

    const stranger = await subscribe(h, son.residentId!, doctor);
    const unknown = await subscribe(h, makeResidentId("130702", "1977-03-15", "517"), doctor);
    for (const res of [stranger, unknown]) {
      expect(res.status, JSON.stringify(res.json)).toBe(403);
      expect(outcome(res).issue[0]!.expression).toEqual(["Subscription.criteria"]);
      expect(outcome(res).issue[0]!.diagnostics).toContain("no treatment relationship");
    }

    // once h registers the resident, its doctor may subscribe
    expect((await call(cityUrl(h, "/fhir/Patient"), { token: h.credential, body: patientOf(h.id, "AUTH-4H", son) })).status).toBe(201);
    const lawful = await subscribe(h, son.residentId!, doctor);
    expect(lawful.status, JSON.stringify(lawful.json)).toBe(201);
  });
});
