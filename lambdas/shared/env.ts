/**
 * Reads the handler's environment once, at init, and fails fast naming what is missing.
 * Handlers call these at module top level, never per request.
 */
import { bucketEnvName, ENV, queueUrlEnvName, tableEnvName } from "./env-names.ts";

function required(name: string): string {
  const value = process.env[name];
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
