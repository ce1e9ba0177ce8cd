/**
 * The report of `npm run simulate` (docs/simulation.md#the-report): what was dropped, delivered and
 * refused per kind, the sustained rates, and each desk's counts, from the FEPs' folders and the desks;
 * printed as lines (a table and one line per desk) or, with `--json`, as one JSON object.
 */
import type { Feps } from "./simulate-fep.ts";

/** A desk of its own file: its counts, and its line */
interface Counted {
  counts: unknown;
  summary(): string;
}
export interface Reported {
  fep: Feps;
  /** when the day started, ended, and the backlogs drained (ms) */
  times: { started: number; dayEnded: number; drained: number };
  registration: { slips: Record<"none" | "homophone" | "wrongCheck" | "impossibleDate" | "movedAway" | "twinTypedShort", number> };
  documents: {
    retrievals: Record<"registered" | "unregistered" | "searches" | "found" | "retrieved" | "refused" | "failed", number>;
    privacy: { sensitive: Record<string, number>; consents: number; consentsRefused: Record<number, number> };
  };
  pharmacy: { drugLookups: Record<"resolved" | "unknown" | "refused" | "failed", number> };
  cards: Counted;
  publicHealth: Counted;
  implants: Counted;
  vital: Counted;
  telemedicine: Counted & { counts: object; kpis(): Promise<{ text: string; figures?: unknown }> };
}

/** Prints the report (`json`: as JSON); answers what was still queued when the catching up ran out */
export async function printReport(
  { fep, times, registration, documents, pharmacy, cards, publicHealth, implants, vital, telemedicine }: Reported,
  json: boolean,
): Promise<number> {
  const { actors, dropped, workDir } = fep;
  const { slips } = registration;
  const { retrievals, privacy } = documents;
  const { drugLookups } = pharmacy;
  const delivered = fep.delivered();
  const rejected = fep.rejected();
  const inbox = fep.inbox(times.started);
  const seconds = (times.drained - times.started) / 1000;
  const telemedicineKpis = telemedicine.kpis();
  const backlogLeft = fep.backlog();
  const kept = fep.keepWorkDir(backlogLeft > 0);
  const report = {
    hospitals: actors.length,
    cities: new Set(actors.map((a) => a.hospital.cityId)).size,
    offlineHospitals: actors.filter((a) => a.offline).length,
    wallSeconds: Number(seconds.toFixed(1)),
    catchUpSeconds: Number(((times.drained - times.dayEnded) / 1000).toFixed(1)),
    dropped,
    delivered,
    rejected,
    backlogLeft,
    registrationSlips: slips,
    perSecond: {
      patients: Number((delivered.patient! / seconds).toFixed(2)),
      documents: Number((delivered.document! / seconds).toFixed(2)),
      encounters: Number((delivered.encounter! / seconds).toFixed(2)),
      claims: Number((delivered.claim! / seconds).toFixed(2)),
    },
    retrievals,
    healthCards: cards.counts,
    publicHealth: publicHealth.counts,
    implants: implants.counts,
    vital: vital.counts,
    telemedicine: { ...telemedicine.counts, kpis: (await telemedicineKpis).figures },
    drugLookups,
    privacy,
    inbox,
    workDir: kept ? workDir : undefined,
  };
  if (json) {
    console.log(JSON.stringify(report, null, 2));
    return report.backlogLeft;
  }
  console.log(
    `\nA day of ${report.hospitals} hospitals in ${report.cities} cities (${report.offlineHospitals} offline for hours) in ${report.wallSeconds} s (catching up ${report.catchUpSeconds} s):`,
  );
  console.log("| kind | dropped | delivered | refused | per second (sustained) |");
  console.log("| --- | --- | --- | --- | --- |");
  for (const [k, per] of [
    ["patient", report.perSecond.patients],
    ["encounter", report.perSecond.encounters],
    ["document", report.perSecond.documents],
    ["claim", report.perSecond.claims],
  ] as const)
    console.log(`| ${k} | ${dropped[k]} | ${delivered[k]} | ${rejected[k]} | ${per} |`);
  console.log(
    `registration slips: ${slips.homophone} homophones, ${slips.wrongCheck} wrong check characters (accepted, flagged), ${slips.impossibleDate} impossible birth dates (refused), ${slips.movedAway} returning residents who moved (no card, new phone and home, day and month swapped: review, answered by their later registrations), ${slips.twinTypedShort} twins brought along typed short (linked to the other twin until their own registration puts the link in doubt)`,
  );
  console.log(
    `retrievals from other cities: ${retrievals.registered} residents registered first (${retrievals.unregistered} not in time), ${retrievals.searches} searches, ${retrievals.found} found, ${retrievals.retrieved} retrieved, ${retrievals.refused} refused, ${retrievals.failed} failed`,
  );
  console.log(cards.summary());
  console.log(publicHealth.summary());
  console.log(implants.summary());
  console.log(vital.summary());
  console.log(`${telemedicine.summary()}\n${(await telemedicineKpis).text}`);
  console.log(
    `drug codes looked up by the pharmacies: ${drugLookups.resolved} resolved, ${drugLookups.unknown} unknown, ${drugLookups.refused} refused, ${drugLookups.failed} failed`,
  );
  console.log(
    `sensitive documents: ${Object.entries(privacy.sensitive)
      .map(([label, n]) => `${n} ${label}`)
      .join(", ")}; consents signed: ${privacy.consents} recorded, refused ${JSON.stringify(privacy.consentsRefused)}`,
  );
  console.log(
    `inbox items written: ${JSON.stringify(inbox)}; backlog left: ${report.backlogLeft}${kept ? `; FEP folders: ${workDir}` : ""}`,
  );
  return report.backlogLeft;
}
