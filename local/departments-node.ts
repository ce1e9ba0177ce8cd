/**
 * The reference departments node of the local province (docs/departments.md): one endpoint per provincial
 * department that records and acknowledges every message the exchange delivers, as a department's own
 * system would, answering each with a response message naming the request (MessageHeader.response) and
 * its X-Request-Hash. Loopback only:
 *   POST /departments/<memberId>/$process-message   the department's endpoint (the hub's delivery function calls it)
 *   GET  /departments/<memberId>/messages           the message Bundles it received, newest last
 *   POST /departments/<memberId>/fail {"count": n}  its next n deliveries are answered 503 (GET: how many are left)
 */
import { createHash } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { headerOf, memberOfEndpoint, messageBundle, REQUEST_HASH_HEADER, requestHash } from "#domain/departments/messages.ts";
import { MEMBER_IDS, type MemberId } from "#schemas/department-members.ts";
import { type MessageBundle, messageBundleSchema } from "#schemas/departments.ts";
import { clock } from "#shared/clock.ts";
import { isLoopback } from "./clock.ts";

export const DEPARTMENTS_PREFIX = "/departments/";
export const departmentEndpointPath = (member: string): string => `${DEPARTMENTS_PREFIX}${member}/$process-message`;

const MAX_BODY = 1024 * 1024;

async function readBody(req: IncomingMessage): Promise<string | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY) return undefined;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString("utf8");
}

const outcome = (diagnostics: string, code = "invalid") => ({
  resourceType: "OperationOutcome",
  issue: [{ severity: "error", code, diagnostics }],
});

export class ReferenceDepartments {
  private readonly received = new Map<MemberId, MessageBundle[]>();
  private readonly failing = new Map<MemberId, number>();

  /** The gateway's route for everything under /departments/ */
  readonly route = (req: IncomingMessage, res: ServerResponse, rest: string): void => {
    this.answer(req, rest).then(
      ({ status, body, headers }) =>
        res
          .writeHead(status, { "content-type": "application/fhir+json", "cache-control": "no-store", ...headers })
          .end(JSON.stringify(body)),
      (error: Error) =>
        res.writeHead(500, { "content-type": "application/fhir+json" }).end(JSON.stringify(outcome(error.message, "exception"))),
    );
  };

  private async answer(req: IncomingMessage, rest: string): Promise<{ status: number; body: unknown; headers?: Record<string, string> }> {
    if (!isLoopback(req.socket.remoteAddress))
      return { status: 403, body: outcome("The reference departments answer only on the loopback address", "forbidden") };
    const [memberId, action, ...more] = rest.split("/");
    const member = MEMBER_IDS.find((m) => m === memberId);
    if (!member || more.length > 0) return { status: 404, body: outcome(`no department ${memberId}`, "not-found") };
    if (req.method === "GET" && action === "messages") return { status: 200, body: this.received.get(member) ?? [] };
    if (req.method === "GET" && action === "fail") return { status: 200, body: { member, failNext: this.failing.get(member) ?? 0 } };
    if (req.method !== "POST") return { status: 405, body: outcome("GET messages; POST $process-message or fail", "not-supported") };
    const text = await readBody(req);
    if (text === undefined) return { status: 413, body: outcome("The body is over 1 MiB", "too-costly") };
    if (action === "fail") {
      let count: unknown;
      try {
        count = (JSON.parse(text) as { count?: unknown }).count;
      } catch {
        count = undefined;
      }
      if (typeof count !== "number" || !Number.isInteger(count) || count < 0)
        return { status: 400, body: outcome('send {"count": <integer ≥ 0>}') };
      this.failing.set(member, count);
      return { status: 200, body: { member, failNext: count } };
    }
    if (action !== "$process-message") return { status: 404, body: outcome(`no route ${action}`, "not-found") };
    const left = this.failing.get(member) ?? 0;
    if (left > 0) {
      this.failing.set(member, left - 1);
      return { status: 503, body: outcome(`${member} is unavailable (failing on request)`, "transient") };
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      return { status: 400, body: outcome("The body is not JSON") };
    }
    const parsed = messageBundleSchema.safeParse(json);
    const header = parsed.success ? headerOf(parsed.data) : undefined;
    if (!parsed.success || !header)
      return { status: 400, body: outcome("Not a FHIR message: a Bundle of type message whose first entry is a MessageHeader") };
    const list = this.received.get(member) ?? [];
    list.push(parsed.data);
    this.received.set(member, list);
    const response = messageBundle({
      // a FHIR id (at most 64 characters, the Bundle's `<id>-bundle` too) whatever the request's id's length
      messageId: `ack-${createHash("sha256").update(`${header.id}|${member}`).digest("hex").slice(0, 40)}`,
      event: header.eventCoding.code,
      source: member,
      destinations: [memberOfEndpoint(header.source.endpoint) ?? "health-cloud"],
      focus: [],
      timestamp: clock.isoNow(),
      response: { identifier: header.id, code: "ok" },
    });
    return { status: 200, body: response, headers: { [REQUEST_HASH_HEADER]: requestHash(text) } };
  }
}
