/**
 * The consent registry and the privacy context, at the hub (docs/consent.md).
 * recordConsent — input: the recording hospital, the Consent it posts. Output: the stored Consent.
 *   Primary course: the resident at the MPI (an unknown one: 403, as one without a relationship), the
 *   hospital's treatment relationship with them (a hospital records what a resident it treats signed),
 *   the checks beyond the schema (a minor: a guardian signs, else 422) → stored, in force at once.
 * listConsents — the resident's consents, for a hospital with a treatment relationship (else only the
 *   ones it recorded itself), as a searchset.
 * revokeConsent — `status: inactive` by the recording hospital or one with a treatment relationship.
 * privacyContext — input: the hospital, the resident's EMPI, the practitioner, a break-the-glass.
 *   Output: the facts the city's decider needs (domain/consent/policy.ts): the relationship, the
 *   resident's consents, the practitioner's break-the-glass grant, the documents an open telemedicine
 *   Task opens. A break-the-glass needs a doctor or nurse role with an emergency or critical-care
 *   specialty at the hospital (else 403); it is recorded (the privacy officer's queue) and lasts 4 hours.
 */
import { randomUUID } from "node:crypto";
import { checkConsent, ruleOf, storedConsent } from "#domain/consent/consent.ts";
import { CONSENT_POLICY } from "#domain/consent/policy.ts";
import { ForbiddenError, NotFoundError } from "#domain/errors.ts";
import { hasTreatmentRelationship } from "#domain/push/relationship.ts";
import { roleCodeOf } from "#domain/registry/practitioners.ts";
import { type Practitioner, type PractitionerRole, referencedId, referenceTo, roleInForce } from "#domain/registry/resources.ts";
import type { BreakGlassStore, ConsentStore } from "#ports/consent.ts";
import type { RegistryStore } from "#ports/registry.ts";
import type { ConsentInput } from "#schemas/consent.ts";
import { EMPI_SYSTEM } from "#schemas/patient.ts";
import type { PrivacyContext, PrivacyContextRequest } from "#schemas/privacy.ts";
import { residentEmpi } from "#use-cases/mpi/queries.ts";
import type { MpiDeps } from "#use-cases/mpi/residents.ts";
import { resolveView } from "#use-cases/mpi/residents.ts";
import { type RelationshipDeps, residentContacts } from "#use-cases/push/relationship.ts";

/**
 * The seam for issue 14: the documents (DocumentReference ids) that the hospital's open telemedicine
 * Tasks open to it as their owner (the ServiceRequest's supportingInfo). None until Tasks exist.
 */
export type TelemedicineDocuments = (empis: readonly string[], hospitalId: string) => Promise<string[]>;
export const noTelemedicineTasks: TelemedicineDocuments = async () => [];

export interface ConsentDeps {
  consents: ConsentStore;
  breakGlass: BreakGlassStore;
  registry: Pick<RegistryStore, "get">;
  relationship: RelationshipDeps;
  telemedicine: TelemedicineDocuments;
  now: () => Date;
}

const mpiOf = (deps: ConsentDeps): MpiDeps => deps.relationship.mpi;

/** The same refusal for an unknown resident and one the hospital does not treat: no existence oracle */
const notTreating = (field: string) =>
  new ForbiddenError(
    `${field}: this hospital has no treatment relationship with the resident (a registration or an encounter within ${CONSENT_POLICY.relationshipDays} days)`,
    field,
  );

async function treats(deps: ConsentDeps, hospitalId: string, empi: string): Promise<boolean> {
  return hasTreatmentRelationship(await residentContacts(deps.relationship, empi), hospitalId, deps.now());
}

export async function recordConsent(
  deps: ConsentDeps,
  hospitalId: string,
  input: ConsentInput,
): Promise<{ resource: Record<string, unknown>; empi: string }> {
  const empi = await residentEmpi(mpiOf(deps), input.patient.identifier);
  if (!empi || !(await treats(deps, hospitalId, empi))) throw notTreating("Consent.patient");
  const view = await resolveView(mpiOf(deps), empi);
  const birthDate = view?.records.find((r) => r.birthDate)?.birthDate;
  const now = deps.now();
  checkConsent(input, birthDate, now.toISOString().slice(0, 10));
  const id = randomUUID();
  const resource = storedConsent(id, empi, hospitalId, input, now.toISOString(), EMPI_SYSTEM);
  await deps.consents.put({ rule: ruleOf(id, empi, input), hospitalId, resource });
  return { resource, empi };
}

