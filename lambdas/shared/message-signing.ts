/**
 * Queue messages signed by the node that sends them (docs/node-identity.md).
 *
 * Within the province (exchange, audit, push): each city has one signing key, a random 256-bit secret
 * kept as an SSM SecureString under `<ssmPrefix>/keys/city/<id>`, readable and creatable by that
 * city's roles and by the hub's (by path pattern, so a new city needs no hub change), by no other city.
 * A message carries its sender and an HMAC-SHA256 over `<sender>\n<key node>\n<body>` under the key of
 * the city it concerns: a city signs what it sends with its own key; the hub signs what it pushes to a
 * city with that city's key. So a message naming a city verifies only if that city (or the hub, for hub →
 * city) signed it. The key is created by whichever of its two holders first needs it (PutParameter
 * without overwrite; the loser of a race reads the winner's), so a city deployed later needs nothing
 * from the hub.
 *
 * Settlement (claims city → insurance platform, results insurance platform → hub): the insurance
 * platform may live in another account and must not hold the cities' secrets, so these carry an
 * Ed25519 signature over `<sender>\n<body>` under the sender's own private key (a SecureString
 * `<ssmPrefix>/keys/private/<node>` in the sender's account, which only its senders read), verified
 * against the public key the sender publishes in the province's key directory (String parameters
 * `<ssmPrefix>/keys/public/<node>` in the hub's account). Both are created at run time by the sender,
 * the private key first. The insurance platform reaches the directory through a role of the hub's
 * account when it lives in another one (HHC_KEY_DIRECTORY_ROLE_ARN).
 */
import {
  createHmac,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  type KeyObject,
  randomBytes,
  sign,
  timingSafeEqual,
  verify,
} from "node:crypto";
import type { SQSRecord } from "aws-lambda";
import { MESSAGE_ED25519_ATTRIBUTE, MESSAGE_NODE_ATTRIBUTE, MESSAGE_SIGNATURE_ATTRIBUTE } from "#schemas/node-identity.ts";
import { assumeRole, type ParameterStore, parameterStore, parameterStoreAs } from "./aws-api.ts";
import { clock } from "./clock.ts";
import { ENV } from "./env-names.ts";
import type { AwsCredentials } from "./signed-fetch.ts";

/** This function's node, read at init (the local province sets a function's environment only while it loads) */
const self = {
  nodeId: process.env[ENV.nodeId],
  ssmPrefix: process.env[ENV.ssmPrefix] ?? "/hhc",
  keyDirectoryRole: process.env[ENV.keyDirectoryRole],
};

/** The SSM parameter holding a city's (HMAC) signing key */
export const signingKeyName = (ssmPrefix: string, keyNode: string): string => `${ssmPrefix}/keys/city/${keyNode}`;

const keyPath = (node: string): string => (node === "insurance" ? "insurance" : `city/${node}`);
/** A settlement signer's Ed25519 private key (PKCS#8 DER, base64; a SecureString in the signer's account) */
export const privateKeyName = (ssmPrefix: string, node: string): string => `${ssmPrefix}/keys/private/${keyPath(node)}`;
/** A settlement signer's Ed25519 public key (SPKI DER, base64) in the province's key directory (the hub's account) */
export const publicKeyName = (ssmPrefix: string, node: string): string => `${ssmPrefix}/keys/public/${keyPath(node)}`;

const keys = new Map<string, Promise<Buffer>>();
/** Keys read to verify (only once found: a key that does not exist yet may be created later) */
const verifyingKeys = new Map<string, Buffer>();

async function readKey(name: string, store: ParameterStore = parameterStore): Promise<Buffer | undefined> {
  try {
    const out = await store.getParameter({ Name: name, WithDecryption: true });
    return out.Parameter?.Value ? Buffer.from(out.Parameter.Value, "base64") : undefined;
  } catch (error) {
    if ((error as Error).name === "ParameterNotFound") return undefined;
    throw error;
  }
}

/** The secret stored as `name`, created as `fresh()` if it does not exist yet (the loser of a race reads the winner's) */
async function readOrCreate(name: string, fresh: () => Buffer, description: string): Promise<Buffer> {
  const existing = await readKey(name);
  if (existing) return existing;
  try {
    await parameterStore.putParameter({
      Name: name,
      Value: fresh().toString("base64"),
      Type: "SecureString",
      Overwrite: false,
      Description: description,
    });
  } catch (error) {
    if ((error as Error).name !== "ParameterAlreadyExists") throw error;
  }
  // whoever wrote it, the stored one is the key
  const stored = await readKey(name);
  if (!stored) throw new Error(`signing key ${name} could not be read back`);
  return stored;
}

