/**
 * The shapes the master patient index matches: a registration as a hospital typed it (MatchRecord)
 * and a resident (the enterprise record: an EMPI and every registration linked to it). Matching
 * compares an incoming record with each stored record of a candidate resident and keeps the best
 * pair, so a resident is never flattened into a "golden" record whose fields come from different
 * registrations; the one resident-level fact is its own resident ID number (`residentId`).
 */
import { type BirthDateLevel, compareBirthDates, type Sex } from "./comparators.ts";
import { checkResidentId, isPossibleBirthDate, isUsableResidentId, type ResidentIdCheck, type ResidentIdKind } from "./resident-id.ts";

export type { Sex } from "./comparators.ts";

export interface MatchRecord {
  /** as typed; stored records hold the normalized 18 characters when the number is well formed */
  residentId?: string;
  /** filled by the engine when the record is stored */
  residentIdStatus?: ResidentIdKind;
  /** filled by the engine: the number was set aside (it belongs to someone else), never a key */
  residentIdSetAside?: boolean;
  healthCard?: string;
  /** Chinese characters (may be empty when only the pinyin is known) */
  family: string;
  given: string;
  /** pinyin as the hospital typed it, syllables separated by spaces; used only when the characters are empty */
  familyPinyin?: string;
  givenPinyin?: string;
  sex?: Sex;
  /** YYYY-MM-DD */
  birthDate?: string;
  phone?: string;
  address?: string;
  /**
   * a newborn's birth order (1, 2 for the second twin, …): the record is a newborn registered under
   * its mother's resident ID number, often before it has a given name (Patient.multipleBirthInteger)
   */
  birthOrder?: number;
  /** where the record came from, e.g. a hospital's patient number; opaque to matching */
  source?: { system: string; value: string };
}

export interface Resident {
  /** enterprise patient ID (see empi.ts) */
  empi: string;
  /** incremented at every change; adapters write conditionally on it */
  version: number;
  /** the resident's own resident ID number (18 characters), once one has been seen */
  residentId?: string;
  records: MatchRecord[];
  /** for a resident created by a "review" outcome: the EMPIs a reviewer should compare it with */
  reviewCandidates?: string[];
}

export type ResidentIdUse = "key" | "set-aside" | "unconfirmed" | "flagged" | "none";

/** What an incoming record's resident ID number means for matching. */
export interface ResidentIdAnalysis {
  check?: ResidentIdCheck;
  /** the typed number, normalized when well formed */
  typed?: string;
  /**
   * key: valid, agrees with the record · set-aside: valid, contradicts it · unconfirmed: valid, but the
   * record has neither birth date nor sex to hold it against (a parent registered with a child's card
   * and nothing else): evidence per pair, never a key · flagged: invalid · none
   */
  use: ResidentIdUse;
  /** the record's birth date against the number's (exact, swap, slip, …) */
  birthDateAgreement?: BirthDateLevel;
  flags: string[];
}

export interface AnalyseOptions {
  /** YYYY-MM-DD, the caller's date (by the province clock): later birth dates are impossible */
  today: string;
}

/**
 * Checks the number and holds it against the record's own sex and birth date. A day/month swap, a
 * one-day or a one-digit slip is a typing error (flagged, the number still counts: the number's own
 * date confirms one of the two); another sex or a birth date further off means the number belongs
 * to someone else (a parent's used for a child): set aside. A record with neither birth date nor sex
 * cannot confirm the number: unconfirmed.
 */
