/**
 * A local Lambda: the deployed bundle, imported once per node on first invocation (a cold
 * start) as its own module instance, with the environment the stack would give it.
 * Handlers read their environment at init, so the node's variables are set while it loads.
 */
import { randomUUID } from "node:crypto";
import path from "node:path";
import { pathToFileURL } from "node:url";
import type { Context } from "aws-lambda";
import type { FunctionDeclaration } from "#lib/declaration/types.ts";

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
  ) {}

  get name(): string {
    return `${this.nodeId}-${this.declaration.id}`;
  }

  async invoke<R = unknown>(event: unknown): Promise<R> {
    this.loaded ??= importIsolated(
      path.join(this.bundleDir, "index.mjs"),
      `node=${this.nodeId}&fn=${this.declaration.id}&gen=${this.generation}`,
      this.env,
    );
    const { handler } = await this.loaded;
    this.invocations++;
    const timeoutMs = this.declaration.timeoutSeconds * 1000;
    const deadline = performance.now() + timeoutMs; // Lambda's timeout runs in real time
    const context = {
      callbackWaitsForEmptyEventLoop: false,
      functionName: this.name,
      functionVersion: "$LATEST",
      invokedFunctionArn: `arn:aws-cn:lambda:cn-north-1:000000000000:function:${this.name}`,
      memoryLimitInMB: String(this.declaration.memoryMb),
      awsRequestId: randomUUID(),
      logGroupName: `/aws/lambda/${this.name}`,
      logStreamName: "local",
      getRemainingTimeInMillis: () => Math.max(0, deadline - performance.now()),
      done: () => undefined,
      fail: () => undefined,
      succeed: () => undefined,
    } satisfies Context;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new FunctionTimeoutError(`${this.name} timed out after ${this.declaration.timeoutSeconds} s`)),
        timeoutMs,
      );
    });
    try {
      return (await Promise.race([handler(event, context), timeout])) as R;
    } finally {
      clearTimeout(timer);
    }
  }
}
