/**
 * The local province's handler pool (docs/capacity.md): with HHC_WORKERS=<n>, handlers run in n
 * worker threads (local/handler-worker.mjs) while the emulators, the gateway and the schedules keep
 * the main thread, so the province uses a second core. Each worker loads a bundle once, on its first
 * invocation there; an invocation goes to the worker with the fewest in flight. Without it (the
 * default), handlers run on the main thread (local/runtime.ts), as before.
 */
import { Worker } from "node:worker_threads";
import { clockOffsetMs } from "#shared/clock.ts";

export interface PooledInvocation {
  file: string;
  instanceKey: string;
  env: Record<string, string>;
  event: unknown;
  functionName: string;
  memoryMb: number;
  remainingMs: number;
}

interface Pending {
  started: () => void;
  resolve: (value: unknown) => void;
  reject: (error: Error) => void;
}

/** An invocation in a worker: `started` once its bundle is loaded (the timeout runs from there), `done` with its answer */
export interface PooledRun {
  started: Promise<void>;
  done: Promise<unknown>;
}

class PooledWorker {
  readonly worker: Worker;
  inFlight = 0;
  private readonly pending = new Map<number, Pending>();

  constructor() {
    this.worker = new Worker(new URL("./handler-worker.mjs", import.meta.url));
    this.worker.unref();
    this.worker.on(
      "message",
      (m: { id: number; started?: true; ok?: boolean; result?: unknown; error?: { name: string; message: string; stack?: string } }) => {
        const p = this.pending.get(m.id);
        if (!p) return;
        if (m.started) {
          p.started();
          return;
        }
        this.pending.delete(m.id);
        this.inFlight--;
        if (m.ok) p.resolve(m.result);
        else {
          const error = new Error(m.error!.message);
          error.name = m.error!.name;
          if (m.error!.stack) error.stack = m.error!.stack;
          p.reject(error);
        }
      },
    );
    this.worker.on("error", (error) => {
      for (const p of this.pending.values()) p.reject(error);
      this.pending.clear();
    });
  }

  run(id: number, invocation: PooledInvocation): PooledRun {
    this.inFlight++;
    let started: () => void = () => undefined;
    const startedPromise = new Promise<void>((resolve) => {
      started = resolve;
    });
    const done = new Promise((resolve, reject) => {
      this.pending.set(id, {
        started,
        resolve,
        reject: (error) => {
          started(); // a failed load settles the run
          reject(error);
        },
      });
      this.worker.postMessage({ id, clockOffsetMs: clockOffsetMs(), ...invocation });
    });
    return { started: startedPromise, done };
  }
}

export class HandlerPool {
  private readonly workers: PooledWorker[];
  private next = 0;

  constructor(size: number) {
    if (!Number.isInteger(size) || size < 1) throw new Error(`HHC_WORKERS: a whole number of workers, 1 or more, got ${size}`);
    this.workers = Array.from({ length: size }, () => new PooledWorker());
  }

  get size(): number {
    return this.workers.length;
  }

  run(invocation: PooledInvocation): PooledRun {
    const worker = this.workers.reduce((a, b) => (b.inFlight < a.inFlight ? b : a));
    return worker.run(++this.next, invocation);
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.worker.terminate()));
  }
}

/** The pool HHC_WORKERS asks for, or none (handlers on the main thread) */
export function handlerPoolFromEnv(value = process.env.HHC_WORKERS): HandlerPool | undefined {
  if (value === undefined || value === "" || value === "0") return undefined;
  return new HandlerPool(Number(value));
}
