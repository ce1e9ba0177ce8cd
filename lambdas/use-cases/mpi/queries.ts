/**
 * Identity queries at the hub, read-after-write (consistent reads of the items the feed commits).
 * pixQuery (PIXm ITI-83) — input: sourceIdentifier, optional targetSystems; output: Parameters with
 *   one targetIdentifier per identifier linked to the same resident (other hospitals' MRNs, resident
 *   ID number, health card, EMPI). Unknown domain → 400, unknown identifier → 404, unknown target → 403.
 * pdqSearch (PDQm ITI-78) — input: the search parameters; output: a searchset Bundle of the hospitals'
 *   Patients. One selective term is looked up (identifier, telecom, full name, family with birth date)
 *   and every hit is checked against all the parameters.
 */

import { BadRequestError, ForbiddenError, NotFoundError } from "#domain/errors.ts";
import { normalizePhone } from "#domain/mpi/phone.ts";
import { isProvisional } from "#domain/mpi/record.ts";
import { checkResidentId } from "#domain/mpi/resident-id.ts";
import type { PatientRecord } from "#ports/mpi.ts";
import {
  EMPI_SYSTEM,
  HEALTH_CARD_SYSTEM,
  isKnownSystem,
  mrnHospital,
  type PdqmQuery,
  parseToken,
  RESIDENT_ID_SYSTEM,
} from "#schemas/patient.ts";
import { clock } from "#shared/clock.ts";
import { type Identifier, renderPatient, renderReplacedPatient, sourceKeyOf } from "./patient-record.ts";
import { confirmedOf, confirmedSources, heldRecords, type MpiDeps, type ResidentView, resolveView, viewOf } from "./residents.ts";
import { compact } from "./search-terms.ts";

/** The value as the index stores it under its system */
export function normalizeIdentifier(id: Identifier): Identifier {
  if (id.system === RESIDENT_ID_SYSTEM)
    return { ...id, value: checkResidentId(id.value, { today: clock.today() }).normalized ?? id.value.trim() };
  if (id.system === HEALTH_CARD_SYSTEM) return { ...id, value: id.value.trim().toUpperCase() };
  return id;
}

/** The resident an identifier names; `replaced` when it is a merged-away EMPI. */
async function residentFor(deps: MpiDeps, id: Identifier): Promise<{ view: ResidentView; replaced?: string } | undefined> {
  if (id.system === EMPI_SYSTEM) {
    const entry = await deps.residents.latest(id.value);
    if (!entry) return undefined;
    const view = entry.mergedInto ? await resolveView(deps, entry.empi) : await viewOf(deps, entry);
    return view ? { view, ...(entry.mergedInto ? { replaced: entry.empi } : {}) } : undefined;
  }
  if (id.system === RESIDENT_ID_SYSTEM) {
    const claim = await deps.residents.getClaim(id.value);
    const view = claim ? await resolveView(deps, claim.owner) : undefined;
    return view?.residentId === id.value ? { view } : undefined;
  }
  const keys = mrnHospital(id.system) ? [sourceKeyOf(id)] : await deps.records.search(`id:${sourceKeyOf(id)}`, 5);
  for (const pr of (await deps.records.getMany(keys)).values()) {
    if (!(pr.patient.identifier as Identifier[] | undefined)?.some((i) => i.system === id.system && i.value === id.value)) continue;
    const view = await resolveView(deps, pr.empi);
    if (view) return { view };
  }
  return undefined;
}

/** The EMPI of the resident an identifier names (a merged-away EMPI answers its survivor), or undefined. */
export async function residentEmpi(deps: MpiDeps, id: Identifier): Promise<string | undefined> {
  return (await residentFor(deps, normalizeIdentifier(id)))?.view.empi;
}

/** Every identifier linked to the resident: confirmed records' MRNs and health cards, its number, its EMPI once linked. */
export async function linkedIdentifiers(deps: MpiDeps, view: ResidentView): Promise<Identifier[]> {
  return (await residentRecords(deps, view)).identifiers;
}

/**
 * The view's confirmed sources and every identifier linked to the resident, their PatientRecords items read
 * in one BatchGetItem once the resident's health cards are found (`cardSearch`: a member's search already
 * started, e.g. beside the resident's read).
 */
