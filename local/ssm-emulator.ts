/**
 * A small SSM Parameter Store emulator speaking the AWS JSON 1.1 protocol (the actions the
 * nodes use: GetParameter, GetParameters, PutParameter, GetParametersByPath, DeleteParameter),
 * so discovery runs locally as in AWS. The functions call it as the SDK does, without its client
 * (lambdas/shared/aws-api.ts): it answers only requests that are, like the SDK's, SigV4-signed for
 * ssm and sent as JSON 1.1 (local/json-1-1.ts), so a drift of that path fails locally too. Parameters
 * persist in a JSON file of the data folder.
 */
import { existsSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { clock } from "#shared/clock.ts";
import { type Json11Action, serveJson11 } from "./json-1-1.ts";

interface Parameter {
  Name: string;
  Value: string;
  Type: string;
  Version: number;
  LastModifiedDate: number;
}

/** GetParametersByPath answers at most this many parameters a page (AWS's limit) */
const PAGE_SIZE = 10;

export interface SsmEmulator {
  url: string;
  put(name: string, value: string): void;
  stop(): Promise<void>;
}

export async function startSsmEmulator(file: string): Promise<SsmEmulator> {
  const params = new Map<string, Parameter>(existsSync(file) ? Object.entries(JSON.parse(readFileSync(file, "utf8"))) : []);
  const save = () => {
    writeFileSync(`${file}.tmp`, JSON.stringify(Object.fromEntries(params), null, 1));
    renameSync(`${file}.tmp`, file);
  };
  const put = (name: string, value: string, type = "String"): Parameter => {
    const p: Parameter = {
      Name: name,
      Value: value,
      Type: type,
      Version: (params.get(name)?.Version ?? 0) + 1,
      LastModifiedDate: clock.nowMs() / 1000,
    };
    params.set(name, p);
    save();
    return p;
  };
  const notFound = (name: string) => ({ status: 400, body: { __type: "ParameterNotFound", message: `Parameter ${name} not found.` } });

  const actions: Record<string, Json11Action> = {
    GetParameter: ({ Name }) => {
      const p = params.get(String(Name));
      return p ? { status: 200, body: { Parameter: p } } : notFound(String(Name));
    },
    GetParameters: ({ Names }) => {
      const names = (Names as string[]) ?? [];
      return {
        status: 200,
        body: { Parameters: names.flatMap((n) => params.get(n) ?? []), InvalidParameters: names.filter((n) => !params.has(n)) },
      };
    },
    GetParametersByPath: ({ Path, Recursive, MaxResults, NextToken }) => {
      const prefix = String(Path).replace(/\/?$/, "/");
      const found = [...params.values()]
        .filter((p) => p.Name.startsWith(prefix) && (Recursive || !p.Name.slice(prefix.length).includes("/")))
        .sort((a, b) => a.Name.localeCompare(b.Name));
      // pages of at most 10, as in AWS, so that callers follow NextToken here too
      const size = Math.min(Number(MaxResults ?? PAGE_SIZE), PAGE_SIZE);
      const start = NextToken === undefined ? 0 : Number(NextToken);
      if (!Number.isInteger(start) || start < 0) return { status: 400, body: { __type: "ValidationException", message: "bad NextToken" } };
      const next = start + size;
      return {
        status: 200,
        body: { Parameters: found.slice(start, next), ...(next < found.length ? { NextToken: String(next) } : {}) },
      };
    },
    PutParameter: ({ Name, Value, Type, Overwrite }) => {
      if (params.has(String(Name)) && !Overwrite) {
        return { status: 400, body: { __type: "ParameterAlreadyExists", message: `Parameter ${Name} already exists.` } };
      }
      return { status: 200, body: { Version: put(String(Name), String(Value), String(Type ?? "String")).Version, Tier: "Standard" } };
    },
    DeleteParameter: ({ Name }) => {
      if (!params.delete(String(Name))) return notFound(String(Name));
      save();
      return { status: 200, body: {} };
    },
  };

  const server = await serveJson11("ssm", "AmazonSSM", actions);
  return { url: server.url, put: (name, value) => void put(name, value), stop: server.stop };
}
