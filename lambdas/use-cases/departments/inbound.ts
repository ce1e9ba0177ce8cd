/**
 * Inbound department messages (issue 16, docs/departments.md#messages): `POST /xchg/messages` by a member.
 * Input: the member (its credential), the message Bundle and its exact bytes. Output: the answer — a
 * response message whose MessageHeader.response names the request's header id — and its status.
 * Primary course: the header names the member as its source and the health cloud as a destination; the
 * event is a service the health cloud consumes and the member may send (its provider, or a grant; an
 * `update` or `void` travels under the service of the message it names, from the same member); a message
 * id already answered gets the same answer and has no second effect; apply it (household-death marks the
 * resident deceased, its void restores them, household-registration adds the newborn's resident ID
 * number to its record), record it with its answer and its evidence entry, and answer. No new message
 * while the evidence log is unsealed for 4 hours (503, fail closed). Refusals are thrown (the edge audits them).
 */
import { allowedMembers, serviceById } from "#domain/departments/catalogue.ts";
import { amendedMessageId, focusOf, headerIssue, headerOf, messageBundle, requestHash } from "#domain/departments/messages.ts";
import { BadRequestError, ConflictError, ForbiddenError, NotFoundError, UnprocessableError } from "#domain/errors.ts";
import type { InboundRecord, InboundStore } from "#ports/department-exchange.ts";
import type { FocusResource } from "#ports/departments.ts";
import type { EvidenceLog } from "#ports/evidence.ts";
import { HEALTH_CLOUD_MEMBER, memberEndpoint } from "#schemas/department-members.ts";
import type { MessageBundle } from "#schemas/departments.ts";
import { EMPI_SYSTEM, RESIDENT_ID_SYSTEM } from "#schemas/patient.ts";
import { checkSealing, inboundEvidence, recordEvidence } from "./evidence.ts";
import { markDeceased, restoreResident, type VitalDeps } from "./vital.ts";

export interface InboundDeps {
  inbound: InboundStore;
  grantedMembers: (serviceId: string, now: Date) => Promise<string[]>;
  vital: VitalDeps;
  /** The EMPI of the resident a resident ID number names */
  residentByResidentId: (residentId: string) => Promise<string | undefined>;
  /** A newborn's number queued for the MPI (use-cases/departments/births.ts); false: no such resident */
  registerResidentId: (messageId: string, empi: string, residentId: string, now: Date) => Promise<boolean>;
  /** The evidence log (absent: logging off, bench/evidence.ts's comparison only) */
  evidence?: EvidenceLog;
}

export interface InboundAnswer {
  status: number;
  body: Record<string, unknown>;
  requestHash: string;
  /** the residents the message named (for the audit trail) */
  patients: { system: string; value: string }[];
  /** the answer given before to the same message id */
  repeated: boolean;
}

type Identified = { identifier?: { system?: string; value?: string }[] };
const identifierOf = (resource: FocusResource | undefined, system: string): string | undefined =>
  (resource as Identified | undefined)?.identifier?.find((i) => i.system === system)?.value;
const patientOf = (bundle: MessageBundle): FocusResource | undefined => focusOf(bundle).find((r) => r.resourceType === "Patient");

/** The header, checked against the member that sent it */
function checkedHeader(member: string, bundle: MessageBundle) {
  const header = headerOf(bundle);
  if (!header) {
    const issue = headerIssue(bundle);
    throw new BadRequestError(
      `the message's first entry must be its MessageHeader: ${issue?.diagnostics}`,
      issue?.expression ?? "Bundle.entry[0].resource",
    );
  }
  if (header.source.endpoint !== memberEndpoint(member))
    throw new ForbiddenError(
      `${member} sends as ${memberEndpoint(member)}, not ${header.source.endpoint}`,
      "MessageHeader.source.endpoint",
    );
  if (!header.destination.some((d) => d.endpoint === memberEndpoint(HEALTH_CLOUD_MEMBER)))
    throw new BadRequestError(
      `the health cloud (${memberEndpoint(HEALTH_CLOUD_MEMBER)}) is not a destination`,
      "MessageHeader.destination",
    );
  return header;
}

