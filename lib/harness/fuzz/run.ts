/**
 * Sending the fuzzing's requests to a running local province and judging the answers
 * (docs/security.md, "Fuzzing"): in process, as the local gateway's own proxy events with the
 * authorizer context or IAM identity a real call carries, straight to the route's function; or over
 * HTTP through the gateway, with a hospital's or the operator's credential or a city function's SigV4
 * signature. What is asserted of an answer is `problemsOf`; what refused requests may not leave
 * behind is checked with the writes DynamoDB applied meanwhile and the buckets' objects before and after.
 */
import { randomUUID } from "node:crypto";
import { ListObjectsV2Command, S3Client } from "@aws-sdk/client-s3";
import { SignatureV4 } from "@smithy/signature-v4";
import type { APIGatewayAuthorizerResult, APIGatewayProxyResult } from "aws-lambda";
import type { DynamoWrite } from "#local/emulators.ts";
import type { LocalIdentity } from "#local/identities.ts";
import type { RunningProvince } from "#local/province.ts";
import { isTextBody, matchRoute, proxyEvent } from "#local/proxy-event.ts";
import type { LocalCredentials } from "#local/seed.ts";
import { NodeSha256 } from "#shared/signed-fetch.ts";
import type { FuzzCaller, FuzzRequest } from "./requests.ts";
import type { DeclaredRoute } from "./routes.ts";

export interface Answer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** Who sends a route's requests, and how: the credential or identity, the node and what its requests name */
export interface Sender {
  nodeId: string;
  caller: FuzzCaller;
  /** "Bearer …" for an authorizer's route */
  authorization?: string;
  /** The city function whose role signs an IAM route's requests (one whose `calls` list the route) */
  identity?: LocalIdentity;
}

type Hospital = LocalCredentials["hospitals"][number];

/**
 * The sender of `declared`'s requests, as `hospital` (of a city; the operator on the hub's operator
 * API; on an IAM route, a function of the hospital's city that may call it, acting for the hospital).
 * `other`: a hospital of another city (its practitioner is foreign; its city's function calls a city's IAM route).
 */
export function senderOf(
  province: RunningProvince,
  credentials: LocalCredentials,
  declared: DeclaredRoute,
  hospital: Hospital,
  other: Hospital,
): Sender {
  const caller: FuzzCaller = {
    practitioners: hospital.practitioners.slice(0, 5),
    foreignPractitioner: other.practitioners[0],
    actingHospital: hospital.id,
  };
  const action = `${declared.route.method} ${declared.route.path}`;
  if (declared.auth.kind === "iam") {
    // the hub's internal routes are called by the hospital's city; a city's by another city
    const cityId = declared.node === "hub" ? hospital.cityId : other.cityId;
    const fn = [...province.functions.values()].find((f) => f.nodeId === cityId && (f.declaration.calls ?? []).includes(action));
    if (!fn) throw new Error(`no function of ${cityId} calls ${action}`);
    return {
      nodeId: declared.node === "hub" ? "hub" : hospital.cityId,
      caller,
      identity: province.identities.of(cityId, fn.declaration.id)!,
    };
  }
  if (declared.node === "hub")
    return { nodeId: "hub", caller, ...(declared.auth.kind === "lambda" ? { authorization: `Bearer ${credentials.operator}` } : {}) };
  return {
    nodeId: hospital.cityId,
    caller,
    ...(declared.auth.kind === "lambda" ? { authorization: `Bearer ${hospital.credential}` } : {}),
  };
}

const apiIdOf = (nodeId: string, declared: DeclaredRoute) => `${nodeId}-${declared.api.id.toLowerCase()}`;
const prefixOf = (nodeId: string) => (nodeId === "hub" ? "/hub" : `/cities/${nodeId}`);

/** Authorizer contexts, per node and credential: the authorizer function's own answer, once */
const contexts = new Map<string, Record<string, string>>();

