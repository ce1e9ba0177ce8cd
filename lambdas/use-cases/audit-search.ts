/**
 * Searching the audit repository (operator/auditor) and the per-resident access report.
 * Input: the search parameters as received. Output: a FHIR searchset Bundle, or the report.
 * Primary course: pick the narrowest partition the parameters name (patient, agent, day),
 * read it newest first within the date range, and filter by the other parameters; a patient-scoped
 * read by the auditor is itself recorded in the repository before the answer. A search answers a page
 * of `_count` (default 50, at most 500) with a `next` link while more remain: the page token, sealed
 * for the operator and the query (lambdas/domain/paging.ts), holds the last event's position
 * (`<recorded>#<id>`, the partitions' sort key); `total` only where one page holds every match.
 */

import { PRIVACY_DECISION_URL } from "#domain/audit.ts";
import { BadRequestError, fieldName, NotFoundError } from "#domain/errors.ts";
import { boundQuery, openPageToken, PAGE_TOKEN, type PageCaller, pageTokenOf, sealPageToken } from "#domain/paging.ts";
import type { AuditPartition, AuditRepository, StoredAuditEvent } from "#ports/audit.ts";
import { clock } from "#shared/clock.ts";
import { recordHubAccess } from "./audit.ts";

const ALLOWED = new Set(["patient.identifier", "agent", "date", "outcome", "_count", PAGE_TOKEN]);
/** The operator, the one caller of the audit trail's searches */
const OPERATOR: PageCaller = { hospitalId: "(operator)" };
const MAX_DAYS = 31;

export interface AuditQuery {
  patient?: string;
  agent?: string;
  from?: string;
  to?: string;
  outcome?: string;
  count: number;
  /** Only events before this position (`<recorded>#<id>`): the page after the one that ended there */
  before?: string;
}

/** An event's position in every partition (their sort key) */
const positionOf = (e: StoredAuditEvent): string => `${e.recorded}#${e.id}`;

const one = (params: Record<string, string[]>, name: string): string | undefined => {
  const values = params[name];
  if (values && values.length > 1) throw new BadRequestError(`${name} may be given once`, name);
  return values?.[0];
};

/** `date=2026-11-26`, `date=ge2026-11-26T08:00:00+08:00&date=lt2026-11-27` … → [from, to) in UTC ISO */
function dateRange(values: string[] | undefined): { from?: string; to?: string } {
  let from: string | undefined;
  let to: string | undefined;
  for (const raw of values ?? []) {
    const m = /^(eq|ge|gt|le|lt)?(\d{4}-\d{2}-\d{2}(?:T[0-9:.]+(?:Z|[+-]\d{2}:\d{2}))?)$/.exec(raw);
    if (!m || Number.isNaN(Date.parse(m[2]!)))
      throw new BadRequestError(`date: ${raw} is not a FHIR date search (e.g. 2026-11-26 or ge2026-11-26T08:00:00+08:00)`, "date");
    const prefix = m[1] ?? "eq";
    const isDay = m[2]!.length === 10;
    const start = new Date(isDay ? `${m[2]}T00:00:00Z` : m[2]!).toISOString();
    const end = isDay ? new Date(Date.parse(start) + 86_400_000).toISOString() : start;
    if (prefix === "eq") [from, to] = [start, isDay ? end : new Date(Date.parse(start) + 1).toISOString()];
    else if (prefix === "ge") from = start;
    else if (prefix === "gt") from = isDay ? end : new Date(Date.parse(start) + 1).toISOString();
    else if (prefix === "lt") to = start;
    else to = isDay ? end : new Date(Date.parse(start) + 1).toISOString();
  }
  return { from, to };
}

