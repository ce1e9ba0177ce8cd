/**
 * Scores an incoming registration against candidate residents (decide.ts turns the scores into link,
 * review or a new resident; the rules below span both).
 *
 * 1. The resident ID number first (record.ts): a valid number that agrees with the record (a day/month
 *    swap or one-digit slip of the birth date is only flagged) is decisive: it links to the resident
 *    holding that number, unless none of that resident's given names goes with the record's (the
 *    number of a twin, or of a relative on a record without birth date), in which case the number
 *    is set aside like one that contradicts the record and the owner is offered for review. A set-aside number is kept and
 *    flagged, never a key and never evidence for its owner. Invalid numbers are kept and flagged;
 *    they count only as evidence against other typed numbers (one-edit = the same number mistyped).
 *    A resident holding another valid number is never a candidate for a record with a valid number.
 * 2. Otherwise Fellegi–Sunter: each candidate resident scores the best of its stored records; the
 *    score is the sum of the comparators' log2(m/u) weights (weights.ts). When the person's own
 *    fields do not go together (given names partial or different, birth dates further apart than a
 *    swap or slip), agreements on the fields a family shares (family name, birth date: twins, phone,
 *    address) count nothing, only disagreements do: between such records those agreements are what
 *    family members have in common, so their u is near 1. This keeps twins and siblings apart.
 * 3. Best score ≥ LINK → link. But when nothing beyond name, birth date and sex agrees (no phone,
 *    address or typed number: uncorroborated), only a score ≥ LINK_UNCORROBORATED (the exact birth
 *    date with the name exact or a homophone) of a name that is not crowded links; ≥ REVIEW →
 *    review (a clerk compares; a provisional resident is created); below → new.
 */
import {
  type AddressLevel,
  type BirthDateLevel,
  compareAddresses,
  compareBirthDates,
  compareHealthCards,
  compareNamePart,
  comparePhones,
  compareSex,
  compareTypedIds,
  type IdentifierLevel,
  type NameLevel,
  type PhoneLevel,
  type SexLevel,
} from "./comparators.ts";
import {
  type AnalyseOptions,
  analyseResidentId,
  type MatchRecord,
  namePart,
  ownBirthDate,
  type Resident,
  type ResidentIdAnalysis,
  type Sex,
  storedBirthDate,
  storedIdBirthDate,
  storedIdIsKey,
  storedSex,
} from "./record.ts";
import { type RegionLevel, regionLevel } from "./region.ts";
import { WEIGHTS } from "./weights.ts";

/** Link at or above this score (log2 likelihood ratio). */
export const LINK = 18;
/**
 * A link resting on name, birth date and sex alone (uncorroborated) needs this score: with phone
 * and address disagreeing, name and date exact score 22.9 and a homophone with the exact date 21.0
 * (both link); a swapped date (18.8) with nothing else agreeing goes to review.
 */
export const LINK_UNCORROBORATED = 20;
/** Queue for review at or above this score and below LINK; below it, a new resident. */
export const REVIEW = 12;
/** A resident's name scoring below this against a record using its number is a conflict. */
export const NAME_CONFLICT_BELOW = 0;
/** From this many same-name residents born in the same month, name and birth date need corroboration. */
export const CROWDED_NAME = 2;
/** Two candidates at or above LINK, closer than this, that the name does not fit exactly are ambiguous (twins' 子涵 / 子轩 typed 子): review. */
export const AMBIGUOUS_MARGIN = 4;
/** At most this many review candidates are returned. */
export const MAX_REVIEW_CANDIDATES = 5;

export interface Comparison {
  family: NameLevel;
  given: NameLevel;
  birthDate: BirthDateLevel;
  sex: SexLevel;
  phone: PhoneLevel;
  address: AddressLevel;
  typedId: IdentifierLevel;
  healthCard: IdentifierLevel;
  /** the county that issued one side's valid number against the county of the other side's home */
  region: RegionLevel;
}

/** An incoming record with its number analysed and the birth date and sex it speaks for. */
export interface PreparedRecord {
  record: MatchRecord;
  id: ResidentIdAnalysis;
  family: string;
  given: string;
  birthDate?: string;
  /** the birth date in its (key) number, when it differs from the record's own (then the typed date is a slip, and this one counts) */
  idBirthDate?: string;
  sex?: Sex;
  /** an unconfirmed number's owner, where the candidates show it: the phones and homes of its records */
  cardHome?: { phones: string[]; addresses: string[] };
}

export function prepareRecord(record: MatchRecord, options: AnalyseOptions): PreparedRecord {
  return withIdUse(
    {
      record,
      id: analyseResidentId(record, options),
      family: namePart(record.family, record.familyPinyin),
      given: namePart(record.given, record.givenPinyin),
    },
    options.today,
  );
}

