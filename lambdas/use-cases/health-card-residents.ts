/**
 * The master patient index as the health card sees it (ports/health-card.ts CardResidents), at the hub.
 * resolve — the resident an identifier names (a merged-away resident's survivor).
 * holder — the resident answering for a card's EMPI: the survivor and (a dynamic code) its resident
 *   identifiers (resident ID number, health cards and the documents linked with them, the EMPI; not
 *   other hospitals' MRNs) and the demographics of its most recently updated record.
 * link — the card (with the social security card and insurance e-voucher given at issue) becomes an
 *   identifier of the resident: a PatientRecords item keyed by the card, holding the resident's EMPI,
 *   with PDQm terms for each identifier and `card:<empi>` (PIXm lists the cards of a resident). It is
 *   not one of the resident's match records: a card changes no matching.
 */
import type { MatchRecord } from "#domain/mpi/record.ts";
import type { CardResidents, Identifier } from "#ports/health-card.ts";
import { HEALTH_CARD_SYSTEM } from "#schemas/health-card.ts";
import { mrnHospital } from "#schemas/patient.ts";
import { sourceKeyOf } from "./mpi/patient-record.ts";
import { cardTerm, residentEmpi, residentRecords } from "./mpi/queries.ts";
import { type MpiDeps, resolveView } from "./mpi/residents.ts";

export function mpiCardResidents(mpi: MpiDeps): CardResidents {
  return {
    resolve: (identifier) => residentEmpi(mpi, identifier),
    async holder(empi, demographics) {
      // the card's resident's cards searched beside the resident's read (a merge's survivor searched after it)
      const search = demographics ? mpi.records.search(cardTerm(empi), 20) : undefined;
      search?.catch(() => undefined); // awaited below, unless the resident is gone
      const view = await resolveView(mpi, empi);
      if (!view) return undefined;
      if (!demographics) return { empi: view.empi, identifiers: [] };
      // the resident's records and cards read once (one BatchGetItem), for the identifiers and the demographics both
      const { sources, identifiers: linked } = await residentRecords(mpi, view, new Map([[empi, search!]]));
      const identifiers = linked.filter((i) => !mrnHospital(i.system));
      const latest = sources.map((c) => c.stored).sort((a, b) => b.lastUpdated.localeCompare(a.lastUpdated))[0]?.patient as
        | { name?: Record<string, unknown>[]; gender?: string; birthDate?: string }
        | undefined;
      return {
        empi: view.empi,
        identifiers,
        ...(latest?.name ? { name: latest.name } : {}),
        ...(latest?.gender ? { gender: latest.gender } : {}),
        ...(latest?.birthDate ? { birthDate: latest.birthDate } : {}),
      };
    },
    async link(empi, identifiers: Identifier[], hospitalId) {
      const card = identifiers.find((i) => i.system === HEALTH_CARD_SYSTEM);
      if (!card) throw new Error("link: the card's identifier is missing");
      const sourceKey = sourceKeyOf(card);
      const record: MatchRecord = { family: "", given: "", healthCard: card.value, source: card };
      const terms = [...identifiers.map((i) => `id:${sourceKeyOf(i)}`), cardTerm(empi)];
      await mpi.records.put({
        sourceKey,
        hospitalId,
        empi,
        version: 1,
        patient: { resourceType: "Patient", identifier: identifiers },
        record,
        flags: [],
        lastUpdated: mpi.now().toISOString(),
        terms,
      });
      await mpi.records.addTerms(sourceKey, terms);
    },
  };
}

/** The ids of the health cards issued to the resident `empi` (the records `link` wrote), for a death's cascade */
export async function cardsOfResident(mpi: MpiDeps, empi: string): Promise<string[]> {
  const stored = await mpi.records.getMany(await mpi.records.search(cardTerm(empi), 20));
  return [...stored.values()]
    .filter((r) => r.empi === empi)
    .flatMap((r) => (r.patient.identifier as Identifier[]).filter((i) => i.system === HEALTH_CARD_SYSTEM).map((i) => i.value));
}
