/**
 * Counts every HTTP request an in-process local province makes (node:http and fetch, by diagnostics
 * channel), by where it goes: the gateway (by path, ids folded by `pathOf`), DynamoDB by operation, SQS, S3, SSM.
 * `tag` names the bucket a request is counted in (undefined: not counted).
 * Used by bench/health-card-round-trips.ts and bench/documents-round-trips.ts.
 */
import { subscribe } from "node:diagnostics_channel";
import { rmSync } from "node:fs";
import type { ClientRequest } from "node:http";
import { freshDataDir } from "#lib/harness/process.ts";
import { type RunningProvince, startProvince } from "../local/province.ts";
import { endpointNamer } from "./simulation-child.ts";

/** A fresh in-process province that logs nothing, its caches as asked (the practitioner check's: the authorizer's unless given) */
export const quietProvince = (port: string, authorizerCache: string, practitionerCache?: string) =>
  startProvince({
    dataDir: freshDataDir(),
    port: Number(port),
    authorizerCacheSeconds: Number(authorizerCache),
    ...(practitionerCache === undefined ? {} : { practitionerCacheSeconds: Number(practitionerCache) }),
    log: () => {},
  });

export function roundTripCounter(dataDir: string, tag: () => string | undefined, pathOf = (path: string) => path.split("?")[0]!) {
  const counts = new Map<string, number>();
  const count = (what: string) => {
    const t = tag();
    if (t !== undefined) counts.set(t ? `${t}|${what}` : what, (counts.get(t ? `${t}|${what}` : what) ?? 0) + 1);
  };
  const where = endpointNamer(dataDir);
  subscribe("http.client.request.start", (message) => {
    const request = (message as { request: ClientRequest }).request;
    const target = String(request.getHeader("x-amz-target") ?? "").split(".")[1];
    count(`${where(String(request.getHeader("host")))}${target ? ` ${target}` : ` ${request.method} ${pathOf(request.path)}`}`);
  });
  subscribe("undici:request:create", (message) => {
    const request = (message as { request: { origin: string; method: string; path: string } }).request;
    count(`${where(new URL(request.origin).host)} ${request.method} ${pathOf(request.path)}`);
  });
  return counts;
}

/** Runs the bench's body, then stops the province and removes its data folder (a fresh one: nothing to keep) and exits */
export async function runThenStop(province: RunningProvince, body: () => Promise<void>): Promise<never> {
  try {
    await body();
  } catch (error) {
    console.error(error);
    process.exitCode = 1;
  } finally {
    await province.stop();
    rmSync(province.dataDir, { recursive: true, force: true });
  }
  process.exit();
}
