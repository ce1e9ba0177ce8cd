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
 */
import { mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import cliProgress from "cli-progress";
import { FepAgent } from "#fep/agent.ts";
import { PROVINCE } from "#lib/config/province.ts";
import { generateDrugCatalogue } from "#lib/seed/drugs.ts";
import { createRng } from "#lib/seed/prng.ts";
import {
  cdaPublishBundle,
  claimItems,
  claimOf,
  codedDrugItem,
  consentOf,
  encounterOf,
  type Home,
  Households,
  intensity,
  People,
  patientOf,
  poisson,
  Registrar,
  type Registration,
  type SlipClass,
} from "#lib/world/index.ts";
import { fepConfigSchema } from "#schemas/fep-agent.ts";
import { mrnSystem } from "#schemas/patient.ts";
import { fail, parseCli } from "./cli.ts";
import { healthCardDesk } from "./simulate-health-card.ts";
import { implantDesk } from "./simulate-implants.ts";
import { publicHealthDesk } from "./simulate-public-health.ts";
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

interface Hospital {
  id: string;
  cityId: string;
  level: number;
  credential: string;
  practitioners: string[];
}
const credentialsFile = values.credentials ?? path.join(String(values.data), "local-credentials.json");
let hospitalsAll: Hospital[] = [];
let operator: string | undefined; // the operator's credential: the hub's figures in the report
try {
  ({ hospitals: hospitalsAll, operator } = JSON.parse(readFileSync(credentialsFile, "utf8")) as {
    hospitals: Hospital[];
    operator?: string;
  });
} catch {
  fail(`Cannot read ${credentialsFile}: start the local province first (npm start), or pass --credentials`);
}
try {
  const health = await fetch(`${base}/hub/health`);
  if (!health.ok) fail(`${base}/hub/health answered ${health.status}: is the province ready?`);
} catch (error) {
  fail(`No province at ${base} (${String(error)}): npm start, or pass --base`);
}

/** Per hospital and simulated hour at average intensity (level 3 hospitals do twice as much) */
/** The seed's drugs with an open validity, for the claims' coded medicine items */
const drugsInForce = generateDrugCatalogue().filter((e) => e.validTo === null);
const HOURLY = { patients: 1, encounters: 0.5, documents: 1, claims: 0.5, retrievals: 0.5, drugLookups: 2, births: 0.03, deaths: 0.02 };
const TICK_MS = 250;
const rng = createRng(`simulate/${seed}`);
// the world's people: households in the hospitals' cities (twins, namesakes, a shared phone and address)
const people = new People(rng);
const households = new Households(people);
const registrar = new Registrar(people);
const publicHealth = publicHealthDesk(createRng(`${seed}-public-health`));
const implants = implantDesk(createRng(`${seed}-implants`));
const vital = vitalDesk(createRng(`${seed}-vital`));
const telemedicine = telemedicineDesk(base, createRng(`${seed}-telemedicine`), hospitalsAll, operator, num("telemedicine", 0, 1));

// hospitals spread over the 11 cities, round robin
const byCity = new Map<string, Hospital[]>();
// a hospital without staff cannot name a practitioner: it takes no part
for (const h of hospitalsAll.filter((x) => x.practitioners.length > 0)) byCity.set(h.cityId, [...(byCity.get(h.cityId) ?? []), h]);
// each city's level-3 and level-2 hospitals take part in turn (the credentials list the level-3 ones first),
// every other city starting with a county hospital: the county hospitals ask for telemedicine
[...byCity.values()].forEach((list, c) => {
  const first = c % 2 ? 2 : 3;
  const ranked = list.map((h) => ({
    h,
    r: 2 * list.filter((x, i) => x.level === h.level && i < list.indexOf(h)).length + (h.level === first ? 0 : 1),
  }));
  list.splice(0, list.length, ...ranked.sort((a, b) => a.r - b.r).map((x) => x.h));
});
const candidates: Hospital[] = [];
for (let i = 0; candidates.length < Math.min(hospitalsWanted, hospitalsAll.length); i++)
  for (const list of byCity.values()) if (list[i] && candidates.length < hospitalsWanted) candidates.push(list[i]!);

/**
 * Each chosen hospital's licensed clinical staff (doctors, nurses, pharmacists): the only staff who may
 * author documents, read clinical content and submit claims (docs/registry.md). Read from the
 * registry, as a hospital's FEP would know its own staff; a hospital without any takes no part.
 */
const clinicalStaff = new Map<string, string[]>();
await Promise.all(
  candidates.map(async (h) => {
    const search = () =>
      fetch(`${base}/cities/${h.cityId}/fhir/PractitionerRole?organization=${h.id}&role=doctor,nurse,pharmacist&_count=100`, {
        headers: { authorization: `Bearer ${h.credential}`, accept: "application/fhir+json" },
      });
    let res = await search();
    // every hospital's first search at once meets cold functions: a transient refusal (5xx, 429) is tried again
    for (let attempt = 1; attempt < 4 && (res.status >= 500 || res.status === 429); attempt++) {
      await new Promise((r) => setTimeout(r, 2000 * attempt));
      res = await search();
    }
    if (!res.ok) fail(`The registry search of ${h.id}'s staff answered ${res.status}: ${await res.text()}`);
    const bundle = (await res.json()) as { entry?: { resource: { practitioner: { reference: string } } }[] };
    const ids = new Set((bundle.entry ?? []).map((e) => e.resource.practitioner.reference.replace("Practitioner/", "")));
    // the credentials file lists the doctors first: the FEP's own practitioner is a doctor where there is one
    clinicalStaff.set(
      h.id,
      h.practitioners.filter((id) => ids.has(id)),
    );
  }),
);
const chosen = candidates.filter((h) => clinicalStaff.get(h.id)!.length > 0);
if (chosen.length === 0) fail("None of the chosen hospitals has licensed clinical staff in the registry");
const clinician = (h: Hospital): string => {
  const staff = clinicalStaff.get(h.id)!;
  return staff[rng.int(0, staff.length - 1)]!;
};

interface Registered {
  mrn: string;
  /** the resident as the world knows them (the registration may carry a slip) */
  resident: Registration;
  hospital: Hospital;
  /** simulated hour it was registered */
  at: number;
  /** registered without a slip */
  clean: boolean;
}
interface Actor {
  hospital: Hospital;
  dir: string;
  agent: FepAgent;
  residents: Registered[];
  seq: number;
  offline?: { from: number; to: number; done: boolean; down: boolean };
}

const workDir = path.join(tmpdir(), `hhc-simulation-${Date.now()}`);
/**
 * This run's tag in every MRN, encounter, document and claim number: a province keeps what earlier
 * runs recorded, and a number it already holds for other content is refused (409) or, as an MRN,
 * would re-register another resident
 */
const RUN = Date.now().toString(36);
const makeAgent = (h: Hospital, dir: string) =>
  new FepAgent(
    fepConfigSchema.parse({
      nodeUrl: `${base}/cities/${h.cityId}`,
      hospitalId: h.id,
      credential: h.credential,
      practitionerId: clinicalStaff.get(h.id)![0], // claims are submitted by licensed clinical staff
      heartbeatSeconds: 10,
      inboxWaitSeconds: 5,
      backoffMs: { min: 250, max: 4000 },
      requestTimeoutMs: 60_000,
    }),
    dir,
  );
const actors: Actor[] = chosen.map((hospital) => {
  const dir = path.join(workDir, hospital.id);
  mkdirSync(dir, { recursive: true });
  const actor: Actor = { hospital, dir, agent: makeAgent(hospital, dir), residents: [], seq: 0 };
  if (rng.next() < offlineShare) {
    const from = 6 + rng.next() * 10;
    actor.offline = { from, to: from + 2 + rng.next() * 3, done: false, down: false };
  }
  return actor;
});
const everyone: Registered[] = [];
/** Residents with a document dropped: what practitioners elsewhere go looking for */
const documented: Registered[] = [];
/** Residents of each city not yet seen at any hospital: the rest of the last household drawn there */
const arrivals = new Map<string, { resident: Registration; home: Home }[]>();
function newcomer(cityId: string): Registration {
  let queue = arrivals.get(cityId);
  if (!queue?.length) {
    const { home, members } = households.next(PROVINCE.cities.some((c) => c.id === cityId) ? cityId : undefined);
    queue = members.map(({ tags: _tags, ...resident }) => ({ resident: { ...resident, address: home.address }, home }));
    arrivals.set(cityId, queue);
  }
  return queue.shift()!.resident;
}

const stamp = (simHour: number) => {
  const at = new Date(Date.UTC(2026, 10, 25, 16, 0, 0) + simHour * 3_600_000); // the simulated day starts at 00:00 CST
  return at.toISOString().replace("Z", "+00:00");
};
const today = "2026-11-26";

/** Drops an item for the FEP; returns its file name (the FEP keeps it as the tail of the names it files it under) */
function drop(actor: Actor, kind: string, resource: unknown): string {
  const name = `${String(actor.seq++).padStart(7, "0")}-${kind}.json`;
  const file = path.join(actor.dir, "drop", name);
  // the hospital's systems write, then rename: the FEP never sees half a file
  writeFileSync(`${file}.tmp`, JSON.stringify(resource));
  renameSync(`${file}.tmp`, file);
  return name;
}

/** Where the FEP filed a dropped item: sent (the node answered 2xx), rejected or parked; undefined while queued */
const filed = (actor: Actor, name: string): string | undefined =>
  ["sent", "rejected", "parked"].find((folder) => readdirSync(path.join(actor.dir, folder)).some((f) => f.endsWith(`-${name}`)));

const dropped: Record<string, number> = { patient: 0, encounter: 0, document: 0, claim: 0 };
const slips: Record<"none" | "homophone" | "wrongCheck" | "impossibleDate", number> = {
  none: 0,
  homophone: 0,
  wrongCheck: 0,
  impossibleDate: 0,
};
const retrievals = { registered: 0, unregistered: 0, searches: 0, found: 0, retrieved: 0, refused: 0, failed: 0 };
/** Sensitive documents published, by label, and the consents residents signed (recorded, refused) */
const privacy = {
  sensitive: { PSY: 0, HIV: 0, R: 0, SDV: 0 } as Record<string, number>,
  consents: 0,
  /** by status: a lawful hospital should see none */
  consentsRefused: {} as Record<number, number>,
};
/** The labels of a new document: about 4 % are sensitive (a psychiatric note, an HIV result, a restricted record, domestic violence) */
function sensitiveLabels(): string[] {
  const r = rng.next();
  const label = r < 0.02 ? "PSY" : r < 0.028 ? "HIV" : r < 0.036 ? "R" : r < 0.04 ? "SDV" : undefined;
  if (label) privacy.sensitive[label]!++;
  return label ? [label] : [];
}
/** The share of residents coming to a hospital in another city who sign a consent there opening their sensitive records to it */
const CONSENT_SHARE = 0.3;
/** A search or retrieval that did not succeed: refused (4xx, which a lawful hospital should never see) or failed (5xx, no answer) */
const unsuccessful = (status: number) => void (status >= 400 && status < 500 ? retrievals.refused++ : retrievals.failed++);
/** How long a retrieval waits for its hospital to have registered the resident (an offline hospital catches up later) */
const REGISTRATION_WAIT_MS = 180_000;

/** Births and deaths (scripts/simulate-vital.ts): a newborn of a mother the hospital knows; an old resident's death */
let newborns = 0;
/** Residents (by resident ID) who gave birth today or died: a mother gives birth once a day, a resident dies once, whichever hospitals know them */
const gaveBirth = new Set<string>();
const died = new Set<string>();
const gone = (r: Registered) => died.has(r.resident.residentId ?? "") || gaveBirth.has(r.resident.residentId ?? "");
function births(actor: Actor, weight: number, at: string) {
  const h = actor.hospital;
  const some = (fits: (r: Registered) => boolean) => {
    for (let tries = 0; tries < 6 && actor.residents.length > 0; tries++) {
      const r = rng.pick(actor.residents);
      if (fits(r)) return r;
    }
    return undefined;
  };
  for (let i = poisson(rng, HOURLY.births * weight); i > 0; i--) {
    const mother = some((r) => vital.isMother(r.resident, at) && !gone(r));
    if (!mother) continue;
    gaveBirth.add(mother.resident.residentId!);
    for (const d of vital.birth(h, clinician(h), mother.resident, () => `NB${RUN}-${++newborns}`, at)) {
      drop(actor, d.kind, d.resource);
      dropped[d.kind]!++;
    }
  }
  for (let i = poisson(rng, HOURLY.deaths * weight); i > 0; i--) {
    // a registration without a slip: the hospital's update matches the record it fed
    const dying = some((r) => r.clean && vital.isOld(r.resident, at) && r.resident.residentId !== undefined && !gone(r));
    if (!dying) continue;
    died.add(dying.resident.residentId!);
    for (const d of vital.death(h, clinician(h), dying.mrn, dying.resident, at)) {
      drop(actor, d.kind, d.resource);
      dropped[d.kind]!++;
    }
    actor.residents.splice(actor.residents.indexOf(dying), 1);
  }
}

function work(actor: Actor, simHour: number, hours: number) {
  const h = actor.hospital;
  const weight = (h.level === 3 ? 2 : 1) * scale * intensity(simHour) * hours;
  // patients: most new to the province, some already registered at another hospital
  for (let i = poisson(rng, HOURLY.patients * weight); i > 0; i--) {
    const known = everyone.length > 20 && rng.next() < 0.12 ? rng.pick(everyone) : undefined;
    const resident = known?.resident ?? newcomer(h.cityId);
    const r = rng.next();
    const drawn: SlipClass | "none" = r < 0.03 ? "homophone" : r < 0.05 ? "wrongCheck" : r < 0.06 ? "impossibleDate" : "none";
    const typed = registrar.slipped(resident, drawn);
    const slip = typed === resident ? "none" : (drawn as keyof typeof slips);
    slips[slip]++;
    const mrn = `M${RUN}-${String(actor.seq).padStart(7, "0")}`;
    drop(actor, "patient", patientOf(h.id, mrn, typed));
    dropped.patient!++;
    if (slip !== "impossibleDate") {
      const reg = { mrn, resident, hospital: h, at: simHour, clean: slip === "none" };
      actor.residents.push(reg);
      if (slip === "none") everyone.push(reg);
    }
  }
  if (actor.residents.length === 0) return;
  const pick = () => rng.pick(actor.residents);
  for (let i = poisson(rng, HOURLY.encounters * weight); i > 0; i--) {
    const p = pick();
    const inpatient = rng.next() < 0.2;
    const number = `E${RUN}-${actor.seq}`;
    const plain = encounterOf(h.id, number, p.mrn, inpatient, stamp(simHour), inpatient ? undefined : stamp(simHour + 0.5));
    const { encounter, message } = publicHealth.visit(h.id, plain, p.mrn, number, inpatient);
    drop(actor, "encounter", implants.visit(encounter, inpatient));
    dropped.encounter!++;
    if (message) drop(actor, "case-report", message);
  }
  births(actor, weight, stamp(simHour));
  if (actor.residents.length === 0) return;
  for (let i = poisson(rng, HOURLY.documents * weight); i > 0; i--) {
    const p = pick();
    const size = Math.floor(documentBytes * (0.5 + rng.next()));
    drop(
      actor,
      "document",
      cdaPublishBundle(
        h,
        clinician(h), // licensed clinical staff: an administrator or technician may not author
        `D${RUN}-${actor.seq}`,
        { system: mrnSystem(h.id), value: p.mrn },
        p.resident,
        stamp(simHour),
        actor.seq,
        size,
        rng,
        sensitiveLabels(),
      ),
    );
    dropped.document!++;
    // searched for elsewhere by the resident ID number: only a cleanly registered one finds it
    if (p.clean) documented.push(p);
    if (p.clean) telemedicine.afterDocument(h, p.resident);
  }
  for (let i = poisson(rng, HOURLY.claims * weight); i > 0; i--) {
    const p = pick();
    const inpatient = rng.next() < 0.15;
    const claim = claimOf(
      h,
      `C${RUN}-${actor.seq}`,
      { system: mrnSystem(h.id), value: p.mrn },
      {
        kind: inpatient ? "institutional" : "professional",
        start: today,
        created: stamp(simHour),
        items: claimItems(rng, inpatient),
      },
    );
    // a quarter of outpatient claims add a medicine coded by its insurance drug code: the insurance
    // platform takes its category from its copy of the catalogue (docs/drugs-devices.md)
    if (!inpatient && rng.next() < 0.25) {
      const items = claim.item as unknown[];
      items.push(codedDrugItem(items.length + 1, rng.pick(drugsInForce).insuranceCode, rng.int(5, 200)));
    }
    drop(actor, "claim", claim);
    dropped.claim!++;
  }
}

/**
 * A resident documented in another city comes to `actor`'s hospital. Its systems register them
 * (the FEP delivers the registration through the PIXm feed), and once the feed has answered (the
 * FEP files the item as sent: the hub's MPI holds the hospital's record) a licensed clinician of the
 * hospital finds and retrieves one of their documents: the hospital reads only about a resident
 * with whom it has a treatment relationship (docs/push.md).
 */
async function retrieve(actor: Actor, simHour: number) {
  const h = actor.hospital;
  const elsewhere = documented.filter((r) => r.hospital.cityId !== h.cityId);
  if (elsewhere.length === 0) return;
  const r = rng.pick(elsewhere);
  const mrn = `M${RUN}-${String(actor.seq).padStart(7, "0")}`;
  const registration = drop(actor, "patient", patientOf(h.id, mrn, r.resident));
  dropped.patient!++;
  slips.none++;
  actor.residents.push({ mrn, resident: r.resident, hospital: h, at: simHour, clean: true });
  const headers = { authorization: `Bearer ${h.credential}`, accept: "application/fhir+json", "x-practitioner-id": clinician(h) };
  try {
    const deadline = Date.now() + REGISTRATION_WAIT_MS;
    let where = filed(actor, registration);
    while (where === undefined && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 500));
      where = filed(actor, registration);
    }
    if (where !== "sent") return void retrievals.unregistered++;
    retrievals.registered++;
    // some sign a consent here: their sensitive records open to this hospital (docs/consent.md)
    if (rng.next() < CONSENT_SHARE) {
      // a child (under 14) signs through a guardian: an adult of the simulated population stands in
      const minor =
        r.resident.birthDate !== undefined &&
        r.resident.birthDate > `${new Date().getFullYear() - 14}${new Date().toISOString().slice(4, 10)}`;
      const adult = minor ? everyone.find((e) => e.resident.residentId && (e.resident.birthDate ?? "9999") < "2000-01-01") : undefined;
      const consent = consentOf(
        { system: mrnSystem(h.id), value: mrn },
        {
          type: "permit",
          actors: [h.id],
          labels: ["PSY", "HIV", "R", "SDV"],
          dateTime: new Date().toISOString(),
          ...(adult ? { guardian: { residentId: adult.resident.residentId!, relationship: "GUARD" } } : {}),
        },
      );
      const signed = await fetch(`${base}/cities/${h.cityId}/fhir/Consent`, {
        method: "POST",
        headers: { ...headers, "content-type": "application/fhir+json" },
        body: JSON.stringify(consent),
      });
      await signed.arrayBuffer();
      if (signed.status === 201) privacy.consents++;
      else privacy.consentsRefused[signed.status] = (privacy.consentsRefused[signed.status] ?? 0) + 1;
    }
    retrievals.searches++;
    const search = await fetch(
      `${base}/cities/${h.cityId}/fhir/DocumentReference?patient.identifier=${encodeURIComponent(`https://hebei.health/sid/resident-id|${r.resident.residentId}`)}`,
      { headers },
    );
    const bundle = (await search.json()) as { entry?: { resource: { content: { attachment: { url: string } }[] } }[] };
    if (!search.ok) return unsuccessful(search.status);
    const url = bundle.entry?.[0]?.resource.content[0]?.attachment.url;
    if (!url) return;
    retrievals.found++;
    const binary = await fetch(url, { headers });
    await binary.arrayBuffer();
    if (binary.ok) retrievals.retrieved++;
    else unsuccessful(binary.status);
  } catch {
    retrievals.failed++;
  }
}

