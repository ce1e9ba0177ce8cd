/**
 * A worker thread of the local province's handler pool (local/workers.ts): it imports each
 * function's bundle once, as its own module instance with the function's environment set while it
 * loads (as local/runtime.ts does on the main thread), and runs the invocations the main thread
 * posts. Plain JavaScript: it runs without the TypeScript loader. The province clock's offset comes
 * with each invocation; *.localhost resolves to the loopback here too (the SQS emulator's queue URLs).
 */
import { pathToFileURL } from "node:url";
import { parentPort } from "node:worker_threads";
import { interceptLocalhostDns } from "fauxqs";
import { lambdaContext } from "./lambda-context.mjs";

interceptLocalhostDns();
const OFFSET = Symbol.for("hhc.province-clock.offset-ms");
const modules = new Map();
let importChain = Promise.resolve();

function load(file, instanceKey, env) {
  let loaded = modules.get(instanceKey);
  if (loaded) return loaded;
  const run = async () => {
    const saved = Object.fromEntries(Object.keys(env).map((k) => [k, process.env[k]]));
    Object.assign(process.env, env);
    try {
      const mod = await import(`${pathToFileURL(file).href}?${instanceKey}`);
      if (typeof mod.handler !== "function") throw new Error(`${file} exports no handler`);
      return mod.handler;
    } finally {
      for (const [k, v] of Object.entries(saved)) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
    }
  };
  loaded = importChain.then(run, run);
  importChain = loaded.catch(() => undefined);
  modules.set(instanceKey, loaded);
  return loaded;
}

parentPort.on("message", async (m) => {
  if (m.clockOffsetMs > (globalThis[OFFSET] ?? 0)) globalThis[OFFSET] = m.clockOffsetMs;
  try {
    const handler = await load(m.file, m.instanceKey, m.env);
    // the timeout runs from here, as on the main thread: a cold start's import is not the invocation's time
    const deadline = performance.now() + m.remainingMs;
    parentPort.postMessage({ id: m.id, started: true });
    const context = lambdaContext(m.functionName, m.memoryMb, deadline);
    const result = await handler(m.event, context);
    parentPort.postMessage({ id: m.id, ok: true, result });
  } catch (error) {
    const e = error instanceof Error ? error : new Error(String(error));
    parentPort.postMessage({ id: m.id, ok: false, error: { name: e.name, message: e.message, stack: e.stack } });
  }
});
