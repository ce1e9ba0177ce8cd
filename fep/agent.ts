/**
 * The hospital front-end processor (FEP) agent: the hospital side of the exchange (docs/fep.md).
 *
 * - A durable outbox on disk: the hospital's systems drop FHIR resources into `drop/`; the agent moves
 *   each into `queue/` (one atomic rename, the folder fsynced) and delivers it to the city node; only a
 *   2xx moves it on to `sent/`. A kill at any point leaves every item either in `drop/`, in `queue/`
 *   (delivered again on restart: every item carries its business identifier, so the node's
 *   idempotency makes the redelivery harmless) or in `sent/`/`rejected/`. Nothing is lost or duplicated.
 * - Retries with exponential backoff; network failures retry forever, server errors (5xx) at most
 *   `maxServerErrors` times per item before it is parked; a refusal (4xx) goes to `rejected/` with the
 *   node's OperationOutcome beside it.
 * - Heartbeats carry the backlog; the inbox is long-polled and each Communication written once
 *   (write-then-rename), acknowledged only after the write.
 */
import { existsSync, readFileSync, rmSync } from "node:fs";
import path from "node:path";
import type { FepConfig } from "#schemas/fep-agent.ts";
import { fepItemSchema } from "#schemas/fep-agent.ts";
import { ensureDir, jsonItems, moveInto, writeFileAtomic } from "./disk.ts";
import { DELIVERABLE_TYPES, deliveryFor } from "./routes.ts";

export const FEP_VERSION = "1.0.0";
const COMMUNICATION_ID = /^[A-Za-z0-9\-.]{1,64}$/;

export interface FepCounters {
  accepted: number;
  delivered: number;
  rejected: number;
  parked: number;
  retries: number;
  inboxWritten: number;
  inboxAcknowledged: number;
  heartbeats: number;
}

export interface FepStatus extends FepCounters {
  queued: number;
  /** Whether the last call to the node got an answer */
  reachable: boolean;
  lastError?: string;
}

type Outcome = "delivered" | "rejected" | "parked" | "retry";

const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    }
    signal.addEventListener("abort", done);
  });

const outcomeOf = (diagnostics: string, expression?: string) =>
  JSON.stringify(
    {
      resourceType: "OperationOutcome",
      issue: [{ severity: "error", code: "invalid", diagnostics, ...(expression ? { expression: [expression] } : {}) }],
    },
    null,
    2,
  );

export class FepAgent {
  readonly counters: FepCounters = {
    accepted: 0,
    delivered: 0,
    rejected: 0,
    parked: 0,
    retries: 0,
    inboxWritten: 0,
    inboxAcknowledged: 0,
    heartbeats: 0,
  };
  private readonly dirs: Record<keyof FepConfig["folders"], string>;
  private readonly serverErrors = new Map<string, number>();
  private readonly stopping = new AbortController();
  private loops: Promise<void>[] = [];
  private reachable = false;
  private lastError: string | undefined;
  private sequence = 0;
  private readonly credential: string;

  constructor(
    private readonly config: FepConfig,
    baseDir: string,
    private readonly log: (event: string, detail?: Record<string, unknown>) => void = () => {},
  ) {
    const f = config.folders;
    const at = (p: string) => path.resolve(baseDir, p);
    this.dirs = {
      drop: at(f.drop),
      queue: at(f.queue),
      sent: at(f.sent),
      rejected: at(f.rejected),
      parked: at(f.parked),
      inbox: at(f.inbox),
    };
    for (const dir of Object.values(this.dirs)) ensureDir(dir);
    this.credential = config.credential.startsWith("env:") ? (process.env[config.credential.slice(4)] ?? "") : config.credential;
    if (!this.credential) throw new Error(`credential: environment variable ${config.credential.slice(4)} is not set`);
  }

  get folders(): Readonly<Record<keyof FepConfig["folders"], string>> {
    return this.dirs;
  }

  status(): FepStatus {
    return {
      ...this.counters,
      queued: jsonItems(this.dirs.queue).length + jsonItems(this.dirs.drop).length,
      reachable: this.reachable,
      ...(this.lastError ? { lastError: this.lastError } : {}),
    };
  }

  start(): void {
    this.loops = [this.deliveryLoop(), this.heartbeatLoop(), ...(this.config.inbox ? [this.inboxLoop()] : [])];
  }