async function authorizerContext(province: RunningProvince, declared: DeclaredRoute, sender: Sender): Promise<Record<string, string>> {
  if (declared.auth.kind !== "lambda") throw new Error("not an authorizer's route");
  const key = `${sender.nodeId}|${sender.authorization}`;
  const known = contexts.get(key);
  if (known) return known;
  const fn = province.functions.get(`${sender.nodeId}-${declared.auth.authorizer}`)!;
  const result = await fn.invoke<APIGatewayAuthorizerResult>({
    type: "REQUEST",
    methodArn: `arn:aws-cn:execute-api:cn-north-1:000000000000:${apiIdOf(sender.nodeId, declared)}/local/${declared.route.method}${declared.route.path}`,
    headers: { authorization: sender.authorization },
    path: declared.route.path,
    httpMethod: declared.route.method,
    resource: declared.route.path,
  });
  const context = {
    ...Object.fromEntries(Object.entries(result.context ?? {}).map(([k, v]) => [k, String(v)])),
    principalId: result.principalId,
  };
  contexts.set(key, context);
  return context;
}

/**
 * One request straight to the route's function, as the local gateway would hand it over: the same
 * route matching and proxy event (local/gateway.ts), with the authorizer's context or the IAM
 * identity the real call carries. A thrown error or a timeout is answered 599 with its message.
 */
export async function invokeInProcess(
  province: RunningProvince,
  declared: DeclaredRoute,
  sender: Sender,
  request: FuzzRequest,
): Promise<Answer> {
  const url = new URL(`${prefixOf(sender.nodeId)}${request.path}${request.query ? `?${request.query}` : ""}`, "http://127.0.0.1");
  const path = url.pathname.slice(prefixOf(sender.nodeId).length);
  const matched = matchRoute([declared.api], request.method, path);
  // a path the gateway matches to no route (or to another) never reaches the function: a generator's slip
  if (!matched || matched.route !== declared.route) throw new Error(`${request.path} does not match ${declared.key}`);
  const headers: Record<string, string> = {
    host: url.host,
    ...request.headers,
    ...(sender.authorization ? { authorization: sender.authorization } : {}),
  };
  const body = Buffer.from(request.body ?? "", "utf8");
  if (request.body !== undefined) headers["content-length"] = String(body.length);
  const authorizer = declared.auth.kind === "lambda" ? await authorizerContext(province, declared, sender) : undefined;
  const event = proxyEvent(
    declared.route,
    path,
    request.method,
    headers,
    url,
    matched.pathParameters,
    body,
    isTextBody(declared.api, headers, body),
    apiIdOf(sender.nodeId, declared),
    randomUUID(),
    authorizer,
    sender.identity,
  );
  const fn = province.functions.get(`${sender.nodeId}-${declared.route.function}`)!;
  try {
    const result = await fn.invoke<APIGatewayProxyResult>(event);
    const text = result.isBase64Encoded ? Buffer.from(result.body, "base64").toString("utf8") : (result.body ?? "");
    const answerHeaders = Object.fromEntries(Object.entries(result.headers ?? {}).map(([k, v]) => [k.toLowerCase(), String(v)]));
    return { status: result.statusCode, headers: answerHeaders, body: text };
  } catch (error) {
    return { status: 599, headers: {}, body: `thrown: ${(error as Error).stack ?? error}` };
  }
}

/** A header value fetch can send (latin-1, no control characters); others go percent-encoded, as a client would have to */
const sendable = (value: string) => (/^[\t\x20-\x7e\x80-\xff]*$/.test(value) ? value : encodeURIComponent(value));

