/**
 * The rules decide.ts applies on top of the scores (docs/mpi.md, "How matching works"): whether a
 * resident ID number's owner fits the record, whether a typed number or something beyond name and
 * birth date corroborates a link, whether a sibling or a namesake could be meant. Pure.
 */
import { compareAddresses, compareHealthCards, comparePhones, compareTypedIds } from "./comparators.ts";
import { type AnalyseOptions, isProvisional, type MatchRecord, type Resident, storedBirthDate, storedIdIsKey } from "./record.ts";
import {
  type Comparison,
  compareRecords,
  givenNamesAgree,
  LINK,
  NAME_CONFLICT_BELOW,
  type PreparedRecord,
  personAgrees,
  prepareRecord,
  type ScoreContext,
  type ScoredCandidate,
  sameName,
  scoreResident,
} from "./scorer.ts";
import { WEIGHTS } from "./weights.ts";

/**
 * Whether the owner holds the number only through records that cannot confirm it (no birth date of
 * their own): a parent registered with a child's card before the child was.
 */
export function weaklyHeld(owner: Resident, number: string | undefined): boolean {
  return !owner.records.some((r) => r.residentId === number && storedIdIsKey(r) && r.birthDate);
}

/**
 * Whether no record of the ID's owner has a given name going with the record's and a name scoring ≥
 * NAME_CONFLICT_BELOW. A record of the owner typed short (悦 for 悦霞) goes with the record's name only
 * while no other record of the owner spells a given name against it (悦艳 against 悦霞): as in
 * scoreResident, a short name fits a twin as well as the person.
 */
export function nameConflicts(incoming: PreparedRecord, owner: Resident): boolean {
  let fitsShort = false;
  let contradicted = false;
  for (const stored of owner.records) {
    const c = compareRecords(incoming, stored);
    if (c.given === "partial" || c.given === "different") contradicted = true;
    if (!givenNamesAgree(c) || WEIGHTS.family[c.family] + WEIGHTS.given[c.given] < NAME_CONFLICT_BELOW) continue;
    if (c.given !== "dropped") return false;
    fitsShort = true;
  }
  return owner.records.length > 0 && !(fitsShort && !contradicted);
}

/**
 * Whether the record's invalid number (failed its check) is not one slip from the valid number the
 * resident holds: the resident's number is known whichever of its records scored best, so a typed
 * number that cannot be a slip of it says another person (赵辉 with a number two edits from 赵辉天's).
 * And the other way round: the record's own valid number, when the resident is known only by invalid
 * numbers none of which is one slip from it (two children of one name, one known by a mistyped number).
 */
export function numberDisagreesWithResident(incoming: PreparedRecord, resident: Resident | undefined): boolean {
  if (!resident || incoming.id.check?.kind === "malformed") return false;
  if (incoming.id.use === "flagged")
    return !!resident.residentId && compareTypedIds(incoming.id.typed, resident.residentId) === "different";
  if (incoming.id.use !== "key") return false;
  // the other way round: the record's own valid number against the invalid ones the resident's records
  // carry (the resident's own number, mistyped): none of them one slip from it says another person
  return numbersApart(incoming.id.typed, resident.records);
}

/**
 * Whether something beyond name, birth date and sex agrees: phone, address, a typed ID number, the
 * health card, or a home in the county that issued the other side's number. Name and birth date
 * alone do not link a crowded name (see sameNameResidents) or a common one (COMMON_NAME, decide.ts).
 */
export function corroborated(c: Comparison): boolean {
  return (
    c.phone === "exact" ||
    c.phone === "last8" ||
    c.address === "same" ||
    c.address === "similar" ||
    c.typedId === "same" ||
    c.typedId === "one-edit" ||
    c.typedId === "household" ||
    c.healthCard === "same" ||
    c.region === "same"
  );
}

/**
 * The full name, exactly, at the same home, on a pair where one record has neither birth date nor
 * sex to hold against the other (a parent registered with a child's card and nothing else): nothing
 * disagrees but possibly the phone, and two people of one full name rarely share a home. A given
 * name typed by its sound (建帼 for 建国) at the same home, the same sex, no birth date on one side,
 * likewise: parents do not give two children, nor a child and themselves, names that sound the same.
 */
export function namedAtHome(c: Comparison): boolean {
  const soundAlike = c.given === "homophone" && c.sex === "same";
  return (
    c.family === "exact" &&
    (c.given === "exact" || soundAlike) &&
    c.address === "same" &&
    c.birthDate === "missing" &&
    (c.sex === "missing" || soundAlike) &&
    c.typedId !== "different" &&
    c.healthCard !== "different"
  );
}

/** Whether a typed number or the health card confirms the pair (a valid number decided before scoring). */
export function confirmedByNumber(c: Comparison): boolean {
  return c.typedId === "same" || c.typedId === "one-edit" || c.healthCard === "same";
}

