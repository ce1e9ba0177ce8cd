/**
 * Calls another node's IAM-authorized API with a SigV4-signed request (service execute-api),
 * using the function's own role credentials (DESIGN.md decision 3).
 */
import { createHash, createHmac } from "node:crypto";
import { defaultProvider } from "@aws-sdk/credential-provider-node";
import { SignatureV4 } from "@smithy/signature-v4";

type SourceData = string | ArrayBuffer | ArrayBufferView;
const bytes = (data: SourceData): string | Uint8Array =>
  typeof data === "string"
    ? data
    : data instanceof ArrayBuffer
      ? new Uint8Array(data)
      : new Uint8Array(data.buffer, data.byteOffset, data.byteLength);

class NodeSha256 {
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

let signer: SignatureV4 | undefined;

export async function signedJsonPost(url: string, body: unknown, timeoutMs = 5000): Promise<{ status: number; json: unknown }> {
  signer ??= new SignatureV4({
    service: "execute-api",
    region: process.env.AWS_REGION ?? "cn-north-1",
    credentials: defaultProvider(),
    sha256: NodeSha256,
  });
  const target = new URL(url);
  const payload = JSON.stringify(body);
  const signed = await signer.sign({
    method: "POST",
    protocol: target.protocol,
    hostname: target.hostname,
    port: target.port ? Number(target.port) : undefined,
    path: target.pathname,
    query: {},
    headers: { host: target.host, "content-type": "application/json" },
    body: payload,
  });
  const res = await fetch(target, { method: "POST", headers: signed.headers, body: payload, signal: AbortSignal.timeout(timeoutMs) });
  const text = await res.text();
  return { status: res.status, json: text ? JSON.parse(text) : undefined };
}
