/**
 * The AWS APIs a function calls without the service's SDK client: SSM Parameter Store (discovery,
 * the local province's API keys, the message signing keys; AWS JSON 1.1), API Gateway's API keys (REST
 * JSON) and STS AssumeRole (the insurance platform's key directory in the hub's account; query). Their SDK
 * clients would add 77 KiB (SSM) and 60 KiB (API Gateway) to every bundle that calls them, for a
 * handful of operations (issue 11, test/infra/bundle-size.test.ts). The requests are the ones the SDK
 * sends (test/domain/aws-api.test.ts compares them): SigV4-signed for the service (signed-fetch.ts)
 * with the credentials the bundles resolve (their environment: lib/bundle-trim.ts), at the endpoint
 * the SDK would choose (AWS_ENDPOINT_URL_<SERVICE>, AWS_ENDPOINT_URL, else the region's), without a
 * timeout of their own (as the SDK's default; the function's timeout bounds them), retried as the
 * SDK's standard mode retries (3 attempts on throttling, 5xx and network errors, full-jitter
 * backoff). An error answer is thrown as an AwsApiError named by the service's error code, as the
 * SDK names its exceptions (`ParameterNotFound`, `ConflictException` …).
 */
import { request as httpRequest, type IncomingHttpHeaders } from "node:http";
import { request as httpsRequest } from "node:https";
import { type AwsCredentials, awsRegion, signedHeaders } from "./signed-fetch.ts";

export class AwsApiError extends Error {
  constructor(
    name: string,
    message: string,
    readonly status: number,
  ) {
    super(message);
    this.name = name;
  }
}

interface Service {
  /** SigV4 signing name, and the endpoint's host prefix */
  signingName: string;
  /** The service's part of AWS_ENDPOINT_URL_<SERVICE> */
  envName: string;
}
export const SSM: Service = { signingName: "ssm", envName: "SSM" };
export const API_GATEWAY: Service = { signingName: "apigateway", envName: "API_GATEWAY" };
export const STS: Service = { signingName: "sts", envName: "STS" };

const MAX_ATTEMPTS = 3;
const THROTTLING = new Set([
  "Throttling",
  "ThrottlingException",
  "ThrottledException",
  "RequestThrottledException",
  "TooManyRequestsException",
  "RequestLimitExceeded",
  "RequestThrottled",
  "LimitExceededException",
  "BandwidthLimitExceeded",
  "SlowDown",
  "PriorRequestNotComplete",
]);

/** The endpoint a service is called at (exported for the test that compares it with the SDK's) */
export function endpoint(service: Service): string {
  const configured = process.env[`AWS_ENDPOINT_URL_${service.envName}`] ?? process.env.AWS_ENDPOINT_URL;
  if (configured) return configured.replace(/\/+$/, "");
  const region = awsRegion();
  return `https://${service.signingName}.${region}.${region.startsWith("cn-") ? "amazonaws.com.cn" : "amazonaws.com"}`;
}

/** An error answer as the SDK reads it: code from the header, else the body's __type or code, without namespace or URI */
function apiError(res: Answer, json: Record<string, unknown> | undefined): AwsApiError {
  const raw = res.headers["x-amzn-errortype"] ?? json?.__type ?? json?.code ?? json?.Code ?? `Http${res.status}`;
  const code = String(raw).split(":")[0]!.split("#").pop()!;
  return new AwsApiError(code, String(json?.message ?? json?.Message ?? code), res.status);
}

const retryable = (error: unknown): boolean =>
  !(error instanceof AwsApiError) || error.status >= 500 || error.status === 429 || THROTTLING.has(error.name);

interface Answer {
  status: number;
  headers: IncomingHttpHeaders;
  text: string;
}

/**
 * One HTTP exchange over node:http(s), the SDK's own transport in Node.js (its node-http-handler):
 * keep-alive connections (Node's global agents), no connect or request timeout.
 */
const exchange = (target: URL, method: string, headers: Record<string, string>, body?: string): Promise<Answer> =>
  new Promise((resolve, reject) => {
    const req = (target.protocol === "https:" ? httpsRequest : httpRequest)(target, { method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("error", reject);
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString("utf8") }));
    });
    req.on("error", reject);
    req.end(body);
  });

/** A JSON answer, or the error it says */
function jsonAnswer(service: Service, res: Answer): unknown {
  const { text } = res;
  let json: Record<string, unknown> | undefined;
  try {
    json = text ? (JSON.parse(text) as Record<string, unknown>) : undefined;
  } catch {
    json = undefined;
  }
  if (res.status >= 300) throw apiError(res, json);
  if (text && !json)
    throw new AwsApiError("SerializationException", `${service.signingName} answered ${res.status} without JSON`, res.status);
  return json ?? {};
}

async function send(
  service: Service,
  method: string,
  path: string,
  headers: Record<string, string>,
  body?: string,
  as?: AwsCredentials,
  read: (service: Service, res: Answer) => unknown = jsonAnswer,
): Promise<unknown> {
  const target = new URL(`${endpoint(service)}${path}`);
  // a body's length is sent (and signed), as the SDK sends it, rather than a chunked body
  const sent = body === undefined ? headers : { ...headers, "content-length": String(Buffer.byteLength(body)) };
  const once = async (): Promise<unknown> => {
    const signed = await signedHeaders(service.signingName, method, target, sent, body, as);
    return read(service, await exchange(target, method, signed, body));
  };
  for (let attempt = 1; ; attempt++) {
    try {
      return await once();
    } catch (error) {
      // throttling, 5xx and network errors (no answer) are retried, as the SDK's standard mode does
      if (attempt >= MAX_ATTEMPTS || !retryable(error)) throw error;
      await new Promise((resolve) => setTimeout(resolve, Math.random() * Math.min(20_000, 100 * 2 ** attempt)));
    }
  }
}