/** Each hospital's pharmacy resolves the codes it scans against the hub's drug catalogue (docs/drugs-devices.md) */
const drugCatalogue = generateDrugCatalogue();
const drugLookups = { resolved: 0, unknown: 0, refused: 0, failed: 0 };
async function lookUpDrug(actor: Actor) {
  const entry = rng.pick(drugCatalogue);
  const code = rng.pick([entry.nationalDrugCode, entry.insuranceCode, ...(entry.gtin ? [entry.gtin] : [])]);
  const h = actor.hospital;
  try {
    const res = await fetch(`${base}/cities/${h.cityId}/fhir/MedicationKnowledge?code=${encodeURIComponent(code)}`, {
      headers: { authorization: `Bearer ${h.credential}`, accept: "application/fhir+json" },
    });
    const bundle = (await res.json()) as { total?: number };
    if (!res.ok) return void (res.status < 500 ? drugLookups.refused++ : drugLookups.failed++);
    if (bundle.total === 1) drugLookups.resolved++;
    else drugLookups.unknown++; // a catalogue imported since the seed may have moved the code
  } catch {
    drugLookups.failed++;
  }
}

// ---- the day ----
const started = Date.now();
for (const a of actors) a.agent.start();
const bar = new cliProgress.SingleBar(
  {
    format:
      "{hour} {bar} | patients {patients}/s · documents {documents}/s · claims {claims}/s · retrievals {retrievals} | backlog {backlog} | offline {offline}",
    hideCursor: true,
    barsize: 24,
    noTTYOutput: true,
    notTTYSchedule: 5000,
    stream: process.stderr,
  },
  cliProgress.Presets.shades_classic,
);
const quiet = values.quiet || values.json;
if (!quiet) bar.start(24 * 60, 0, { hour: "00:00", patients: 0, documents: 0, claims: 0, retrievals: 0, backlog: 0, offline: 0 });

