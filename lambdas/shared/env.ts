/**
 * Reads the handler's environment, and fails fast naming what is missing. The environment is the one
 * the bundle was loaded with, kept when this module loads: in AWS it never changes, and the local
 * province sets a function's environment only while its bundle loads (local/runtime.ts), so a read
 * made later, per request, must not see another function's environment or none (it did: every claim
 * and the hub's connection board answered 500 under `npm start`).
 */
import { bucketEnvName, ENV, queueUrlEnvName, tableEnvName } from "./env-names.ts";

const loaded: Readonly<Record<string, string | undefined>> = { ...process.env };

/** A variable of the environment the bundle was loaded with */
export const envVar = (name: string): string | undefined => loaded[name];

function required(name: string): string {
  const value = loaded[name];
  if (value === undefined || value === "") throw new Error(`Environment variable ${name} is not set`);
  return value;
}

export interface NodeEnv {
  kind: "hub" | "city" | "insurance";
  /** "hub" or the city id */
  nodeId: string;
  ssmPrefix: string;
}

export function nodeEnv(): NodeEnv {
  const kind = required(ENV.nodeKind);
  if (kind !== "hub" && kind !== "city" && kind !== "insurance")
    throw new Error(`${ENV.nodeKind} must be hub, city or insurance, not ${kind}`);
  return { kind, nodeId: required(ENV.nodeId), ssmPrefix: required(ENV.ssmPrefix) };
}

export const tableName = (tableId: string): string => required(tableEnvName(tableId));
export const queueUrl = (queueId: string): string => required(queueUrlEnvName(queueId));
export const bucketName = (bucketId: string): string => required(bucketEnvName(bucketId));
export const positiveIntEnv = (name: string): number => {
  const n = Number(required(name));
  if (!Number.isInteger(n) || n <= 0) throw new Error(`Environment variable ${name} must be a positive integer`);
  return n;
};
