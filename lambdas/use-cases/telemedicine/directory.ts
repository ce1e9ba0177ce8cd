/**
 * The province as telemedicine sees it (ports/telemedicine.ts), from the hub's own stores.
 * registryDirectory — experts: PractitionerRoles in force carrying the second code telemedicine-expert
 *   (found by their role search entries), of an active practitioner, with a department specialty, at
 *   a level-3 hospital; a hospital's tier from its level and the province's provincial set.
 * locatorResidents — the resident an identifier names (MPI, following merges) and their documents
 *   (the record locator).
 */
import { decodeRoleSortKey, roleIndexKey } from "#domain/registry/index-entries.ts";
import { hospitalProfile } from "#domain/registry/organizations.ts";
import { type Organization, type Practitioner, practitionerOfRole, referencedId, roleInForce } from "#domain/registry/resources.ts";
import { type Expert, tierOf } from "#domain/telemedicine/dispatch.ts";
import type { RecordLocator } from "#ports/connections.ts";
import type { FacilityStore, RegistryStore } from "#ports/registry.ts";
import type { TelemedicineDirectory, TelemedicineResidents } from "#ports/telemedicine.ts";
import { DEPARTMENT_SYSTEM } from "#schemas/registry-codes.ts";
import { TELEMEDICINE_EXPERT_CODE } from "#schemas/telemedicine.ts";
import { residentEmpi } from "#use-cases/mpi/queries.ts";
import { type MpiDeps, resolveView } from "#use-cases/mpi/residents.ts";

/** One read shared by every caller within `ttlMs` (concurrent callers wait for the same read) */
function cached<T>(read: () => Promise<T>, ttlMs: number): () => Promise<T> {
  let held: { at: number; value: Promise<T> } | undefined;
  return () => {
    if (!held || performance.now() - held.at > ttlMs) {
      const value = read();
      held = { at: performance.now(), value };
      value.catch(() => {
        if (held?.value === value) held = undefined;
      });
    }
    return held.value;
  };
}

/**
 * `ttlMs`: how long the experts, the hospitals' cities and the provincial set are reused (a role
 * added or ended is dispatched to within that time; 60 s in the hub's functions)
 */
export function registryDirectory(
  registry: RegistryStore,
  facilities: FacilityStore,
  provincialHospitals: () => Promise<string[]>,
  ttlMs = 0,
): TelemedicineDirectory {
  const levelOf = (org: Organization | undefined) => (org ? hospitalProfile(org).level : undefined);
  const cities = cached(() => facilities.listSummaries(), ttlMs);
  const provincialSet = cached(provincialHospitals, ttlMs);
  const expertRecords = cached(() => readExperts(registry, cities, provincialSet), ttlMs);
  return {
    async experts(now) {
      const { roles, byKey, orgById, cityOf, provincial } = await expertRecords();
      return roles.flatMap((r): Expert[] => {
        const record = byKey.get(`Practitioner/${r.practitionerId}`);
        const role = record?.roles.find((x) => x.id === r.roleId);
        const level = levelOf(orgById.get(r.organizationId));
        const cityId = cityOf.get(r.organizationId);
        if (!record || !role || (record.resource as Practitioner).active === false || !roleInForce(role, now) || level !== 3 || !cityId)
          return [];
        const isExpert = role.code.some((c) => c.coding?.some((x) => x.code === TELEMEDICINE_EXPERT_CODE));
        const specialties = (role.specialty ?? []).flatMap((s) =>
          (s.coding ?? []).filter((c) => c.system === DEPARTMENT_SYSTEM && c.code).map((c) => c.code!),
        );
        if (!isExpert || specialties.length === 0) return [];
        return [
          {
            roleId: r.roleId,
            practitionerId: r.practitionerId,
            hospitalId: r.organizationId,
            cityId,
            tier: tierOf(level, r.organizationId, provincial),
            specialties,
          },
        ];
      });
    },
    async hospital(hospitalId) {
      const [record, all, provincial] = await Promise.all([registry.get(`Organization/${hospitalId}`), cities(), provincialSet()]);
      const cityId = all.find((c) => c.hospitalId === hospitalId)?.cityId;
      if (!record || !cityId) return undefined;
      return { tier: tierOf(levelOf(record.resource as Organization), hospitalId, new Set(provincial)), cityId };
    },
  };
}

/** The expert roles (the registry's role search entries) with their practitioners' records, hospitals and cities */
async function readExperts(
  registry: RegistryStore,
  cities: () => ReturnType<FacilityStore["listSummaries"]>,
  provincialSet: () => Promise<string[]>,
) {
  const hits = await registry.query({ indexKey: roleIndexKey(TELEMEDICINE_EXPERT_CODE) });
  const roles = hits.flatMap((h) => {
    const { organizationId, ref } = decodeRoleSortKey(h.sortKey);
    const roleId = referencedId(ref, "PractitionerRole");
    const of = roleId ? practitionerOfRole(roleId) : undefined;
    return roleId && of ? [{ roleId, organizationId, practitionerId: of.practitionerId }] : [];
  });
  const [records, orgs, all, provincial] = await Promise.all([
    registry.getMany([...new Set(roles.map((r) => `Practitioner/${r.practitionerId}`))]),
    registry.getMany([...new Set(roles.map((r) => `Organization/${r.organizationId}`))]),
    cities(),
    provincialSet(),
  ]);
  return {
    roles,
    byKey: new Map(records.map((r) => [r.key, r])),
    orgById: new Map(orgs.map((o) => [o.resource.id, o.resource as Organization])),
    cityOf: new Map(all.map((c) => [c.hospitalId, c.cityId])),
    provincial: new Set(provincial),
  };
}

export function locatorResidents(mpi: MpiDeps, locator: RecordLocator): TelemedicineResidents {
  return {
    resolve: (identifier) => residentEmpi(mpi, identifier),
    async documents(empi) {
      const view = await resolveView(mpi, empi);
      const empis = view ? view.members.map((m) => m.empi) : [empi];
      const entries = (await Promise.all(empis.map((e) => locator.list(e, "DocumentReference")))).flat();
      return new Map(entries.map((e) => [e.id, { hospitalId: e.hospitalId, status: e.status }]));
    },
  };
}
