/**
 * Where an incoming record belongs among the candidate residents its blocking keys found (docs/mpi.md):
 * link, review or a new resident, from the scores of lambdas/domain/mpi/scorer.ts. Pure.
 */
import { compareBirthDates } from "./comparators.ts";
import { type HomeEvidence, livesElsewhere, livesWith } from "./homes.ts";
import {
  bridgedResidents,
  corroborated,
  nameConflicts,
  namedAtHome,
  numberDisagreesWithResident,
  sameNameResidents,
  siblingCouldBeMeant,
  stillInQuestion,
  weaklyHeld,
} from "./link-rules.ts";
import {
  type AnalyseOptions,
  isNewbornRecord,
  isProvisional,
  type MatchRecord,
  type Resident,
  storedBirthDate,
  toStoredRecord,
} from "./record.ts";
import {
  AMBIGUOUS_MARGIN,
  type Comparison,
  CROWDED_NAME,
  compareRecords,
  LINK,
  LINK_UNCORROBORATED,
  MAX_REVIEW_CANDIDATES,
  type PreparedRecord,
  phoneHolders,
  prepareRecord,
  REVIEW,
  type ScoreContext,
  sameName,
  scoreComparison,
  scoreResident,
  withCardHome,
  withIdUse,
} from "./scorer.ts";

export type Outcome = "link" | "review" | "new";

export interface MatchDecision {
  outcome: Outcome;
  /** the resident linked to (outcome "link") */
  empi?: string;
  /** what decided: the resident ID number, the probabilistic score, or no candidate at all */
  decidedBy: "resident-id" | "score" | "no-candidate";
  /** the best candidate's score; null when no candidate could be scored */
  bestScore: number | null;
  flags: string[];
  /** the field levels of the best candidate's best record: why it scored what it did */
  bestComparison?: Comparison;
  /** outcome "review": the candidates at or above REVIEW, best first */
  reviewCandidates?: { empi: string; score: number }[];
  /** the incoming record as the index stores it (number normalized, status and set-aside recorded) */
  record: MatchRecord;
  /** the number this record makes the resident's key, when it is one */
  residentIdKey?: string;
  /**
   * outcome "link": residents awaiting review that the record shows to be the one it links to
   * (link-rules.ts bridgedResidents); they are merged into it (`empi`, the survivor)
   */
  absorbs?: string[];
  /**
   * outcome "link" to a resident awaiting review whose question the record answered in part: the
   * candidates still in question (link-rules.ts stillInQuestion); empty, it is an ordinary resident now
   */
  remainingReview?: string[];
  /**
   * a decision resting on name, birth date and sex alone, made without knowing who lives where (a
   * link, or a review for want of corroboration): the resident to ask the index about (homes.ts);
   * decide again with `homes` for it (MasterPatientIndex.decide does)
   */
  asksHomes?: string;
}

export interface DecideOptions extends AnalyseOptions {
  /** how many residents of the index hold the record's name (its sound), counted up to COMMON_NAME */
  nameHolders?: number;
  /** who lives where, for the candidate a link on name, birth date and sex alone would go to (homes.ts) */
  homes?: HomeEvidence;
}

/**
 * From this many residents holding a name's sound (whatever their birth dates), name, birth date and
 * sex alone do not link: a stranger born the same day grows likely with the name's holders, however
 * large the index (at 300 000 residents, 0.2–0.6 % of such links were false for names held by up to
 * 30 residents, 3 % for 31–100, 6 % beyond). 60 halves the false pairs at 1 000 000 residents for
 * 0.26 points of recall (docs/mpi.md, "Measured"); at the province's 74 million most names are held
 * by more, and such a record then needs something else to agree.
 */
export const COMMON_NAME = 60;

const COMPARISON_FLAGS: Partial<Record<string, string>> = {
  "birthDate:swap": "birthdate-swap",
  "birthDate:slip": "birthdate-slip",
  "birthDate:day": "birthdate-day",
  "given:dropped": "name-dropped-character",
  "family:homophone": "name-homophone",
  "given:homophone": "name-homophone",
  "family:near-homophone": "name-near-homophone",
  "given:near-homophone": "name-near-homophone",
  "typedId:one-edit": "resident-id-one-edit",
};

function comparisonFlags(c: Comparison): string[] {
  const out = new Set<string>();
  for (const [field, level] of Object.entries(c)) {
    const flag = COMPARISON_FLAGS[`${field}:${level}`];
    if (flag) out.add(flag);
  }
  return [...out];
}