  /** Stops after the calls in flight; whatever is queued stays queued for the next start. */
  async stop(): Promise<void> {
    this.stopping.abort();
    await Promise.all(this.loops);
  }

  /** Moves what the hospital dropped into the durable queue, in name order. */
  ingest(): number {
    let moved = 0;
    for (const name of jsonItems(this.dirs.drop)) {
      const stamp = `${String(Date.now()).padStart(15, "0")}-${String(this.sequence++ % 1e6).padStart(6, "0")}`;
      try {
        moveInto(path.join(this.dirs.drop, name), this.dirs.queue, `${stamp}-${name}`);
        moved++;
      } catch (error) {
        // taken meanwhile (another agent on the same folder) or unreadable: left for the next round
        this.log("ingest-failed", { name, error: String(error) });
      }
    }
    this.counters.accepted += moved;
    return moved;
  }

  private headers(practitionerId?: string): Record<string, string> {
    const who = practitionerId ?? this.config.practitionerId;
    return {
      authorization: `Bearer ${this.credential}`,
      "content-type": "application/fhir+json",
      accept: "application/fhir+json",
      ...(who ? { "x-practitioner-id": who } : {}),
    };
  }

  private async call(pathname: string, init: RequestInit, timeoutMs = this.config.requestTimeoutMs): Promise<Response> {
    const signal = AbortSignal.any([AbortSignal.timeout(timeoutMs), this.stopping.signal]);
    const res = await fetch(`${this.config.nodeUrl.replace(/\/+$/, "")}${pathname}`, { ...init, signal });
    this.reachable = true;
    return res;
  }

  private reject(name: string, outcome: string): Outcome {
    const file = path.join(this.dirs.queue, name);
    writeFileAtomic(path.join(this.dirs.rejected, name.replace(/\.json$/, ".outcome.json")), outcome);
    moveInto(file, this.dirs.rejected);
    this.counters.rejected++;
    this.log("rejected", { name });
    return "rejected";
  }

  /** Delivers one queued item; its file moves only once the node's answer is known. */
  async deliver(name: string): Promise<Outcome> {
    const file = path.join(this.dirs.queue, name);
    let item: unknown;
    try {
      item = JSON.parse(readFileSync(file, "utf8"));
    } catch (error) {
      return this.reject(name, outcomeOf(`The item is not JSON: ${String(error)}`));
    }
    const parsed = fepItemSchema.safeParse(item);
    if (!parsed.success)
      return this.reject(name, outcomeOf("The item is neither a FHIR resource nor {practitionerId, resource}", "resourceType"));
    const wrapped = "resource" in parsed.data && typeof parsed.data.practitionerId === "string";
    const resource = (wrapped ? parsed.data.resource : parsed.data) as { resourceType: string; type?: unknown };
    const practitionerId = wrapped ? (parsed.data.practitionerId as string) : undefined;
    const route = deliveryFor(String(resource.resourceType), resource.type);
    if (!route)
      return this.reject(
        name,
        outcomeOf(`The FEP delivers ${DELIVERABLE_TYPES.join(", ")}; not ${String(resource.resourceType)}`, "resourceType"),
      );
    let res: Response;
    let body: string;
    try {
      res = await this.call(route.path, { method: route.method, headers: this.headers(practitionerId), body: JSON.stringify(resource) });
      body = await res.text();
    } catch (error) {
      this.reachable = false;
      this.lastError = String(error);
      return "retry"; // the node is unreachable: never counts against the item
    }
    if (res.ok) {
      moveInto(file, this.dirs.sent);
      if (body) writeFileAtomic(path.join(this.dirs.sent, name.replace(/\.json$/, ".answer.json")), body);
      this.counters.delivered++;
      this.serverErrors.delete(name);
      return "delivered";
    }
    this.lastError = `${res.status} ${body.slice(0, 300)}`;
    // 401: a rotated or mistyped credential is fixed by the hospital, not by dropping its data
    if (res.status === 401 || res.status === 408 || res.status === 425 || res.status === 429) return "retry";
    if (res.status < 500) return this.reject(name, body || outcomeOf(`The node answered ${res.status}`));
    const errors = (this.serverErrors.get(name) ?? 0) + 1;
    this.serverErrors.set(name, errors);
    if (errors < this.config.maxServerErrors) return "retry";
    writeFileAtomic(path.join(this.dirs.parked, name.replace(/\.json$/, ".outcome.json")), body || outcomeOf(`${res.status}`));
    moveInto(file, this.dirs.parked);
    this.serverErrors.delete(name);
    this.counters.parked++;
    this.log("parked", { name, status: res.status });
    return "parked";
  }

