/**
 * The day of `npm run simulate` (docs/simulation.md), compressed into `daySeconds` of wall clock: ticks of
 * 250 ms, each a slice of the simulated day in which every hospital does its share of the hourly rates
 * (level-3 hospitals twice as much, every rate following the day's intensity and `--scale`); a progress
 * bar shows the simulated hour, the delivery rates, the retrievals, the backlog and the hospitals
 * offline. After the day the FEPs catch up (at most `drainSeconds`), the desks' requests under way
 * finish and the last settlements reach the inboxes.
 */
import cliProgress from "cli-progress";
import type { Rng } from "#lib/seed/prng.ts";
import { intensity, poisson } from "#lib/world/index.ts";
import type { claimsDesk } from "./simulate-claims.ts";
import type { documentsDesk } from "./simulate-documents.ts";
import type { encountersDesk } from "./simulate-encounters.ts";
import type { Actor, Feps } from "./simulate-fep.ts";
import type { healthCardDesk } from "./simulate-health-card.ts";
import type { pharmacyDesk } from "./simulate-pharmacy.ts";
import { type Hospital, stamp } from "./simulate-province.ts";
import type { RegistrationDesk } from "./simulate-registration.ts";

/** Per hospital and simulated hour at average intensity (level 3 hospitals do twice as much) */
const HOURLY = { patients: 1, encounters: 0.5, documents: 1, claims: 0.5, retrievals: 0.5, drugLookups: 2, births: 0.03, deaths: 0.02 };
const TICK_MS = 250;
/** Visits per hospital and simulated hour of residents it registered, each starting at the desk with the card if they hold one */
const CARD_VISITS = 4;

export interface Desks {
  registration: RegistrationDesk;
  encounters: ReturnType<typeof encountersDesk>;
  documents: ReturnType<typeof documentsDesk>;
  claims: ReturnType<typeof claimsDesk>;
  pharmacy: ReturnType<typeof pharmacyDesk>;
  cards: ReturnType<typeof healthCardDesk<Hospital>>;
  telemedicine: { settled(): Promise<unknown> };
}
export interface Day {
  /** the world's draws (`--seed`) */
  rng: Rng;
  /** the draws of the visits with a health card */
  cardRng: Rng;
  fep: Feps;
  desks: Desks;
  scale: number;
  daySeconds: number;
  drainSeconds: number;
  /** no progress bar */
  quiet: boolean;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Runs the day and the catching up; answers when it started, when the day ended and when the backlogs drained (ms) */
export async function runDay({ rng, cardRng, fep, desks, scale, daySeconds, drainSeconds, quiet }: Day) {
  const { registration, encounters, documents, claims, pharmacy, cards, telemedicine } = desks;
  const { actors } = fep;
  /**
   * What the actor's hospital's systems drop in `hours` from `simHour`: how many of each is drawn just
   * before they are made, in this order (with a given seed, the order decides the items)
   */
  function work(actor: Actor, simHour: number, hours: number) {
    const weight = (actor.hospital.level === 3 ? 2 : 1) * scale * intensity(simHour) * hours;
    for (let i = poisson(rng, HOURLY.patients * weight); i > 0; i--) registration.admit(actor, simHour);
    if (actor.residents.length === 0) return;
    for (let i = poisson(rng, HOURLY.encounters * weight); i > 0; i--) encounters.record(actor, simHour);
    const at = stamp(simHour);
    for (let i = poisson(rng, HOURLY.births * weight); i > 0; i--) encounters.birth(actor, at);
    for (let i = poisson(rng, HOURLY.deaths * weight); i > 0; i--) encounters.death(actor, at);
    if (actor.residents.length === 0) return;
    for (let i = poisson(rng, HOURLY.documents * weight); i > 0; i--) documents.publish(actor, simHour);
    for (let i = poisson(rng, HOURLY.claims * weight); i > 0; i--) claims.submit(actor, simHour);
  }

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
  if (!quiet) bar.start(24 * 60, 0, { hour: "00:00", patients: 0, documents: 0, claims: 0, retrievals: 0, backlog: 0, offline: 0 });

  let last = { at: Date.now(), delivered: fep.delivered() };
  let rates = { patients: 0, documents: 0, claims: 0 };
  function measureRates() {
    if (Date.now() - last.at < 2000) return;
    const now = { at: Date.now(), delivered: fep.delivered() };
    const secs = (now.at - last.at) / 1000;
    const per = (k: string) => Number(((now.delivered[k]! - last.delivered[k]!) / secs).toFixed(1));
    rates = { patients: per("patient"), documents: per("document"), claims: per("claim") };
    last = now;
  }
  const pendingRetrievals: Promise<void>[] = [];
  const pendingDrugLookups: Promise<void>[] = [];
  const tickHours = (24 * TICK_MS) / (daySeconds * 1000);
  for (let simHour = 0; simHour < 24; simHour += tickHours) {
    const tickStart = Date.now();
    for (const a of actors) {
      const stopping = fep.link(a, simHour);
      if (stopping) await stopping; // the loop yields only when a link goes down
      work(a, simHour, tickHours);
      for (let i = poisson(rng, HOURLY.retrievals * scale * intensity(simHour) * tickHours); i > 0; i--)
        pendingRetrievals.push(documents.retrieve(a, simHour));
      // health cards (docs/health-card.md): a visit of a resident registered cleanly here starts at the desk with the card
      const regs = a.residents.filter((r) => r.clean);
      for (let i = regs.length ? poisson(cardRng, CARD_VISITS * scale * intensity(simHour) * tickHours) : 0; i > 0; i--) {
        const reg = cardRng.pick(regs);
        pendingRetrievals.push(cards.visit(a.hospital, a.hospital, reg.resident.residentId).catch(() => void cards.counts.other++));
      }
      for (let i = poisson(rng, HOURLY.drugLookups * scale * intensity(simHour) * tickHours); i > 0; i--)
        pendingDrugLookups.push(pharmacy.lookUp(a));
    }
    measureRates();
    if (!quiet)
      bar.update(Math.floor(simHour * 60), {
        hour: `${String(Math.floor(simHour)).padStart(2, "0")}:${String(Math.floor((simHour % 1) * 60)).padStart(2, "0")}`,
        ...rates,
        retrievals: documents.retrievals.retrieved,
        backlog: fep.backlog(),
        offline: actors.filter((a) => a.offline?.down).length,
      });
    await sleep(Math.max(0, TICK_MS - (Date.now() - tickStart)));
  }
  fep.reconnectAll();
  const dayEnded = Date.now();
  // catching up: every FEP drains its queue
  const drainDeadline = Date.now() + drainSeconds * 1000;
  while (Date.now() < drainDeadline && fep.backlog() > 0) {
    if (!quiet) bar.update(24 * 60, { hour: "24:00 (catching up)", backlog: fep.backlog(), offline: 0 });
    await sleep(500);
  }
  const drained = Date.now();
  await Promise.all(pendingRetrievals);
  await Promise.all(pendingDrugLookups);
  await telemedicine.settled();
  await sleep(3000); // the last settlements reach the inboxes
  await Promise.all(actors.map((a) => a.agent.stop()));
  if (!quiet) bar.stop();
  return { started, dayEnded, drained };
}
