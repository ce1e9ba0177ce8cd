/**
 * The FEP inbox at a city node (docs/push.md).
 * deliver — input: an inbox-delivery from the hub; stores the Communication once (a redelivery, or one
 *   already acknowledged, changes nothing); one addressed to another city's node is refused.
 * poll — input: the hospital, how long to wait, how many; output: the Communications visible now, each
 *   taken for the visibility period (conditional update, so two polls never take the same one); when none
 *   is visible it looks again every second until `waitSeconds` have passed, then answers empty.
 * readCommunication — input: the hospital and a Communication id; output: the Communication its inbox
 *   holds or held (acknowledged, until it expires); another hospital's, or an unknown id → 404 alike.
 * acknowledge — the FEP has it: 204, also when repeated; an id the inbox never held → 404.
 * sweep — deletes what is past retention (dynalite has no TTL deletion).
 * pollQuery — the poll's query parameters, checked (400 naming the parameter).
 */

import type { Identifier } from "#domain/audit.ts";
import { BadRequestError, ForbiddenError, NotFoundError, zodIssues } from "#domain/errors.ts";
import type { InboxItem, InboxStore } from "#ports/push.ts";
import type { InboxCommunication, InboxDeliveryMessageV1 } from "#schemas/messages.ts";
import { EMPI_SYSTEM } from "#schemas/patient.ts";
import { inboxPollQuerySchema } from "#schemas/push.ts";

export interface InboxDeps {
  /** This city node: it stores deliveries for its own hospitals only */
  cityId: string;
  store: InboxStore;
  visibilitySeconds: number;
  retentionDays: number;
  now: () => Date;
  sleep: (ms: number) => Promise<void>;
}

// an idle FEP costs one consistent Query per second while it waits (467 hospitals: ~467 reads/s province-wide)
const POLL_INTERVAL_MS = 1000;

/** A poll's query: `wait` seconds (default 0) and `_count` (default 20), each given once (else 400) */
export function pollQuery(query: Record<string, string[] | undefined>): { wait: number; count: number } {
  const params = Object.fromEntries(
    Object.entries(query).map(([k, v]) => {
      if ((v?.length ?? 0) > 1) throw new BadRequestError(`${k}: give it once`, k);
      return [k, v?.[0]];
    }),
  );
  const parsed = inboxPollQuerySchema.safeParse(params);
  if (!parsed.success) throw new BadRequestError(zodIssues(parsed.error));
  return { wait: parsed.data.wait ?? 0, count: parsed.data._count ?? 20 };
}

export async function deliver(deps: InboxDeps, message: InboxDeliveryMessageV1): Promise<boolean> {
  // a delivery for another city's hospital is never stored here (retried, then the push DLQ, alarmed)
  if (message.cityId !== deps.cityId)
    throw new ForbiddenError(
      `inbox delivery ${message.communication.id} for hospital ${message.hospitalId} is addressed to the ${message.cityId} node, not ${deps.cityId}`,
      "cityId",
    );
  const now = deps.now();
  return deps.store.put({
    hospitalId: message.hospitalId,
    communicationId: message.communication.id,
    communication: message.communication,
    visibleAt: now.toISOString(),
    receiveCount: 0,
    deliveredAt: now.toISOString(),
    expiresAt: new Date(now.getTime() + deps.retentionDays * 86_400_000).toISOString(),
  });
}

async function takeVisible(deps: InboxDeps, hospitalId: string, count: number): Promise<InboxCommunication[]> {
  const now = deps.now();
  const visible = (await deps.store.visible(hospitalId, now.toISOString())).sort(
    (a: InboxItem, b: InboxItem) => a.deliveredAt.localeCompare(b.deliveredAt) || a.communicationId.localeCompare(b.communicationId),
  );
  const until = new Date(now.getTime() + deps.visibilitySeconds * 1000).toISOString();
  const taken: InboxCommunication[] = [];
  for (const item of visible) {
    if (taken.length >= count) break;
    if (await deps.store.take(item, until)) taken.push(item.communication);
  }
  return taken;
}

export async function poll(deps: InboxDeps, hospitalId: string, waitSeconds: number, count: number): Promise<InboxCommunication[]> {
  const deadline = deps.now().getTime() + waitSeconds * 1000;
  for (;;) {
    const taken = await takeVisible(deps, hospitalId, count);
    const left = deadline - deps.now().getTime();
    if (taken.length > 0 || left <= 0) return taken;
    await deps.sleep(Math.min(POLL_INTERVAL_MS, left));
  }
}

export async function readCommunication(deps: Pick<InboxDeps, "store">, hospitalId: string, communicationId: string) {
  const communication = await deps.store.read(hospitalId, communicationId);
  if (!communication) throw new NotFoundError(`Communication/${communicationId} is not in this hospital's inbox`, "id");
  return communication;
}

export async function acknowledge(deps: InboxDeps, hospitalId: string, communicationId: string): Promise<void> {
  if (!(await deps.store.acknowledge(hospitalId, communicationId, deps.now().toISOString())))
    throw new NotFoundError(`Communication ${communicationId} is not in this hospital's inbox`);
}

export const sweep = (deps: InboxDeps): Promise<number> => deps.store.sweep(deps.now().toISOString());

/** The searchset Bundle a poll answers */
export const inboxBundle = (communications: InboxCommunication[]) => ({
  resourceType: "Bundle",
  type: "searchset",
  total: communications.length,
  entry: communications.map((c) => ({ fullUrl: `Communication/${c.id}`, resource: c, search: { mode: "match" } })),
});

/** The residents a poll's Communications name (for its AuditEvent): by their identifier, else their EMPI */
export function patientsOf(communications: InboxCommunication[]): Identifier[] {
  const seen = new Map<string, Identifier>();
  for (const c of communications) {
    const named = c.subject ? [c.subject.identifier ?? { system: EMPI_SYSTEM, value: c.subject.reference.slice("Patient/".length) }] : [];
    // a Communication about several residents (a device recall) names each in its payload
    for (const p of c.payload)
      if (p.contentReference.reference.startsWith("Patient/"))
        named.push({ system: EMPI_SYSTEM, value: p.contentReference.reference.slice("Patient/".length) });
    for (const id of named) seen.set(`${id.system}|${id.value}`, id);
  }
  return [...seen.values()];
}