export async function residentRecords(
  deps: MpiDeps,
  view: ResidentView,
  cardSearch?: ReadonlyMap<string, Promise<string[]>>,
): Promise<{ sources: ReturnType<typeof confirmedOf>; identifiers: Identifier[] }> {
  const ids = new Map<string, Identifier>();
  const add = (id: Identifier) => ids.set(sourceKeyOf(id), id);
  const held = heldRecords(view);
  // health cards issued to the resident (use-cases/health-card-residents.ts), and what was linked with them
  const cards = await Promise.all(
    view.members.map(async (m) => ({ m, keys: await (cardSearch?.get(m.empi) ?? deps.records.search(cardTerm(m.empi), 20)) })),
  );
  const stored = await deps.records.getMany([...held.flatMap((h) => (h.key ? [h.key] : [])), ...cards.flatMap((c) => c.keys)]);
  const sources = confirmedOf(held, stored);
  for (const { record, stored } of sources) {
    if (record.source) add(record.source);
    for (const i of (stored.patient.identifier as Identifier[] | undefined) ?? [])
      if (i.system === HEALTH_CARD_SYSTEM) add({ system: i.system, value: i.value });
  }
  for (const { m, keys } of cards)
    for (const key of keys)
      if (stored.get(key)?.empi === m.empi) for (const i of stored.get(key)!.patient.identifier as Identifier[]) add(i);
  if (view.residentId) add({ system: RESIDENT_ID_SYSTEM, value: view.residentId });
  if (!isProvisional(view)) add({ system: EMPI_SYSTEM, value: view.empi });
  return { sources, identifiers: [...ids.values()] };
}

/** The PDQm term under which a resident's health cards are listed */
export const cardTerm = (empi: string): string => `card:${empi}`;

export interface PixAnswer {
  parameters: Record<string, unknown>;
  /** for the audit trail */
  patients: Identifier[];
}

export async function pixQuery(deps: MpiDeps, sourceIdentifier: string, targetSystems: readonly string[] = []): Promise<PixAnswer> {
  const parsed = parseToken(sourceIdentifier);
  if (!parsed) throw new BadRequestError("sourceIdentifier: expected <system>|<value>", "sourceIdentifier");
  if (!isKnownSystem(parsed.system))
    throw new BadRequestError(`sourceIdentifier: ${parsed.system} is not an identifier domain of this index`, "sourceIdentifier");
  const unknown = targetSystems.find((s) => !isKnownSystem(s));
  if (unknown) throw new ForbiddenError(`targetSystem ${unknown} is not an identifier domain of this index`);
  const source = normalizeIdentifier(parsed);
  const found = await residentFor(deps, source);
  if (!found) throw new NotFoundError(`sourceIdentifier ${sourceKeyOf(parsed)} is not known to the index`);
  const linked = (await linkedIdentifiers(deps, found.view)).filter((i) => sourceKeyOf(i) !== sourceKeyOf(source));
  const targets = targetSystems.length ? linked.filter((i) => targetSystems.includes(i.system)) : linked;
  const parameter: Record<string, unknown>[] = targets.map((i) => ({ name: "targetIdentifier", valueIdentifier: i }));
  if (found.replaced)
    parameter.push({
      name: "targetId",
      valueReference: {
        identifier: { system: EMPI_SYSTEM, value: found.view.empi },
        display: `${found.replaced} was replaced by ${found.view.empi}`,
      },
    });
  const empi = isProvisional(found.view) ? [] : [{ system: EMPI_SYSTEM, value: found.view.empi }];
  return { parameters: { resourceType: "Parameters", parameter }, patients: dedupe([source, ...empi]) };
}

const dedupe = (ids: Identifier[]): Identifier[] => [...new Map(ids.map((i) => [sourceKeyOf(i), i])).values()];
export const DEFAULT_PDQM_COUNT = 20;
const TERM_LIMIT = 200;

