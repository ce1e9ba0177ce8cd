/**
 * Once, after `cdk deploy HebeiHealth-Hub`: writes the province's jurisdictions (the province, its
 * 11 cities and their counties) into the hub's registry and issues the operator credential, printed
 * here once (the table keeps only its salted hash). Uses your AWS credentials; the table names come
 * from the hub's SSM parameters. Hospitals are then onboarded with `npm run operator -- onboard`.
 *   npm run bootstrap-hub -- --region cn-north-1 [--new-operator-credential]
 */
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { GetParameterCommand, SSMClient } from "@aws-sdk/client-ssm";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { dynamoCredentialStore } from "#adapters/credential-store.ts";
import { scanAll } from "#adapters/scan.ts";
import { issueCredential } from "#domain/credentials.ts";
import { PROVINCE } from "#lib/config/province.ts";
import type { CredentialRecord } from "#ports/credentials.ts";
import { discoveryNames, type HubOpsTableId } from "#shared/discovery-names.ts";
import { seedRegistry } from "../local/seed-registry.ts";
import { fail, parseCli } from "./cli.ts";

// this project pins SDK releases that still run on Node 20; their notice about Node 22 is known
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";
const USAGE = `
npm run bootstrap-hub -- --region <region> [--new-operator-credential]
  once, after npx cdk deploy HebeiHealth-Hub: writes the jurisdictions into the hub's registry and issues
  the operator credential (printed once). Uses your AWS credentials (AWS_PROFILE, aws configure).
  --new-operator-credential   issue another operator credential although one exists

Example:  npm run bootstrap-hub -- --region cn-north-1
`;
const { values } = parseCli(
  { options: { region: { type: "string" }, "new-operator-credential": { type: "boolean", default: false } } },
  USAGE,
  "npm run bootstrap-hub --",
);
// an AWS call failing at the top level is one line saying what to do
const explain = (error: Error & { code?: string; cause?: { code?: string } }) => {
  const code = error.cause?.code ?? error.code ?? error.name;
  if (error.name === "CredentialsProviderError") fail("No AWS credentials: configure them (aws configure, AWS_PROFILE) and run again", 1);
  if (error.name === "ParameterNotFound")
    fail(
      `The hub is not deployed in ${values.region ?? "this region"} (${error.message}): npx cdk deploy HebeiHealth-Hub first, or pass --region`,
      1,
    );
  if (code === "ECONNREFUSED" || code === "ENOTFOUND") fail(`AWS does not answer (${code}): check --region and your network`, 1);
  fail(`error: ${error.message}`, 1);
};
process.on("uncaughtException", explain);
process.on("unhandledRejection", explain);
// the shared adapters' clients take their region from the environment
if (values.region) process.env.AWS_REGION = values.region;
const names = discoveryNames(PROVINCE.ssmPrefix);
const ssm = new SSMClient({ region: values.region });
const table = async (id: HubOpsTableId) => (await ssm.send(new GetParameterCommand({ Name: names.hubOpsTable(id) }))).Parameter!.Value!;
const [registry, registryIndex, credentialsTable] = await Promise.all([table("Registry"), table("RegistryIndex"), table("Credentials")]);

const ddb = DynamoDBDocumentClient.from(new DynamoDBClient({ region: values.region }), {
  marshallOptions: { removeUndefinedValues: true },
});
const seeded = await seedRegistry(ddb, { registry, registryIndex }, []);
console.log(`registry: ${seeded.records} jurisdiction records and ${seeded.entries} search entries written (idempotent)`);

const operators = await scanAll<CredentialRecord>({
  TableName: credentialsTable,
  FilterExpression: "kind = :k AND #s = :a",
  ExpressionAttributeNames: { "#s": "status" },
  ExpressionAttributeValues: { ":k": "operator", ":a": "active" },
});
if (operators.length > 0 && !values["new-operator-credential"]) {
  console.log(
    `an operator credential exists (${operators.map((o) => o.credentialId).join(", ")}); pass --new-operator-credential to issue another`,
  );
} else {
  const issued = issueCredential(`operator-${Date.now().toString(36)}`);
  await dynamoCredentialStore(credentialsTable).put({
    ...issued.stored,
    kind: "operator",
    status: "active",
    issuedAt: new Date().toISOString(),
  });
  console.log(`operator credential (shown once; keep it in your secrets store):\n${issued.token}`);
}
