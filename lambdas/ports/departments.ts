/**
 * The hub's department exchange as other capabilities use it (issue 16 builds it; public health,
 * issue 17, and the deaths and births flows send through it). A capability hands a message to
 * `send`; the exchange records it durably (the outbox) before `send` returns, delivers it to each
 * destination's endpoint through that department's queue (bounded retries, DLQ, re-drive), keeps each
 * delivery and the department's answer in the evidence log, and hands the answer to the sink registered
 * for the message's event.
 */
import type { MemberId, MessageEvent } from "#schemas/department-members.ts";

/** A FHIR resource carried as a message's focus (MessageHeader.focus, in order, then the Bundle's entries) */
export interface FocusResource {
  resourceType: string;
  id?: string;
  [key: string]: unknown;
}

export interface OutboundDepartmentMessage {
  /** MessageHeader.id: the idempotency key; sending the same id twice has one effect */
  messageId: string;
  event: MessageEvent;
  destinations: readonly MemberId[];
  /** `hospitalId` for a hospital's report (case-report), `health-cloud` for the hub's own messages */
  sourceMember: string;
  focus: readonly FocusResource[];
}

export interface DepartmentExchange {
  /** Durable once it resolves; idempotent on messageId */
  send(message: OutboundDepartmentMessage, now: Date): Promise<void>;
}

/** A department's answer to an outbound message (its response MessageHeader's code) */
export interface DepartmentResponse {
  messageId: string;
  event: MessageEvent;
  member: MemberId;
  /** FHIR MessageHeader.response.code */
  code: "ok" | "transient-error" | "fatal-error";
  /** OperationOutcome text or details the department gave with a fatal-error */
  detail?: string;
  receivedAt: string;
}

/** Registered per event by the capability that sends it (wiring); called once per department's answer */
export type DepartmentResponseSink = (response: DepartmentResponse) => Promise<void>;
export type DepartmentResponseSinks = Partial<Record<MessageEvent, DepartmentResponseSink>>;
