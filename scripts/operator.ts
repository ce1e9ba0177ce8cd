/**
 * The provincial operator's command, over the hub's operator API (`npm run operator -- --help`).
 * HHC_HUB_URL (default: the local province, found as PORT or HHC_DATA_DIR's endpoints.json say) and
 * HHC_OPERATOR_TOKEN (default: the local province's local-credentials.json, in HHC_DATA_DIR or .data)
 * say where and as whom.
 */
import { randomInt } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";
import { readDeltaFile } from "#domain/drugs/delta-file.ts";
import { makeUscc, USCC_ALPHABET } from "#domain/uscc.ts";
import { publicKeyOf, verifyEvidence } from "#lib/ops/evidence-verify.ts";
import { kmsHeadCheck } from "#lib/ops/kms-verify.ts";
import { dataDir, fail, fetchOrFail, localProvinceUrl, parseCli, runCli } from "./cli.ts";

const USAGE = `
npm run operator -- <command> [options]     the provincial operator's command, over the hub's operator API

  onboard --file hospital.json                  onboard a hospital (a FHIR Organization) and issue its first credential
  rotate --hospital <id> [--grace-hours 24]     a new credential; the old one works --grace-hours more
  revoke --hospital <id>                        every credential of the hospital stops at once
  facility-create --file organization.json      add a facility (Organization)
  facility-update --id <id> --file organization.json
  connections                                   the connection board
  drugs-import --file delta.jsonl|delta.csv     apply a daily delta to the drug catalogue (JSON lines, or CSV with a header row)
  devices-import --file devices.jsonl           add or change device types of the DeviceDefinition registry (JSON lines)
  evidence-verify [--from 2026-12-01] [--public-key key.pem] [--kms-key-id <arn>]
                                                recompute the department exchange's evidence chain and every batch
                                                signature; names the first entry that does not verify (exit 1);
                                                SM2 heads (China regions) by KMS Verify, with your AWS credentials
  uscc [--division 130602]                      make a valid unified social credit code (GB 32100) for a new facility

Example:  npm run operator -- connections
          npm run operator -- uscc --division 131002
HHC_HUB_URL (default: the local province; PORT and HHC_DATA_DIR as for npm start) and HHC_OPERATOR_TOKEN
(default: the local operator credential) say where and as whom. docs/registry.md, README.md.
`;

const { positionals, values } = parseCli(
  {
    allowPositionals: true,
    options: {
      file: { type: "string" },
      hospital: { type: "string" },
      id: { type: "string" },
      "grace-hours": { type: "string" },
      division: { type: "string" },
      from: { type: "string" },
      "public-key": { type: "string" },
      "kms-key-id": { type: "string" },
    },
  },
  USAGE,
  "npm run operator --",
);
const hub = (process.env.HHC_HUB_URL || `${localProvinceUrl()}/hub`).replace(/\/+$/, "");
const token = (): string => {
  if (process.env.HHC_OPERATOR_TOKEN) return process.env.HHC_OPERATOR_TOKEN;
  const file = path.join(dataDir(), "local-credentials.json");
  try {
    return (JSON.parse(readFileSync(file, "utf8")) as { operator: string }).operator;
  } catch {
    return fail(`No ${file} to read the local operator credential from: start the province (npm start), or set HHC_OPERATOR_TOKEN`);
  }
};
const readJson = (): unknown => {
  const file = values.file ?? fail("--file <resource.json> is required (npm run operator -- --help)");
  try {
    return JSON.parse(readFileSync(file, "utf8"));
  } catch (error) {
    return fail(`${file}: ${(error as Error).message}`);
  }
};

/** The department exchange's evidence chain and signatures, recomputed here (docs/departments.md#evidence-log) */
async function evidenceVerify(): Promise<void> {
  const from = values.from;
  if (from !== undefined && Number.isNaN(Date.parse(from))) fail(`--from ${from}: a date (YYYY-MM-DD) or an ISO time`);
  const pinned = values["public-key"];
  const report = await verifyEvidence(
    async (route) => {
      const res = await fetchOrFail(
        `${hub}${route}`,
        { headers: { authorization: `Bearer ${token()}` } },
        "start the province (npm start)",
      );
      if (!res.ok) fail(`GET ${route} answered ${res.status}: ${await res.text()}`, 1);
      return res.json();
    },
    {
      ...(from ? { from } : {}),
      ...(pinned ? { publicKey: publicKeyOf(readFileSync(pinned, "utf8")) } : {}),
      ...(values["kms-key-id"] ? { kmsKeyId: values["kms-key-id"] } : {}),
      kmsVerify: kmsHeadCheck(),
    },
  );
  console.log(JSON.stringify(report, null, 2));
  if (report.failure) {
    const f = report.failure;
    console.error(
      f.seq === undefined
        ? `evidence does not verify: batch ${f.batch}: ${f.reason}`
        : `evidence does not verify at entry ${f.seq} (message ${f.messageId}, ${f.leg}, batch ${f.batch}): ${f.reason}`,
    );
    process.exit(1);
  }
}

