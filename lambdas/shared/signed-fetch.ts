/**
 * Calls another node's IAM-authorized API with a SigV4-signed request (service execute-api),
 * using the function's own role credentials (DESIGN.md decision 3). signedHeaders also signs the
 * AWS API calls made without an SDK client (aws-api.ts) for their service.
 */
import { createHash, createHmac } from "node:crypto";
import { defaultProvider } from "@aws-sdk/credential-provider-node";
import { SignatureV4 } from "@smithy/signature-v4";
import { GatewayTimeoutError, UpstreamError } from "#domain/errors.ts";
import { ENV } from "./env-names.ts";

type SourceData = string | ArrayBuffer | ArrayBufferView;
const bytes = (data: SourceData): string | Uint8Array =>
  typeof data === "string"
    ? data
    : data instanceof ArrayBuffer
      ? new Uint8Array(data)
      : new Uint8Array(data.buffer, data.byteOffset, data.byteLength);

export class NodeSha256 {
  private hash;
  constructor(secret?: SourceData) {
    this.hash = secret ? createHmac("sha256", bytes(secret)) : createHash("sha256");
  }
  update(data: SourceData): void {
    this.hash.update(bytes(data));
  }
  async digest(): Promise<Uint8Array> {
    return new Uint8Array(this.hash.digest());
  }
}

/**
 * The credentials this function signs with: in AWS its role's (the default provider); in the local
 * province its own access key, which the province gives each function in the environment at init
 * (HHC_LOCAL_ACCESS_KEY_ID, HHC_LOCAL_SECRET_ACCESS_KEY) and whose signatures the local gateway verifies.
 */
const localKey = process.env[ENV.localAccessKeyId];
const localSecret = process.env[ENV.localSecretAccessKey];
const credentials = localKey && localSecret ? { accessKeyId: localKey, secretAccessKey: localSecret } : undefined;

const signers = new Map<string, SignatureV4>();

export interface SignedResponse {
  status: number;
  contentType: string;
  body: string;
  /** the answer's headers (names lower-cased) */
  headers?: Headers;
}

/** The function's region (AWS_REGION: set by Lambda, and by the local province) */
export const awsRegion = (): string => process.env.AWS_REGION ?? "cn-north-1";

/** Credentials other than the function's own (an assumed role's: aws-api.ts assumeRole) */
export interface AwsCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

/** The headers of the request, SigV4-signed for `service` with the function's credentials (or `as`) */
export async function signedHeaders(
  service: string,
  method: string,
  target: URL,
  headers: Record<string, string>,
  body?: string,
  as?: AwsCredentials,
): Promise<Record<string, string>> {
  let signer = as ? new SignatureV4({ service, region: awsRegion(), credentials: as, sha256: NodeSha256 }) : signers.get(service);
  if (!signer) {
    // the local province verifies this function's own key on the node APIs (execute-api) only; its
    // emulators of AWS services take the province's shared credentials, as the SDK clients send them
    const own = service === "execute-api" ? credentials : undefined;
    signer = new SignatureV4({ service, region: awsRegion(), credentials: own ?? defaultProvider(), sha256: NodeSha256 });
    signers.set(service, signer);
  }
  const signed = await signer.sign({
    method,
    protocol: target.protocol,
    hostname: target.hostname,
    port: target.port ? Number(target.port) : undefined,
    path: target.pathname,
    query: Object.fromEntries(
      [...new Set(target.searchParams.keys())].map((k) => [
        k,
        target.searchParams.getAll(k).length > 1 ? target.searchParams.getAll(k) : target.searchParams.get(k)!,
      ]),
    ),
    headers: { ...headers, host: target.host },
    body,
  });
  return signed.headers;
}

/** Sends a SigV4-signed request (service execute-api) and returns the answer as text. */
export async function signedRequest(
  method: string,
  url: string,
  headers: Record<string, string>,
  body?: string,
  timeoutMs = 15_000,
): Promise<SignedResponse> {
  const target = new URL(url);
  const signed = await signedHeaders("execute-api", method, target, headers, body);
  let res: Response;
  try {
    res = await fetch(target, { method, headers: signed, body, signal: AbortSignal.timeout(timeoutMs) });
  } catch (error) {
    // no answer: the caller cannot know whether it was applied, so it says so (504/502), never a bare 500
    if ((error as Error).name === "TimeoutError")
      throw new GatewayTimeoutError(
        `${target.host} did not answer within ${timeoutMs / 1000} s; it may have applied the request: retry it unchanged`,
      );
    throw new UpstreamError(`${target.host} could not be reached (${(error as Error).message}); retry shortly`);
  }
  return { status: res.status, contentType: res.headers.get("content-type") ?? "", body: await res.text(), headers: res.headers };
}

export async function signedJsonPost(url: string, body: unknown, timeoutMs = 15_000): Promise<{ status: number; json: unknown }> {
  const res = await signedRequest("POST", url, { "content-type": "application/json" }, JSON.stringify(body), timeoutMs);
  return { status: res.status, json: res.body ? JSON.parse(res.body) : undefined };
}