function deliveredByKind(): Record<string, number> {
  const counts: Record<string, number> = { patient: 0, encounter: 0, document: 0, claim: 0 };
  for (const a of actors)
    for (const f of readdirSync(path.join(a.dir, "sent"))) {
      const kind = f.match(/^\d+-\d+-\d+-(\w+)\.json$/)?.[1];
      if (kind && kind in counts) counts[kind]!++;
    }
  return counts;
}

let last = { at: Date.now(), delivered: deliveredByKind() };
let rates = { patients: 0, documents: 0, claims: 0 };
function measureRates() {
  if (Date.now() - last.at < 2000) return;
  const now = { at: Date.now(), delivered: deliveredByKind() };
  const secs = (now.at - last.at) / 1000;
  const per = (k: string) => Number(((now.delivered[k]! - last.delivered[k]!) / secs).toFixed(1));
  rates = { patients: per("patient"), documents: per("document"), claims: per("claim") };
  last = now;
}
const pendingRetrievals: Promise<void>[] = [];
// health cards (docs/health-card.md): a visit of a resident registered cleanly here starts at the desk with the card
const cardDesk = healthCardDesk(base, createRng(`${seed}-cards`), clinician);
const cardRng = createRng(`${seed}-card-visits`);
/** Visits per hospital and simulated hour of residents it registered, each starting at the desk with the card if they hold one */
const CARD_VISITS = 4;
const pendingDrugLookups: Promise<void>[] = [];
const tickHours = (24 * TICK_MS) / (daySeconds * 1000);
for (let simHour = 0; simHour < 24; simHour += tickHours) {
  const tickStart = Date.now();
  for (const a of actors) {
    const o = a.offline;
    if (o && !o.done && !o.down && simHour >= o.from) {
      o.down = true;
      await a.agent.stop(); // the hospital's link is down: its systems keep dropping, the FEP cannot deliver
    } else if (o?.down && simHour >= o.to) {
      o.down = false;
      o.done = true;
      a.agent = makeAgent(a.hospital, a.dir);
      a.agent.start(); // back: it catches up from its durable queue
    }
    work(a, simHour, tickHours);
    for (let i = poisson(rng, HOURLY.retrievals * scale * intensity(simHour) * tickHours); i > 0; i--)
      pendingRetrievals.push(retrieve(a, simHour));
    const regs = a.residents.filter((r) => r.clean);
    for (let i = regs.length ? poisson(cardRng, CARD_VISITS * scale * intensity(simHour) * tickHours) : 0; i > 0; i--) {
      const reg = cardRng.pick(regs);
      pendingRetrievals.push(cardDesk.visit(a.hospital, a.hospital, reg.resident.residentId).catch(() => void cardDesk.counts.other++));
    }
    for (let i = poisson(rng, HOURLY.drugLookups * scale * intensity(simHour) * tickHours); i > 0; i--)
      pendingDrugLookups.push(lookUpDrug(a));
  }
  measureRates();
  if (!quiet)
    bar.update(Math.floor(simHour * 60), {
      hour: `${String(Math.floor(simHour)).padStart(2, "0")}:${String(Math.floor((simHour % 1) * 60)).padStart(2, "0")}`,
      ...rates,
      retrievals: retrievals.retrieved,
      backlog: actors.reduce((n, a) => n + a.agent.status().queued, 0),
      offline: actors.filter((a) => a.offline?.down).length,
    });
  await new Promise((r) => setTimeout(r, Math.max(0, TICK_MS - (Date.now() - tickStart))));
}
for (const a of actors)
  if (a.offline?.down) {
    a.offline.down = false;
    a.agent = makeAgent(a.hospital, a.dir);
    a.agent.start();
  }
