/**
 * The resident health card at the hub (docs/health-card.md).
 * issueCard — input: the issuing hospital and city, the $issue-health-card Parameters; output: the card
 *   id, its static code and its key (shown once). The resident must be known to the MPI; an existing
 *   card that is not cancelled → 409 naming it unless `reissue`, which cancels it and issues the next generation.
 * verifyCard — input: the hospital, a presented code, the terminal and care step; output: 200 with the
 *   Patient (EMPI alone for a static code) and the card's status, 404 for an unknown card, else a 422
 *   refusal naming why. Every verification is recorded as a use; a dynamic code is accepted once. With
 *   `auditHere` (the city asked: a verification naming no practitioner), its AuditEvent is built here as the
 *   city would build it and written with the use, before the answer (no city outbox, queue and acknowledgement).
 * changeCardStatus — the issuing hospital or the operator pauses, reactivates, declares lost or cancels; history kept.
 * cardUsage (health-card-usage.ts) — the operator's day: issues, verifications, the card-based visit rate.
 */
import { buildAuditEvent } from "#domain/audit.ts";
import { ConflictError, ForbiddenError, NotFoundError, UnprocessableError } from "#domain/errors.ts";
import {
  canChangeStatus,
  cardIdOf,
  cardKeyOf,
  documentKeyOf,
  type Judgement,
  judgeCode,
  parseCode,
  refusalOutcome,
  replayHorizon,
  staticCode,
} from "#domain/health-card.ts";
import type {
  CardResidents,
  CardUse,
  EncounterVisits,
  HealthCard,
  HealthCardStore,
  Identifier,
  ProvinceSecret,
  VerificationAudit,
} from "#ports/health-card.ts";
import {
  type CardStatusRequest,
  type CareStep,
  HEALTH_CARD_SYSTEM,
  INSURANCE_VOUCHER_SYSTEM,
  type IssueCardRequest,
  SOCIAL_SECURITY_CARD_SYSTEM,
  type VerifyCardRequest,
} from "#schemas/health-card.ts";
import { EMPI_SYSTEM, RESIDENT_ID_SYSTEM } from "#schemas/patient.ts";

export interface HealthCardDeps {
  cards: HealthCardStore;
  secret: ProvinceSecret;
  residents: CardResidents;
  /** the province's encounters by day (the card-based visit rate) */
  visits: EncounterVisits;
  now: () => Date;
}

export interface Acting {
  hospitalId: string;
  cityId: string;
}

/** Reissues per document before the operator looks at it (each costs one read at issue) */
export const MAX_GENERATIONS = 20;

const parameters = (parameter: Record<string, unknown>[]) => ({ resourceType: "Parameters", parameter });

export interface IssuedCard {
  cardId: string;
  empi: string;
  generation: number;
  /** the generation this one replaced (reissue) */
  replaced?: string;
  body: Record<string, unknown>;
}

