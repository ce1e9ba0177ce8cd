/**
 * A queue message signed as a node of a running local province signs it (docs/node-identity.md,
 * lambdas/shared/message-signing.ts): for tests that put a message on a queue by hand, as that node.
 */
import { createHmac, createPrivateKey, type KeyObject, randomBytes, sign } from "node:crypto";
import { GetParameterCommand, PutParameterCommand, SSMClient } from "@aws-sdk/client-ssm";
import { MESSAGE_ED25519_ATTRIBUTE, MESSAGE_NODE_ATTRIBUTE, MESSAGE_SIGNATURE_ATTRIBUTE } from "#schemas/node-identity.ts";
import { privateKeyName, signingKeyName } from "#shared/message-signing.ts";

/** A settlement signer's Ed25519 private key as the province holds it (it exists once the node has signed a claim or result) */
export async function settlementPrivateKey(ssmEndpoint: string, node: string, ssmPrefix = "/hhc"): Promise<KeyObject> {
  const ssm = new SSMClient({ endpoint: ssmEndpoint });
  try {
    const out = await ssm.send(new GetParameterCommand({ Name: privateKeyName(ssmPrefix, node), WithDecryption: true }));
    return createPrivateKey({ key: Buffer.from(out.Parameter!.Value!, "base64"), format: "der", type: "pkcs8" });
  } finally {
    ssm.destroy();
  }
}

/** The attributes with which `sender` signs a settlement message `body` under `key` (Ed25519 over `<sender>\n<body>`) */
export const ed25519Attributes = (
  sender: string,
  body: string,
  key: KeyObject,
): Record<string, { DataType: "String"; StringValue: string }> => ({
  [MESSAGE_NODE_ATTRIBUTE]: { DataType: "String", StringValue: sender },
  [MESSAGE_ED25519_ATTRIBUTE]: {
    DataType: "String",
    StringValue: sign(null, Buffer.from(`${sender}\n${body}`, "utf8"), key).toString("base64"),
  },
});

/** The message attributes with which `sender` signs `body` under `keyNode`'s key (created if it does not exist yet, as a node would) */
export async function signedAttributes(
  ssmEndpoint: string,
  sender: string,
  body: string,
  keyNode = sender,
  ssmPrefix = "/hhc",
): Promise<Record<string, { DataType: "String"; StringValue: string }>> {
  const ssm = new SSMClient({ endpoint: ssmEndpoint });
  const name = signingKeyName(ssmPrefix, keyNode);
  try {
    await ssm
      .send(new PutParameterCommand({ Name: name, Value: randomBytes(32).toString("base64"), Type: "SecureString", Overwrite: false }))
      .catch((error: Error) => {
        if (error.name !== "ParameterAlreadyExists") throw error;
      });
    const key = Buffer.from((await ssm.send(new GetParameterCommand({ Name: name, WithDecryption: true }))).Parameter!.Value!, "base64");
    const signature = createHmac("sha256", key).update(`${sender}\n${keyNode}\n${body}`, "utf8").digest("base64");
    return {
      [MESSAGE_NODE_ATTRIBUTE]: { DataType: "String", StringValue: sender },
      [MESSAGE_SIGNATURE_ATTRIBUTE]: { DataType: "String", StringValue: signature },
    };
  } finally {
    ssm.destroy();
  }
}
