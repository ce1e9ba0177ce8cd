/**
 * Subscription criteria a hospital may ask for (docs/push.md), parsed. Pure.
 *   <Type>?patient.identifier=<system>|<value>                       one resident, any identifier the MPI knows
 *   <Type>?patient._has:Encounter:subject:service-provider=Organization/<own hospital id>
 *         &patient._has:Encounter:subject:status=in-progress          every resident admitted at the hospital now
 * <Type> is DocumentReference or Encounter.
 */
export const SUBSCRIBABLE_TYPES = ["DocumentReference", "Encounter"] as const;
export type SubscribableType = (typeof SUBSCRIBABLE_TYPES)[number];

export const HAS_PROVIDER = "patient._has:Encounter:subject:service-provider";
export const HAS_STATUS = "patient._has:Encounter:subject:status";

export type Criteria =
  | { kind: "patient"; resourceType: SubscribableType; identifier: { system: string; value: string } }
  | { kind: "admitted"; resourceType: SubscribableType; hospitalId: string };

export class CriteriaError extends Error {
  override name = "CriteriaError";
}

const isType = (t: string): t is SubscribableType => (SUBSCRIBABLE_TYPES as readonly string[]).includes(t);

/** Parses `criteria`; throws CriteriaError saying what is wrong. `hospitalId` is the subscriber. */
export function parseCriteria(criteria: string, hospitalId: string): Criteria {
  const q = criteria.indexOf("?");
  const resourceType = q < 0 ? criteria : criteria.slice(0, q);
  if (!isType(resourceType)) throw new CriteriaError(`criteria: subscribe to ${SUBSCRIBABLE_TYPES.join(" or ")}, not '${resourceType}'`);
  const params = new URLSearchParams(q < 0 ? "" : criteria.slice(q + 1));
  const keys = [...params.keys()];
  const single = (key: string): string => {
    const values = params.getAll(key);
    if (values.length !== 1 || !values[0]) throw new CriteriaError(`criteria: ${key} must be given once, with a value`);
    return values[0];
  };
  if (keys.includes("patient.identifier")) {
    const extra = keys.find((k) => k !== "patient.identifier");
    if (extra) throw new CriteriaError(`criteria: ${extra} is not supported beside patient.identifier`);
    const token = single("patient.identifier");
    const bar = token.indexOf("|");
    const system = token.slice(0, bar);
    const value = token.slice(bar + 1);
    if (bar <= 0 || !value) throw new CriteriaError("criteria: patient.identifier expects <system>|<value>");
    return { kind: "patient", resourceType, identifier: { system, value } };
  }
  if (keys.includes(HAS_PROVIDER) || keys.includes(HAS_STATUS)) {
    const extra = keys.find((k) => k !== HAS_PROVIDER && k !== HAS_STATUS);
    if (extra) throw new CriteriaError(`criteria: ${extra} is not supported beside ${HAS_PROVIDER}`);
    const provider = single(HAS_PROVIDER);
    if (provider !== `Organization/${hospitalId}`)
      throw new CriteriaError(`criteria: ${HAS_PROVIDER} must be the subscribing hospital, Organization/${hospitalId}`);
    if (single(HAS_STATUS) !== "in-progress") throw new CriteriaError(`criteria: ${HAS_STATUS} must be in-progress`);
    return { kind: "admitted", resourceType, hospitalId };
  }
  throw new CriteriaError(
    `criteria: give patient.identifier=<system>|<value>, or ${HAS_PROVIDER}=Organization/<your hospital id>&${HAS_STATUS}=in-progress`,
  );
}

/** Encounter statuses that mean the resident is at the hospital now (an open encounter) */
const OPEN_ENCOUNTER = new Set(["arrived", "triaged", "in-progress", "onleave"]);
export const isOpenEncounter = (status: string): boolean => OPEN_ENCOUNTER.has(status);