const dayEnded = Date.now();
// ---- catching up: every FEP drains its queue ----
const drainDeadline = Date.now() + drainSeconds * 1000;
while (Date.now() < drainDeadline && actors.some((a) => a.agent.status().queued > 0)) {
  if (!quiet)
    bar.update(24 * 60, { hour: "24:00 (catching up)", backlog: actors.reduce((n, a) => n + a.agent.status().queued, 0), offline: 0 });
  await new Promise((r) => setTimeout(r, 500));
}
const drained = Date.now();
await Promise.all(pendingRetrievals);
await Promise.all(pendingDrugLookups);
await telemedicine.settled();
await new Promise((r) => setTimeout(r, 3000)); // the last settlements reach the inboxes
await Promise.all(actors.map((a) => a.agent.stop()));
if (!quiet) bar.stop();

// ---- the report ----
const delivered = deliveredByKind();
const rejected: Record<string, number> = { patient: 0, encounter: 0, document: 0, claim: 0 };
const inbox: Record<string, number> = {};
for (const a of actors) {
  for (const f of readdirSync(path.join(a.dir, "rejected"))) {
    const kind = f.match(/^\d+-\d+-\d+-(\w+)\.json$/)?.[1];
    if (kind && kind in rejected) rejected[kind]!++;
  }
  for (const f of readdirSync(path.join(a.dir, "inbox"))) {
    const c = JSON.parse(readFileSync(path.join(a.dir, "inbox", f), "utf8")) as {
      sent?: string;
      payload?: { contentReference?: { reference?: string } }[];
    };
    // only this run's: a hospital's inbox at the node may still hold earlier runs' settlements
    if (!c.sent || Date.parse(c.sent) < started) continue;
    const type = c.payload?.[0]?.contentReference?.reference?.split("/")[0] ?? "other";
    inbox[type] = (inbox[type] ?? 0) + 1;
  }
}
const seconds = (drained - started) / 1000;
const telemedicineKpis = telemedicine.kpis();
const report = {
  hospitals: actors.length,
  cities: new Set(actors.map((a) => a.hospital.cityId)).size,
  offlineHospitals: actors.filter((a) => a.offline).length,
  wallSeconds: Number(seconds.toFixed(1)),
  catchUpSeconds: Number(((drained - dayEnded) / 1000).toFixed(1)),
  dropped,
  delivered,
  rejected,
  backlogLeft: actors.reduce((n, a) => n + a.agent.status().queued, 0),
  registrationSlips: slips,
  perSecond: {
    patients: Number((delivered.patient! / seconds).toFixed(2)),
    documents: Number((delivered.document! / seconds).toFixed(2)),
    encounters: Number((delivered.encounter! / seconds).toFixed(2)),
    claims: Number((delivered.claim! / seconds).toFixed(2)),
  },
  retrievals,
  healthCards: cardDesk.counts,
  publicHealth: publicHealth.counts,
  implants: implants.counts,
  vital: vital.counts,
  telemedicine: { ...telemedicine.counts, kpis: (await telemedicineKpis).figures },
  drugLookups,
  privacy,
  inbox,
  workDir,
};
if (values.json) console.log(JSON.stringify(report, null, 2));
else {
  console.log(
    `\nA day of ${report.hospitals} hospitals in ${report.cities} cities (${report.offlineHospitals} offline for hours) in ${report.wallSeconds} s (catching up ${report.catchUpSeconds} s):`,
  );
  console.log("| kind | dropped | delivered | refused | per second (sustained) |");
  console.log("| --- | --- | --- | --- | --- |");
  for (const [k, per] of [
    ["patient", report.perSecond.patients],
    ["encounter", report.perSecond.encounters],
    ["document", report.perSecond.documents],
    ["claim", report.perSecond.claims],
  ] as const)
    console.log(`| ${k} | ${dropped[k]} | ${delivered[k]} | ${rejected[k]} | ${per} |`);
  console.log(
    `registration slips: ${slips.homophone} homophones, ${slips.wrongCheck} wrong check characters (accepted, flagged), ${slips.impossibleDate} impossible birth dates (refused)`,
  );
  console.log(
    `retrievals from other cities: ${retrievals.registered} residents registered first (${retrievals.unregistered} not in time), ${retrievals.searches} searches, ${retrievals.found} found, ${retrievals.retrieved} retrieved, ${retrievals.refused} refused, ${retrievals.failed} failed`,
  );
  console.log(cardDesk.summary());
  console.log(publicHealth.summary());
  console.log(implants.summary());
  console.log(vital.summary());
  console.log(`${telemedicine.summary()}\n${(await telemedicineKpis).text}`);
  console.log(
    `drug codes looked up by the pharmacies: ${drugLookups.resolved} resolved, ${drugLookups.unknown} unknown, ${drugLookups.refused} refused, ${drugLookups.failed} failed`,
  );
  console.log(
    `sensitive documents: ${Object.entries(privacy.sensitive)
      .map(([label, n]) => `${n} ${label}`)
      .join(", ")}; consents signed: ${privacy.consents} recorded, refused ${JSON.stringify(privacy.consentsRefused)}`,
  );
  console.log(`inbox items written: ${JSON.stringify(inbox)}; backlog left: ${report.backlogLeft}; FEP folders: ${workDir}`);
}
process.exit(report.backlogLeft === 0 ? 0 : 1);
