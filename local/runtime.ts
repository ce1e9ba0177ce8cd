/**
 * A local Lambda: the deployed bundle, imported once per node on first invocation (a cold
 * start) as its own module instance, with the environment the stack would give it.
 * Handlers read their environment at init, so the node's variables are set while it loads.
 */
import path from "node:path";
import { pathToFileURL } from "node:url";
import type { Context } from "aws-lambda";
import type { FunctionDeclaration } from "#lib/declaration/types.ts";
import { lambdaContext } from "./lambda-context.mjs";
import type { HandlerPool } from "./workers.ts";

type Handler = (event: unknown, context: Context) => Promise<unknown>;

let importChain: Promise<unknown> = Promise.resolve();

/** Imports a fresh module instance with `env` set during its evaluation; one import at a time. */
function importIsolated(file: string, instanceKey: string, env: Record<string, string>): Promise<{ handler: Handler }> {
  const run = async () => {
    const saved = Object.fromEntries(Object.keys(env).map((k) => [k, process.env[k]]));
    Object.assign(process.env, env);
    try {
      const mod = (await import(`${pathToFileURL(file).href}?${instanceKey}`)) as { handler?: Handler };
      if (typeof mod.handler !== "function") throw new Error(`${file} exports no handler`);
      return { handler: mod.handler };
    } finally {
      for (const [k, v] of Object.entries(saved)) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
    }
  };
  const result = importChain.then(run, run);
  importChain = result.catch(() => undefined);
  return result;
}

export class FunctionTimeoutError extends Error {
  override name = "FunctionTimeoutError";
}

export class LocalFunction {
  private loaded?: Promise<{ handler: Handler }>;
  invocations = 0;

  constructor(
    readonly nodeId: string,
    readonly declaration: FunctionDeclaration,
    readonly bundleDir: string,
    private readonly env: Record<string, string>,
    private readonly generation: number,
    /** Worker threads to run in (HHC_WORKERS), else this thread */
    private readonly pool?: HandlerPool,
  ) {}

  get name(): string {
    return `${this.nodeId}-${this.declaration.id}`;
  }

  async invoke<R = unknown>(event: unknown): Promise<R> {
    const file = path.join(this.bundleDir, "index.mjs");
    const instanceKey = `node=${this.nodeId}&fn=${this.declaration.id}&gen=${this.generation}`;
    const timeoutMs = this.declaration.timeoutSeconds * 1000;
    if (this.pool) {
      this.invocations++;
      const run = this.pool.run({
        file,
        instanceKey,
        env: this.env,
        event,
        functionName: this.name,
        memoryMb: this.declaration.memoryMb,
        remainingMs: timeoutMs,
      });
      await run.started;
      return this.withTimeout(run.done as Promise<R>, timeoutMs);
    }
    this.loaded ??= importIsolated(file, instanceKey, this.env);
    const { handler } = await this.loaded;
    this.invocations++;
    const deadline = performance.now() + timeoutMs; // Lambda's timeout runs in real time
    const context = lambdaContext(this.name, this.declaration.memoryMb, deadline);
    return this.withTimeout(handler(event, context) as Promise<R>, timeoutMs);
  }

  private async withTimeout<R>(run: Promise<R>, timeoutMs: number): Promise<R> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new FunctionTimeoutError(`${this.name} timed out after ${this.declaration.timeoutSeconds} s`)),
        timeoutMs,
      );
    });
    try {
      return await Promise.race([run, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }
}
