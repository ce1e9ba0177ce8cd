/**
 * Queue messages signed by the node that sends them (docs/node-identity.md). Each city (and the
 * insurance platform) has one signing key, a random 256-bit secret kept as an SSM SecureString under
 * `<ssmPrefix>/keys/<node>`: readable and creatable by that node's roles and by the hub's (by path
 * pattern, so a new city needs no hub change), by no other city. A message carries its sender and an
 * HMAC-SHA256 over `<sender>\n<key node>\n<body>` under the key of the city it concerns: a city signs
 * what it sends with its own key; the hub signs what it pushes to a city with that city's key. So a
 * message naming a city verifies only if that city (or the hub, for hub → city) signed it.
 *
 * The key is created by whichever of its two holders first needs it (PutParameter without overwrite;
 * the loser of a race reads the winner's), so a city deployed later needs nothing from the hub.
 */
import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import type { SQSRecord } from "aws-lambda";
import { MESSAGE_NODE_ATTRIBUTE, MESSAGE_SIGNATURE_ATTRIBUTE } from "#schemas/node-identity.ts";
import { parameterStore } from "./aws-api.ts";
import { ENV } from "./env-names.ts";

/** This function's node, read at init (the local province sets a function's environment only while it loads) */
const self = { nodeId: process.env[ENV.nodeId], ssmPrefix: process.env[ENV.ssmPrefix] ?? "/hhc" };

/** The SSM parameter holding a node's signing key */
export const signingKeyName = (ssmPrefix: string, keyNode: string): string =>
  keyNode === "insurance" ? `${ssmPrefix}/keys/insurance` : `${ssmPrefix}/keys/city/${keyNode}`;

const keys = new Map<string, Promise<Buffer>>();
/** Keys read to verify (only once found: a key that does not exist yet may be created later) */
const verifyingKeys = new Map<string, Buffer>();

async function readKey(name: string): Promise<Buffer | undefined> {
  try {
    const out = await parameterStore.getParameter({ Name: name, WithDecryption: true });
    return out.Parameter?.Value ? Buffer.from(out.Parameter.Value, "base64") : undefined;
  } catch (error) {
    if ((error as Error).name === "ParameterNotFound") return undefined;
    throw error;
  }
}

/** The key of `keyNode`, created if it does not exist yet (kept for the life of the function instance) */
function signingKey(keyNode: string): Promise<Buffer> {
  const name = signingKeyName(self.ssmPrefix, keyNode);
  let key = keys.get(name);
  if (!key) {
    key = (async () => {
      const existing = await readKey(name);
      if (existing) return existing;
      try {
        await parameterStore.putParameter({
          Name: name,
          Value: randomBytes(32).toString("base64"),
          Type: "SecureString",
          Overwrite: false,
          Description: `Queue message signing key of ${keyNode} (docs/node-identity.md)`,
        });
      } catch (error) {
        if ((error as Error).name !== "ParameterAlreadyExists") throw error;
      }
      // whoever wrote it, the stored one is the key
      const stored = await readKey(name);
      if (!stored) throw new Error(`signing key ${name} could not be read back`);
      return stored;
    })();
    key.catch(() => keys.delete(name));
    keys.set(name, key);
  }
  return key;
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

/** Who must have signed a message, as its consumer expects: the sender, and the node whose key it is under */
export interface ExpectedSigner {
  sender: string;
  keyNode: string;
}

/** Why a record's signature is refused, or undefined when `expected` signed it. */
export async function signatureRefusal(record: SQSRecord, expected: ExpectedSigner): Promise<string | undefined> {
  const attributes = record.messageAttributes ?? {};
  const sender = attributes[MESSAGE_NODE_ATTRIBUTE]?.stringValue;
  const signature = attributes[MESSAGE_SIGNATURE_ATTRIBUTE]?.stringValue;
  if (!signature || !sender) return `unsigned (expected a signature of ${expected.sender})`;
  if (sender !== expected.sender) return `signed by ${sender}, but it names ${expected.sender}`;
  const name = signingKeyName(self.ssmPrefix, expected.keyNode);
  const key = verifyingKeys.get(name) ?? (await readKey(name));
  if (!key) return `no signing key of ${expected.keyNode} exists`;
  verifyingKeys.set(name, key);
  const given = Buffer.from(signature, "base64");
  const wanted = mac(key, expected.sender, expected.keyNode, record.body);
  return given.length === wanted.length && timingSafeEqual(given, wanted) ? undefined : `the signature is not ${expected.sender}'s`;
}
