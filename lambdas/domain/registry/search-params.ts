/**
 * The search parameters of each registry type, each with the values it reads from a resource.
 * One table serves the index (index-entries.ts writes an entry per value) and the check of every
 * hit against the request (search.ts), so the two cannot disagree. Pure.
 */
import { isValidUscc, usccProblems } from "#domain/uscc.ts";
import { approvalOf, ROLE_APPROVAL_URL } from "./authority.ts";
import { PRACTITIONER_SYSTEM, USCC_SYSTEM } from "./codes.ts";
import { licenseProblems } from "./license.ts";
import { practitionerNameTexts } from "./practitioners.ts";
import {
  type Location,
  type Organization,
  type Practitioner,
  type PractitionerRole,
  type RegistryResource,
  type RegistryType,
  referencedId,
} from "./resources.ts";

export interface Token {
  system?: string;
  code: string;
}

export type ParamDef<R> =
  | { kind: "string"; texts: (r: R) => string[]; surname?: boolean }
  | { kind: "token"; tokens: (r: R) => Token[] }
  | { kind: "reference"; target: RegistryType; ids: (r: R) => string[] };

type ParamTable<R> = Record<string, ParamDef<R>>;

const present = <T>(values: (T | undefined)[]): T[] => values.filter((v): v is T => v !== undefined);
const identifierTokens = (r: { identifier?: { system?: string; value?: string }[] }): Token[] =>
  (r.identifier ?? []).flatMap((i) => (i.value ? [{ system: i.system, code: i.value }] : []));
const codingTokens = (concepts: { coding?: { system?: string; code?: string }[] }[] | undefined): Token[] =>
  (concepts ?? []).flatMap((c) =>
    (c.coding ?? []).flatMap((coding) => (coding.code ? [{ system: coding.system, code: coding.code }] : [])),
  );

const ORGANIZATION: ParamTable<Organization> = {
  name: { kind: "string", texts: (o) => [o.name, ...(o.alias ?? [])] },
  identifier: { kind: "token", tokens: identifierTokens },
  type: { kind: "token", tokens: (o) => codingTokens(o.type) },
  partof: { kind: "reference", target: "Organization", ids: (o) => present([referencedId(o.partOf?.reference, "Organization")]) },
  "address-city": { kind: "string", texts: (o) => present((o.address ?? []).map((a) => a.city)) },
};

const LOCATION: ParamTable<Location> = {
  name: { kind: "string", texts: (l) => [l.name, ...(l.alias ?? [])] },
  organization: {
    kind: "reference",
    target: "Organization",
    ids: (l) => present([referencedId(l.managingOrganization?.reference, "Organization")]),
  },
  "address-city": { kind: "string", texts: (l) => present([l.address?.city]) },
};

const PRACTITIONER: ParamTable<Practitioner> = {
  identifier: { kind: "token", tokens: identifierTokens },
  name: { kind: "string", texts: practitionerNameTexts, surname: true },
};

const PRACTITIONER_ROLE: ParamTable<PractitionerRole> = {
  organization: {
    kind: "reference",
    target: "Organization",
    ids: (r) => present([referencedId(r.organization.reference, "Organization")]),
  },
  practitioner: {
    kind: "reference",
    target: "Practitioner",
    ids: (r) => present([referencedId(r.practitioner.reference, "Practitioner")]),
  },
  role: { kind: "token", tokens: (r) => codingTokens(r.code) },
  /**
   * The operator's decision on a role of a practitioner active elsewhere (the `role-approval`
   * extension: pending, approved, rejected); the operator's search only (docs/registry.md)
   */
  approval: {
    kind: "token",
    tokens: (r) => {
      const approval = approvalOf(r);
      return approval ? [{ system: ROLE_APPROVAL_URL, code: approval }] : [];
    },
  },
};

/** Search parameters only the operator may use (a hospital's search naming one is refused, 403) */
export const OPERATOR_SEARCH_PARAMS: Partial<Record<RegistryType, readonly string[]>> = { PractitionerRole: ["approval"] };

export const SEARCH_PARAMS: { [T in RegistryType]: ParamTable<Extract<RegistryResource, { resourceType: T }>> } = {
  Organization: ORGANIZATION,
  Location: LOCATION,
  Practitioner: PRACTITIONER,
  PractitionerRole: PRACTITIONER_ROLE,
};

/** The parameter definition of `type`, widened to any registry resource (the caller checks the type). */
export const paramDef = (type: RegistryType, param: string): ParamDef<RegistryResource> | undefined =>
  (SEARCH_PARAMS[type] as ParamTable<RegistryResource>)[param];

/** Problems with an identifier searched for under a system whose format the registry knows. */
export function identifierSearchProblems(token: Token): string[] {
  if (token.system === USCC_SYSTEM)
    return isValidUscc(token.code) ? [] : usccProblems(token.code).map((p) => `not a valid unified social credit code: ${p}`);
  if (token.system === PRACTITIONER_SYSTEM) return licenseProblems(token.code);
  return [];
}