/** Where `incoming` belongs among `candidates` (the residents its blocking keys found). Pure. */
export function decide(incoming: MatchRecord, candidates: readonly Resident[], options: DecideOptions): MatchDecision {
  let prepared = prepareRecord(incoming, options);
  const flags = [...prepared.id.flags];
  const finish = (d: Omit<MatchDecision, "record" | "residentIdKey" | "flags">): MatchDecision => {
    const record = toStoredRecord(incoming, prepared.id, options.today);
    const residentIdKey = prepared.id.use === "key" ? prepared.id.typed : undefined;
    return { ...d, flags: [...new Set(flags)], record, ...(residentIdKey ? { residentIdKey } : {}) };
  };

  if (prepared.id.flags.includes("newborn-mother-id")) return finish(newbornDecision(prepared, candidates));
  // a newborn's records (its mother's number and a birth order) are matched only with each other
  const adults = candidates.filter((r) => !r.records.every(isNewbornRecord));

  /** the frequencies the candidates show for the record as prepared now (its phone's holders, its name's) */
  const contextOf = (): Required<ScoreContext> => ({
    phoneHolders: phoneHolders(prepared, adults),
    sameName: sameNameResidents(prepared, adults),
  });
  /**
   * the resident linked to, and the residents awaiting review the record shows to be the same person;
   * `context` as the caller scored with, else computed (only when a candidate awaits review)
   */
  const bridge = (target: Resident, context?: ScoreContext): Pick<MatchDecision, "empi" | "absorbs" | "remainingReview"> => {
    if (!isProvisional(target) && !adults.some(isProvisional)) return { empi: target.empi };
    const record = toStoredRecord(incoming, prepared.id, options.today);
    const { survivor, absorbed } = bridgedResidents(prepared, record, target, adults, context ?? contextOf(), options);
    if (absorbed.length === 0 && isProvisional(target)) {
      // the record's number makes a candidate holding another one a second resident: no longer in question
      const number = target.residentId ?? (prepared.id.use === "key" ? prepared.id.typed : undefined);
      const remaining = stillInQuestion(target, number, adults, record);
      if (remaining.length === target.reviewCandidates!.length) return { empi: target.empi };
      flags.push(remaining.length ? "review-narrowed" : "review-answered-apart");
      return { empi: target.empi, remainingReview: remaining };
    }
    if (absorbed.length === 0) return { empi: target.empi };
    flags.push("review-answered");
    return { empi: survivor.empi, absorbs: absorbed.map((r) => r.empi) };
  };

  let conflictOwner: string | undefined;
  /** the candidate to ask the index about, when who lives where could still change the decision */
  let asksHomes: string | undefined;
  if (prepared.id.use === "key") {
    const owner = adults.find((r) => r.residentId === prepared.id.typed);
    if (owner && !nameConflicts(prepared, owner)) {
      const scored = scoreResident(prepared, owner);
      return finish({
        outcome: "link",
        ...bridge(owner),
        decidedBy: "resident-id",
        bestScore: finite(scored.score),
        bestComparison: scored.comparison,
      });
    }
    if (owner) {
      const own = prepared.record.sex === "male" || prepared.record.sex === "female";
      if (own && prepared.id.birthDateAgreement === "exact" && weaklyHeld(owner, prepared.id.typed)) {
        // the owner's claim rests on records without a birth date, this record confirms the number
        // with its own date and sex: the number is contested, and scored pair by pair (it agrees
        // with the records of its rightful holder, not with the borrower's)
        flags.push("resident-id-contested");
      } else {
        // the number's owner is known and is someone else: keep the number, match on the other fields,
        // and never decide "new" silently: a clerk sees the owner among the review candidates
        flags.push("resident-id-name-conflict");
        conflictOwner = owner.empi;
      }
      prepared = withIdUse({ ...prepared, id: { ...prepared.id, use: "set-aside" } }, options.today);
    }
  }

  prepared = withCardHome(prepared, adults);
  const key = prepared.id.use === "key" ? prepared.id.typed : undefined;
  const context = contextOf();
  const namesakes = context.sameName;
  const scored = adults
    .filter((r) => !(key && r.residentId && r.residentId !== key))
    .map((r) => scoreResident(prepared, r, context))
    .filter((s) => Number.isFinite(s.score))
    .sort((a, b) => b.score - a.score);
  const best = scored[0];
  const evidence = best ? { bestScore: best.score, bestComparison: best.comparison } : { bestScore: null };
  const holder = best && adults.find((r) => r.empi === best.empi);
  const numberDisagrees = !!best && (best.comparison.typedId === "different" || numberDisagreesWithResident(prepared, holder));
  // the full name at the same home on a record without birth date and sex: nothing to hold against it
  // (a parent registered with a child's card and nothing else), and no one else in question
  const alone = (scored[1]?.score ?? Number.NEGATIVE_INFINITY) < REVIEW;
  if (best && best.score >= REVIEW && best.score < LINK && namedAtHome(best.comparison) && alone && !numberDisagrees) {
    flags.push("link-name-at-home");
    return finish({ outcome: "link", empi: best.empi, decidedBy: "score", ...evidence });
  }
  if (best && best.score >= LINK) {
    // name and birth date alone: the full name (or its sound) and the date itself (or its swap), never a
    // name typed short or a date a day or a digit off, which strangers match about as often as the person
    const plain = sameName(best.comparison) && (best.comparison.birthDate === "exact" || best.comparison.birthDate === "swap");
    const common = (options.nameHolders ?? 0) >= COMMON_NAME;
    const enough = plain && best.score >= LINK_UNCORROBORATED && namesakes < CROWDED_NAME && !common;
    const second = scored[1]?.score ?? Number.NEGATIVE_INFINITY;
    if (second >= LINK) flags.push("several-link-candidates");
    // two residents a given name not typed in full (子 for 子涵 or 子轩) fits equally: ambiguous. Two that
    // the name fits exactly are the same person registered twice, and the better one takes the record
    const unclearName = !sameName(best.comparison);
    if (second >= LINK && best.score - second < AMBIGUOUS_MARGIN && unclearName) flags.push("link-ambiguous");
    else if (siblingCouldBeMeant(prepared, best, adults)) flags.push("link-sibling");
    else if (numberDisagrees) flags.push("link-number-disagrees");
    else if (corroborated(best.comparison)) {
      flags.push(...comparisonFlags(best.comparison));
      return finish({ outcome: "link", ...bridge(holder!, context), decidedBy: "score", ...evidence });
    } else if (enough && livesElsewhere(options.homes, best.empi)) {
      // name, birth date and sex alone, and the record's phone or home is another household's: a namesake
      flags.push("link-lives-elsewhere");
    } else if (enough) {
      flags.push(...comparisonFlags(best.comparison));
      if (options.homes?.empi !== best.empi) asksHomes = best.empi;
      return finish({ outcome: "link", ...bridge(holder!, context), decidedBy: "score", ...evidence, ...asked(asksHomes) });
    } else if (sameName(best.comparison) && livesWith(options.homes, best.empi)) {
      // the full name (or its sound) at a phone or home of the candidate's household: corroborated by it
      flags.push("link-with-household", ...comparisonFlags(best.comparison));
      return finish({ outcome: "link", ...bridge(holder!, context), decidedBy: "score", ...evidence });
    } else {
      flags.push("link-uncorroborated");
      if (sameName(best.comparison) && options.homes?.empi !== best.empi) asksHomes = best.empi;
    }
  }
  const reviewCandidates = scored
    .filter((s) => s.score >= REVIEW || s.empi === conflictOwner)
    .slice(0, MAX_REVIEW_CANDIDATES)
    .map((s) => ({ empi: s.empi, score: s.score }));
  if (reviewCandidates.length > 0)
    return finish({ outcome: "review", decidedBy: "score", ...evidence, reviewCandidates, ...asked(asksHomes) });
  return finish({ outcome: "new", decidedBy: best ? "score" : "no-candidate", ...evidence });
}

