/**
 * `npm start`: runs the whole province on this machine and prints each node's base URL.
 * PORT (default 8080) and HHC_DATA_DIR (default .data) override; Ctrl-C stops cleanly.
 */
import { stopWithParent } from "./parent-watch.ts";
import { startProvince } from "./province.ts";

const port = Number(process.env.PORT ?? 8080);
// kept on purpose between runs, never removed on stop: it holds what the province accepted (nothing is lost)
const dataDir = process.env.HHC_DATA_DIR ?? ".data";

const authorizerCacheSeconds = Number(process.env.HHC_AUTHORIZER_CACHE_SECONDS ?? 0);
// the cities' practitioner check is kept as long as the authorizer's answer unless set apart
const practitionerCache = process.env.HHC_PRACTITIONER_CACHE_SECONDS;
const practitionerCacheSeconds = practitionerCache ? Number(practitionerCache) : undefined;
const batchingWindows = process.env.HHC_BATCHING_WINDOWS === "1";
const province = await startProvince({ dataDir, port, authorizerCacheSeconds, practitionerCacheSeconds, batchingWindows });
const { readyMs, seeded, seedMs, bundlesBuilt, bundlesReused } = province.timings;
console.log(
  `Hebei Health Cloud — local province ready in ${(readyMs / 1000).toFixed(1)} s` +
    (seeded ? ` (first start: seeded 467 hospitals and their staff in ${(seedMs / 1000).toFixed(1)} s)` : "") +
    ` (handler bundles: ${bundlesBuilt} built, ${bundlesReused} unchanged)`,
);
console.log(`  data folder      ${province.dataDir}`);
console.log(`  credentials      ${province.credentialsFile}`);
console.log(`  dashboard        ${province.url}/   (open in a browser; npm run simulate puts the province to work)`);
for (const node of province.nodes) console.log(`  ${node.nodeId.padEnd(16)} ${node.url}`);
const operator = `$(node -p 'require("${province.credentialsFile}").operator')`;
console.log(`Try:  curl -s -H "Authorization: Bearer ${operator}" ${province.url}/hub/connections | head -c 300`);
console.log(`      or the index of nodes: curl -s ${province.url}/`);
console.log("Ctrl-C stops.");

let stopping = false;
const shutdown = async (signal: string) => {
  if (stopping) return;
  stopping = true;
  console.log(`\n${signal}: stopping…`);
  await province.stop();
  process.exit(0);
};
process.on("SIGINT", () => void shutdown("SIGINT"));
process.on("SIGTERM", () => void shutdown("SIGTERM"));
stopWithParent((why) => void shutdown(why));
