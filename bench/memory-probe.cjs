/**
 * Preloaded into the local province by bench/overload-memory.ts (NODE_OPTIONS=--require): every
 * second, the process's memory as one JSON line appended to the file HHC_MEMORY_PROBE names.
 * Only in the process running local/main.ts (not in npm's or tsx's wrappers).
 */
const { appendFileSync } = require("node:fs");

const file = process.env.HHC_MEMORY_PROBE;
if (file && process.argv.some((a) => a.endsWith("local/main.ts"))) {
  const started = Date.now();
  setInterval(() => {
    const m = process.memoryUsage();
    const line = {
      s: Math.round((Date.now() - started) / 1000),
      rss: m.rss,
      heapUsed: m.heapUsed,
      heapTotal: m.heapTotal,
      external: m.external,
    };
    appendFileSync(file, `${JSON.stringify(line)}\n`);
  }, 1000).unref();
}