export async function issueCard(deps: HealthCardDeps, by: Acting, request: IssueCardRequest): Promise<IssuedCard> {
  const document = { system: request.identifier.system, value: request.identifier.value.trim().toUpperCase() };
  const named = request.patient ?? { system: RESIDENT_ID_SYSTEM, value: document.value };
  const empi = await deps.residents.resolve(named);
  if (!empi)
    throw new NotFoundError(
      `${named.system}|${named.value} is not a resident known to the index`,
      request.patient ? "patient" : "identifier",
    );
  const secret = await deps.secret();
  const documentKey = documentKeyOf(secret, document);
  // the newest generation issued on the document: cards are found by their derived ids, generation by generation
  let current: HealthCard | undefined;
  for (let g = 1; g <= MAX_GENERATIONS; g++) {
    const card = await deps.cards.get(cardIdOf(secret, document, g));
    if (!card) break;
    current = card;
  }
  if (current && current.status !== "cancelled" && !request.reissue)
    throw new ConflictError(
      `card ${current.cardId} (${current.status}) is already issued on this document: send reissue to replace it`,
      "identifier",
    );
  if ((current?.generation ?? 0) >= MAX_GENERATIONS)
    throw new UnprocessableError(`${MAX_GENERATIONS} cards were issued on this document: the operator reviews it`, "identifier");
  const at = deps.now().toISOString();
  const generation = (current?.generation ?? 0) + 1;
  const cardId = cardIdOf(secret, document, generation);
  const card: HealthCard = {
    cardId,
    documentKey,
    generation,
    empi,
    issuedBy: by.hospitalId,
    cityId: by.cityId,
    issuedAt: at,
    status: "active",
    history: [{ status: "active", at, by: by.hospitalId, reason: generation > 1 ? `issued, generation ${generation}` : "issued" }],
    version: 1,
  };
  const replaced: HealthCard | undefined =
    current && current.status !== "cancelled"
      ? {
          ...current,
          status: "cancelled",
          version: current.version + 1,
          history: [...current.history, { status: "cancelled", at, by: by.hospitalId, reason: `reissued as generation ${generation}` }],
        }
      : undefined;
  if (!(await deps.cards.issue(card, replaced)))
    throw new ConflictError("a card was issued on this document meanwhile: ask again", "identifier");
  const linked: Identifier[] = [{ system: HEALTH_CARD_SYSTEM, value: cardId }];
  if (request.socialSecurityCard) linked.push({ system: SOCIAL_SECURITY_CARD_SYSTEM, value: request.socialSecurityCard });
  if (request.insuranceVoucher) linked.push({ system: INSURANCE_VOUCHER_SYSTEM, value: request.insuranceVoucher });
  await deps.residents.link(empi, linked, by.hospitalId);
  const body = parameters([
    { name: "cardId", valueString: cardId },
    { name: "staticCode", valueString: staticCode(cardId) },
    { name: "cardKey", valueString: cardKeyOf(secret, cardId) },
    { name: "generation", valueInteger: generation },
    { name: "patient", valueIdentifier: { system: EMPI_SYSTEM, value: empi } },
    ...(replaced ? [{ name: "replaced", valueString: replaced.cardId }] : []),
  ]);
  return { cardId, empi, generation, ...(replaced ? { replaced: replaced.cardId } : {}), body };
}

export interface Verification {
  statusCode: 200 | 404 | 422;
  body: Record<string, unknown>;
  /** the resident, for the audit trail */
  patients: Identifier[];
  use: CardUse;
  /** the AuditEvent's id, when it was recorded here (`auditHere`) */
  auditEventId?: string;
}

/** A verification's AuditEvent as the city records it (handlers/city/health-card.ts): read, the card and the resident named */
function verificationAudit(
  by: Acting,
  request: VerifyCardRequest,
  recorded: Date,
  patients: Identifier[],
  refusal?: Record<string, unknown>,
): VerificationAudit {
  const issues = (refusal?.issue as { diagnostics?: string }[] | undefined) ?? [];
  const { event, index } = buildAuditEvent({
    action: "R",
    interaction: "operation",
    node: by.cityId,
    hospitalId: by.hospitalId,
    patients,
    resource: `Patient/$verify-health-card?careStep=${request.careStep}&terminal=${request.terminal}`,
    result: refusal ? "refused" : "success",
    ...(refusal ? { detail: issues.map((i) => i.diagnostics ?? "").join("; ") } : {}),
    recorded,
  });
  return { id: String(event.id), index, event };
}

