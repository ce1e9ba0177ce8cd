/**
 * IAM, locally: each function of each node gets its own access key (as each function has its own role
 * in AWS), and the gateway verifies a SigV4 signature against these keys and derives the calling
 * node and function from it, then applies the same rules as the internal API's resource policy and
 * the roles' grants (docs/node-identity.md). Keys are issued afresh at every start; nothing is stored.
 */
import { randomBytes } from "node:crypto";
import { SignatureV4 } from "@smithy/signature-v4";
import type { FunctionDeclaration, NodeKind } from "#lib/declaration/types.ts";
import { nodeRoleName } from "#schemas/node-identity.ts";
import { NodeSha256 } from "#shared/signed-fetch.ts";

/** The local province's account id (its ARNs, API Gateway's requestContext.accountId) */
export const LOCAL_ACCOUNT = "000000000000";

export interface LocalIdentity {
  accessKeyId: string;
  secretAccessKey: string;
  kind: NodeKind;
  nodeId: string;
  declaration: FunctionDeclaration;
  /** As API Gateway reports a Lambda role's session: arn:aws-cn:sts::<account>:assumed-role/<role name>/<function name> */
  userArn: string;
  /** As API Gateway reports it: <role id>:<session name> */
  caller: string;
}

const upperId = (bytes: number) =>
  randomBytes(bytes)
    .toString("base64")
    .replace(/[^A-Za-z0-9]/g, "")
    .toUpperCase()
    .padEnd(bytes, "X")
    .slice(0, bytes);

export class LocalIdentities {
  private readonly byKey = new Map<string, LocalIdentity>();
  private readonly byFunction = new Map<string, LocalIdentity>();

  /** The credentials of one function of a node (the same ones on every call) */
  issue(kind: NodeKind, nodeId: string, declaration: FunctionDeclaration): LocalIdentity {
    const name = `${nodeId}-${declaration.id}`;
    const existing = this.byFunction.get(name);
    if (existing) return existing;
    const roleName = nodeRoleName(kind, nodeId, declaration.id);
    const roleId = `AROA${upperId(16)}`;
    const identity: LocalIdentity = {
      accessKeyId: `ASIA${upperId(16)}`,
      secretAccessKey: randomBytes(30).toString("base64"),
      kind,
      nodeId,
      declaration,
      userArn: `arn:aws-cn:sts::${LOCAL_ACCOUNT}:assumed-role/${roleName}/${name}`,
      caller: `${roleId}:${name}`,
    };
    this.byKey.set(identity.accessKeyId, identity);
    this.byFunction.set(name, identity);
    return identity;
  }

  /** The identity of a node's function, once issued */
  of(nodeId: string, functionId: string): LocalIdentity | undefined {
    return this.byFunction.get(`${nodeId}-${functionId}`);
  }

  byAccessKey(accessKeyId: string): LocalIdentity | undefined {
    return this.byKey.get(accessKeyId);
  }
}

/** How far a signature's time may be from now, as AWS allows */
const MAX_SKEW_MS = 15 * 60 * 1000;
const AUTHORIZATION =
  /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request, ?SignedHeaders=([a-z0-9;-]+), ?Signature=([0-9a-f]{64})$/;

export type SignatureCheck = { identity: LocalIdentity } | { refused: string };

/**
 * Verifies a SigV4-signed request (service execute-api) as API Gateway does: the access key is one
 * this province issued, the signature over the method, path, query, signed headers and body is the
 * one that key makes, and its time is within 15 minutes of now (real time, as the signers use).
 */
export async function verifySignature(
  identities: LocalIdentities,
  request: { method: string; url: URL; headers: Record<string, string>; body: Buffer },
): Promise<SignatureCheck> {
  const match = AUTHORIZATION.exec(request.headers.authorization ?? "");
  if (!match) return { refused: "The Authorization header is not a SigV4 signature" };
  const [, accessKeyId, day, region, service, signedHeaders, signature] = match as unknown as string[];
  const identity = identities.byAccessKey(accessKeyId!);
  if (!identity) return { refused: "The security token included in the request is invalid" };
  if (service !== "execute-api") return { refused: "The signature is not for execute-api" };
  const amzDate = request.headers["x-amz-date"] ?? "";
  const at = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(amzDate);
  if (!at || !amzDate.startsWith(day!)) return { refused: "X-Amz-Date is missing or does not match the credential scope" };
  const signingDate = new Date(Date.UTC(+at[1]!, +at[2]! - 1, +at[3]!, +at[4]!, +at[5]!, +at[6]!));
  if (Math.abs(signingDate.getTime() - Date.now()) > MAX_SKEW_MS) return { refused: "Signature expired" };
  const names = signedHeaders!.split(";");
  if (!names.includes("host")) return { refused: "The host header must be signed" };
  const headers: Record<string, string> = {};
  for (const name of names) {
    const value = request.headers[name];
    if (value === undefined) return { refused: `Signed header ${name} is missing` };
    headers[name] = value;
  }
  const query: Record<string, string | string[]> = {};
  for (const key of new Set(request.url.searchParams.keys())) {
    const values = request.url.searchParams.getAll(key);
    query[key] = values.length > 1 ? values : values[0]!;
  }
  const signer = new SignatureV4({
    service: "execute-api",
    region: region!,
    credentials: { accessKeyId: identity.accessKeyId, secretAccessKey: identity.secretAccessKey },
    sha256: NodeSha256,
  });
  const expected = await signer.sign(
    {
      method: request.method,
      protocol: "http:",
      hostname: request.url.hostname,
      path: request.url.pathname,
      query,
      headers,
      body: request.body.length ? request.body : undefined,
    },
    { signingDate, unsignableHeaders: new Set(), signableHeaders: new Set(names) },
  );
  const expectedSignature = /Signature=([0-9a-f]{64})/.exec(String(expected.headers.authorization ?? ""))?.[1];
  if (expectedSignature !== signature)
    return {
      refused: "The request signature we calculated does not match the signature you provided",
    };
  return { identity };
}
