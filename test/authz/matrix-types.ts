/** The authorization matrix (matrix-cases.ts): what a case is, what it attempts and what it must find */

import type { LocalCredentials } from "#local/seed.ts";

export type Hospital = LocalCredentials["hospitals"][number];
export type Dimension = "object" | "practitioner" | "node" | "function";

/** An answer as a case sees it; `requestId` is the gateway's (its access-log line) */
export interface Attempt {
  status: number;
  json?: Record<string, unknown>;
  requestId: string;
  /** The gateway response type, when the gateway answered itself (no function ran) */
  errorType?: string;
}

/** What the victim hospital B owns before the matrix runs (test/local/authorization-matrix.test.ts makes it) */
export interface Victim {
  hospital: Hospital;
  /** B's doctor */
  practitioner: string;
  /** B's PractitionerRole for that doctor */
  roleId: string;
  /** B's patient: its MRN and EMPI */
  mrn: { system: string; value: string };
  empi: string;
  /** B's published document, and the Binary id of its bytes */
  documentId: string;
  binaryId: string;
  /** B's recorded encounter (its identifier value) */
  encounter: string;
  subscriptionId: string;
  /** B's claim number (under B's claim system) */
  claim: string;
  /** A Communication in B's FEP inbox, not acknowledged */
  communicationId: string;
}

type Init = { body?: unknown; practitioner?: string; headers?: Record<string, string> };

export interface MatrixContext {
  victim: Victim;
  /** A hospital no other case uses (its refusals are told apart by it), in `cityId` (default: any) */
  attacker(cityId?: string): Hospital;
  /** A call to a hospital's own city node with its credential */
  asHospital(h: Hospital, method: string, path: string, init?: Init): Promise<Attempt>;
  /** A call to the hub's operator API with a credential (a hospital's, on the operator's routes) */
  atHub(token: string | undefined, method: string, path: string, init?: Init): Promise<Attempt>;
  /** A call to a node's IAM route, SigV4-signed as the function `fn` of `signer` signs (the local identities) */
  signed(signer: { nodeId: string; fn: string }, target: string, method: string, path: string, init?: Init): Promise<Attempt>;
  /** A call to a node's IAM route with no signature, or with a hospital's bearer credential */
  unsigned(target: string, method: string, path: string, init?: Init & { token?: string }): Promise<Attempt>;
  /** B's view of its own objects, for the "nothing changed" checks */
  asVictim(method: string, path: string, init?: Init): Promise<Attempt>;
  readDocument(cityId: string, key: Record<string, string>, table: string): Promise<Record<string, unknown> | undefined>;
}

/** What a case did: the answer, the audit agent that tells its refusal apart, and a check that nothing changed */
export interface Outcome {
  attempt: Attempt;
  /**
   * The AuditEvent agent (a hospital id) no other case's refusal names; for a refusal in the access log,
   * the authorizer's principal
   */
  agent?: string;
  /** For a refusal in the access log: what the IAM caller's role ARN contains */
  caller?: string;
  /** Throws if the refused write changed anything */
  unchanged?: () => Promise<void>;
}

export interface MatrixCase {
  dimension: Dimension;
  /** What is tried, in words */
  title: string;
  /**
   * The answer the design gives: a 403 (who may act as whom), 404 where saying "exists" would tell
   * another hospital's object apart from an unknown one, or the uniform empty answer a system PIXm
   * gives for a resident the caller never registered (200, recorded as a success naming nobody).
   */
  answer: { status: number; uniform?: Record<string, unknown> };
  /**
   * Where the refusal is recorded: the hub's audit repository (an AuditEvent naming `agent`, outcome 4,
   * or 0 for the uniform answer), or the gateway's access log (refused before any function ran).
   */
  recordedBy: "audit" | "access-log";
  run(ctx: MatrixContext): Promise<Outcome>;
}

export type RouteEntry = { cases: MatrixCase[] } | { exempt: string };
