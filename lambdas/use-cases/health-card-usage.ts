/**
 * The health card's use (docs/health-card.md), apart from the card operations so that the operations
 * summary reads it without the cards' request schemas: a China Standard Time day's cards issued,
 * verifications by care step and outcome, and the card-based visit rate, per hospital and per city.
 */
import { CARD_VISIT_WINDOW_MS, cardBasedVisits } from "#domain/health-card.ts";
import type { HealthCardDeps } from "./health-card.ts";

/** Encounters of the day, and those preceded within an hour at the same hospital by a card verification at registration */
export interface VisitRate {
  encounters: number;
  byCard: number;
  /** byCard / encounters, 0 to 1; null without encounters */
  rate: number | null;
}

export interface UsageRow {
  cityId: string;
  hospitalId: string;
  issued: number;
  verifications: Record<string, Record<string, number>>;
  visits: VisitRate;
}

export interface CityUsage extends Omit<UsageRow, "hospitalId"> {
  hospitals: number;
}

export interface Usage {
  hospitals: UsageRow[];
  cities: CityUsage[];
}

const rateOf = (encounters: number, byCard: number): VisitRate => ({
  encounters,
  byCard,
  rate: encounters ? Math.round((byCard / encounters) * 10_000) / 10_000 : null,
});

/** The CST day before `date` (YYYY-MM-DD) */
const dayBefore = (date: string): string => new Date(Date.parse(`${date}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);

/**
 * The day's card issues, verifications (by care step, then outcome) and card-based visit rate, per
 * hospital and per city; `city` narrows. The rate's verifications may be the evening before (an
 * encounter just after midnight), so the day before's uses are read too.
 */
export async function cardUsage(deps: Pick<HealthCardDeps, "cards" | "visits">, date: string, city?: string): Promise<Usage> {
  const rows = new Map<string, UsageRow>();
  const row = (cityId: string, hospitalId: string): UsageRow => {
    const key = `${cityId}|${hospitalId}`;
    const r = rows.get(key) ?? { cityId, hospitalId, issued: 0, verifications: {}, visits: rateOf(0, 0) };
    rows.set(key, r);
    return r;
  };
  const [issued, uses, before, encounters] = await Promise.all([
    deps.cards.issuedOn(date),
    deps.cards.usesOn(date),
    deps.cards.usesOn(dayBefore(date)),
    deps.visits.on(date),
  ]);
  for (const card of issued) if (!city || card.cityId === city) row(card.cityId, card.issuedBy).issued++;
  for (const use of uses) {
    if (city && use.cityId !== city) continue;
    const steps = row(use.cityId, use.hospitalId).verifications;
    const outcomes = steps[use.careStep] ?? {};
    outcomes[use.outcome] = (outcomes[use.outcome] ?? 0) + 1;
    steps[use.careStep] = outcomes;
  }
  const earliest = Date.parse(`${date}T00:00:00+08:00`) - CARD_VISIT_WINDOW_MS;
  const recent = [...before.filter((u) => Date.parse(u.at) >= earliest), ...uses];
  for (const visit of cardBasedVisits(
    encounters.filter((e) => !city || e.cityId === city),
    recent,
  ).values())
    row(visit.cityId, visit.hospitalId).visits = rateOf(visit.encounters, visit.byCard);
  const hospitals = [...rows.values()].sort((a, b) => a.cityId.localeCompare(b.cityId) || a.hospitalId.localeCompare(b.hospitalId));
  const cities = new Map<string, CityUsage>();
  for (const h of hospitals) {
    const c = cities.get(h.cityId) ?? { cityId: h.cityId, hospitals: 0, issued: 0, verifications: {}, visits: rateOf(0, 0) };
    cities.set(h.cityId, c);
    c.hospitals++;
    c.issued += h.issued;
    for (const [step, outcomes] of Object.entries(h.verifications)) {
      const into = c.verifications[step] ?? {};
      for (const [outcome, n] of Object.entries(outcomes)) into[outcome] = (into[outcome] ?? 0) + n;
      c.verifications[step] = into;
    }
    c.visits = rateOf(c.visits.encounters + h.visits.encounters, c.visits.byCard + h.visits.byCard);
  }
  return { hospitals, cities: [...cities.values()] };
}