/** One request over HTTP through the local gateway, as a hospital, the operator or a city function sends it */
export async function invokeOverHttp(province: RunningProvince, sender: Sender, request: FuzzRequest): Promise<Answer> {
  const target = new URL(`${province.url}${prefixOf(sender.nodeId)}${request.path}${request.query ? `?${request.query}` : ""}`);
  let headers: Record<string, string> = Object.fromEntries(Object.entries(request.headers).map(([k, v]) => [k, sendable(v)]));
  if (sender.authorization) headers.authorization = sender.authorization;
  if (sender.identity) {
    const signer = new SignatureV4({ service: "execute-api", region: "cn-north-1", credentials: sender.identity, sha256: NodeSha256 });
    const query: Record<string, string | string[]> = {};
    for (const key of new Set(target.searchParams.keys())) {
      const values = target.searchParams.getAll(key);
      query[key] = values.length > 1 ? values : values[0]!;
    }
    const signed = await signer.sign({
      method: request.method,
      protocol: target.protocol,
      hostname: target.hostname,
      port: Number(target.port),
      path: target.pathname,
      query,
      headers: { ...headers, host: target.host },
      ...(request.body ? { body: request.body } : {}),
    });
    headers = signed.headers as Record<string, string>;
  }
  try {
    const res = await fetch(target, {
      method: request.method,
      headers,
      ...(request.body !== undefined && request.method !== "GET" ? { body: request.body } : {}),
    });
    return { status: res.status, headers: Object.fromEntries(res.headers), body: await res.text() };
  } catch (error) {
    // a connection the gateway reset or refused is no answer: a failure to report, with what was sent
    return {
      status: 598,
      headers: {},
      body: `no answer: ${(error as Error).message} ${String((error as { cause?: unknown }).cause ?? "")}`,
    };
  }
}

interface OutcomeIssue {
  severity?: string;
  code?: string;
  diagnostics?: string;
  expression?: unknown;
}

/**
 * What is wrong with an answer, if anything:
 * - a 5xx, a thrown error or timeout (599), or no answer over HTTP (598), is always wrong;
 * - a 4xx must be `application/fhir+json`, an OperationOutcome with at least one issue, and must
 *   name the field: at least one issue carries an `expression` whose first entry is a non-empty
 *   location (a body path such as `Patient.birthDate` or `backlog`, a path or query parameter's name,
 *   a header's name, or `body` for a body refused as a whole: not JSON, absent, of the wrong type);
 *   when the request broke a path parameter, an issue names that parameter; a 405 (the method, no
 *   field, is refused) need name none;
 * - a request whose parts its route's schemas refuse must not be accepted by a route that writes.
 */
export function problemsOf(answer: Answer, request: FuzzRequest, writes: boolean): string[] {
  const problems: string[] = [];
  if (answer.status >= 500) return [`answered ${answer.status}: ${answer.body.slice(0, 400)}`];
  if (!request.conforms && writes && answer.status < 300)
    problems.push(`accepted (${answer.status}) a request its schemas refuse: ${answer.body.slice(0, 200)}`);
  if (answer.status < 400) return problems;
  if (!/^application\/fhir\+json\b/.test(answer.headers["content-type"] ?? ""))
    problems.push(`${answer.status} with content-type ${answer.headers["content-type"]}`);
  let outcome: { resourceType?: string; issue?: OutcomeIssue[] } | undefined;
  try {
    outcome = JSON.parse(answer.body) as typeof outcome;
  } catch {
    return [...problems, `${answer.status} whose body is not JSON: ${answer.body.slice(0, 200)}`];
  }
  if (outcome?.resourceType !== "OperationOutcome" || !Array.isArray(outcome.issue) || outcome.issue.length === 0)
    return [...problems, `${answer.status} that is no OperationOutcome with issues: ${answer.body.slice(0, 200)}`];
  const named = outcome.issue.flatMap((i) =>
    Array.isArray(i.expression) && typeof i.expression[0] === "string" && i.expression[0] ? [i.expression[0]] : [],
  );
  if (named.length === 0 && answer.status !== 405) problems.push(`${answer.status} naming no field: ${answer.body.slice(0, 300)}`);
  else if (request.names && answer.status !== 405 && !named.some((n) => n === request.names))
    problems.push(`${answer.status} for a broken path parameter ${request.names} names ${named.join(", ")} instead`);
  return problems;
}

// ——— no partial write ———

/** Tables written on a refusal by design: the audit trail records refusals of authenticated requests (docs/security.md) */
export const AUDIT_TABLES = new Set(["AuditLog", "AuditEvents"]);

/**
 * A write the hub's audit consumer derives from an AuditEvent, a refusal's too: a practitioner's hourly
 * read counter and alert in the Activity table (the volume alarm, docs/consent.md)
 */
