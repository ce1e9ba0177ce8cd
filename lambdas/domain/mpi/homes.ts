/**
 * Who lives where: the evidence a link resting on name, birth date and sex alone still needs
 * (docs/mpi.md, "A namesake's home"). Pure; the engine reads the index's `ph:` and `hm:` partitions
 * (blocking.ts homeKeys) and hands decide.ts what they show about one candidate.
 *
 * A person lives somewhere: the index knows a home or a phone as a household when residents are
 * indexed there. A record that agrees with a candidate on name, birth date and sex and on nothing
 * else is the candidate's own (a new phone, a new home, no number) or a stranger's who happens to
 * share them (a namesake born the same day). When the record's phone or home belongs to another
 * household the index knows, and the candidate is settled at its own (a household lives at its
 * phones or homes, two of its own registrations give the same home, or one gives a home in the
 * county that issued its number), the record is that other household's member more likely than
 * the candidate moved in with it: two established homes and one name go to a steward, not to one
 * EMPI. A candidate known only by records nobody else shares, each at another phone and home (its
 * own odd registrations), says nothing against the record.
 *
 * The other way round, the household corroborates: a record giving a phone or a home where the
 * candidate's household lives (and the candidate's own records do not) is the candidate's, when its
 * full name (or its sound) and birth date agree well enough to link otherwise. Parents give no two
 * of their children, nor a child and themselves, one name.
 */

import { HOME_PREFIX } from "./blocking.ts";
import type { Resident } from "./record.ts";
import { countyOfAddress } from "./region.ts";

/** What the index shows about the homes of an incoming record and of one candidate resident. */
export interface HomeEvidence {
  /** the candidate resident it is about */
  empi: string;
  /**
   * the candidate is settled: residents other than it are indexed at its phones or homes, two of its
   * records give the same home (a phone typed twice says whose phone it is, not where one lives), or
   * one of its records gives a home in the county that issued its valid number (where most people live)
   */
  candidateSettled: boolean;
  /** residents live at the record's phone or home (one not the candidate's), none of them the candidate or of its household */
  recordLivesElsewhere: boolean;
  /** residents of the candidate's household live at the record's phone or home (one not the candidate's own) */
  recordLivesWith: boolean;
}

/** Whether the record gives a phone or home of the candidate's household (homes for that candidate). */
export function livesWith(homes: HomeEvidence | undefined, empi: string): boolean {
  return !!homes && homes.empi === empi && homes.recordLivesWith;
}

/** Whether the record belongs to another household than the candidate's, both known to the index. */
export function livesElsewhere(homes: HomeEvidence | undefined, empi: string): boolean {
  return !!homes && homes.empi === empi && homes.candidateSettled && homes.recordLivesElsewhere;
}

/**
 * The evidence from the residents indexed at each side's keys: `candidateSide`, those at the
 * candidate's phones and homes (its household); `recordSide`, per phone or home key of the record
 * that the candidate does not share, those at it (the candidate itself may be among either).
 * `candidateKeys`: each of the candidate's records' phone and home keys (blocking.ts homeKeys);
 * `atIssuingCounty`: whether it lives where its number was issued (livesWhereIssued). A
 * key of the record is another household's when residents live at it and none of them is the
 * candidate or of its household: a phone the candidate's household also uses is the household's,
 * whoever else was registered with it.
 */
export function homeEvidence(
  empi: string,
  candidateKeys: readonly (readonly string[])[],
  candidateSide: Iterable<string>,
  recordSide: ReadonlyMap<string, readonly string[]>,
  atIssuingCounty = false,
): HomeEvidence {
  const household = new Set(candidateSide);
  household.delete(empi);
  // per key of the record, whoever lives there but the candidate itself
  const atRecord = [...recordSide.values()].map((living) => living.filter((other) => other !== empi));
  const recordLivesElsewhere = atRecord.some((living) => living.length > 0 && living.every((other) => !household.has(other)));
  const recordLivesWith = atRecord.some((living) => living.some((other) => household.has(other)));
  const seen = new Set<string>();
  let repeated = false;
  for (const keys of candidateKeys) {
    for (const key of new Set(keys)) {
      if (key.startsWith(HOME_PREFIX) && seen.has(key)) repeated = true;
      seen.add(key);
    }
  }
  return { empi, candidateSettled: household.size > 0 || repeated || atIssuingCounty, recordLivesElsewhere, recordLivesWith };
}

/**
 * Whether one of the resident's records (not `ignore`d) gives a home in the county that issued the
 * resident's valid number (its first six digits, region.ts): a home typed wrong seldom falls there.
 */
export function livesWhereIssued(resident: Resident, ignore: (stored: Resident["records"][number]) => boolean = () => false): boolean {
  const issued = resident.residentId?.slice(0, 6);
  return !!issued && resident.records.some((stored) => !ignore(stored) && countyOfAddress(stored.address) === issued);
}
