/**
 * Fellegi–Sunter weights of the master patient index: for each comparator level, m = P(level | the
 * two records are the same resident) and u = P(level | they are two different residents), and the
 * weight log2(m/u). A pair's score is the sum of its fields' weights, so a score of s means the
 * observed agreement pattern is 2^s times likelier between records of one resident than between
 * records of two. The m values come from the error rates of registrations as hospitals type them
 * (the mix lib/world/population.ts simulates); the u values from the make-up of Hebei's population:
 * surname shares (王 ≈ 10 %, Σ share² ≈ 0.05), given-name shares, ~22 000 birth dates in use,
 * two sexes. Tuned on the benchmark (docs/adr/0006-mpi-matching.md), never per record.
 */

import type { AddressLevel, BirthDateLevel, IdentifierLevel, NameLevel, PhoneLevel, SexLevel } from "./comparators.ts";
import type { RegionLevel } from "./region.ts";

export interface Probabilities {
  m: number;
  u: number;
}

/** no evidence: the level is "missing" */
const NONE: Probabilities = { m: 1, u: 1 };

export const FAMILY_NAME: Readonly<Record<NameLevel, Probabilities>> = {
  exact: { m: 0.94, u: 0.05 }, // Σ surname share² in Hebei
  homophone: { m: 0.04, u: 0.01 }, // 张/章, 王/汪, 徐/许
  "near-homophone": { m: 0.01, u: 0.03 },
  similar: { m: 0.003, u: 0.01 },
  dropped: { m: 0.002, u: 0.002 }, // given names only: as partial
  partial: { m: 0.002, u: 0.002 }, // 欧阳 / 欧
  different: { m: 0.005, u: 0.9 },
  missing: NONE,
};

export const GIVEN_NAME: Readonly<Record<NameLevel, Probabilities>> = {
  exact: { m: 0.83, u: 0.003 },
  homophone: { m: 0.14, u: 0.002 }, // one character typed as a homophone (伟/玮, 丽/莉)
  "near-homophone": { m: 0.015, u: 0.02 }, // zh/z, n/l, in/ing confusions, one pinyin edit
  similar: { m: 0.005, u: 0.01 },
  // one character left out (李华斌 / 李华): a busy desk's slip in about 3 % of pairs; between two
  // residents, a one-character name that is a two-character one's first or second character,
  // about 0.1 (one-character names) × 2 × 0.02 (a common character's share)
  dropped: { m: 0.03, u: 0.004 },
  partial: { m: 0.004, u: 0.06 }, // one character shared: siblings' generation names (子涵 / 子轩)
  different: { m: 0.002, u: 0.93 },
  missing: NONE,
};

export const BIRTH_DATE: Readonly<Record<BirthDateLevel, Probabilities>> = {
  exact: { m: 0.9, u: 1 / 22_000 },
  swap: { m: 0.05, u: 1 / 22_000 }, // one date is the swap of the other
  day: { m: 0.02, u: 2 / 22_000 }, // one calendar day apart (05-19 / 05-20): a slip as common as a swap
  slip: { m: 0.01, u: 35 / 22_000 }, // about 35 dates lie one digit away from a given one
  "same-year": { m: 0.004, u: 1 / 60 },
  different: { m: 0.004, u: 0.98 },
  missing: NONE,
};

export const SEX: Readonly<Record<SexLevel, Probabilities>> = {
  same: { m: 0.99, u: 0.5 },
  different: { m: 0.01, u: 0.5 },
  missing: NONE,
};

/** Phones and addresses speak for a household rather than a person (see scorer.ts). */
export const PHONE: Readonly<Record<PhoneLevel, Probabilities>> = {
  exact: { m: 0.7, u: 0.001 }, // numbers are recycled, and front desks type their own for patients without one
  last8: { m: 0.01, u: 0.0001 },
  different: { m: 0.25, u: 0.999 }, // a quarter of registrations carry another number
  missing: NONE,
};

export const ADDRESS: Readonly<Record<AddressLevel, Probabilities>> = {
  same: { m: 0.6, u: 0.005 },
  similar: { m: 0.25, u: 0.05 }, // abbreviated, another building of the same street
  different: { m: 0.15, u: 0.945 }, // moves, workplace typed instead of home
  missing: NONE,
};

/**
 * The county that issued one side's number against the county of the other side's home (region.ts):
 * m, the share of residents living in the county that issued their number, is our assumption (most
 * do; Hebei's migrants mostly move within their prefecture or leave the province), to be re-estimated
 * from real registrations; u ≈ Σ county share² over 167 divisions. Another county weighs nothing:
 * people move, and numbers issued under since-renamed codes read as another county.
 */
export const REGION: Readonly<Record<RegionLevel, Probabilities>> = {
  same: { m: 0.7, u: 0.01 },
  different: NONE,
  missing: NONE,
};

/** A typed ID number against another when at least one failed its check. */
export const TYPED_ID: Readonly<Record<IdentifierLevel, Probabilities>> = {
  same: { m: 0.95, u: 0.00001 },
  "one-edit": { m: 0.95, u: 0.00001 }, // one substitution or adjacent transposition away
  // a card the record cannot confirm, whose owner shares the candidate's phone or home: a parent
  // registered with a child's card is most often so; a stranger's record carrying a card of the
  // candidate's household would be another member of it (whose name then differs)
  household: { m: 0.8, u: 0.01 },
  different: { m: 0.05, u: 1 },
  missing: NONE,
};

export const HEALTH_CARD: Readonly<Record<IdentifierLevel, Probabilities>> = {
  same: { m: 0.95, u: 0.000001 },
  "one-edit": { m: 0.02, u: 0.5 },
  household: NONE,
  different: { m: 0.02, u: 0.5 },
  missing: NONE,
};

export type WeightTable<L extends string> = Readonly<Record<L, number>>;

export function weightsOf<L extends string>(table: Readonly<Record<L, Probabilities>>): WeightTable<L> {
  const out = {} as Record<L, number>;
  for (const level of Object.keys(table) as L[]) out[level] = Math.log2(table[level].m / table[level].u);
  return out;
}

export const WEIGHTS = {
  family: weightsOf(FAMILY_NAME),
  given: weightsOf(GIVEN_NAME),
  birthDate: weightsOf(BIRTH_DATE),
  sex: weightsOf(SEX),
  phone: weightsOf(PHONE),
  address: weightsOf(ADDRESS),
  typedId: weightsOf(TYPED_ID),
  healthCard: weightsOf(HEALTH_CARD),
  region: weightsOf(REGION),
} as const;
