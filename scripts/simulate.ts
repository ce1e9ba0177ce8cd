/**
 * A day of the province, compressed (docs/simulation.md):
 *   npm run simulate -- [--base http://127.0.0.1:8080] [--data .data | --credentials creds.json]
 *                       [--hospitals 30] [--day-seconds 300] [--scale 1] [--offline 0.1] [--seed 1] [--json]
 * Many hospitals' FEP agents (fep/agent.ts) take what their systems drop — patients with realistic
 * registration slips, encounters, documents, claims — and deliver it; residents documented in one
 * city come to a hospital in another, which registers them and then finds and retrieves their
 * documents; some hospitals go offline for hours and catch up. Every hospital acts lawfully: it
 * reads only about residents it registered (a treatment relationship), as a licensed clinician. A
 * share of documents is sensitive (psychiatry, HIV, restricted, domestic violence: docs/consent.md),
 * visible elsewhere only where the resident consented; some residents sign such a consent at the
 * hospital they come to. A progress bar and a live summary while it runs, a report at the end.
 *
 * This file is the command line and puts the run together; each desk sits beside it in a
 * scripts/simulate-*.ts of its own (docs/simulation.md#how-it-is-built).
 */
import path from "node:path";
import { createRng } from "#lib/seed/prng.ts";
import { fail, parseCli } from "./cli.ts";
import { claimsDesk } from "./simulate-claims.ts";
import { runDay } from "./simulate-day.ts";
import { documentsDesk } from "./simulate-documents.ts";
import { encountersDesk } from "./simulate-encounters.ts";
import { hospitalFeps } from "./simulate-fep.ts";
import { healthCardDesk } from "./simulate-health-card.ts";
import { implantDesk } from "./simulate-implants.ts";
import { pharmacyDesk } from "./simulate-pharmacy.ts";
import { chooseHospitals, clinicianPicker, provinceReady, readCredentials, withClinicalStaff } from "./simulate-province.ts";
import { publicHealthDesk } from "./simulate-public-health.ts";
import { registrationDesk } from "./simulate-registration.ts";
import { printReport } from "./simulate-report.ts";
import { TELEMEDICINE_SHARES, telemedicineDesk } from "./simulate-telemedicine.ts";
import { vitalDesk } from "./simulate-vital.ts";

const USAGE = `
npm run simulate -- [options]   a day of the province, compressed, against a running province (docs/simulation.md)

  --base <url>            the province (default http://127.0.0.1:$PORT, PORT defaulting to 8080)
  --data <dir>            its data folder, for local-credentials.json (default $HHC_DATA_DIR or .data)
  --credentials <file>    the credentials file instead
  --hospitals <n>         hospitals taking part (default 30)
  --day-seconds <s>       the length of the simulated day (default 300)
  --scale <x>             items per hospital, relative (default 1)
  --offline <share>       share of hospitals offline for hours (default 0.1)
  --drain-seconds <s>     how long to wait for backlogs to drain after the day (default 300)
  --document-kb <kb>      document size (default 30)
  --telemedicine <share>  share of county hospitals' documents followed by a telemedicine request (default 0.05)
  --seed <n>              the world's seed (default 1)
  --json                  the report as JSON
  --quiet                 no progress bar

Example: npm start (terminal 1), then npm run simulate -- --hospitals 10 --day-seconds 60
`;

const { values } = parseCli(
  {
    options: {
      base: { type: "string", default: `http://127.0.0.1:${process.env.PORT ?? 8080}` },
      data: { type: "string", default: process.env.HHC_DATA_DIR ?? ".data" },
      credentials: { type: "string" },
      hospitals: { type: "string", default: "30" },
      "day-seconds": { type: "string", default: "300" },
      scale: { type: "string", default: "1" },
      offline: { type: "string", default: "0.1" },
      "drain-seconds": { type: "string", default: "300" },
      "document-kb": { type: "string", default: "30" },
      seed: { type: "string", default: "1" },
      telemedicine: { type: "string", default: String(TELEMEDICINE_SHARES.request) },
      json: { type: "boolean", default: false },
      quiet: { type: "boolean", default: false },
    },
  },
  USAGE,
  "npm run simulate",
);
const num = (name: keyof typeof values, min: number, max: number): number => {
  const v = Number(values[name]);
  if (!Number.isFinite(v) || v < min || v > max) fail(`--${name} must be a number from ${min} to ${max}`);
  return v;
};
const base = String(values.base).replace(/\/+$/, "");
const hospitalsWanted = Math.floor(num("hospitals", 1, 467));
const daySeconds = num("day-seconds", 10, 86_400);
const scale = num("scale", 0.01, 100);
const offlineShare = num("offline", 0, 1);
const drainSeconds = num("drain-seconds", 0, 3600);
const documentBytes = Math.floor(num("document-kb", 1, 4000) * 1024);
const seed = Math.floor(num("seed", 0, 2 ** 31));

const credentialsFile = values.credentials ?? path.join(String(values.data), "local-credentials.json");
const { hospitals, operator } = readCredentials(credentialsFile);
await provinceReady(base);

// the world's draws (one source: the same seed drops the same items, so the order of draws is kept):
// which hospitals go offline, the people they see, what their desks drop and do; the desks of public
// health, implants, births and deaths, telemedicine and health cards draw from sources of their own
const rng = createRng(`simulate/${seed}`);
const publicHealth = publicHealthDesk(createRng(`${seed}-public-health`));
const implants = implantDesk(createRng(`${seed}-implants`));
const vital = vitalDesk(createRng(`${seed}-vital`));
const telemedicine = telemedicineDesk(base, createRng(`${seed}-telemedicine`), hospitals, operator, num("telemedicine", 0, 1));

const { chosen, staff } = await withClinicalStaff(base, chooseHospitals(hospitals, hospitalsWanted));
const clinician = clinicianPicker(rng, staff);
const fep = hospitalFeps(base, chosen, staff, rng, offlineShare);
const registration = registrationDesk(rng, fep);
const documents = documentsDesk(base, rng, fep, clinician, registration, telemedicine, documentBytes);
const desks = {
  registration,
  encounters: encountersDesk(rng, fep, clinician, { publicHealth, implants, vital }),
  documents,
  claims: claimsDesk(rng, fep),
  pharmacy: pharmacyDesk(base, rng),
  cards: healthCardDesk(base, createRng(`${seed}-cards`), clinician),
  telemedicine,
};

const times = await runDay({
  rng,
  cardRng: createRng(`${seed}-card-visits`),
  fep,
  desks,
  scale,
  daySeconds,
  drainSeconds,
  quiet: values.quiet || values.json,
});
const backlogLeft = await printReport({ fep, times, ...desks, publicHealth, implants, vital }, values.json);
process.exit(backlogLeft === 0 ? 0 : 1);
