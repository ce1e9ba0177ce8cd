/**
 * A queue message signed as a node of a running local province signs it (docs/node-identity.md,
 * lambdas/shared/message-signing.ts): for tests that put a message on a queue by hand, as that node.
 */
import { createHmac, randomBytes } from "node:crypto";
import { GetParameterCommand, PutParameterCommand, SSMClient } from "@aws-sdk/client-ssm";
import { MESSAGE_NODE_ATTRIBUTE, MESSAGE_SIGNATURE_ATTRIBUTE } from "#schemas/node-identity.ts";
import { signingKeyName } from "#shared/message-signing.ts";

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