/**
 * A given name typed short (子 for 子涵, or the other way round) with no number to confirm it: a
 * twin's or a sibling's record looks exactly so. It links only when no one else of the candidate's
 * household could be meant: no other candidate resident sharing the best one's phone or address was
 * born the same day or has a given name the record's fits as well (子 against 子轩). A sibling holding
 * another valid number than the record's own is not meant (姚春 with his own number, beside 姚春国 with his).
 */
export function siblingCouldBeMeant(incoming: PreparedRecord, best: ScoredCandidate, candidates: readonly Resident[]): boolean {
  const c = best.comparison;
  if (c.given !== "dropped" || confirmedByNumber(c)) return false;
  const holder = candidates.find((r) => r.empi === best.empi);
  if (!holder) return false;
  const phones = new Set(holder.records.map((r) => r.phone).filter((p): p is string => !!p));
  const addresses = holder.records.map((r) => r.address).filter((a): a is string => !!a);
  const number = incoming.id.use === "key" ? incoming.id.typed : undefined;
  for (const other of candidates) {
    // a sibling holding another valid number than the record's own is not the one meant
    if (other.empi === best.empi || (number && other.residentId && other.residentId !== number)) continue;
    const household = other.records.some(
      (r) => (r.phone && phones.has(r.phone)) || (r.address && addresses.some((a) => compareAddresses(a, r.address) === "same")),
    );
    if (!household) continue;
    for (const stored of other.records) {
      const fits = compareRecords(incoming, stored);
      if (fits.sex === "different" || !["exact", "homophone", "dropped"].includes(fits.given)) continue;
      if (["exact", "swap", "day", "missing"].includes(fits.birthDate)) return true;
    }
  }
  return false;
}

/**
 * How many candidate residents share the record's name (family and given: exact or homophone) and
 * birth year-month. The weights hold an average name; a name held by λ residents per birth month
 * makes a stranger with the same full birth date about λ/30 likely. One such resident (the best
 * candidate itself) says little about λ; a second one says the name is common at this index's
 * scale (at 74 million, most names are), so from CROWDED_NAME on name and birth date alone do not
 * link: something else must agree (corroborated). The nm blocking key brings exactly these
 * residents among the candidates.
 */
export function sameNameResidents(incoming: PreparedRecord, candidates: readonly Resident[]): number {
  const month = incoming.birthDate?.slice(0, 7);
  let count = 0;
  for (const resident of candidates) {
    const same = resident.records.some((stored) => {
      const storedDate = storedBirthDate(stored);
      if (month && storedDate && storedDate.slice(0, 7) !== month) return false;
      return sameName(compareRecords(incoming, stored));
    });
    if (same) count++;
  }
  return count;
}

/**
 * Whether the incoming record, on its own, would link to the resident beyond doubt: a score ≥ LINK,
 * corroborated by more than name and birth date, the full name (or its sound: never a name typed
 * short, which fits a twin as well), the person's own fields agreeing, no number against it.
 */
export function linksBeyondDoubt(incoming: PreparedRecord, resident: Resident, context: ScoreContext): boolean {
  const s = scoreResident(incoming, resident, context);
  const c = s.comparison;
  return (
    s.score >= LINK &&
    corroborated(c) &&
    sameName(c) &&
    personAgrees(c) &&
    c.typedId !== "different" &&
    c.healthCard !== "different" &&
    !numberDisagreesWithResident(incoming, resident)
  );
}

/**
 * A resident awaiting review answered by a later registration: the two are one person, and the
 * provisional resident is merged into the other, as a steward would. Two readings, the second only
 * when the first finds none: the record links beyond doubt both to the provisional resident and to a
 * candidate the clerk was asked to compare it with (its own resident, or the provisional one's),
 * never two residents holding two valid numbers, nor one holding another number than the record's own
 * (the scores compare no two valid numbers); or the two residents' records, the record among the
 * target's, agree (residentsAgree). `record`: the incoming record as stored. Returns the resident the
 * record joins and the provisional residents it absorbs.
 */
export function bridgedResidents(
  incoming: PreparedRecord,
  record: MatchRecord,
  target: Resident,
  candidates: readonly Resident[],
  context: ScoreContext,
  options: AnalyseOptions,
): { survivor: Resident; absorbed: Resident[] } {
  // never two residents holding two valid numbers, nor one holding another than the record's own
  const key = incoming.id.use === "key" ? incoming.id.typed : undefined;
  const numbers = (r: Resident): string[] => [r.residentId, key].filter((n): n is string => !!n);
  const compatible = (a: Resident, b: Resident): boolean => new Set([...numbers(a), ...numbers(b)]).size <= 1;
  const linksTo = (r: Resident): boolean => linksBeyondDoubt(incoming, r, context);
  const withRecord = (r: Resident): readonly MatchRecord[] => (r === target ? [...r.records, record] : r.records);
  // each pair a resident awaiting review and a resident it is in question with; the record joins `target`
  const pairs: [Resident, Resident][] = isProvisional(target)
    ? candidates.filter((r) => !isProvisional(r) && target.reviewCandidates!.includes(r.empi)).map((r) => [target, r])
    : candidates
        .filter((p) => p.empi !== target.empi && isProvisional(p) && p.reviewCandidates!.includes(target.empi))
        .map((p) => [p, target]);
  const readings = [
    // the record's link to an ordinary target is decided already; a provisional one it must link to as well
    ([provisional, other]: [Resident, Resident]) =>
      compatible(provisional, other) && linksTo(provisional) && (other === target || linksTo(other)),
    ([provisional, other]: [Resident, Resident]) => residentsAgree(withRecord(provisional), withRecord(other), options),
  ];
  for (const same of readings) {
    const found = pairs.filter(same);
    if (found.length === 0) continue;
    return isProvisional(target) ? { survivor: found[0]![1], absorbed: [target] } : { survivor: target, absorbed: found.map(([p]) => p) };
  }
  return { survivor: target, absorbed: [] };
}

