/**
 * The province clock, locally: `GET /local/clock` answers `{"now": "<ISO 8601>"}` and
 * `POST /local/clock {"advanceSeconds": n}` moves time forward for every node at once (the offset
 * of lambdas/shared/clock.ts, shared by every handler bundle in the process). It never moves
 * backward, and the offset is kept in `<dataDir>/clock.json`, so a restart resumes at the same time.
 * Loopback callers only. The schedules (local/schedules.ts) see an advance at their next check.
 */
import { existsSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import type { IncomingMessage, ServerResponse } from "node:http";
import path from "node:path";
import { clock, clockOffsetMs, setClockOffsetMs } from "#shared/clock.ts";

export const CLOCK_FILE = "clock.json";
export const CLOCK_PATH = "/local/clock";
/** Ten years: an advance beyond it is a typing error, not a test */
export const MAX_ADVANCE_SECONDS = 10 * 365 * 24 * 3600;

export const isLoopback = (address: string | undefined): boolean =>
  address === "127.0.0.1" || address === "::1" || address === "::ffff:127.0.0.1";

/**
 * Restores the offset a previous run of this data folder reached. The offset lives on the process,
 * so a province started after another one in the same process keeps the later of the two times.
 */
export function restoreClock(dataDir: string): void {
  const file = path.join(dataDir, CLOCK_FILE);
  const saved = existsSync(file) ? Number((JSON.parse(readFileSync(file, "utf8")) as { offsetMs?: unknown }).offsetMs) : 0;
  if (Number.isFinite(saved) && saved > clockOffsetMs()) setClockOffsetMs(saved);
  recordOffset();
  persist(dataDir);
}

/** The offsets the clock had in this process, each from a real instant on (never decreasing) */
const offsets: { sinceMs: number; offsetMs: number }[] = [];
function recordOffset(): void {
  const offsetMs = clockOffsetMs();
  if (offsets.at(-1)?.offsetMs !== offsetMs) offsets.push({ sinceMs: Date.now(), offsetMs });
}

/**
 * The province time of a real instant of this process (an object's LastModified, which the S3
 * emulator stamps by the system clock): what the province clock read then. An instant before the
 * first offset this process knew gets that offset, the latest it can have had, so an object
 * written by an earlier run is never taken for older than it is.
 */
export function provinceTimeOf(realMs: number): number {
  let offsetMs = offsets[0]?.offsetMs ?? clockOffsetMs();
  for (const o of offsets) if (o.sinceMs <= realMs) offsetMs = o.offsetMs;
  return realMs + offsetMs;
}

function persist(dataDir: string): void {
  const file = path.join(dataDir, CLOCK_FILE);
  writeFileSync(`${file}.tmp`, `${JSON.stringify({ offsetMs: clockOffsetMs(), now: clock.isoNow() })}\n`);
  renameSync(`${file}.tmp`, file);
}

export interface ClockRequest {
  method: string;
  remoteAddress: string | undefined;
  body: string;
}

export interface ClockAnswer {
  status: number;
  body: Record<string, unknown>;
}

const outcome = (status: number, code: string, diagnostics: string, expression?: string): ClockAnswer => ({
  status,
  body: {
    resourceType: "OperationOutcome",
    issue: [{ severity: "error", code, diagnostics, ...(expression ? { expression: [expression] } : {}) }],
  },
});

/** The clock's answer to a request (no I/O but the persisted offset): loopback only, forward only. */
export function answerClock(dataDir: string, request: ClockRequest, advanced: () => void = () => {}): ClockAnswer {
  if (!isLoopback(request.remoteAddress)) return outcome(403, "forbidden", "The province clock answers only on the loopback address");
  if (request.method === "GET") return { status: 200, body: { now: clock.isoNow() } };
  if (request.method !== "POST") return outcome(405, "not-supported", "GET reads the province clock; POST advances it");
  let advanceSeconds: unknown;
  try {
    advanceSeconds = (JSON.parse(request.body) as { advanceSeconds?: unknown } | null)?.advanceSeconds;
  } catch {
    return outcome(400, "invalid", 'The body is not JSON; send {"advanceSeconds": <integer ≥ 0>}', "advanceSeconds");
  }
  if (typeof advanceSeconds !== "number" || !Number.isInteger(advanceSeconds) || advanceSeconds < 0)
    return outcome(400, "invalid", "advanceSeconds must be an integer ≥ 0: the province clock never moves backward", "advanceSeconds");
  if (advanceSeconds > MAX_ADVANCE_SECONDS)
    return outcome(400, "invalid", `advanceSeconds is at most ${MAX_ADVANCE_SECONDS} (ten years)`, "advanceSeconds");
  if (advanceSeconds > 0) {
    setClockOffsetMs(clockOffsetMs() + advanceSeconds * 1000);
    recordOffset();
    persist(dataDir);
    advanced();
  }
  return { status: 200, body: { now: clock.isoNow() } };
}

/** The gateway's route for `/local/clock` (any method; the answer decides). */
export function clockRoute(dataDir: string, advanced: () => void) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of req) {
      size += (chunk as Buffer).length;
      if (size <= 4096) chunks.push(chunk as Buffer); // a longer body is no clock request: read on, keep none
    }
    const answer = answerClock(
      dataDir,
      { method: req.method ?? "GET", remoteAddress: req.socket.remoteAddress, body: Buffer.concat(chunks).toString("utf8") },
      advanced,
    );
    const type = answer.status === 200 ? "application/json" : "application/fhir+json";
    res.writeHead(answer.status, { "content-type": type, "cache-control": "no-store" }).end(JSON.stringify(answer.body));
  };
}