/** Kept for the life of the function instance; a failed read or creation is tried again next time */
function cached(name: string, load: () => Promise<Buffer>): Promise<Buffer> {
  let key = keys.get(name);
  if (!key) {
    key = load();
    key.catch(() => keys.delete(name));
    keys.set(name, key);
  }
  return key;
}

/** The key of `keyNode`, created if it does not exist yet */
const signingKey = (keyNode: string): Promise<Buffer> => {
  const name = signingKeyName(self.ssmPrefix, keyNode);
  return cached(name, () => readOrCreate(name, () => randomBytes(32), `Queue message signing key of ${keyNode} (docs/node-identity.md)`));
};

/** The SSM parameter holding the hub's own secret (its searches' page tokens) */
export const hubSecretName = (ssmPrefix: string): string => `${ssmPrefix}/keys/hub/page-tokens`;

/**
 * This node's own secret, for what the node alone seals and opens (its searches' page tokens,
 * lambdas/domain/paging.ts, which derives a key of its own from it). A city's is its signing key,
 * which its functions that audit already read; the hub's a random 256-bit secret of its own
 * (`<ssmPrefix>/keys/hub/page-tokens`, created by the first function that needs it: discovery
 * `seal-page-tokens`).
 */
export const nodeSecret = (): Promise<Buffer> => {
  if (!self.nodeId) throw new Error("HHC_NODE_ID is not set");
  if (self.nodeId !== "hub") return signingKey(self.nodeId);
  const name = hubSecretName(self.ssmPrefix);
  return cached(name, () => readOrCreate(name, () => randomBytes(32), "The hub's page-token secret (docs/fhir-clients.md#paging)"));
};

/** Credentials of the key directory's role, renewed 5 minutes before they expire */
let directoryCredentials: Promise<AwsCredentials & { expiresAt: number }> | undefined;
const directoryRoleCredentials = (roleArn: string) => async (): Promise<AwsCredentials> => {
  const held = directoryCredentials && (await directoryCredentials.catch(() => undefined));
  if (!held || held.expiresAt - 5 * 60_000 < clock.nowMs()) {
    directoryCredentials = assumeRole(roleArn, `hhc-${self.nodeId ?? "node"}-keys`);
  }
  return directoryCredentials!;
};

/**
 * The province's key directory (public keys): this account's Parameter Store, or the hub's through the
 * role this node may assume there (the insurance platform in another account).
 */
const keyDirectory: ParameterStore = self.keyDirectoryRole
  ? parameterStoreAs(directoryRoleCredentials(self.keyDirectoryRole))
  : parameterStore;

/**
 * This node's Ed25519 private key, created with its public key if it does not exist yet. The public key
 * is (re)published whenever the directory does not hold this one, so a signer never signs under a key
 * its verifiers cannot find.
 */
function settlementKey(): Promise<KeyObject> {
  const node = self.nodeId!;
  const name = privateKeyName(self.ssmPrefix, node);
  const der = cached(name, async () => {
    const privateDer = await readOrCreate(
      name,
      () => generateKeyPairSync("ed25519").privateKey.export({ type: "pkcs8", format: "der" }),
      `Settlement message signing key (Ed25519) of ${node} (docs/node-identity.md)`,
    );
    const publicDer = createPublicKey(createPrivateKey({ key: privateDer, format: "der", type: "pkcs8" })).export({
      type: "spki",
      format: "der",
    });
    const published = await readKey(publicKeyName(self.ssmPrefix, node), keyDirectory);
    if (!published?.equals(publicDer)) {
      await keyDirectory.putParameter({
        Name: publicKeyName(self.ssmPrefix, node),
        Value: publicDer.toString("base64"),
        Type: "String",
        Overwrite: true,
        Description: `Public key (Ed25519) of ${node}'s settlement messages (docs/node-identity.md)`,
      });
    }
    return privateDer;
  });
  return der.then((key) => createPrivateKey({ key, format: "der", type: "pkcs8" }));
}

const mac = (key: Buffer, sender: string, keyNode: string, body: string): Buffer =>
  createHmac("sha256", key).update(`${sender}\n${keyNode}\n${body}`, "utf8").digest();

/**
 * The message attributes that sign `body` as sent by this node, under the key of `keyNode` (a city
 * sending: its own id; the hub pushing to a city: that city's id). Undefined at a node with no id
 * (a script), which signs nothing, and at the hub for a message to no city (its Notify queue).
 */