async function call(method: string, route: string, body?: unknown): Promise<void> {
  const res = await fetchOrFail(
    `${hub}${route}`,
    {
      method,
      headers: { authorization: `Bearer ${token()}`, ...(body === undefined ? {} : { "content-type": "application/fhir+json" }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    },
    "start the province (npm start, with the same PORT and HHC_DATA_DIR), or set HHC_HUB_URL to the hub's operator API",
  );
  const text = await res.text();
  if (res.status === 401 || res.status === 403)
    fail(
      `The hub at ${hub} refused the operator credential (${res.status}): set HHC_OPERATOR_TOKEN to the operator's credential (locally: "operator" in ${path.join(dataDir(), "local-credentials.json")})`,
      1,
    );
  let shown = text;
  try {
    shown = JSON.stringify(JSON.parse(text), null, 2);
  } catch {}
  console.log(text ? shown : `(${res.status}, no body)`);
  if (!res.ok) process.exit(1);
}

/** A valid credit code: authority 1 (机构编制), category 2 (事业单位), the division, a random organisation code. */
function uscc(): void {
  const division = values.division ?? "130000";
  if (!/^13\d{4}$/.test(division)) fail(`--division ${division}: a 6-digit GB/T 2260 code in Hebei (13xxxx), e.g. 130602`);
  const body = Array.from({ length: 8 }, () => USCC_ALPHABET.charAt(randomInt(USCC_ALPHABET.length))).join("");
  console.log(makeUscc({ authority: "1", category: "2", divisionCode: division, orgBody8: body }));
}

/** The delta file's entries, as the hub's import takes them */
function delta(): { entries: Record<string, unknown>[] } {
  const file = values.file ?? fail("--file <delta.jsonl or delta.csv> is required (npm run operator -- --help)");
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    return fail(`${file}: ${(error as Error).message}`);
  }
  const read = readDeltaFile(text, file.toLowerCase().endsWith(".csv") ? "csv" : "jsonl");
  return read.ok ? { entries: read.rows } : fail(`${file}: ${read.problem}`);
}

const hospital = () => encodeURIComponent(values.hospital ?? fail("--hospital <hospitalId> is required (npm run operator -- --help)"));
await runCli(async () => {
  switch (positionals[0]) {
    case "onboard":
      return call("POST", "/hospitals", readJson());
    case "rotate": {
      const grace = values["grace-hours"];
      if (grace !== undefined && !(Number(grace) >= 0)) fail(`--grace-hours ${grace}: a number of hours ≥ 0`);
      return call("POST", `/hospitals/${hospital()}/credentials`, grace === undefined ? {} : { graceHours: Number(grace) });
    }
    case "revoke":
      return call("DELETE", `/hospitals/${hospital()}/credentials`);
    case "facility-create":
      return call("POST", "/fhir/Organization", readJson());
    case "facility-update":
      return call(
        "PUT",
        `/fhir/Organization/${encodeURIComponent(values.id ?? fail("--id <organizationId> is required (npm run operator -- --help)"))}`,
        readJson(),
      );
    case "connections":
      return call("GET", "/connections");
    case "uscc":
      return uscc();
    case "evidence-verify":
      return evidenceVerify();
    case "drugs-import":
      return call("POST", "/drugs/import", delta());
    case "devices-import":
      return call("POST", "/devices/import", delta());
    case undefined:
      return fail(
        "a command is needed: onboard, rotate, revoke, facility-create, facility-update, connections, drugs-import, devices-import, evidence-verify or uscc (npm run operator -- --help)",
      );
    default:
      return fail(
        `unknown command ${positionals[0]}: onboard, rotate, revoke, facility-create, facility-update, connections, drugs-import, devices-import, evidence-verify or uscc (npm run operator -- --help)`,
      );
  }
});
