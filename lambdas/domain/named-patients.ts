/**
 * The patients a request names, for its AuditEvent: the one extractor every audited handler uses.
 * It reads the parsed body or query leniently (a malformed or refused request still names what it
 * can), and the answers that name more (the EMPI the hub resolved, the Patients a search found). Pure.
 */
import { EMPI_SYSTEM, isKnownSystem, parseToken } from "#schemas/identifiers.ts";
import { type Identifier, pixIdentifiers } from "./mpi/pix-answer.ts";

export type { Identifier };

/** An AuditEvent names at most this many patients */
export const MAX_NAMED = 10;

/** Where a request names its patient */
export type NamedAt =
  /** a Patient body: its own identifiers */
  | "Patient"
  /** a DocumentReference or Encounter (alone, or in a transaction Bundle): its subject */
  | "DocumentReference"
  | "Encounter"
  /** a Claim body: its patient */
  | "Claim"
  /** a token query parameter (`<system>|<value>`), e.g. patient.identifier */
  | { query: string };

/** What of a request names patients (an HttpRequest is one) */
export interface NamingRequest {
  /** the parsed body (it may throw: a body that is not JSON names nobody) */
  json?: () => unknown;
  query?: Record<string, string[] | undefined>;
}

/** The body's JSON, or undefined when there is none or it is not JSON */
export function lenientJson(request: Pick<NamingRequest, "json">): unknown {
  try {
    return request.json?.();
  } catch {
    return undefined;
  }
}

const isNamed = (i: unknown): i is Identifier =>
  typeof (i as Identifier)?.system === "string" &&
  typeof (i as Identifier)?.value === "string" &&
  isKnownSystem((i as Identifier).system) &&
  (i as Identifier).value.length <= 100;

const plain = (i: Identifier): Identifier => ({ system: i.system, value: i.value });

/** Each identifier once, at most MAX_NAMED */
export const distinctPatients = (ids: readonly Identifier[]): Identifier[] =>
  [...new Map(ids.map((i) => [`${i.system}|${i.value}`, i])).values()].slice(0, MAX_NAMED);

export const empiIdentifier = (empi: string): Identifier => ({ system: EMPI_SYSTEM, value: empi });

/** A resource's own identifiers (a Patient), `also` first */
export function resourceIdentifiers(resource: unknown, also?: Identifier): Identifier[] {
  const identifiers = (resource as { identifier?: unknown } | undefined)?.identifier;
  const found = (Array.isArray(identifiers) ? identifiers : []).filter(isNamed).map(plain);
  return distinctPatients(also ? [also, ...found] : found);
}

function subjectOf(json: unknown, resourceType: string): Identifier[] {
  const entries = (json as { entry?: unknown } | undefined)?.entry;
  const resources = [json, ...(Array.isArray(entries) ? entries : []).map((e) => (e as { resource?: unknown } | undefined)?.resource)];
  const resource = resources.find((r) => (r as { resourceType?: unknown } | undefined)?.resourceType === resourceType) as
    | { subject?: { identifier?: unknown } }
    | undefined;
  const id = resource?.subject?.identifier;
  return isNamed(id) ? [plain(id)] : [];
}

/** The patients a request names, read leniently from its parsed body or its query */
export function namedPatients(request: NamingRequest, at: NamedAt): Identifier[] {
  if (typeof at === "object") {
    const named = request.query?.[at.query]?.[0];
    const id = named ? parseToken(named) : undefined;
    return id ? [id] : [];
  }
  const json = lenientJson(request);
  switch (at) {
    case "Patient":
      return resourceIdentifiers(json);
    case "Claim": {
      const id = (json as { patient?: { identifier?: unknown } } | undefined)?.patient?.identifier;
      return isNamed(id) ? [plain(id)] : [];
    }
    default:
      return subjectOf(json, at);
  }
}

/** The EMPIs a PIXm answer gives the resident */
export const pixAnswerPatients = (answer: unknown): Identifier[] => pixIdentifiers(answer).filter((i) => i.system === EMPI_SYSTEM);

/** The identifiers of every resource in a searchset Bundle (the Patients a PDQm search found) */
export function bundlePatients(bundle: unknown): Identifier[] {
  const entries = (bundle as { entry?: unknown } | undefined)?.entry;
  return (Array.isArray(entries) ? entries : []).flatMap((e) => resourceIdentifiers((e as { resource?: unknown })?.resource));
}
