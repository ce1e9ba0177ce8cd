/**
 * The pharmacies of `npm run simulate` (docs/simulation.md, docs/drugs-devices.md): each hospital's
 * pharmacy resolves the codes it scans (any of a seeded drug's codes: national drug code, insurance
 * code, GTIN) against the hub's drug catalogue through its city node.
 */
import { generateDrugCatalogue } from "#lib/seed/drugs.ts";
import type { Rng } from "#lib/seed/prng.ts";
import type { Actor } from "./simulate-fep.ts";
import { hospitalHeaders } from "./simulate-province.ts";

export function pharmacyDesk(base: string, rng: Rng) {
  const drugCatalogue = generateDrugCatalogue();
  const drugLookups = { resolved: 0, unknown: 0, refused: 0, failed: 0 };
  return {
    drugLookups,
    /** One code the actor's pharmacy scans, looked up */
    async lookUp(actor: Actor) {
      const entry = rng.pick(drugCatalogue);
      const code = rng.pick([entry.nationalDrugCode, entry.insuranceCode, ...(entry.gtin ? [entry.gtin] : [])]);
      const h = actor.hospital;
      try {
        const res = await fetch(`${base}/cities/${h.cityId}/fhir/MedicationKnowledge?code=${encodeURIComponent(code)}`, {
          headers: hospitalHeaders(h),
        });
        const bundle = (await res.json()) as { total?: number };
        if (!res.ok) return void (res.status < 500 ? drugLookups.refused++ : drugLookups.failed++);
        if (bundle.total === 1) drugLookups.resolved++;
        else drugLookups.unknown++; // a catalogue imported since the seed may have moved the code
      } catch {
        drugLookups.failed++;
      }
    },
  };
}
