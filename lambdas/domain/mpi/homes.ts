/**
 * Who lives where: the evidence a link resting on name, birth date and sex alone still needs
 * (docs/mpi.md, "A namesake's home"). Pure; the engine reads the index's `ph:` and `hm:` partitions
 * (blocking.ts homeKeys) and hands decide.ts what they show about one candidate.
 *
 * A person lives somewhere: the index knows a home or a phone as a household when residents are
 * indexed there. A record that agrees with a candidate on name, birth date and sex and on nothing
 * else is the candidate's own (a new phone, a new home, no number) or a stranger's who happens to
 * share them (a namesake born the same day). When the record's phone or home belongs to another
 * household the index knows, and the candidate's own phones and homes to a household of its own,
 * the record is that other household's member more likely than the candidate moved in with it:
 * two established households and one name go to a steward, not to one EMPI. A candidate known
 * only by records nobody else shares (its own odd registrations) says nothing against the record.
 */

/** What the index shows about the homes of an incoming record and of one candidate resident. */
export interface HomeEvidence {
  /** the candidate resident it is about */
  empi: string;
  /** residents other than the candidate are indexed at the candidate's phones or homes */
  candidateHasHousehold: boolean;
  /** residents other than the candidate and its household are indexed at the record's phone or home */
  recordLivesElsewhere: boolean;
}

/** Whether the record belongs to another household than the candidate's, both known to the index. */
export function livesElsewhere(homes: HomeEvidence | undefined, empi: string): boolean {
  return !!homes && homes.empi === empi && homes.candidateHasHousehold && homes.recordLivesElsewhere;
}

/**
 * The evidence from the residents indexed at each side's keys: `candidateSide`, those at the
 * candidate's phones and homes; `recordSide`, those at the record's phone and home that the candidate
 * does not share. Both lists without the candidate itself.
 */
export function homeEvidence(empi: string, candidateSide: Iterable<string>, recordSide: Iterable<string>): HomeEvidence {
  const household = new Set(candidateSide);
  household.delete(empi);
  const recordLivesElsewhere = [...recordSide].some((other) => other !== empi && !household.has(other));
  return { empi, candidateHasHousehold: household.size > 0, recordLivesElsewhere };
}