export async function listConsents(
  deps: ConsentDeps,
  hospitalId: string,
  identifier: { system: string; value: string },
): Promise<{ resources: Record<string, unknown>[]; empi?: string }> {
  const empi = await residentEmpi(mpiOf(deps), identifier);
  if (!empi) return { resources: [] };
  const view = await resolveView(mpiOf(deps), empi);
  const all = await deps.consents.ofResident(view?.members.map((m) => m.empi) ?? [empi]);
  const visible = (await treats(deps, hospitalId, empi)) ? all : all.filter((c) => c.hospitalId === hospitalId);
  return {
    resources: visible.sort((a, b) => Date.parse(b.rule.dateTime) - Date.parse(a.rule.dateTime)).map((c) => c.resource),
    empi,
  };
}

export async function revokeConsent(
  deps: ConsentDeps,
  hospitalId: string,
  id: string,
  input: ConsentInput,
): Promise<{ resource: Record<string, unknown>; empi: string }> {
  const current = await deps.consents.get(id);
  if (!current) throw new NotFoundError(`Consent/${id} is not a recorded consent`, "id");
  if (current.hospitalId !== hospitalId && !(await treats(deps, hospitalId, current.rule.empi))) throw notTreating("Consent.patient");
  if (input.status !== "inactive")
    throw new ForbiddenError("Consent.status: a recorded Consent changes only by revocation (status inactive)", "Consent.status");
  const resource = { ...current.resource, status: "inactive", meta: { lastUpdated: deps.now().toISOString() } };
  if (!(await deps.consents.revoke(id, resource))) return { resource: current.resource, empi: current.rule.empi };
  return { resource, empi: current.rule.empi };
}

/** Does the practitioner hold a doctor or nurse role with an emergency or critical-care specialty at the hospital, now? */
export async function mayBreakGlass(
  registry: Pick<RegistryStore, "get">,
  hospitalId: string,
  practitionerId: string,
  now: Date,
): Promise<boolean> {
  const record = await registry.get(referenceTo("Practitioner", practitionerId));
  if (!record || (record.resource as Practitioner).active === false) return false;
  const { roles, specialties } = CONSENT_POLICY.breakGlass;
  return record.roles.some(
    (r: PractitionerRole) =>
      referencedId(r.organization.reference, "Organization") === hospitalId &&
      roleInForce(r, now) &&
      roles.includes(roleCodeOf(r)) &&
      (r.specialty ?? []).some((s) => (s.coding ?? []).some((c) => c.code !== undefined && specialties.includes(c.code))),
  );
}

export async function privacyContext(
  deps: ConsentDeps,
  caller: { hospitalId: string; cityId: string },
  request: PrivacyContextRequest,
): Promise<PrivacyContext> {
  const now = deps.now();
  const base = { policyVersion: CONSENT_POLICY.version, telemedicineDocuments: [] as string[] };
  if (request.breakGlass) {
    if (!request.practitionerId || !(await mayBreakGlass(deps.registry, caller.hospitalId, request.practitionerId, now)))
      throw new ForbiddenError(
        `X-Purpose-Of-Use: ETREAT (break-the-glass) needs a doctor or nurse role with an emergency or critical-care specialty at ${caller.hospitalId}`,
        "X-Purpose-Of-Use",
      );
  }
  const view = await resolveView(mpiOf(deps), request.empi);
  if (!view) return { ...base, relationship: false, consents: [] };
  const empis = view.members.map((m) => m.empi);
  const [contacts, consents, telemedicineDocuments] = await Promise.all([
    residentContacts(deps.relationship, view.empi),
    deps.consents.ofResident(empis),
    deps.telemedicine(empis, caller.hospitalId),
  ]);
  let grant = request.practitionerId ? await deps.breakGlass.latest(view.empi, caller.hospitalId, request.practitionerId) : undefined;
  if (grant && Date.parse(grant.expires) <= now.getTime()) grant = undefined;
  if (request.breakGlass && request.practitionerId && !grant) {
    grant = {
      id: randomUUID(),
      reason: request.breakGlass.reason,
      at: now.toISOString(),
      expires: new Date(now.getTime() + CONSENT_POLICY.breakGlass.hours * 3_600_000).toISOString(),
      empi: view.empi,
      hospitalId: caller.hospitalId,
      cityId: caller.cityId,
      practitionerId: request.practitionerId,
      status: "unreviewed",
    };
    await deps.breakGlass.put(grant);
  }
  return {
    ...base,
    empi: view.empi,
    relationship: hasTreatmentRelationship(contacts, caller.hospitalId, now),
    consents: consents.map((c) => c.rule),
    ...(grant ? { breakGlass: { id: grant.id, reason: grant.reason, at: grant.at, expires: grant.expires } } : {}),
    telemedicineDocuments,
  };
}
