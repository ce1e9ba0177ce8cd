/**
 * Links a later registration puts in doubt (docs/mpi.md, "Doubts a later registration raises"). Pure.
 *
 * A record linked on a given name typed short (孙帅 to 孙帅强: the same family, birth date and home)
 * is the person's own slip or the slip of a twin not indexed yet: while only one of the two is known,
 * nothing in the record or the index tells them apart. The twin's own registration (孙帅明, the same
 * birth date) is what tells: the short record now fits two residents. Likewise a registration that
 * spells a second full given name into a resident (李一鸣, the resident's number, beside 李一宇 that
 * had joined it on the short 李一): one resident, two children. The engine decides each such record
 * again, once without the registration and once with it: a record that linked where it is without it
 * and no longer does with it goes to review, its candidates the resident it leaves and the
 * registration's. Decided as a record arriving now would be, so every rule of decide.ts holds
 * (a number confirming the record keeps it where it is).
 */
import { compareBirthDates, compareNamePart, compareSex } from "./comparators.ts";
import { decide } from "./decide.ts";
import {
  type AnalyseOptions,
  isProvisional,
  type MatchRecord,
  type Resident,
  storedBirthDate,
  storedIdIsKey,
  storedSex,
} from "./record.ts";

export interface Doubt {
  /** the stored record in doubt */
  record: MatchRecord;
  /** the resident holding it */
  from: string;
  /** the residents it should be compared with: the one it leaves first, then the registration's */
  candidates: string[];
}

const FAMILY_SAME: ReadonlySet<string> = new Set(["exact", "homophone"]);
const DATE_CLOSE: ReadonlySet<string> = new Set(["exact", "swap", "day", "slip"]);
/** given names of two children of one birth: one typed short (子 / 子涵), or two names (子涵 / 子轩) */
const OF_TWO: ReadonlySet<string> = new Set(["dropped", "partial", "different"]);
/** …of which a record of the resident's own can only be the second kind: one that agrees, typed short or not, takes no link away */
const AGAINST: ReadonlySet<string> = new Set(["partial", "different"]);

/**
 * Whether a stored record and the placed one could be two children of one birth: the same family
 * name (or its sound), birth dates at most a slip apart, no sex against, given names in `names`.
 * Only such records can a registration put in doubt.
 */
function twinShaped(stored: MatchRecord, placed: MatchRecord, names: ReadonlySet<string>): boolean {
  // the cheap comparisons first: most records of a candidate fail on the date
  if (!DATE_CLOSE.has(compareBirthDates(storedBirthDate(stored), storedBirthDate(placed)))) return false;
  if (compareSex(storedSex(stored), storedSex(placed)) === "different") return false;
  if (!FAMILY_SAME.has(compareNamePart(stored.family, placed.family, "family"))) return false;
  return names.has(compareNamePart(stored.given, placed.given, "given"));
}

/** The resident without these records; its number kept only while a remaining record carries it as its own. */
export function withoutRecords<R extends Resident>(resident: R, gone: readonly MatchRecord[]): R {
  const records = resident.records.filter((r) => !gone.includes(r));
  const { residentId, ...rest } = resident;
  const kept = residentId && records.some((r) => storedIdIsKey(r) && r.residentId === residentId);
  return { ...rest, records, ...(kept ? { residentId } : {}) } as R;
}

const linksTo = (d: { outcome: string; empi?: string }, empi: string): boolean => d.outcome === "link" && d.empi === empi;

/**
 * Whether any record of these residents could be put in doubt by `placed`: none is, when none is
 * twin-shaped against it (the caller need not read the resident holding it).
 */
export function couldDoubt(placed: MatchRecord, residents: readonly Resident[]): boolean {
  return residents.some((r) => r.records.some((stored) => stored !== placed && twinShaped(stored, placed, OF_TWO)));
}

/**
 * The records `placed` (as stored, now in `holder`) puts in doubt, in `holder` and in `others` (the
 * other residents its blocking keys found, as they were before it was placed). Residents awaiting
 * review are left alone: their records are in question already.
 */
export function doubtsRaised(placed: MatchRecord, holder: Resident, others: readonly Resident[], options: AnalyseOptions): Doubt[] {
  const doubts: Doubt[] = [];
  for (const resident of [holder, ...others.filter((r) => r.empi !== holder.empi)]) {
    if (isProvisional(resident)) continue;
    const own = resident.empi === holder.empi;
    for (const stored of resident.records) {
      if (stored === placed || !twinShaped(stored, placed, own ? AGAINST : OF_TWO)) continue;
      const rest = withoutRecords(resident, [stored]);
      const before = own ? withoutRecords(rest, [placed]) : rest;
      if (before.records.length === 0 || !linksTo(decide(stored, [before], options), resident.empi)) continue;
      const after = decide(stored, own ? [rest] : [rest, holder], options);
      if (linksTo(after, resident.empi)) continue;
      const candidates = [resident.empi, holder.empi, ...(after.reviewCandidates ?? []).map((c) => c.empi)];
      doubts.push({ record: stored, from: resident.empi, candidates: [...new Set(candidates)] });
    }
  }
  return doubts;
}
