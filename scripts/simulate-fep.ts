/**
 * The hospitals' FEP agents in `npm run simulate` (docs/simulation.md, docs/fep.md): one real agent
 * (fep/agent.ts) per hospital, in a folder of its own under the run's work folder. The hospital's systems
 * drop items in `drop/`; the FEP delivers them and files each as sent (the node answered 2xx), rejected
 * or parked. Some hospitals lose their link for 2–5 simulated hours: the agent stops while their systems
 * keep dropping, and a new one catches up from the durable queue. Every MRN, encounter, document and
 * claim number carries the run's tag.
 */
import { mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import path from "node:path";
import { FepAgent } from "#fep/agent.ts";
import { scratchFolder } from "#lib/harness/scratch.ts";
import type { Rng } from "#lib/seed/prng.ts";
import type { Registration } from "#lib/world/index.ts";
import { fepConfigSchema } from "#schemas/fep-agent.ts";
import type { Hospital } from "./simulate-province.ts";

/** A resident a hospital registered */
export interface Registered {
  mrn: string;
  /** the resident as the world knows them (the registration may carry a slip) */
  resident: Registration;
  hospital: Hospital;
  /** simulated hour it was registered */
  at: number;
  /** registered without a slip */
  clean: boolean;
}
/** A hospital taking part: its FEP, its folder, the residents it registered, the next item's sequence number */
export interface Actor {
  hospital: Hospital;
  dir: string;
  agent: FepAgent;
  residents: Registered[];
  seq: number;
  offline?: { from: number; to: number; done: boolean; down: boolean };
}

/** The kinds counted per kind in the report (a case report is dropped, not counted) */
const perKind = (): Record<string, number> => ({ patient: 0, encounter: 0, document: 0, claim: 0 });

/**
 * The FEPs of the chosen hospitals, their first clinician as the FEP's practitioner (claims are submitted
 * by licensed clinical staff); `offlineShare` of them lose their link for hours, drawn from `rng`.
 */
export function hospitalFeps(base: string, chosen: Hospital[], staff: Map<string, string[]>, rng: Rng, offlineShare: number) {
  /** Set when the run ends with items still queued: then the FEP folders stay, to look at (the report names them) */
  let keepWorkDir = false;
  /** The FEPs' folders: the run's scratch, removed when it ends (Ctrl-C too) unless kept */
  const workDir = scratchFolder("hhc-simulation-", () => keepWorkDir);
  /**
   * This run's tag in every MRN, encounter, document and claim number: a province keeps what earlier
   * runs recorded, and a number it already holds for other content is refused (409) or, as an MRN,
   * would re-register another resident
   */
  const run = Date.now().toString(36);
  const makeAgent = (h: Hospital, dir: string) =>
    new FepAgent(
      fepConfigSchema.parse({
        nodeUrl: `${base}/cities/${h.cityId}`,
        hospitalId: h.id,
        credential: h.credential,
        practitionerId: staff.get(h.id)![0],
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
  const dropped = perKind();
  const reconnect = (a: Actor) => {
    a.agent = makeAgent(a.hospital, a.dir);
    a.agent.start(); // back: it catches up from its durable queue
  };
  /** The items in an actor's `folder`, by kind (the FEP's names end in `-<seq>-<kind>.json`) */
  const count = (folder: "sent" | "rejected"): Record<string, number> => {
    const counts = perKind();
    for (const a of actors)
      for (const f of readdirSync(path.join(a.dir, folder))) {
        const kind = f.match(/^\d+-\d+-\d+-(\w+)\.json$/)?.[1];
        if (kind && kind in counts) counts[kind]!++;
      }
    return counts;
  };

  return {
    workDir,
    run,
    actors,
    /** Items dropped, by kind */
    dropped,
    /** Drops an item for the FEP; returns its file name (the FEP keeps it as the tail of the names it files it under) */
    drop(actor: Actor, kind: string, resource: unknown): string {
      const name = `${String(actor.seq++).padStart(7, "0")}-${kind}.json`;
      const file = path.join(actor.dir, "drop", name);
      // the hospital's systems write, then rename: the FEP never sees half a file
      writeFileSync(`${file}.tmp`, JSON.stringify(resource));
      renameSync(`${file}.tmp`, file);
      if (kind in dropped) dropped[kind]!++;
      return name;
    },
    /** Where the FEP filed a dropped item: sent (the node answered 2xx), rejected or parked; undefined while queued */
    filed: (actor: Actor, name: string): string | undefined =>
      ["sent", "rejected", "parked"].find((folder) => readdirSync(path.join(actor.dir, folder)).some((f) => f.endsWith(`-${name}`))),
    delivered: () => count("sent"),
    rejected: () => count("rejected"),
    /** The inbox items written since `since` (ms), by type: a hospital's inbox at the node may still hold earlier runs' settlements */
    inbox(since: number): Record<string, number> {
      const inbox: Record<string, number> = {};
      for (const a of actors)
        for (const f of readdirSync(path.join(a.dir, "inbox"))) {
          const c = JSON.parse(readFileSync(path.join(a.dir, "inbox", f), "utf8")) as {
            sent?: string;
            payload?: { contentReference?: { reference?: string } }[];
          };
          if (!c.sent || Date.parse(c.sent) < since) continue;
          const type = c.payload?.[0]?.contentReference?.reference?.split("/")[0] ?? "other";
          inbox[type] = (inbox[type] ?? 0) + 1;
        }
      return inbox;
    },
    backlog: () => actors.reduce((n, a) => n + a.agent.status().queued, 0),
    /** Keeps the work folder when the run ends (items left queued); answers whether it is kept */
    keepWorkDir(keep: boolean): boolean {
      keepWorkDir = keep;
      return keep;
    },
    /**
     * The actor's link at `simHour`: down from its offline hour (its systems keep dropping, the FEP cannot
     * deliver; answers the agent's stopping), back after
     */
    link(a: Actor, simHour: number): Promise<void> | undefined {
      const o = a.offline;
      if (o && !o.done && !o.down && simHour >= o.from) {
        o.down = true;
        return a.agent.stop();
      }
      if (o?.down && simHour >= o.to) {
        o.down = false;
        o.done = true;
        reconnect(a);
      }
      return undefined;
    },
    /** The day is over: every hospital still offline comes back */
    reconnectAll() {
      for (const a of actors)
        if (a.offline?.down) {
          a.offline.down = false;
          reconnect(a);
        }
    },
  };
}
export type Feps = ReturnType<typeof hospitalFeps>;