/** An SSM action (AWS JSON 1.1: POST / with the action in X-Amz-Target), signed with the function's credentials or `as` */
const ssm = <T>(action: string, input: Record<string, unknown>, as?: AwsCredentials): Promise<T> =>
  send(
    SSM,
    "POST",
    "/",
    { "content-type": "application/x-amz-json-1.1", "x-amz-target": `AmazonSSM.${action}` },
    JSON.stringify(input),
    as,
  ) as Promise<T>;

export interface SsmParameter {
  Name?: string;
  Value?: string;
}

/** SSM Parameter Store: the operations the nodes use, with the function's credentials (or `as`: an assumed role's) */
export const parameterStoreAs = (as?: () => Promise<AwsCredentials>) => ({
  getParameter: async (input: { Name: string; WithDecryption?: boolean }) =>
    ssm<{ Parameter?: SsmParameter }>("GetParameter", input, await as?.()),
  getParametersByPath: async (input: { Path: string; Recursive?: boolean; NextToken?: string }) =>
    ssm<{ Parameters?: SsmParameter[]; NextToken?: string }>("GetParametersByPath", input, await as?.()),
  putParameter: async (input: {
    Name: string;
    Value: string;
    Type: "String" | "SecureString";
    Overwrite?: boolean;
    Description?: string;
  }) => ssm<{ Version?: number }>("PutParameter", input, await as?.()),
});
export type ParameterStore = ReturnType<typeof parameterStoreAs>;
export const parameterStore: ParameterStore = parameterStoreAs();

/** An XML (query protocol) answer's element text */
const xmlText = (xml: string, element: string): string | undefined =>
  new RegExp(`<${element}>([^<]*)</${element}>`).exec(xml)?.[1]?.replace(/&amp;/g, "&").replace(/&lt;/g, "<").replace(/&gt;/g, ">");

/** The temporary credentials of `roleArn` (STS AssumeRole, query protocol), with their expiry */
export async function assumeRole(roleArn: string, sessionName: string): Promise<AwsCredentials & { expiresAt: number }> {
  const body = new URLSearchParams({ Action: "AssumeRole", Version: "2011-06-15", RoleArn: roleArn, RoleSessionName: sessionName });
  const text = (await send(
    STS,
    "POST",
    "/",
    { "content-type": "application/x-www-form-urlencoded; charset=utf-8" },
    body.toString(),
    undefined,
    (_service, res) => {
      if (res.status >= 300) {
        const code = xmlText(res.text, "Code") ?? `Http${res.status}`;
        throw new AwsApiError(code, xmlText(res.text, "Message") ?? code, res.status);
      }
      return res.text;
    },
  )) as string;
  const [accessKeyId, secretAccessKey, sessionToken, expiration] = ["AccessKeyId", "SecretAccessKey", "SessionToken", "Expiration"].map(
    (e) => xmlText(text, e),
  );
  if (!accessKeyId || !secretAccessKey || !sessionToken || !expiration)
    throw new AwsApiError("SerializationException", `sts answered AssumeRole of ${roleArn} without credentials`, 200);
  return { accessKeyId, secretAccessKey, sessionToken, expiresAt: Date.parse(expiration) };
}

/** An API Gateway call (REST JSON; `accept: application/json` as the SDK's API Gateway client sends) */
const apiGateway = <T>(method: string, path: string, input?: Record<string, unknown>): Promise<T> =>
  send(
    API_GATEWAY,
    method,
    path,
    input ? { accept: "application/json", "content-type": "application/json" } : { accept: "application/json" },
    input ? JSON.stringify(input) : undefined,
  ) as Promise<T>;

export interface ApiKey {
  id?: string;
  name?: string;
  enabled?: boolean;
}
export interface PatchOperation {
  op: "replace";
  path: string;
  value: string;
}

const segment = (value: string) => encodeURIComponent(value);

/** API Gateway's API keys and usage plan keys: the operations the hub's onboarding uses */
export const apiGatewayKeysApi = {
  getApiKeys: async (input: { nameQuery: string; includeValues: boolean; limit: number }): Promise<{ items?: ApiKey[] }> => {
    const query = new URLSearchParams({ name: input.nameQuery, includeValues: String(input.includeValues), limit: String(input.limit) });
    const out = await apiGateway<{ item?: ApiKey[] }>("GET", `/apikeys?${query}`);
    return { items: out.item };
  },
  createApiKey: (input: { name: string; value: string; enabled: boolean; description: string }) =>
    apiGateway<ApiKey>("POST", "/apikeys", input),
  updateApiKey: (input: { apiKey: string; patchOperations: PatchOperation[] }) =>
    apiGateway<ApiKey>("PATCH", `/apikeys/${segment(input.apiKey)}`, { patchOperations: input.patchOperations }),
  createUsagePlanKey: (input: { usagePlanId: string; keyId: string; keyType: "API_KEY" }) =>
    apiGateway<unknown>("POST", `/usageplans/${segment(input.usagePlanId)}/keys`, { keyId: input.keyId, keyType: input.keyType }),
};