export async function verifyCard(deps: HealthCardDeps, by: Acting, request: VerifyCardRequest, auditHere = false): Promise<Verification> {
  const now = deps.now();
  const at = now.toISOString();
  const base = { hospitalId: by.hospitalId, cityId: by.cityId, terminal: request.terminal, careStep: request.careStep as CareStep, at };
  const code = parseCode(request.code);
  /** the use recorded (with the registration, and the AuditEvent when asked), and the answer */
  const answer = async (
    verification: Omit<Verification, "auditEventId">,
    registration?: { hospitalId: string; empi: string; at: string },
  ): Promise<Verification> => {
    const { statusCode, body, patients, use } = verification;
    const audit = auditHere ? verificationAudit(by, request, now, patients, statusCode === 200 ? undefined : body) : undefined;
    await deps.cards.recordUse(use, registration, audit);
    return { ...verification, ...(audit ? { auditEventId: audit.id } : {}) };
  };
  const cardNamed: Identifier[] = code.kind === "malformed" ? [] : [{ system: HEALTH_CARD_SYSTEM, value: code.cardId }];
  const refuse = (judgement: Judgement, use: CardUse, patients: Identifier[] = []): Promise<Verification> =>
    answer({ statusCode: 422, body: refusalOutcome(judgement), patients, use });
  if (code.kind === "malformed")
    return refuse({ outcome: "invalid", reason: code.reason }, { ...base, outcome: "invalid", kind: "malformed" });
  const card = await deps.cards.get(code.cardId);
  if (!card) {
    const use: CardUse = { ...base, cardId: code.cardId, outcome: "unknown-card", kind: code.kind };
    const issue = { severity: "error", code: "not-found", diagnostics: `card ${code.cardId} is not known`, expression: ["code"] };
    // the audit names the card presented, as the city's does
    return answer({ statusCode: 404, body: { resourceType: "OperationOutcome", issue: [issue] }, patients: cardNamed, use });
  }
  const secret = await deps.secret();
  const ids: Identifier[] = [{ system: HEALTH_CARD_SYSTEM, value: card.cardId }];
  let judgement = judgeCode(
    code,
    { status: card.status, cardKeyHex: cardKeyOf(secret, card.cardId) },
    request.careStep,
    Math.floor(now.getTime() / 1000),
  );
  if (
    judgement.outcome === "accepted" &&
    code.kind === "dynamic" &&
    !(await deps.cards.claimCode(code.signed, replayHorizon(code.seconds)))
  )
    judgement = { outcome: "replayed", reason: "this dynamic code was used already" };
  const use: CardUse = { ...base, cardId: card.cardId, outcome: judgement.outcome, kind: code.kind, empi: card.empi };
  if (judgement.outcome !== "accepted") return refuse(judgement, use, ids);
  const holder = await deps.residents.holder(card.empi, code.kind === "dynamic");
  if (!holder) throw new UnprocessableError(`the card's resident ${card.empi} is no longer in the index`, "code");
  const accepted = { ...use, empi: holder.empi };
  const registers = code.kind === "dynamic" && request.careStep === "registration";
  const empi = { system: EMPI_SYSTEM, value: holder.empi };
  const patient =
    code.kind === "static"
      ? { resourceType: "Patient", identifier: [empi] }
      : {
          resourceType: "Patient",
          identifier: [empi, ...holder.identifiers.filter((i) => i.system !== EMPI_SYSTEM)],
          ...(holder.name ? { name: holder.name } : {}),
          ...(holder.gender ? { gender: holder.gender } : {}),
          ...(holder.birthDate ? { birthDate: holder.birthDate } : {}),
        };
  return answer(
    {
      statusCode: 200,
      body: parameters([
        { name: "patient", resource: patient },
        { name: "status", valueCode: card.status },
        { name: "cardId", valueString: card.cardId },
      ]),
      patients: [...ids, empi],
      use: accepted,
    },
    registers ? { hospitalId: by.hospitalId, empi: holder.empi, at } : undefined,
  );
}

/** `by`: the hospital (only the issuing one may) or undefined for the operator */
export async function changeCardStatus(deps: HealthCardDeps, by: Acting | undefined, request: CardStatusRequest): Promise<HealthCard> {
  const card = await deps.cards.get(request.cardId);
  if (!card) throw new NotFoundError(`card ${request.cardId} is not known`, "cardId");
  if (by && by.hospitalId !== card.issuedBy)
    throw new ForbiddenError(
      `card ${card.cardId} was issued by ${card.issuedBy}: only that hospital or the operator changes its status`,
      "cardId",
    );
  if (!canChangeStatus(card.status, request.status))
    throw new ConflictError(
      `card ${card.cardId} is ${card.status}: it cannot become ${request.status}${card.status === "cancelled" ? " (reissue instead)" : ""}`,
      "status",
    );
  const next: HealthCard = {
    ...card,
    status: request.status,
    version: card.version + 1,
    history: [
      ...card.history,
      { status: request.status, at: deps.now().toISOString(), by: by?.hospitalId ?? "operator", reason: request.reason },
    ],
  };
  if (!(await deps.cards.update(next))) throw new ConflictError(`card ${card.cardId} was changed meanwhile: ask again`, "cardId");
  return next;
}

export const statusBody = (card: HealthCard) =>
  parameters([
    { name: "cardId", valueString: card.cardId },
    { name: "status", valueCode: card.status },
    ...card.history.map((h) => ({
      name: "history",
      part: [
        { name: "status", valueCode: h.status },
        { name: "at", valueDateTime: h.at },
        { name: "by", valueString: h.by },
        { name: "reason", valueString: h.reason },
      ],
    })),
  ]);
