/**
 * The provincial operator's command, over the hub's operator API.
 *   npm run operator -- onboard --file hospital.json      onboard a hospital (a FHIR Organization) and issue its credential
 *   npm run operator -- rotate --hospital bd001 [--grace-hours 24]
 *   npm run operator -- revoke --hospital bd001
 *   npm run operator -- facility-create --file organization.json | facility-update --id bd001 --file organization.json
 *   npm run operator -- connections
 * HHC_HUB_URL (default http://127.0.0.1:8080/hub) and HHC_OPERATOR_TOKEN (default: the local
 * province's .data/local-credentials.json, or HHC_DATA_DIR's) say where and as whom.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: { file: { type: "string" }, hospital: { type: "string" }, id: { type: "string" }, "grace-hours": { type: "string" } },
});
const fail = (message: string): never => {
  console.error(message);
  process.exit(2);
};
const hub = (process.env.HHC_HUB_URL ?? "http://127.0.0.1:8080/hub").replace(/\/+$/, "");
const token = (): string => {
  if (process.env.HHC_OPERATOR_TOKEN) return process.env.HHC_OPERATOR_TOKEN;
  const file = path.join(process.env.HHC_DATA_DIR ?? ".data", "local-credentials.json");
  try {
    return (JSON.parse(readFileSync(file, "utf8")) as { operator: string }).operator;
  } catch {
    return fail(`Set HHC_OPERATOR_TOKEN (no ${file} to read the local operator credential from)`);
  }
};
const readJson = (): unknown => {
  const file = values.file ?? fail("--file <resource.json> is required");
  try {
    return JSON.parse(readFileSync(file, "utf8"));
  } catch (error) {
    return fail(`${file}: ${(error as Error).message}`);
  }
};

async function call(method: string, route: string, body?: unknown): Promise<void> {
  const res = await fetch(`${hub}${route}`, {
    method,
    headers: { authorization: `Bearer ${token()}`, ...(body === undefined ? {} : { "content-type": "application/fhir+json" }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  console.log(text ? JSON.stringify(JSON.parse(text), null, 2) : `(${res.status}, no body)`);
  if (!res.ok) process.exit(1);
}

const hospital = () => encodeURIComponent(values.hospital ?? fail("--hospital <hospitalId> is required"));
switch (positionals[0]) {
  case "onboard":
    await call("POST", "/hospitals", readJson());
    break;
  case "rotate": {
    const grace = values["grace-hours"];
    await call("POST", `/hospitals/${hospital()}/credentials`, grace === undefined ? {} : { graceHours: Number(grace) });
    break;
  }
  case "revoke":
    await call("DELETE", `/hospitals/${hospital()}/credentials`);
    break;
  case "facility-create":
    await call("POST", "/fhir/Organization", readJson());
    break;
  case "facility-update":
    await call("PUT", `/fhir/Organization/${encodeURIComponent(values.id ?? fail("--id <organizationId> is required"))}`, readJson());
    break;
  case "connections":
    await call("GET", "/connections");
    break;
  default:
    fail(
      "usage: npm run operator -- onboard|rotate|revoke|facility-create|facility-update|connections [options] (see scripts/operator.ts)",
    );
}
