/**
 * Re-derives the master patient index's blocking keys from the residents it holds, after an engine
 * change that derives new keys (docs/mpi.md, "Re-indexing after an engine change"). Writes only the
 * key items that are missing; safe beside live feeds; resumable with the cursor each page prints.
 *   npm run mpi-reindex -- [--keys hm,hh,nc] [--dry-run] [--from <cursor>] [--segment 0 --segments 1]
 *                          [--aws --region cn-north-1] [--json]
 * The local province by default (its data folder: HHC_DATA_DIR or .data); `--aws` uses your AWS
 * credentials and the table names the hub publishes in SSM.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { GetParameterCommand, SSMClient } from "@aws-sdk/client-ssm";
import { decodeCursor, dynamoResidentScan } from "#adapters/resident-scan.ts";
import { dynamoResidentStore } from "#adapters/resident-store.ts";
import { PROVINCE } from "#lib/config/province.ts";
import { discoveryNames, localResourceName } from "#shared/discovery-names.ts";
import { parsePrefixes, type ReindexReport, reindexResidents } from "#use-cases/mpi/reindex.ts";
import { dataDir, fail, parseCli } from "./cli.ts";

// this project pins SDK releases that still run on Node 20; their notice about Node 22 is known
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";
const USAGE = `
npm run mpi-reindex -- [options]     re-derive the MPI's blocking keys (the local province, or --aws)

  --keys hm,hh,nc          only these key kinds (default: all of nm, bd, ad, hh, ph, nc, hm, hc, nb)
  --dry-run                count the missing key items per kind, write nothing
  --from <cursor>          resume after the page that printed this cursor (same --segment)
  --segment 0 --segments 4 one of several parallel runs (a DynamoDB parallel scan), each its own segment
  --page-size 200          resident items read per page
  --aws [--region cn-north-1]   a deployment (your AWS credentials) instead of the local province
  --json                   the totals as JSON on stdout (progress goes to stderr)

Example:  npm run mpi-reindex -- --keys hm --dry-run
          npm run mpi-reindex -- --keys hm,hh,nc
Writes only the key items that are missing: idempotent, safe while hospitals feed. docs/mpi.md.
`;
const { values } = parseCli(
  {
    options: {
      keys: { type: "string" },
      "dry-run": { type: "boolean", default: false },
      from: { type: "string" },
      segment: { type: "string", default: "0" },
      segments: { type: "string", default: "1" },
      "page-size": { type: "string", default: "200" },
      aws: { type: "boolean", default: false },
      region: { type: "string" },
      json: { type: "boolean", default: false },
    },
  },
  USAGE,
  "npm run mpi-reindex --",
);
const integer = (name: string, raw: string, min: number): number => {
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min) fail(`--${name} must be an integer of at least ${min}, not ${raw}`);
  return n;
};
const segments = integer("segments", values.segments, 1);
const segment = integer("segment", values.segment, 0);
if (segment >= segments) fail(`--segment must be below --segments (${segments}): 0 to ${segments - 1}`);
const pageSize = integer("page-size", values["page-size"], 1);
if (values.from !== undefined && !decodeCursor(values.from)) fail(`--from ${values.from} is not a cursor this command printed`);
let prefixes: string[] | undefined;
try {
  prefixes = values.keys === undefined ? undefined : parsePrefixes(values.keys);
} catch (error) {
  fail((error as Error).message);
}

try {
  let tables: { residents: string; keys: string };
  if (values.aws) {
    if (values.region) process.env.AWS_REGION = values.region;
    const names = discoveryNames(PROVINCE.ssmPrefix);
    const ssm = new SSMClient({ region: values.region });
    const table = async (id: "Residents" | "ResidentKeys") =>
      (await ssm.send(new GetParameterCommand({ Name: names.hubOpsTable(id) }))).Parameter!.Value!;
    tables = { residents: await table("Residents"), keys: await table("ResidentKeys") };
  } else {
    const file = path.join(dataDir(), "endpoints.json");
    let endpoints: { dynamodb: string; region: string; credentials: { accessKeyId: string; secretAccessKey: string } };
    try {
      endpoints = JSON.parse(readFileSync(file, "utf8"));
    } catch {
      fail(`No running local province found (${file} is missing): start it with npm start, or pass --aws`);
    }
    // the shared adapters' client takes its endpoint, region and credentials from the environment
    Object.assign(process.env, {
      AWS_ENDPOINT_URL_DYNAMODB: endpoints.dynamodb,
      AWS_REGION: endpoints.region,
      AWS_ACCESS_KEY_ID: endpoints.credentials.accessKeyId,
      AWS_SECRET_ACCESS_KEY: endpoints.credentials.secretAccessKey,
    });
    tables = { residents: localResourceName("hub", "Residents"), keys: localResourceName("hub", "ResidentKeys") };
  }
  const started = Date.now();
  const line = (r: ReindexReport): string => {
    const absent = Object.entries(r.absent).map(([prefix, n]) => `${prefix}${n}`);
    return (
      `${r.residents} residents (${r.skipped} merged or emptied), ${r.keys} key items derived, ` +
      `${absent.length ? `missing ${absent.join(" ")}` : "none missing"}, ${r.written} written`
    );
  };
  const report = await reindexResidents(
    { residents: dynamoResidentStore(tables.residents, tables.keys) },
    dynamoResidentScan(tables.residents, tables.keys),
    {
      today: new Date().toISOString().slice(0, 10),
      ...(prefixes ? { prefixes } : {}),
      dryRun: values["dry-run"],
      ...(values.from ? { cursor: values.from } : {}),
      segment,
      segments,
      pageSize,
      onPage: (r) => console.error(`${line(r)}${r.cursor ? `; resume with --from ${r.cursor}` : ""}`),
    },
  );
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  if (values.json) console.log(JSON.stringify({ ...report, dryRun: values["dry-run"], seconds: Number(seconds) }));
  else console.log(`${values["dry-run"] ? "dry run: " : ""}${line(report)} in ${seconds} s`);
} catch (error) {
  const e = error as Error & { code?: string; cause?: { code?: string } };
  const cause = e.cause?.code ?? e.code;
  if (cause === "ECONNREFUSED" || e.name === "TimeoutError")
    fail(
      values.aws
        ? `AWS did not answer (${cause ?? e.message}): check --region and your network`
        : "No local province answers (its DynamoDB emulator is not listening): start it with npm start (the same HHC_DATA_DIR), or pass --aws",
      1,
    );
  if (e.name === "CredentialsProviderError") fail("No AWS credentials: configure them (aws configure, AWS_PROFILE) and run again", 1);
  if (e.name === "ParameterNotFound") fail(`The hub is not deployed in ${values.region ?? "this region"}: pass --region`, 1);
  fail(`error: ${e.message}`, 1);
}
