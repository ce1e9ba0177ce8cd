/**
 * The provincial departments the health cloud exchanges messages with (issue 16), and the message
 * events of the department exchange (FHIR messaging, MessageHeader.eventCoding). A light module:
 * read paths import it without pulling the exchange's message schemas.
 */
export const MEMBER_IDS = [
  "public-security",
  "civil-affairs",
  "health-commission",
  "disease-control",
  "medical-insurance",
  "statistics",
] as const;
export type MemberId = (typeof MEMBER_IDS)[number];

/** The health cloud's own member id at the provincial data-sharing platform */
export const HEALTH_CLOUD_MEMBER = "health-cloud";

/** `source.endpoint` / `destination.endpoint` of a MessageHeader: `urn:hhc:member:<memberId or hospitalId>` */
export const MEMBER_ENDPOINT_PREFIX = "urn:hhc:member:";
export const memberEndpoint = (id: string): string => `${MEMBER_ENDPOINT_PREFIX}${id}`;

export const MESSAGE_EVENT_SYSTEM = "https://hebei.health/fhir/CodeSystem/message-event";
export const MESSAGE_EVENTS = [
  "death-notification",
  "birth-notification",
  "household-death",
  "household-registration",
  "case-report",
  "monthly-report",
  "update",
  "void",
] as const;
export type MessageEvent = (typeof MESSAGE_EVENTS)[number];
