/**
 * FHIR messages of the department exchange: a Bundle of type `message` whose first entry is the
 * MessageHeader (its id the message id, the event, source and destination members, the focus), then the
 * focus resources; the answer is a message whose MessageHeader.response names the request's header id.
 * `X-Request-Hash` (base64 SHA-512 of the request body) proves which request an answer answers.
 */
import { createHash } from "node:crypto";
import { MEMBER_ENDPOINT_PREFIX, MESSAGE_EVENT_SYSTEM, type MessageEvent, memberEndpoint } from "#schemas/department-members.ts";
import { type MessageBundle, type MessageHeader, messageHeaderSchema } from "#schemas/departments.ts";

/** A FHIR resource a message carries (ports/departments.ts FocusResource has this shape) */
export interface FocusResource {
  resourceType: string;
  id?: string;
  [key: string]: unknown;
}

export const REQUEST_HASH_HEADER = "x-request-hash";

/** base64 SHA-512 of a body, as X-Road's request hash */
export const requestHash = (body: string | Buffer): string => createHash("sha512").update(body).digest("base64");

const reference = (resource: FocusResource, i: number): string => `${resource.resourceType}/${resource.id ?? `focus-${i}`}`;

export function messageBundle(input: {
  messageId: string;
  event: MessageEvent;
  source: string;
  destinations: readonly string[];
  focus: readonly FocusResource[];
  timestamp: string;
  response?: { identifier: string; code: "ok" | "transient-error" | "fatal-error" };
}): MessageBundle {
  const focus = input.focus.map((r, i) => ({ ...r, id: r.id ?? `focus-${i}` }));
  const header: MessageHeader = {
    resourceType: "MessageHeader",
    id: input.messageId,
    eventCoding: { system: MESSAGE_EVENT_SYSTEM, code: input.event },
    source: { endpoint: memberEndpoint(input.source) },
    destination: input.destinations.map((d) => ({ endpoint: memberEndpoint(d) })),
    ...(focus.length ? { focus: focus.map((r, i) => ({ reference: reference(r, i) })) } : {}),
    ...(input.response ? { response: input.response } : {}),
  };
  return {
    resourceType: "Bundle",
    type: "message",
    id: `${input.messageId}-bundle`,
    timestamp: input.timestamp,
    entry: [
      { fullUrl: `MessageHeader/${input.messageId}`, resource: header },
      ...focus.map((r, i) => ({ fullUrl: reference(r, i), resource: r })),
    ],
  };
}

/** The MessageHeader of a message (its first entry), or undefined */
export const headerOf = (bundle: MessageBundle): MessageHeader | undefined => {
  const parsed = messageHeaderSchema.safeParse(bundle.entry[0]?.resource);
  return parsed.success ? parsed.data : undefined;
};

/** Why the message's first entry is not a valid MessageHeader, naming the field; undefined when it is one */
export function headerIssue(bundle: MessageBundle): { diagnostics: string; expression: string } | undefined {
  const parsed = messageHeaderSchema.safeParse(bundle.entry[0]?.resource);
  if (parsed.success) return undefined;
  const issue = parsed.error.issues[0]!;
  return { diagnostics: issue.message, expression: ["MessageHeader", ...issue.path.map(String)].join(".") };
}

/** The member an endpoint URN names, or undefined */
export const memberOfEndpoint = (endpoint: string): string | undefined =>
  endpoint.startsWith(MEMBER_ENDPOINT_PREFIX) ? endpoint.slice(MEMBER_ENDPOINT_PREFIX.length) : undefined;

/** The focus resources of a message, in order (the entries after the header) */
export const focusOf = (bundle: MessageBundle): FocusResource[] => bundle.entry.slice(1).map((e) => e.resource as FocusResource);

/** The original message id an `update` or `void` names: a Parameters among the focus with `messageId` */
export function amendedMessageId(bundle: MessageBundle): string | undefined {
  for (const resource of focusOf(bundle)) {
    if (resource.resourceType !== "Parameters") continue;
    const parameters = (resource.parameter ?? []) as { name?: string; valueString?: string; valueId?: string }[];
    const p = parameters.find((x) => x.name === "messageId");
    const value = p?.valueString ?? p?.valueId;
    if (value) return value;
  }
  return undefined;
}