export async function signatureAttributes(
  body: string,
  // the hub has no key of its own: it signs only what it sends to a city, under that city's key
  keyNode: string | undefined = self.nodeId === "hub" ? undefined : self.nodeId,
): Promise<Record<string, { DataType: "String"; StringValue: string }>> {
  const sender = self.nodeId;
  if (!sender || !keyNode) return {};
  const signature = mac(await signingKey(keyNode), sender, keyNode, body).toString("base64");
  return {
    [MESSAGE_NODE_ATTRIBUTE]: { DataType: "String", StringValue: sender },
    [MESSAGE_SIGNATURE_ATTRIBUTE]: { DataType: "String", StringValue: signature },
  };
}

/**
 * The attributes that sign a settlement message `body` as sent by this node (a city's claim, the
 * insurance platform's result): Ed25519 under its own private key (module comment).
 */
export async function settlementSignatureAttributes(body: string): Promise<Record<string, { DataType: "String"; StringValue: string }>> {
  const sender = self.nodeId;
  if (!sender || sender === "hub") return {};
  const signature = sign(null, Buffer.from(`${sender}\n${body}`, "utf8"), await settlementKey()).toString("base64");
  return {
    [MESSAGE_NODE_ATTRIBUTE]: { DataType: "String", StringValue: sender },
    [MESSAGE_ED25519_ATTRIBUTE]: { DataType: "String", StringValue: signature },
  };
}

/**
 * Who must have signed a message, as its consumer expects: the sender, and either the city whose HMAC
 * key it is under (`keyNode`) or, for settlement messages, `ed25519` (the sender's own key pair).
 */
export type ExpectedSigner = { sender: string } & ({ keyNode: string } | { scheme: "ed25519" });

/** Public keys read to verify, with when they were read (read again when a signature fails, at most each minute) */
const publicKeys = new Map<string, { key: KeyObject; readAt: number }>();
const PUBLIC_KEY_REREAD_MS = 60_000;

async function publicKey(node: string, stale?: boolean): Promise<KeyObject | undefined> {
  const name = publicKeyName(self.ssmPrefix, node);
  const held = publicKeys.get(name);
  if (held && !(stale && clock.nowMs() - held.readAt > PUBLIC_KEY_REREAD_MS)) return held.key;
  const der = await readKey(name, keyDirectory);
  if (!der) return undefined;
  const key = createPublicKey({ key: der, format: "der", type: "spki" });
  publicKeys.set(name, { key, readAt: clock.nowMs() });
  return key;
}

async function ed25519Refusal(record: SQSRecord, sender: string): Promise<string | undefined> {
  const signature = record.messageAttributes?.[MESSAGE_ED25519_ATTRIBUTE]?.stringValue;
  if (!signature) return `no Ed25519 signature (expected one of ${sender})`;
  const data = Buffer.from(`${sender}\n${record.body}`, "utf8");
  const given = Buffer.from(signature, "base64");
  const key = await publicKey(sender);
  if (!key) return `${sender} publishes no public key`;
  if (verify(null, data, key, given)) return undefined;
  // a key published since (a rotation) is read again, at most once a minute
  const fresh = await publicKey(sender, true);
  return fresh && fresh !== key && verify(null, data, fresh, given) ? undefined : `the signature is not ${sender}'s`;
}

/** Why a record's signature is refused, or undefined when `expected` signed it. */
export async function signatureRefusal(record: SQSRecord, expected: ExpectedSigner): Promise<string | undefined> {
  const attributes = record.messageAttributes ?? {};
  const sender = attributes[MESSAGE_NODE_ATTRIBUTE]?.stringValue;
  const signature = attributes[MESSAGE_SIGNATURE_ATTRIBUTE]?.stringValue;
  if (!sender || !(signature || attributes[MESSAGE_ED25519_ATTRIBUTE])) return `unsigned (expected a signature of ${expected.sender})`;
  if (sender !== expected.sender) return `signed by ${sender}, but it names ${expected.sender}`;
  if ("scheme" in expected) return ed25519Refusal(record, expected.sender);
  if (!signature) return `no HMAC signature (expected one of ${expected.sender})`;
  const name = signingKeyName(self.ssmPrefix, expected.keyNode);
  const key = verifyingKeys.get(name) ?? (await readKey(name));
  if (!key) return `no signing key of ${expected.keyNode} exists`;
  verifyingKeys.set(name, key);
  const given = Buffer.from(signature, "base64");
  const wanted = mac(key, expected.sender, expected.keyNode, record.body);
  return given.length === wanted.length && timingSafeEqual(given, wanted) ? undefined : `the signature is not ${expected.sender}'s`;
}