/**
 * Whether two residents' records, taken together, are one person's beyond doubt: a record of each
 * with the full name (or its sound), no sex against, and birth dates exact, swapped, a day or a digit
 * apart, or one missing (neither name of the pair one that another record of the two spells longer:
 * 鸣 beside 鸣平 is typed short); a record of each with a phone, a home or a health card in common; no
 * two valid numbers, and no number typed on either side that the valid one could not be a slip of.
 * Twins never meet it (no two of them hold one full name), nor namesakes, who share no phone or home.
 * A resident awaiting review gathers the person's later registrations; what none of them says to the
 * candidate alone (the first record's date a day off, the next one's name typed short at the
 * candidate's phone) they say together, as a steward reading both residents would (`a` may hold the
 * incoming record).
 */
export function residentsAgree(a: readonly MatchRecord[], b: readonly MatchRecord[], options: AnalyseOptions): boolean {
  const all = [...a, ...b];
  const valid = new Set(all.filter(storedIdIsKey).map((r) => r.residentId!));
  if (valid.size > 1) return false;
  const number = [...valid][0];
  if (number && all.some((r) => failedCheck(r) && compareTypedIds(number, r.residentId) === "different")) return false;
  // a given name another record of either side spells longer (鸣 beside 鸣平) is typed short: a twin's looks the same
  const short = (r: MatchRecord): boolean =>
    all.some((z) => !!z.given && !!r.given && z.given.length > r.given.length && z.given.startsWith(r.given));
  let named = false;
  let shared = false;
  for (const x of a) {
    const prepared = prepareRecord(x, options);
    for (const y of b) {
      const c = compareRecords(prepared, y);
      if (
        !named &&
        sameName(c) &&
        !short(x) &&
        !short(y) &&
        c.sex !== "different" &&
        ["exact", "swap", "day", "slip", "missing"].includes(c.birthDate)
      )
        named = true;
      if (!shared) {
        const phone = comparePhones(x.phone, y.phone);
        const address = compareAddresses(x.address, y.address);
        shared =
          phone === "exact" ||
          phone === "last8" ||
          address === "same" ||
          address === "similar" ||
          compareHealthCards(x.healthCard, y.healthCard) === "same";
      }
      if (named && shared) return true;
    }
  }
  return false;
}

/**
 * The candidates a resident awaiting review is still in question with, once it holds `number` and
 * the `incoming` record: a candidate holding another valid number is another resident (two numbers
 * are never merged), and so is one whose typed numbers all failed their check and none is one slip
 * from the resident's valid number (or the other way round: the resident's typed numbers against the
 * candidate's valid one), as numberDisagreesWithResident reads a record against a resident. Empty:
 * the resident is an ordinary one now. Candidates not among `candidates` stay in question (their
 * numbers are not known here).
 */
export function stillInQuestion(
  target: Resident,
  number: string | undefined,
  candidates: readonly Resident[],
  incoming: MatchRecord,
): string[] {
  const own = [...target.records, incoming];
  return (target.reviewCandidates ?? []).filter((empi) => {
    const other = candidates.find((r) => r.empi === empi);
    if (!other) return true;
    if (number && other.residentId && other.residentId !== number) return false;
    // a valid number on one side, and on the other only numbers typed that cannot be a slip of it
    return !(numbersApart(number, other.records) || numbersApart(other.residentId, own));
  });
}

/** Whether `records` carry numbers that failed their check, none of them one slip from the valid `number`. */
function numbersApart(number: string | undefined, records: readonly MatchRecord[]): boolean {
  if (!number) return false;
  const invalid = records.filter(failedCheck);
  return invalid.length > 0 && invalid.every((r) => compareTypedIds(number, r.residentId) === "different");
}

/** Whether a stored record's typed number failed its check (a mistyped number, or one with an impossible date). */
function failedCheck(r: MatchRecord): boolean {
  return r.residentIdStatus === "bad-check" || r.residentIdStatus === "impossible-date";
}