export const auditDerivedWrite = (request: string): boolean => /"metric":\{"S":"(reads#|read-volume)/.test(request);

/**
 * A write to the evidence log (docs/departments.md) that only the exchange's background work makes: the
 * sealer's (a batch, its status, the sealed entries' `pending` markers deleted) and an outbound
 * delivery's (its `out|<member>` leg and that leg's pending marker, recorded by the DepartmentDelivery
 * consumer). A request to the hub's exchange records only `in` legs. The province's start-up work
 * (the month's figures sent to the health commission, held until the log's first seal, then re-sent
 * with the outbox's backoff a minute later) can outlast the campaign's quiet wait and write these
 * while refused requests run.
 */
export const evidenceBackgroundWrite = (write: Pick<DynamoWrite, "operation" | "tables" | "request">): boolean => {
  if (write.tables.length === 0 || !write.tables.every((t) => t.endsWith("-evidence"))) return false;
  const pk = /"pk":\{"S":"([^"]*)"\}/.exec(write.request)?.[1];
  const sk = /"sk":\{"S":"([^"]*)"\}/.exec(write.request)?.[1] ?? "";
  if (pk === "batch" || pk === "sealer") return true;
  if (pk === "pending") return write.operation === "DeleteItem" || /\|out\|[^|]+$/.test(sk);
  return !!pk?.startsWith("msg#") && sk.startsWith("out|");
};

/** A write the province makes of its own while refused requests run: never counted against them */
export const provinceOwnWrite = (write: Pick<DynamoWrite, "operation" | "tables" | "request">): boolean =>
  auditDerivedWrite(write.request) || evidenceBackgroundWrite(write);

/**
 * The tables and buckets a route's requests may write, by their names in the province: those its
 * function may write (declaration `tables`/`buckets` with write access) and those of the functions
 * behind the IAM routes it calls (a city's proxies write at the hub); audit tables excepted.
 */
export function writableBy(
  province: RunningProvince,
  declared: DeclaredRoute,
  sender: Sender,
  routes: DeclaredRoute[],
): { tables: string[]; buckets: string[] } {
  const tables = new Set<string>();
  const buckets = new Set<string>();
  const add = (nodeId: string, functionId: string, depth: number) => {
    const fn = province.functions.get(`${nodeId}-${functionId}`);
    if (!fn) return;
    const resources = province.resources.get(nodeId)!;
    for (const [id, access] of Object.entries(fn.declaration.tables ?? {}))
      if (access !== "read" && !AUDIT_TABLES.has(id)) tables.add(resources.tables.get(id)!);
    for (const [id, access] of Object.entries(fn.declaration.buckets ?? {})) if (access !== "read") buckets.add(resources.buckets.get(id)!);
    if (depth > 0)
      for (const call of fn.declaration.calls ?? []) {
        const callee = routes.find((r) => `${r.route.method} ${r.route.path}` === call && r.auth.kind === "iam");
        // the hub's internal routes; a city's (document bytes) are read-only
        if (callee?.node === "hub") add("hub", callee.route.function, 0);
      }
  };
  add(sender.nodeId, declared.route.function, 1);
  return { tables: [...tables].sort(), buckets: [...buckets].sort() };
}

/** Every object (key, ETag and size) of the buckets, for comparing before and after */
export async function listObjects(province: RunningProvince, buckets: string[]): Promise<Map<string, string>> {
  const s3 = new S3Client({ endpoint: province.endpoints.s3, forcePathStyle: true });
  const objects = new Map<string, string>();
  try {
    for (const bucket of buckets) {
      let token: string | undefined;
      do {
        const out = await s3.send(new ListObjectsV2Command({ Bucket: bucket, ContinuationToken: token }));
        for (const o of out.Contents ?? []) objects.set(`${bucket}/${o.Key}`, `${o.ETag} ${o.Size}`);
        token = out.NextContinuationToken;
      } while (token);
    }
  } finally {
    s3.destroy();
  }
  return objects;
}

/** Objects added, changed or removed between two listings */
export function objectChanges(before: Map<string, string>, after: Map<string, string>): string[] {
  return [
    ...[...after].filter(([key, value]) => before.get(key) !== value).map(([key]) => `bucket object ${key} written`),
    ...[...before.keys()].filter((key) => !after.has(key)).map((key) => `bucket object ${key} removed`),
  ];
}
