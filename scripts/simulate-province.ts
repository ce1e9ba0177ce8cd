/**
 * What the desks of `npm run simulate` (docs/simulation.md) share to reach the province: the
 * credentials file's hospitals and operator, the province's readiness, the hospitals that take part
 * (round robin over the cities), each one's licensed clinical staff as the registry lists them, the
 * headers a hospital's request carries, and the simulated day's clock.
 */
import { readFileSync } from "node:fs";
import type { Rng } from "#lib/seed/prng.ts";
import { fail } from "./cli.ts";

/** A hospital as the credentials file lists it (npm start writes it) */
export interface Hospital {
  id: string;
  cityId: string;
  level: number;
  credential: string;
  practitioners: string[];
}

/** The hospitals and the operator's credential (the hub's figures in the report), or one line saying what to do */
export function readCredentials(file: string): { hospitals: Hospital[]; operator?: string } {
  try {
    const { hospitals, operator } = JSON.parse(readFileSync(file, "utf8")) as { hospitals: Hospital[]; operator?: string };
    return { hospitals, operator };
  } catch {
    return fail(`Cannot read ${file}: start the local province first (npm start), or pass --credentials`);
  }
}

/** The hub answers its health check, or one line saying what to do */
export async function provinceReady(base: string): Promise<void> {
  try {
    const health = await fetch(`${base}/hub/health`);
    if (!health.ok) fail(`${base}/hub/health answered ${health.status}: is the province ready?`);
  } catch (error) {
    fail(`No province at ${base} (${String(error)}): npm start, or pass --base`);
  }
}

/** A hospital's request headers: its credential, FHIR JSON, and the practitioner it acts through when it names one */
export const hospitalHeaders = (h: Hospital, practitioner?: string): Record<string, string> => ({
  authorization: `Bearer ${h.credential}`,
  accept: "application/fhir+json",
  ...(practitioner ? { "x-practitioner-id": practitioner } : {}),
});

/**
 * Up to `wanted` hospitals spread over the 11 cities, round robin. A hospital without staff cannot name
 * a practitioner: it takes no part. Each city's level-3 and level-2 hospitals take part in turn (the
 * credentials list the level-3 ones first), every other city starting with a county hospital: the
 * county hospitals ask for telemedicine.
 */
export function chooseHospitals(hospitals: Hospital[], wanted: number): Hospital[] {
  const byCity = new Map<string, Hospital[]>();
  for (const h of hospitals.filter((x) => x.practitioners.length > 0)) byCity.set(h.cityId, [...(byCity.get(h.cityId) ?? []), h]);
  [...byCity.values()].forEach((list, c) => {
    const first = c % 2 ? 2 : 3;
    const ranked = list.map((h) => ({
      h,
      r: 2 * list.filter((x, i) => x.level === h.level && i < list.indexOf(h)).length + (h.level === first ? 0 : 1),
    }));
    list.splice(0, list.length, ...ranked.sort((a, b) => a.r - b.r).map((x) => x.h));
  });
  const candidates: Hospital[] = [];
  for (let i = 0; candidates.length < Math.min(wanted, hospitals.length); i++)
    for (const list of byCity.values()) if (list[i] && candidates.length < wanted) candidates.push(list[i]!);
  return candidates;
}

/**
 * Each candidate's licensed clinical staff (doctors, nurses, pharmacists): the only staff who may author
 * documents, read clinical content and submit claims (docs/registry.md). Read from the registry, as a
 * hospital's FEP would know its own staff; a hospital without any takes no part (none left: one line).
 */
export async function withClinicalStaff(base: string, candidates: Hospital[]) {
  const staff = new Map<string, string[]>();
  await Promise.all(
    candidates.map(async (h) => {
      const search = () =>
        fetch(`${base}/cities/${h.cityId}/fhir/PractitionerRole?organization=${h.id}&role=doctor,nurse,pharmacist&_count=100`, {
          headers: hospitalHeaders(h),
        });
      let res = await search();
      // every hospital's first search at once meets cold functions: a transient refusal (5xx, 429) is tried again
      for (let attempt = 1; attempt < 4 && (res.status >= 500 || res.status === 429); attempt++) {
        await new Promise((r) => setTimeout(r, 2000 * attempt));
        res = await search();
      }
      if (!res.ok) fail(`The registry search of ${h.id}'s staff answered ${res.status}: ${await res.text()}`);
      const bundle = (await res.json()) as { entry?: { resource: { practitioner: { reference: string } } }[] };
      const ids = new Set((bundle.entry ?? []).map((e) => e.resource.practitioner.reference.replace("Practitioner/", "")));
      // the credentials file lists the doctors first: the FEP's own practitioner is a doctor where there is one
      staff.set(
        h.id,
        h.practitioners.filter((id) => ids.has(id)),
      );
    }),
  );
  const chosen = candidates.filter((h) => staff.get(h.id)!.length > 0);
  if (chosen.length === 0) fail("None of the chosen hospitals has licensed clinical staff in the registry");
  return { chosen, staff };
}

/** One of the hospital's licensed clinicians, drawn for each act */
export const clinicianPicker =
  (rng: Rng, staff: Map<string, string[]>) =>
  (h: Hospital): string => {
    const list = staff.get(h.id)!;
    return list[rng.int(0, list.length - 1)]!;
  };
export type Clinician = ReturnType<typeof clinicianPicker>;

/** A simulated hour as an ISO time: the simulated day starts at 00:00 CST on `TODAY` */
export const stamp = (simHour: number) => {
  const at = new Date(Date.UTC(2026, 10, 25, 16, 0, 0) + simHour * 3_600_000);
  return at.toISOString().replace("Z", "+00:00");
};
export const TODAY = "2026-11-26";