export function parseAuditQuery(params: Record<string, string[]>): AuditQuery {
  for (const name of Object.keys(params)) {
    if (!ALLOWED.has(name))
      throw new BadRequestError(`Unknown search parameter ${name}; AuditEvent supports ${[...ALLOWED].join(", ")}`, fieldName(name));
  }
  const patient = one(params, "patient.identifier");
  if (patient !== undefined && !/^[^|]+\|.+$/.test(patient))
    throw new BadRequestError("patient.identifier must be <system>|<value>", "patient.identifier");
  const agent = one(params, "agent")?.replace(/^(Practitioner|Organization)\//, "");
  const outcome = one(params, "outcome");
  if (outcome !== undefined && !["0", "4", "8", "12"].includes(outcome))
    throw new BadRequestError("outcome must be 0, 4, 8 or 12", "outcome");
  const countRaw = one(params, "_count") ?? "50";
  const count = Number(countRaw);
  if (!Number.isInteger(count) || count < 1 || count > 500) throw new BadRequestError("_count must be an integer from 1 to 500", "_count");
  const { from, to } = dateRange(params.date);
  if (!patient && !agent && !from)
    throw new BadRequestError("Name a patient.identifier, an agent or a date (ge…) to search the audit trail", "patient.identifier");
  return { patient, agent, from, to, outcome, count };
}

export async function searchAudit(repository: AuditRepository, q: AuditQuery): Promise<StoredAuditEvent[]> {
  const keep = (e: StoredAuditEvent) =>
    (!q.patient || e.patients.includes(q.patient)) &&
    (!q.agent || e.agents.includes(q.agent)) &&
    (!q.outcome || e.outcome === q.outcome) &&
    (!q.before || positionOf(e) < q.before);
  const to = q.before && (!q.to || q.before < q.to) ? q.before : q.to;
  const range = { from: q.from, to };
  if (q.patient || q.agent) {
    const partition: AuditPartition = q.patient ? { kind: "patient", value: q.patient } : { kind: "agent", value: q.agent! };
    // over-read so that filters on other parameters still fill the page
    return (await repository.query(partition, range, q.count * 4 + 50)).filter(keep).slice(0, q.count);
  }
  const fromDay = Date.parse(q.from!.slice(0, 10));
  const toDay = Date.parse((to ?? clock.isoNow()).slice(0, 10));
  if ((toDay - fromDay) / 86_400_000 > MAX_DAYS) throw new BadRequestError(`A date-only search spans at most ${MAX_DAYS} days`, "date");
  const found: StoredAuditEvent[] = [];
  for (let day = toDay; day >= fromDay && found.length < q.count; day -= 86_400_000) {
    const events = await repository.query(
      { kind: "day", value: new Date(day).toISOString().slice(0, 10) },
      range,
      q.count - found.length + 50,
    );
    found.push(...events.filter(keep));
  }
  return found.slice(0, q.count);
}

/** A page of the trail; `total` only when it holds every match (no page before it, none after) */
export function auditBundle(events: StoredAuditEvent[], link: { relation: string; url: string }[]) {
  const whole = link.length === 1 && !link[0]!.url.includes(`${PAGE_TOKEN}=`);
  return {
    resourceType: "Bundle",
    type: "searchset",
    ...(whole ? { total: events.length } : {}),
    link,
    entry: events.map((e) => ({ fullUrl: `AuditEvent/${e.id}`, resource: e.event, search: { mode: "match" } })),
  };
}

/**
 * What an AuditEvent says of its consent decision (docs/consent.md), for the access report: the purpose
 * of use, and a break-the-glass read's reason, so the resident sees an emergency access as one.
 */
function privacyOf(event: Record<string, unknown>): { purposeOfUse?: string; decision?: string; breakGlassReason?: string } {
  const agents = (event.agent as { purposeOfUse?: { coding?: { code?: string }[] }[] }[] | undefined) ?? [];
  const purposeOfUse = agents.flatMap((a) => a.purposeOfUse ?? []).flatMap((p) => p.coding ?? [])[0]?.code;
  const entities =
    (event.entity as { what?: { identifier?: { system?: string } }; detail?: { type: string; valueString?: string }[] }[]) ?? [];
  const detail = entities.find((x) => x.what?.identifier?.system === PRIVACY_DECISION_URL)?.detail ?? [];
  const value = (type: string) => detail.find((d) => d.type === type)?.valueString;
  const decision = value("decision");
  const breakGlassReason = value("break-glass-reason");
  return {
    ...(purposeOfUse ? { purposeOfUse } : {}),
    ...(decision ? { decision } : {}),
    ...(breakGlassReason ? { breakGlassReason } : {}),
  };
}

/** "Who looked at my record": every access naming the patient, grouped by hospital and practitioner. */
export function accessReport(patient: string, events: StoredAuditEvent[]) {
  const byHospital = new Map<string, { hospitalId: string; accesses: number; refused: number; practitioners: Set<string>; last: string }>();
  const accesses = events.map((e) => {
    const agents = (e.event.agent as { who?: { reference?: string } }[]) ?? [];
    const ref = (prefix: string) =>
      agents
        .map((a) => a.who?.reference ?? "")
        .find((r) => r.startsWith(prefix))
        ?.slice(prefix.length);
    const hospitalId = ref("Organization/") ?? (e.agents.includes("operator") ? "operator" : "unknown");
    const practitionerId = ref("Practitioner/");
    const row = byHospital.get(hospitalId) ?? { hospitalId, accesses: 0, refused: 0, practitioners: new Set<string>(), last: e.recorded };
    row.accesses++;
    if (e.outcome !== "0") row.refused++;
    if (practitionerId) row.practitioners.add(practitionerId);
    if (e.recorded > row.last) row.last = e.recorded;
    byHospital.set(hospitalId, row);
    const subtype = (e.event.subtype as { code: string }[] | undefined)?.[0]?.code;
    const privacy = privacyOf(e.event);
    return {
      when: e.recorded,
      node: e.node,
      hospitalId,
      practitionerId: practitionerId ?? null,
      action: subtype ?? String(e.event.action),
      outcome: e.outcome === "0" ? "success" : "refused",
      ...privacy,
      auditEvent: `AuditEvent/${e.id}`,
    };
  });
  return {
    patient,
    total: accesses.length,
    byHospital: [...byHospital.values()].map((r) => ({
      hospitalId: r.hospitalId,
      accesses: r.accesses,
      refused: r.refused,
      practitioners: [...r.practitioners].sort(),
      last: r.last,
    })),
    accesses,
  };
}

const queryString = (p: Record<string, string[]>): string =>
  Object.entries(p)
    .flatMap(([k, vs]) => vs.map((v) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`))
    .join("&");
const identifierOf = (p: string) => ({ system: p.slice(0, p.indexOf("|")), value: p.slice(p.indexOf("|") + 1) });
const patientIdentifier = (p: string | undefined) => (p ? [identifierOf(p)] : []);
/** Every resident the given AuditEvents name, once each ("<system>|<value>" → Identifier) */
const patientsNamedBy = (events: StoredAuditEvent[]) => [...new Set(events.flatMap((e) => e.patients))].map(identifierOf);

/** GET /fhir/AuditEvent/{id}: the stored event, or 404; the read is itself audited, naming its residents. */
export async function readAuditEvent(repository: AuditRepository, id: string): Promise<Record<string, unknown>> {
  const stored = await repository.get(id);
  if (!stored) throw new NotFoundError(`AuditEvent/${id} does not exist`);
  await recordHubAccess(repository, {
    action: "R",
    interaction: "read",
    node: "hub",
    operator: true,
    patients: patientsNamedBy([stored]),
    resource: `AuditEvent/${id}`,
    result: "success",
  });
  return stored.event;
}

/**
 * GET /fhir/AuditEvent: the searchset. Every search by the auditor is itself audited, naming the
 * resident it asked for, or else every resident the answer names (a search by agent or by day).
 */
export async function searchAuditTrail(repository: AuditRepository, params: Record<string, string[]>, pageKey: () => Promise<Buffer>) {
  const token = pageTokenOf(params);
  const { [PAGE_TOKEN]: _token, ...rest } = params;
  const q = parseAuditQuery(rest);
  const query = boundQuery(rest);
  const key = await pageKey();
  const before = token === undefined ? undefined : openPageToken(key, OPERATOR, query, token);
  if (before !== undefined && (typeof before !== "string" || !/^\d{4}-.+#.+$/.test(before)))
    throw new BadRequestError(`${PAGE_TOKEN}: not a page of the audit trail`, PAGE_TOKEN);
  // one more than the page: whether another page follows
  const found = await searchAudit(repository, { ...q, count: q.count + 1, ...(before ? { before } : {}) });
  const events = found.slice(0, q.count);
  const next = found.length > q.count ? sealPageToken(key, OPERATOR, query, positionOf(events.at(-1)!)) : undefined;
  await recordHubAccess(repository, {
    action: "E",
    interaction: "search-type",
    node: "hub",
    operator: true,
    patients: q.patient ? patientIdentifier(q.patient) : patientsNamedBy(events),
    query: `AuditEvent?${queryString(params)}`,
    result: "success",
  });
  const link = (extra: [string, string][]) => `AuditEvent?${new URLSearchParams([...query, ...extra]).toString()}`;
  return auditBundle(events, [
    { relation: "self", url: link(token ? [[PAGE_TOKEN, token]] : []) },
    ...(next ? [{ relation: "next", url: link([[PAGE_TOKEN, next]]) }] : []),
  ]);
}

/** GET /audit/access-report: who looked at a resident's record (itself audited). */
export async function auditAccessReport(repository: AuditRepository, params: Record<string, string[]>) {
  const q = parseAuditQuery({ ...params, _count: ["500"] });
  if (!q.patient) throw new BadRequestError("The access report needs patient.identifier=<system>|<value>", "patient.identifier");
  const events = await searchAudit(repository, q);
  await recordHubAccess(repository, {
    action: "R",
    interaction: "search-type",
    node: "hub",
    operator: true,
    patients: patientIdentifier(q.patient),
    query: "/audit/access-report",
    result: "success",
  });
  return accessReport(q.patient, events);
}
