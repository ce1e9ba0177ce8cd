/**
 * The FEP agent's command line (docs/fep.md; `npm run fep -- --help`):
 *   npm run fep -- init --hospital <id> [--dir <data folder>/fep-<id>] [--data .data] [--base http://127.0.0.1:8080]
 *   npm run fep -- run --config <dir>/fep.json
 *   npm run fep -- status --config <dir>/fep.json
 *   npm run fep -- requeue --config <dir>/fep.json      (parked items back into the queue)
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { type FepConfig, fepConfigSchema } from "#schemas/fep-agent.ts";
import { fail, parseCli } from "../scripts/cli.ts";
import { FepAgent } from "./agent.ts";
import { jsonItems, moveInto } from "./disk.ts";

const USAGE = `
npm run fep -- <command> [options]     a hospital's front-end processor agent (docs/fep.md)

  init --hospital <id> [--dir <dir>] [--data <data folder>] [--base <province URL>]
        writes <dir>/fep.json (default <data folder>/fep-<id>/, next to the credentials it copies)
  run --config <dir>/fep.json        runs until Ctrl-C; a status line every 10 s
  status --config <dir>/fep.json     items per folder
  requeue --config <dir>/fep.json    parked items back into the queue

Example:  npm run fep -- init --hospital bd001
          npm run fep -- status --config .data/fep-bd001/fep.json
The data folder is HHC_DATA_DIR (default .data); the province's port PORT (default 8080), as for npm start.
`;
const { positionals, values } = parseCli(
  {
    allowPositionals: true,
    options: {
      config: { type: "string" },
      hospital: { type: "string" },
      dir: { type: "string" },
      data: { type: "string" },
      base: { type: "string" },
    },
  },
  USAGE,
  "npm run fep --",
);

function loadConfig(): { config: FepConfig; baseDir: string } {
  const file = values.config ?? fail("--config <path to fep.json> is required (npm run fep -- init writes one; npm run fep -- --help)");
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, "utf8"));
  } catch (error) {
    fail(`Cannot read ${file}: ${String(error)}`);
  }
  const parsed = fepConfigSchema.safeParse(raw);
  if (!parsed.success) fail(`${file}: ${parsed.error.issues.map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`).join("; ")}`);
  return { config: parsed.data!, baseDir: path.dirname(path.resolve(file)) };
}

const command = positionals[0] ?? "run";
if (command === "init") {
  const hospitalId = values.hospital ?? fail("--hospital <id> is required (an id from local-credentials.json)");
  const data = values.data ?? process.env.HHC_DATA_DIR ?? ".data";
  const credsFile = path.join(data, "local-credentials.json");
  if (!existsSync(credsFile)) fail(`${credsFile} not found: start the local province first (npm start), or pass --data <its data folder>`);
  const creds = JSON.parse(readFileSync(credsFile, "utf8")) as {
    hospitals: { id: string; cityId: string; credential: string; practitioners: string[] }[];
  };
  const h = creds.hospitals.find((x) => x.id === hospitalId) ?? fail(`No hospital ${hospitalId} in ${credsFile}`);
  // beside the credentials it holds, in the (git-ignored) data folder
  const dir = values.dir ?? path.join(data, `fep-${hospitalId}`);
  mkdirSync(dir, { recursive: true });
  const config = {
    nodeUrl: `${(values.base ?? `http://127.0.0.1:${process.env.PORT ?? 8080}`).replace(/\/+$/, "")}/cities/${h.cityId}`,
    hospitalId: h.id,
    credential: h.credential,
    practitionerId: h.practitioners[0],
  };
  writeFileSync(path.join(dir, "fep.json"), `${JSON.stringify(config, null, 2)}\n`, { mode: 0o600 });
  console.log(
    `Wrote ${path.join(dir, "fep.json")}: drop FHIR resources into ${path.join(dir, "drop")}, then npm run fep -- run --config ${path.join(dir, "fep.json")}`,
  );
} else if (command === "run") {
  const { config, baseDir } = loadConfig();
  const agent = new FepAgent(config, baseDir, (event, detail) =>
    console.error(JSON.stringify({ time: new Date().toISOString(), event, ...detail })),
  );
  agent.start();
  console.log(`FEP ${config.hospitalId} → ${config.nodeUrl}; drop items into ${agent.folders.drop}`);
  const report = setInterval(() => {
    const s = agent.status();
    console.log(
      `queued ${s.queued} · delivered ${s.delivered} · rejected ${s.rejected} · parked ${s.parked} · inbox ${s.inboxWritten} · ${s.reachable ? "node reachable" : `node unreachable (${s.lastError ?? "no answer yet"})`}`,
    );
  }, 10_000);
  // the FEP's folders outlive it on purpose: what is still queued is delivered by the next run
  const shutdown = async () => {
    clearInterval(report);
    await agent.stop();
    process.exit(0);
  };
  process.on("SIGINT", shutdown);
  process.on("SIGTERM", shutdown);
} else if (command === "status") {
  const { config, baseDir } = loadConfig();
  const agent = new FepAgent({ ...config, inbox: false }, baseDir);
  const f = agent.folders;
  console.log(
    JSON.stringify(
      {
        queued: jsonItems(f.queue).length,
        dropped: jsonItems(f.drop).length,
        sent: jsonItems(f.sent).length,
        rejected: jsonItems(f.rejected).length,
        parked: jsonItems(f.parked).length,
        inbox: jsonItems(f.inbox).length,
      },
      null,
      2,
    ),
  );
} else if (command === "requeue") {
  const { config, baseDir } = loadConfig();
  const f = new FepAgent({ ...config, inbox: false }, baseDir).folders;
  const parked = jsonItems(f.parked);
  for (const name of parked) moveInto(path.join(f.parked, name), f.queue);
  console.log(`Moved ${parked.length} parked item(s) back into the queue`);
} else {
  fail(`Unknown command ${command}: init, run, status or requeue (npm run fep -- --help)`);
}