export function analyseResidentId(record: MatchRecord, options: AnalyseOptions): ResidentIdAnalysis {
  if (!record.residentId?.trim()) return { use: "none", flags: [] };
  const check = checkResidentId(record.residentId, options);
  const typed = check.normalized ?? record.residentId.trim();
  if (!isUsableResidentId(check)) return { check, typed, use: "flagged", flags: [`resident-id-${check.kind}`] };
  const flags = check.kind === "legacy-converted" ? ["resident-id-legacy-converted"] : [];
  const birthDate = ownBirthDate(record, options.today);
  const agreement = compareBirthDates(birthDate, check.birthDate);
  if (record.birthOrder !== undefined && !NUMBER_AGREES.has(agreement)) {
    // a newborn registered under its mother's number: the number and the birth order are the
    // newborn's identity until it has its own; never a key (a twin registered with its own number
    // and birth order is matched as anyone else)
    return { check, typed, use: "set-aside", birthDateAgreement: agreement, flags: [...flags, "newborn-mother-id"] };
  }
  if (!birthDate && record.sex !== "male" && record.sex !== "female") {
    return { check, typed, use: "unconfirmed", birthDateAgreement: agreement, flags: [...flags, "resident-id-unconfirmed"] };
  }
  const sexContradicts = (record.sex === "male" || record.sex === "female") && record.sex !== check.sex;
  const dateContradicts = agreement === "same-year" || agreement === "different";
  if (sexContradicts || dateContradicts) {
    return { check, typed, use: "set-aside", birthDateAgreement: agreement, flags: [...flags, "resident-id-contradicts"] };
  }
  if (agreement === "swap") flags.push("birthdate-swap");
  if (agreement === "slip") flags.push("birthdate-slip");
  if (agreement === "day") flags.push("birthdate-day");
  return { check, typed, use: "key", birthDateAgreement: agreement, flags };
}

/** The agreements of a record's birth date with its number's under which the number is the record's own. */
const NUMBER_AGREES: ReadonlySet<BirthDateLevel> = new Set(["exact", "swap", "day", "slip"]);

/** Whether a resident is provisional: created by a "review" outcome, it awaits a steward (or a later registration). */
export function isProvisional(resident: Pick<Resident, "reviewCandidates">): boolean {
  return (resident.reviewCandidates?.length ?? 0) > 0;
}

/** Whether a stored record is a newborn's, registered under its mother's number. */
export function isNewbornRecord(record: MatchRecord): boolean {
  return record.birthOrder !== undefined && record.residentIdSetAside === true;
}

/** The record's birth date when it is a possible one (a swap such as 1985-25-03 is not). */
export function ownBirthDate(record: MatchRecord, today: string): string | undefined {
  const date = record.birthDate;
  if (!date) return undefined;
  return isPossibleBirthDate(date, today) ? date : undefined;
}

/** Whether a stored record's resident ID number is its owner's own, valid one. */
export function storedIdIsKey(record: MatchRecord): boolean {
  return (record.residentIdStatus === "valid" || record.residentIdStatus === "legacy-converted") && !record.residentIdSetAside;
}

/** The birth date a stored record speaks for: its own, else the one in its (key) ID number. */
export function storedBirthDate(record: MatchRecord): string | undefined {
  return record.birthDate ?? storedIdBirthDate(record);
}

/** The birth date in a stored record's (key) ID number. */
export function storedIdBirthDate(record: MatchRecord): string | undefined {
  const id = record.residentId;
  if (!id || !storedIdIsKey(record)) return undefined;
  return `${id.slice(6, 10)}-${id.slice(10, 12)}-${id.slice(12, 14)}`;
}

/** The sex a stored record speaks for: its own, else the one in its (key) ID number. */
export function storedSex(record: MatchRecord): Sex | undefined {
  if (record.sex === "male" || record.sex === "female") return record.sex;
  const id = record.residentId;
  if (!id || !storedIdIsKey(record)) return record.sex;
  return (id.charCodeAt(16) - 48) % 2 === 1 ? "male" : "female";
}

/** The name part to compare: the characters, or the typed pinyin when there are none. */
export function namePart(chars: string | undefined, typedPinyin: string | undefined): string {
  return chars?.trim() ? chars : (typedPinyin ?? "");
}

/**
 * The record as the index stores it: number normalized, its status and use recorded, an impossible
 * birth date dropped. `use` is the final one (the scorer may set aside a number whose owner's name
 * conflicts with the record's).
 */
export function toStoredRecord(record: MatchRecord, id: ResidentIdAnalysis, today: string): MatchRecord {
  const stored: MatchRecord = { ...record };
  if (id.typed !== undefined) stored.residentId = id.typed;
  if (id.check) stored.residentIdStatus = id.check.kind;
  if (id.use === "set-aside" || id.use === "unconfirmed") stored.residentIdSetAside = true;
  else delete stored.residentIdSetAside;
  const birthDate = ownBirthDate(record, today);
  if (birthDate) stored.birthDate = birthDate;
  else delete stored.birthDate;
  return stored;
}