/**
 * A newborn registered under its mother's number and a birth order: the same newborn registered
 * again (the same number and birth order, a birth date that agrees or is missing) links; anything
 * else is a newborn of its own, with its own EMPI at once, never review for a name it does not have
 * yet, never another birth order (twins) and never its mother.
 */
function newbornDecision(
  prepared: PreparedRecord,
  candidates: readonly Resident[],
): Omit<MatchDecision, "record" | "residentIdKey" | "flags"> {
  const { typed } = prepared.id;
  const order = prepared.record.birthOrder;
  for (const resident of candidates) {
    const same = resident.records.find(
      (stored) =>
        typed !== undefined &&
        isNewbornRecord(stored) &&
        stored.birthOrder === order &&
        stored.residentId === typed &&
        ["exact", "day", "missing"].includes(compareBirthDates(prepared.birthDate, storedBirthDate(stored))),
    );
    if (same) {
      const comparison = compareRecords(prepared, same);
      return {
        outcome: "link",
        empi: resident.empi,
        decidedBy: "resident-id",
        bestScore: scoreComparison(comparison),
        bestComparison: comparison,
      };
    }
  }
  return { outcome: "new", decidedBy: "no-candidate", bestScore: null };
}

/** `asksHomes` on a decision, when there is a candidate to ask about. */
function asked(empi: string | undefined): Pick<MatchDecision, "asksHomes"> {
  return empi ? { asksHomes: empi } : {};
}

function finite(score: number): number | null {
  return Number.isFinite(score) ? score : null;
}
