/**
 * Outbound department messages (issue 16, docs/departments.md).
 * `sendToDepartments` — input: a message for one or more departments; output: none, the message is
 * durable. Primary course: check each destination may receive the service (the catalogue, and grants
 * for a conditional one), build the FHIR message, record one outbox item per destination (the
 * DepartmentOutbox table; its key `<messageId>|<member>`, so a repeated message id has one effect) and
 * enqueue it on the department delivery queue. The outbox sweeper (use-cases/outbox.ts, every minute)
 * re-enqueues what is still owed, with backoff, and parks it after bounded retries.
 * `deliverToDepartment` — input: one delivery from the queue; output: none. Primary course: drop it
 * if already acknowledged, POST the message to the department's endpoint, check the answer names the
 * request (X-Request-Hash, MessageHeader.response.identifier), hand the answer to the sink registered
 * for the event, record the delivery and its answer in the evidence log, and mark the outbox item delivered (kept: the message id stays taken). Unreachable, 5xx or transient-error: thrown, so SQS
 * retries it (and sends it to the DLQ after its bounded receives; `npm run redrive` brings it back).
 */
import { allowedMembers, serviceById } from "#domain/departments/catalogue.ts";
import { headerOf, messageBundle, REQUEST_HASH_HEADER, requestHash } from "#domain/departments/messages.ts";
import { ForbiddenError } from "#domain/errors.ts";
import type { DepartmentEndpoints } from "#ports/department-exchange.ts";
import type { DepartmentResponse, DepartmentResponseSinks, OutboundDepartmentMessage } from "#ports/departments.ts";
import type { EvidenceLog } from "#ports/evidence.ts";
import type { OutboxStore } from "#ports/outbox.ts";
import type { MemberId } from "#schemas/department-members.ts";
import { type DepartmentDelivery, messageBundleSchema } from "#schemas/departments.ts";
import { logger } from "#shared/logger.ts";
import { sendThroughOutbox } from "#use-cases/outbox.ts";
import { checkSealing, outboundEvidence, recordEvidence } from "./evidence.ts";

export interface OutboundDeps {
  outbox: OutboxStore;
  enqueue: (delivery: DepartmentDelivery, body: string) => Promise<void>;
  /** Members granted a conditional service (access requests in state granted, unexpired) */
  grantedMembers: (serviceId: string, now: Date) => Promise<string[]>;
}

export const deliveryKey = (messageId: string, member: string): string => `${messageId}|${member}`;

export async function sendToDepartments(deps: OutboundDeps, message: OutboundDepartmentMessage, now: Date): Promise<void> {
  const service = serviceById(message.event);
  if (service) {
    const allowed = allowedMembers(service, service.shareClass === "conditional" ? await deps.grantedMembers(service.id, now) : []);
    const refused = message.destinations.filter((d) => !allowed.includes(d));
    if (refused.length)
      throw new ForbiddenError(`${refused.join(", ")} may not receive ${service.id} (not a consumer, and no grant)`, "destination");
  }
  const bundle = messageBundle({
    messageId: message.messageId,
    event: message.event,
    source: message.sourceMember,
    destinations: message.destinations,
    focus: message.focus,
    timestamp: now.toISOString(),
  });
  for (const member of new Set(message.destinations)) {
    const delivery: DepartmentDelivery = {
      type: "department-delivery",
      version: 1,
      messageId: deliveryKey(message.messageId, member),
      member,
      event: message.event,
      bundle,
    };
    // sent already (a repeated message id): one effect; still owed, it is the sweeper's
    if (await deps.outbox.get(delivery.messageId)) continue;
    await sendThroughOutbox({ outbox: deps.outbox, sendToHub: (d, b) => deps.enqueue(d, b) }, delivery, now);
  }
}

export class DeliveryFailedError extends Error {
  override name = "DeliveryFailedError";
}

export interface DeliveryDeps {
  outbox: OutboxStore;
  endpoints: DepartmentEndpoints;
  sinks: DepartmentResponseSinks;
  /** The evidence log: each delivery and its answer recorded before the item is marked delivered (absent: logging off, the bench) */
  evidence?: EvidenceLog;
}

/** The answer's code and detail, once it is known to answer this very request */
function readAnswer(
  delivery: DepartmentDelivery,
  sentHash: string,
  answer: { status: number; body: string; headers: Record<string, string> },
): { code: DepartmentResponse["code"]; detail?: string } {
  if (answer.status >= 500 || answer.status === 429) throw new DeliveryFailedError(`${delivery.member} answered ${answer.status}`);
  const hash = answer.headers[REQUEST_HASH_HEADER];
  if (hash !== undefined && hash !== sentHash)
    throw new DeliveryFailedError(`${delivery.member} answered with X-Request-Hash ${hash}, not the request's`);
  let json: unknown;
  try {
    json = JSON.parse(answer.body);
  } catch {
    throw new DeliveryFailedError(`${delivery.member} answered ${answer.status} with a body that is not JSON`);
  }
  const parsed = messageBundleSchema.safeParse(json);
  const header = parsed.success ? headerOf(parsed.data) : undefined;
  if (answer.status >= 400 && !header?.response) {
    const outcome = json as { issue?: { diagnostics?: string }[] };
    return { code: "fatal-error", detail: outcome.issue?.[0]?.diagnostics ?? `HTTP ${answer.status}` };
  }
  if (!header?.response) throw new DeliveryFailedError(`${delivery.member} answered without a response MessageHeader`);
  const original = headerOf(delivery.bundle)!.id;
  if (header.response.identifier !== original)
    throw new DeliveryFailedError(`${delivery.member} answered message ${header.response.identifier}, not ${original}`);
  if (header.response.code === "transient-error") throw new DeliveryFailedError(`${delivery.member} answered transient-error`);
  return { code: header.response.code };
}

export async function deliverToDepartment(deps: DeliveryDeps, delivery: DepartmentDelivery, now: Date): Promise<"delivered" | "already"> {
  const owed = await deps.outbox.get(delivery.messageId);
  // answered already (a re-delivered copy, or the sweeper's and SQS's retries both): one effect
  if (!owed || owed.status === "delivered") return "already";
  // fail closed: held (kept owed, retried with the outbox's backoff) while the evidence log is not being sealed
  if (deps.evidence) await checkSealing(deps.evidence, now);
  const body = JSON.stringify(delivery.bundle);
  const sentHash = requestHash(body);
  const answer = await deps.endpoints(delivery.member as MemberId, body);
  const { code, detail } = readAnswer(delivery, sentHash, answer);
  const messageId = headerOf(delivery.bundle)!.id;
  if (deps.evidence) await recordEvidence(deps.evidence, outboundEvidence(delivery, sentHash, answer, now));
  const sink = deps.sinks[delivery.event];
  if (sink)
    await sink({
      messageId,
      event: delivery.event,
      member: delivery.member,
      code,
      ...(detail ? { detail } : {}),
      receivedAt: now.toISOString(),
    });
  else if (code !== "ok")
    logger.warn("a department refused a message and no sink is registered for its event", {
      messageId,
      member: delivery.member,
      code,
      detail,
    });
  // kept, marked delivered: the message id stays taken (a repeated send has one effect), and the sweeper passes it by
  let record: typeof owed | undefined = owed;
  for (let tries = 0; record && record.status !== "delivered" && tries < 5; tries++) {
    if (await deps.outbox.markAttempt(delivery.messageId, record.attempts, record.nextAttemptAt, "delivered")) break;
    // the sweeper counted an attempt meanwhile (compare-and-set on attempts): read again and mark
    record = await deps.outbox.get(delivery.messageId);
  }
  return "delivered";
}