/** Recomputes what the record speaks for; a number only supplies birth date and sex while it is a key. */
export function withIdUse(p: PreparedRecord, today: string): PreparedRecord {
  const key = p.id.use === "key" ? p.id.check : undefined;
  const birthDate = ownBirthDate(p.record, today) ?? key?.birthDate;
  const idBirthDate = key?.birthDate !== birthDate ? key?.birthDate : undefined;
  const own = p.record.sex;
  const sex = own === "male" || own === "female" ? own : (key?.sex ?? own);
  const { idBirthDate: _, ...rest } = p;
  return { ...rest, birthDate, ...(idBirthDate ? { idBirthDate } : {}), sex };
}

/**
 * The typed numbers as evidence, pair by pair (two keys never get here: the number decided). A
 * number set aside (someone else's) is no evidence either way: a borrowed card agrees with its
 * owner's records, not with its bearer. An unconfirmed number (the record has no birth date or sex
 * to hold it against) counts only where the names are the same or sound the same: scored per pair,
 * it agrees with its holder's records and not with those of the child whose card a parent brought.
 */
function typedIdLevel(incoming: PreparedRecord, stored: MatchRecord, names: Pick<Comparison, "family" | "given">): IdentifierLevel {
  const use = incoming.id.use;
  if (use === "unconfirmed") {
    if (stored.residentId === incoming.id.typed) return sameName(names) && !stored.residentIdSetAside ? "same" : "missing";
    return livesWith(incoming.cardHome, stored) ? "household" : "missing";
  }
  if (use !== "key" && use !== "flagged") return "missing";
  if (use === "key" && stored.residentId === incoming.id.typed && carriedUnconfirmed(stored)) {
    // the record's own number, which the stored record carried without a birth date or sex to hold it
    // against: under the same name, its owner registered before without them; under another name, a
    // relative who brought the card, whose record the number does not go with
    return sameName(names) ? "same" : "different";
  }
  if (incoming.id.check?.kind === "malformed" || !stored.residentId || stored.residentIdSetAside) return "missing";
  if (stored.residentIdStatus === "malformed" || (use === "key" && storedIdIsKey(stored))) return "missing";
  const level = compareTypedIds(incoming.id.typed, stored.residentId);
  // two numbers that both failed their check may be two slips of one number: agreement, never evidence against
  if (level === "different" && use === "flagged" && !storedIdIsKey(stored)) return "missing";
  return level;
}

/** Whether a stored record carried its number set aside for want of its own birth date and sex (unconfirmed). */
function carriedUnconfirmed(stored: MatchRecord): boolean {
  return !!stored.residentIdSetAside && !stored.birthDate && stored.sex !== "male" && stored.sex !== "female";
}

/** Whether a stored record shares a phone or a home with an unconfirmed number's owner. */
function livesWith(home: PreparedRecord["cardHome"], stored: MatchRecord): boolean {
  if (!home) return false;
  if (stored.phone && home.phones.some((p) => comparePhones(p, stored.phone) === "exact")) return true;
  return !!stored.address && home.addresses.some((a) => compareAddresses(a, stored.address) === "same");
}

/**
 * The phones and homes of the resident holding an unconfirmed number as its own (a card brought for
 * a relative), when the candidates include it: a candidate living there is likely the card's bearer.
 */
export function withCardHome(incoming: PreparedRecord, candidates: readonly Resident[]): PreparedRecord {
  if (incoming.id.use !== "unconfirmed") return incoming;
  const owner = candidates.find((r) => r.residentId === incoming.id.typed);
  if (!owner) return incoming;
  const phones = owner.records.map((r) => r.phone).filter((p): p is string => !!p);
  const addresses = owner.records.map((r) => r.address).filter((a): a is string => !!a);
  return { ...incoming, cardHome: { phones, addresses } };
}

/**
 * The agreement of the birth dates the two records speak for. A record's valid number (its key) was
 * read from a card; where the record's typed date differs from the number's by a swap, a day or a
 * digit (else the number would not be the record's key), the typed date is the slip: the number's
 * date counts. So a namesake's record typed one day off does not agree with a stranger's exact date.
 */
function birthDateLevel(incoming: PreparedRecord, stored: MatchRecord): BirthDateLevel {
  return compareBirthDates(incoming.idBirthDate ?? incoming.birthDate, storedIdBirthDate(stored) ?? storedBirthDate(stored));
}

/** `region`: the resident's, when the caller knows the resident the stored record belongs to (regionLevel). */
export function compareRecords(incoming: PreparedRecord, stored: MatchRecord, region: RegionLevel = "missing"): Comparison {
  const family = compareNamePart(incoming.family, namePart(stored.family, stored.familyPinyin), "family");
  const given = compareNamePart(incoming.given, namePart(stored.given, stored.givenPinyin), "given");
  return {
    family,
    given,
    birthDate: birthDateLevel(incoming, stored),
    sex: compareSex(incoming.sex, storedSex(stored)),
    phone: comparePhones(incoming.record.phone, stored.phone),
    address: compareAddresses(incoming.record.address, stored.address),
    typedId: typedIdLevel(incoming, stored, { family, given }),
    healthCard: compareHealthCards(incoming.record.healthCard, stored.healthCard),
    region,
  };
}