  private async deliveryLoop(): Promise<void> {
    const { min, max } = this.config.backoffMs;
    let backoff = 0;
    let sincePrune = 0;
    while (!this.stopping.signal.aborted) {
      this.ingest();
      const batch = jsonItems(this.dirs.queue).slice(0, this.config.concurrency);
      if (batch.length === 0) {
        await sleep(200, this.stopping.signal);
        continue;
      }
      const outcomes = await Promise.all(batch.map((name) => this.deliver(name)));
      sincePrune += outcomes.length;
      if (sincePrune >= 500) {
        this.pruneSent();
        sincePrune = 0;
      }
      if (outcomes.includes("retry") && !this.stopping.signal.aborted) {
        this.counters.retries += outcomes.filter((o) => o === "retry").length;
        backoff = Math.min(max, backoff ? backoff * 2 : min);
        this.log("retrying", { afterMs: backoff, lastError: this.lastError });
        await sleep(backoff, this.stopping.signal);
      } else backoff = 0;
    }
  }

  /** Keeps the newest `keepSent` delivered items (the rest of the delivery history is the node's). */
  pruneSent(): void {
    const sent = jsonItems(this.dirs.sent);
    for (const name of sent.slice(0, Math.max(0, sent.length - this.config.keepSent))) {
      rmSync(path.join(this.dirs.sent, name), { force: true });
      rmSync(path.join(this.dirs.sent, name.replace(/\.json$/, ".answer.json")), { force: true });
    }
  }

  /** Sends one heartbeat with the backlog; true when the node took it. */
  async heartbeat(): Promise<boolean> {
    try {
      const res = await this.call("/fep/heartbeat", {
        method: "POST",
        headers: this.headers(),
        body: JSON.stringify({ fepVersion: FEP_VERSION, backlog: this.status().queued, clock: new Date().toISOString() }),
      });
      await res.text();
      if (res.ok) this.counters.heartbeats++;
      else this.lastError = `heartbeat ${res.status}`;
      return res.ok;
    } catch (error) {
      this.reachable = false;
      this.lastError = String(error);
      return false;
    }
  }

  private async heartbeatLoop(): Promise<void> {
    while (!this.stopping.signal.aborted) {
      await this.heartbeat();
      await sleep(this.config.heartbeatSeconds * 1000, this.stopping.signal);
    }
  }

  /** One long poll of the inbox: writes each new Communication once, then acknowledges it. */
  async pollInbox(waitSeconds = this.config.inboxWaitSeconds): Promise<number> {
    const res = await this.call(`/fep/inbox?wait=${waitSeconds}`, { headers: this.headers() }, (waitSeconds + 15) * 1000);
    const text = await res.text();
    if (!res.ok) throw new Error(`inbox ${res.status} ${text.slice(0, 300)}`);
    const bundle = JSON.parse(text) as { entry?: { resource?: { resourceType?: string; id?: string } }[] };
    let handled = 0;
    for (const entry of bundle.entry ?? []) {
      const id = entry.resource?.id;
      if (entry.resource?.resourceType !== "Communication" || !id || !COMMUNICATION_ID.test(id) || id === "." || id === "..") {
        this.log("inbox-entry-ignored", { id });
        continue;
      }
      const file = path.join(this.dirs.inbox, `${id}.json`);
      if (!existsSync(file)) {
        writeFileAtomic(file, JSON.stringify(entry.resource, null, 2));
        this.counters.inboxWritten++;
      }
      const ack = await this.call(`/fep/inbox/${encodeURIComponent(id)}/ack`, { method: "POST", headers: this.headers() });
      await ack.text();
      // 404: acknowledged before (by an earlier run whose answer was lost) or expired: written already
      if (ack.ok || ack.status === 404) this.counters.inboxAcknowledged++;
      handled++;
    }
    return handled;
  }

  private async inboxLoop(): Promise<void> {
    const { min, max } = this.config.backoffMs;
    let backoff = 0;
    while (!this.stopping.signal.aborted) {
      try {
        await this.pollInbox();
        backoff = 0;
      } catch (error) {
        if (this.stopping.signal.aborted) break;
        this.lastError = String(error);
        backoff = Math.min(max, backoff ? backoff * 2 : min);
        await sleep(backoff, this.stopping.signal);
      }
    }
  }
}
