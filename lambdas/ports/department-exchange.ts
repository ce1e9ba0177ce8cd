/**
 * What the department exchange's use cases (use-cases/departments/) need besides the outbox
 * (ports/outbox.ts, the DepartmentOutbox table): each department's endpoint, the access grants of
 * conditional services, and the inbound messages already answered. The contract other capabilities
 * send through is ports/departments.ts.
 */
import type { AccessRequest, AccessRequestState } from "#domain/departments/access.ts";
import type { MemberId } from "#schemas/department-members.ts";

export type { AccessRequest, AccessRequestState };

export interface EndpointAnswer {
  status: number;
  body: string;
  headers: Record<string, string>;
}

/** A department's endpoint (configured per department): POSTs a message, answers what it answered; throws when unreachable */
export type DepartmentEndpoints = (member: MemberId, body: string) => Promise<EndpointAnswer>;

export interface AccessRequestStore {
  put(request: AccessRequest): Promise<void>;
  get(id: string): Promise<AccessRequest | undefined>;
  /** Compare-and-set on the state: false when another decision got there first */
  transition(id: string, from: AccessRequestState, next: AccessRequest): Promise<boolean>;
  list(): Promise<AccessRequest[]>;
}

/** An inbound message already applied, with the answer it got (a repeated id gets the same answer) */
export interface InboundRecord {
  messageId: string;
  member: string;
  event: string;
  requestHash: string;
  status: number;
  answer: string;
  receivedAt: string;
  /** the resident the message was about (a void finds it here) */
  empi?: string;
}

export interface InboundStore {
  get(messageId: string): Promise<InboundRecord | undefined>;
  /** false when the id is already recorded */
  record(record: InboundRecord): Promise<boolean>;
}

/**
 * A resident's vital status as the exchange knows it (deaths: docs/departments.md#deaths): who knows of
 * the death (a hospital's report, public security's register), and the messages that told.
 */
export interface VitalStatus {
  empi: string;
  deceased: boolean;
  deceasedDateTime?: string;
  residentId?: string;
  /** a hospital reported it through the PIXm feed */
  knownToHealth: boolean;
  /** public security registered it (household-death) */
  knownToPublicSecurity: boolean;
  /** the household-death message that told, while it stands (a void names it) */
  householdMessageId?: string;
  /** the hospital that reported it */
  reportedBy?: string;
  version: number;
  updatedAt: string;
}

export interface VitalStatusStore {
  get(empi: string): Promise<VitalStatus | undefined>;
  /** Writes `status` if the stored version is `status.version - 1` (none for 1); false otherwise */
  put(status: VitalStatus): Promise<boolean>;
  /** Every resident ever marked deceased (for the reconciliation) */
  listDeaths(): Promise<VitalStatus[]>;
}