export async function receiveMessage(
  deps: InboundDeps,
  member: string,
  bundle: MessageBundle,
  raw: string,
  now: Date,
): Promise<InboundAnswer> {
  const hash = requestHash(raw);
  const header = checkedHeader(member, bundle);
  const event = header.eventCoding.code;
  const before = await deps.inbound.get(header.id);
  if (before) {
    if (before.member !== member) throw new ConflictError(`message id ${header.id} is another member's`, "MessageHeader.id");
    // its evidence, had the first attempt stopped before recording it (one entry per message: idempotent)
    if (deps.evidence) await recordEvidence(deps.evidence, inboundEvidence(before));
    return { status: before.status, body: JSON.parse(before.answer), requestHash: hash, patients: [], repeated: true };
  }
  // fail closed: no new message while the evidence log is not being sealed
  if (deps.evidence) await checkSealing(deps.evidence, now);
  // an update or void travels under the service of the message it names, sent by the same member
  const amended = event === "update" || event === "void" ? amendedMessageId(bundle) : undefined;
  if ((event === "update" || event === "void") && !amended)
    throw new BadRequestError(`an ${event} names the original message: a Parameters with messageId among the focus`, "Bundle.entry");
  const original = amended ? await deps.inbound.get(amended) : undefined;
  if (amended && original?.member !== member) throw new NotFoundError(`${member} sent no message ${amended}`, "Parameters.messageId");
  const service = serviceById(original?.event ?? event);
  if (!service?.consumers.includes(HEALTH_CLOUD_MEMBER))
    throw new ForbiddenError(`the health cloud does not receive ${original?.event ?? event}`, "MessageHeader.eventCoding");
  const allowed = allowedMembers(service, service.shareClass === "conditional" ? await deps.grantedMembers(service.id, now) : []);
  if (!allowed.includes(member)) throw new ForbiddenError(`${member} may not send ${service.id}: no grant`, "MessageHeader.eventCoding");

  const applied = await apply(deps, bundle, header.id, event, original, now);
  const answer = messageBundle({
    messageId: `${header.id}-response`,
    event,
    source: HEALTH_CLOUD_MEMBER,
    destinations: [member],
    focus: [],
    timestamp: now.toISOString(),
    response: { identifier: header.id, code: "ok" },
  });
  const record: InboundRecord = {
    messageId: header.id,
    member,
    event,
    requestHash: hash,
    status: 200,
    answer: JSON.stringify(answer),
    receivedAt: now.toISOString(),
    ...(applied.empi ? { empi: applied.empi } : {}),
  };
  // a concurrent copy recorded first: its answer is the answer
  if (!(await deps.inbound.record(record))) {
    const first = await deps.inbound.get(header.id);
    if (deps.evidence) await recordEvidence(deps.evidence, inboundEvidence(first!));
    return { status: first!.status, body: JSON.parse(first!.answer), requestHash: hash, patients: applied.patients, repeated: true };
  }
  // durable before the answer: nothing accepted without its evidence
  if (deps.evidence) await recordEvidence(deps.evidence, inboundEvidence(record));
  return {
    status: 200,
    body: answer as unknown as Record<string, unknown>,
    requestHash: hash,
    patients: applied.patients,
    repeated: false,
  };
}

async function apply(
  deps: InboundDeps,
  bundle: MessageBundle,
  messageId: string,
  event: string,
  original: InboundRecord | undefined,
  now: Date,
): Promise<{ empi?: string; patients: { system: string; value: string }[] }> {
  if (event === "void") {
    if (original?.event === "household-death" && original.empi) await restoreResident(deps.vital, original.empi, original.messageId, now);
    return {
      ...(original?.empi ? { empi: original.empi } : {}),
      patients: original?.empi ? [{ system: EMPI_SYSTEM, value: original.empi }] : [],
    };
  }
  const patient = patientOf(bundle);
  if (!patient) throw new BadRequestError(`a ${event} carries the resident's Patient among its focus`, "Bundle.entry");
  if (event === "household-death" || (event === "update" && original?.event === "household-death")) {
    const residentId = identifierOf(patient, RESIDENT_ID_SYSTEM);
    const deceased = (patient as { deceasedDateTime?: unknown }).deceasedDateTime;
    if (!residentId)
      throw new BadRequestError(`the Patient names the resident by resident ID number (${RESIDENT_ID_SYSTEM})`, "Patient.identifier");
    if (typeof deceased !== "string" || Number.isNaN(Date.parse(deceased)))
      throw new BadRequestError("the Patient carries deceasedDateTime", "Patient.deceasedDateTime");
    const empi = await deps.residentByResidentId(residentId);
    const patients = [{ system: RESIDENT_ID_SYSTEM, value: residentId }];
    if (!empi) throw new UnprocessableError(`no resident with resident ID number ${residentId} in the MPI`, "Patient.identifier");
    await markDeceased(
      deps.vital,
      {
        empi,
        residentId,
        deceasedDateTime: deceased,
        source: "public-security",
        messageId: original?.messageId ?? messageId,
        amended: event === "update",
      },
      now,
    );
    return { empi, patients };
  }
  if (event === "household-registration") {
    const empi = identifierOf(patient, EMPI_SYSTEM);
    const residentId = identifierOf(patient, RESIDENT_ID_SYSTEM);
    if (!empi) throw new BadRequestError(`the newborn's Patient carries its EMPI (${EMPI_SYSTEM})`, "Patient.identifier");
    if (!residentId)
      throw new BadRequestError(`the newborn's Patient carries its new resident ID number (${RESIDENT_ID_SYSTEM})`, "Patient.identifier");
    if (!(await deps.registerResidentId(messageId, empi, residentId, now)))
      throw new UnprocessableError(`no newborn with EMPI ${empi} in the MPI`, "Patient.identifier");
    return { empi, patients: [{ system: EMPI_SYSTEM, value: empi }] };
  }
  // an update of another service: recorded and acknowledged
  return { patients: [] };
}
