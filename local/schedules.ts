/**
 * EventBridge schedules, locally, on the province clock: each schedule is due every N minutes of
 * province time. A short real interval checks what is due, so after `POST /local/clock` advances
 * the clock past a due time the schedule fires at once (`check()`), not after N real minutes.
 * A schedule that is still running when it falls due again is not started twice.
 */
import { clock } from "#shared/clock.ts";

/** How often, in real time, the schedules look at the province clock */
export const SCHEDULE_CHECK_MS = 1000;

interface Schedule {
  name: string;
  periodMs: number;
  nextDueMs: number;
  running: boolean;
  /** false: stopped (the evidence sealer's switch, local/evidence.ts) */
  enabled: boolean;
  fire: (time: string) => Promise<unknown>;
}

export class LocalSchedules {
  private readonly schedules: Schedule[] = [];
  private timer?: NodeJS.Timeout;
  private started = false;

  constructor(private readonly log: (line: string) => void) {}

  /** Adds a schedule; it fires once at start (re-driving what a previous run left in flight), then every `everyMinutes`. */
  add(name: string, everyMinutes: number, fire: (time: string) => Promise<unknown>): void {
    const schedule: Schedule = { name, periodMs: everyMinutes * 60_000, nextDueMs: 0, running: false, enabled: true, fire };
    this.schedules.push(schedule);
  }

  start(): void {
    this.started = true;
    this.check();
    this.timer = setInterval(() => this.check(), SCHEDULE_CHECK_MS);
    this.timer.unref();
  }

  /** Fires every schedule whose due time the province clock has reached. */
  check(): void {
    if (!this.started) return; // before the handlers are bundled, an advance waits for start()
    const now = clock.nowMs();
    for (const s of this.schedules) {
      if (!s.enabled || s.running || now < s.nextDueMs) continue;
      s.nextDueMs = now + s.periodMs;
      s.running = true;
      s.fire(new Date(now).toISOString())
        .catch((e: Error) => this.log(`${s.name}: ${e.message}`))
        .finally(() => {
          s.running = false;
        });
    }
  }

  enabled(name: string): boolean | undefined {
    return this.schedules.find((s) => s.name === name)?.enabled;
  }

  /** Stops or restarts a schedule; restarted, it fires at the next check */
  setEnabled(name: string, enabled: boolean): void {
    for (const s of this.schedules.filter((x) => x.name === name)) {
      s.enabled = enabled;
      if (enabled) s.nextDueMs = 0;
    }
    if (enabled) this.check();
  }

  /** Resolves once no schedule is running (the runs at start, or after a clock advance, are over) */
  async idle(pollMs = 200): Promise<void> {
    while (this.schedules.some((s) => s.running)) await new Promise((resolve) => setTimeout(resolve, pollMs));
  }

  stop(): void {
    this.started = false;
    clearInterval(this.timer);
  }
}