/** The one selective term a PDQm search is looked up by */
function lookupTerm(q: PdqmQuery): string {
  if (q.identifier) {
    const id = parseToken(q.identifier);
    if (!id) throw new BadRequestError("identifier: expected <system>|<value>", "identifier");
    return `id:${sourceKeyOf(normalizeIdentifier(id))}`;
  }
  if (q.telecom) {
    const phone = normalizePhone(q.telecom.slice(q.telecom.indexOf("|") + 1));
    if (!phone) throw new BadRequestError("telecom: expected a phone number", "telecom");
    return `tel:${phone}`;
  }
  if (q.name) return `nm:${compact(q.name)}`;
  if (q.family && q.given) return `nm:${compact(q.family + q.given)}`;
  if (q.family && q.birthdate?.length === 10) return `fb:${compact(q.family)}|${q.birthdate}`;
  throw new BadRequestError([
    {
      code: "too-costly",
      diagnostics:
        "Search by identifier, telecom, name, family and given, or family and birthdate (YYYY-MM-DD): other parameters only narrow such a search",
      // the parameter it lacks: the first of those that can start a search
      expression: "identifier",
    },
  ]);
}

function matches(pr: PatientRecord, q: PdqmQuery): boolean {
  const p = pr.patient as { identifier?: Identifier[]; birthDate?: string; gender?: string; telecom?: { value?: string }[] };
  const r = pr.record;
  const chars = compact(r.family + r.given);
  const pinyin = compact((r.familyPinyin ?? "") + (r.givenPinyin ?? ""));
  if (q.identifier && !q.identifier.startsWith(`${EMPI_SYSTEM}|`)) {
    const id = normalizeIdentifier(parseToken(q.identifier)!);
    if (!p.identifier?.some((i) => i.system === id.system && i.value === id.value)) return false;
  }
  if (q.family && r.family !== q.family.trim() && compact(r.familyPinyin ?? "") !== compact(q.family)) return false;
  if (q.given && r.given !== q.given.trim() && compact(r.givenPinyin ?? "") !== compact(q.given)) return false;
  if (q.name && chars !== compact(q.name) && pinyin !== compact(q.name)) return false;
  if (q.birthdate && !p.birthDate?.startsWith(q.birthdate)) return false;
  if (q.gender && p.gender !== q.gender) return false;
  if (q.telecom) {
    const phone = normalizePhone(q.telecom.slice(q.telecom.indexOf("|") + 1));
    if (!p.telecom?.some((t) => normalizePhone(t.value) === phone)) return false;
  }
  return true;
}

export interface PdqAnswer {
  bundle: Record<string, unknown>;
  patients: Identifier[];
}

export async function pdqSearch(deps: MpiDeps, q: PdqmQuery): Promise<PdqAnswer> {
  const count = q._count ?? DEFAULT_PDQM_COUNT;
  const empi = q.identifier?.startsWith(`${EMPI_SYSTEM}|`) ? q.identifier.slice(EMPI_SYSTEM.length + 1) : undefined;
  const resources: Record<string, unknown>[] = [];
  let keys: string[];
  if (empi) {
    const entry = await deps.residents.latest(empi);
    const survivor = entry?.mergedInto ? await resolveView(deps, entry.empi) : undefined;
    if (entry && survivor) resources.push(renderReplacedPatient(entry.empi, survivor.empi));
    keys = entry && !entry.mergedInto ? (await confirmedSources(deps, await viewOf(deps, entry))).map((c) => c.stored.sourceKey) : [];
  } else {
    keys = await deps.records.search(lookupTerm(q), TERM_LIMIT);
  }
  const found = [...(await deps.records.getMany(keys)).values()]
    .filter((pr) => matches(pr, q))
    .sort((a, b) => a.sourceKey.localeCompare(b.sourceKey));
  const replaced = resources.length;
  const patients: Identifier[] = [];
  for (const pr of found.slice(0, count - replaced)) {
    const view = await resolveView(deps, pr.empi);
    const patient = renderPatient({ ...pr, ...(view ? { empi: view.empi } : {}), review: !view || isProvisional(view) });
    const deceased = view && deps.deceased ? await deps.deceased(view.empi) : undefined;
    if (deceased) patient.deceasedDateTime = deceased;
    resources.push(patient);
    patients.push(...(patient.identifier as Identifier[]).filter((i) => i.system === EMPI_SYSTEM || mrnHospital(i.system)));
  }
  if (empi) patients.push({ system: EMPI_SYSTEM, value: empi });
  const bundle = {
    resourceType: "Bundle",
    type: "searchset",
    total: found.length + replaced,
    entry: resources.map((resource) => ({ fullUrl: `Patient/${String(resource.id)}`, resource, search: { mode: "match" } })),
  };
  return { bundle, patients: dedupe(patients) };
}
