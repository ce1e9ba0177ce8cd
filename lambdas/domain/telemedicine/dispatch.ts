/**
 * Who gets a telemedicine Task (docs/telemedicine.md#dispatch). Tiers: a level-2 hospital is county,
 * a level-3 one municipal, unless the province names it provincial. A request goes one tier above its
 * requester (county → municipal, municipal → provincial, provincial → another provincial hospital),
 * one more per escalation, never above provincial. Among the experts of that tier with the wanted
 * specialty, never of the requesting hospital and never one who declined or let this Task time out:
 * for a county requester its own city's municipal hospitals first, then the least loaded; among equally
 * loaded experts, the one the Task's id ranks first (rendezvous hashing), so requests dispatched at the
 * same instant, which all see the same load, spread over them rather than all going to one. Pure.
 */

export const TIERS = ["county", "municipal", "provincial"] as const;
export type Tier = (typeof TIERS)[number];

export function tierOf(level: 2 | 3 | undefined, hospitalId: string, provincial: ReadonlySet<string>): Tier {
  if (level === 3) return provincial.has(hospitalId) ? "provincial" : "municipal";
  return "county";
}

/** The tier a Task is dispatched to: one above its requester's, one more per escalation, at most provincial */
export function targetTier(requester: Tier, escalations: number): Tier {
  const index = Math.min(TIERS.indexOf(requester) + 1 + escalations, TIERS.length - 1);
  return TIERS[index]!;
}

export interface Expert {
  /** the PractitionerRole's id */
  roleId: string;
  practitionerId: string;
  hospitalId: string;
  cityId: string;
  tier: Tier;
  specialties: readonly string[];
}

export interface DispatchFacts {
  /** the Task's id: the tie-break among equally loaded experts */
  taskId: string;
  requesterHospitalId: string;
  requesterCityId: string;
  requesterTier: Tier;
  specialty: string;
  escalations: number;
  /** roles that declined this Task or let it time out */
  excluded: readonly string[];
}

export type DispatchChoice =
  | { kind: "assign"; expert: Expert; escalations: number }
  /** nobody at the target tier or above: the Task waits (`no-expert`) and the operator is alarmed */
  | { kind: "none"; escalations: number };

/**
 * The expert for a Task: at its target tier, or (nobody there) the next tier up, which counts as an
 * escalation. `load`: open Tasks per role.
 */
export function chooseExpert(facts: DispatchFacts, experts: readonly Expert[], load: ReadonlyMap<string, number>): DispatchChoice {
  const excluded = new Set(facts.excluded);
  for (let escalations = facts.escalations; ; escalations++) {
    const tier = targetTier(facts.requesterTier, escalations);
    const candidates = experts.filter(
      (e) =>
        e.tier === tier && e.hospitalId !== facts.requesterHospitalId && !excluded.has(e.roleId) && e.specialties.includes(facts.specialty),
    );
    if (candidates.length > 0) {
      const sameCity = (e: Expert) => (facts.requesterTier === "county" && e.cityId === facts.requesterCityId ? 0 : 1);
      const [best] = [...candidates].sort(
        (a, b) =>
          sameCity(a) - sameCity(b) ||
          (load.get(a.roleId) ?? 0) - (load.get(b.roleId) ?? 0) ||
          rank(facts.taskId, a.roleId) - rank(facts.taskId, b.roleId) ||
          a.roleId.localeCompare(b.roleId),
      );
      return { kind: "assign", expert: best!, escalations };
    }
    if (tier === "provincial") return { kind: "none", escalations };
  }
}

/** A Task's rank of an expert: FNV-1a over both ids, a number the same for the same pair and spread over pairs */
function rank(taskId: string, roleId: string): number {
  let h = 0x811c9dc5;
  for (const ch of `${taskId}|${roleId}`) {
    h ^= ch.charCodeAt(0);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}