/** Whether family and given names are the same or sound the same. */
export function sameName(c: Pick<Comparison, "family" | "given">): boolean {
  return (c.family === "exact" || c.family === "homophone") && (c.given === "exact" || c.given === "homophone");
}

/** Whether the given names go together. */
export function givenNamesAgree(c: Comparison): boolean {
  return c.given !== "partial" && c.given !== "different" && c.given !== "near-homophone" && c.given !== "similar";
}

/**
 * Whether the person's own fields (given name, birth date, and sex when the given name is not
 * typed in full) go together; else family-shared agreements count nothing. A given name typed
 * short under another sex is the opposite-sex twin's (子 for 子涵 against 子萱).
 */
export function personAgrees(c: Comparison): boolean {
  if (c.sex === "different") return false;
  return givenNamesAgree(c) && c.birthDate !== "same-year" && c.birthDate !== "different";
}

/**
 * What the other candidates tell about a field's frequency, where the data allow: how many candidate
 * residents hold the record's phone (a household's number weighs less than a person's own), and how
 * many share its name and birth month (a same-name, same-date pair of 王伟 is weaker evidence than
 * one of 郜靓).
 */
export interface ScoreContext {
  /** distinct candidate residents with a record carrying the incoming record's phone */
  phoneHolders?: number;
  /** see sameNameResidents */
  sameName?: number;
}

export function scoreComparison(c: Comparison, context: ScoreContext = {}): number {
  const person = personAgrees(c);
  const shared = (w: number): number => (person || w < 0 ? w : 0);
  const phone = WEIGHTS.phone[c.phone] - (c.phone === "exact" ? Math.log2(Math.max(1, context.phoneHolders ?? 1)) : 0);
  const common = sameName(c) ? Math.log2(Math.max(1, context.sameName ?? 1)) : 0;
  return (
    shared(WEIGHTS.family[c.family]) +
    WEIGHTS.given[c.given] -
    common +
    shared(WEIGHTS.birthDate[c.birthDate]) +
    WEIGHTS.sex[c.sex] +
    shared(phone) +
    shared(WEIGHTS.address[c.address]) +
    shared(regionWeight(c)) +
    WEIGHTS.typedId[c.typedId] +
    WEIGHTS.healthCard[c.healthCard]
  );
}

/** The county that issued a number, where the homes themselves do not agree already (the same home lies in the same county). */
function regionWeight(c: Comparison): number {
  return c.address === "same" || c.address === "similar" ? 0 : WEIGHTS.region[c.region];
}

/** How many candidate residents have a record carrying the incoming record's phone. */
export function phoneHolders(incoming: PreparedRecord, candidates: readonly Resident[]): number {
  if (!incoming.record.phone) return 0;
  return candidates.filter((r) => r.records.some((stored) => comparePhones(incoming.record.phone, stored.phone) === "exact")).length;
}

export interface ScoredCandidate {
  empi: string;
  score: number;
  comparison: Comparison;
}

/** At most this many of a resident's records (the latest) are compared with an incoming one. */
export const MAX_RECORDS_SCORED = 32;

/**
 * The resident's best record (among its latest MAX_RECORDS_SCORED) against the incoming one. A record
 * whose given name is the incoming one typed short (or the other way round) does not count when
 * another record of the resident spells a given name that goes against it: 子 matches 子涵 typed
 * short only if the resident is not known as 子轩.
 */
export function scoreResident(incoming: PreparedRecord, resident: Resident, context: ScoreContext = {}): ScoredCandidate {
  let best: ScoredCandidate | undefined;
  let bestFull: ScoredCandidate | undefined;
  let contradicted = false;
  const records = resident.records;
  const region = regionLevel(incoming, resident);
  for (let i = records.length - 1; i >= Math.max(0, records.length - MAX_RECORDS_SCORED); i--) {
    const stored = records[i]!;
    const comparison = compareRecords(incoming, stored, region);
    const score = scoreComparison(comparison, context);
    if (comparison.given === "partial" || comparison.given === "different") contradicted = true;
    if (!best || score > best.score) best = { empi: resident.empi, score, comparison };
    if (comparison.given !== "dropped" && (!bestFull || score > bestFull.score)) bestFull = { empi: resident.empi, score, comparison };
  }
  if (contradicted) best = bestFull;
  return best ?? { empi: resident.empi, score: Number.NEGATIVE_INFINITY, comparison: EMPTY_COMPARISON };
}

const EMPTY_COMPARISON: Comparison = {
  family: "missing",
  given: "missing",
  birthDate: "missing",
  sex: "missing",
  phone: "missing",
  address: "missing",
  typedId: "missing",
  healthCard: "missing",
  region: "missing",
};
