/**
 * What every command-line tool of this repository shares: one line saying what to do instead of a
 * stack trace (bad arguments, no province listening, a refused credential), `--help`, and where the
 * local province is (PORT and HHC_DATA_DIR, as for npm start).
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { type ParseArgsConfig, parseArgs } from "node:util";

/** Prints one line to stderr and exits (2: the command was not run as asked; 1: it ran and failed). */
export function fail(message: string, code = 2): never {
  console.error(message);
  process.exit(code);
}

/** Parses the arguments, prints `usage` for --help (exit 0), and turns a parse error into one line. */
export function parseCli<T extends ParseArgsConfig>(config: T, usage: string, command: string) {
  if (process.argv.slice(2).some((a) => a === "--help" || a === "-h" || a === "help")) {
    console.log(usage.trim());
    process.exit(0);
  }
  try {
    return parseArgs(config);
  } catch (error) {
    return fail(`${(error as Error).message} (${command} --help lists the commands and options)`);
  }
}

/** The local province's data folder (HHC_DATA_DIR, default .data), absolute. */
export const dataDir = (): string => path.resolve(process.env.HHC_DATA_DIR ?? ".data");

/**
 * The running local province's base URL: PORT when set, else the gateway its data folder's
 * endpoints.json names (written by npm start), else port 8080.
 */
export function localProvinceUrl(): string {
  if (process.env.PORT) return `http://127.0.0.1:${process.env.PORT}`;
  try {
    return (JSON.parse(readFileSync(path.join(dataDir(), "endpoints.json"), "utf8")) as { gateway: string }).gateway;
  } catch {
    return "http://127.0.0.1:8080";
  }
}

/** fetch, but nothing listening is one line saying what to do. */
export async function fetchOrFail(url: string, init: RequestInit, hint: string): Promise<Response> {
  try {
    return await fetch(url, init);
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause?.code ?? (error as Error).message;
    return fail(`Nothing answers at ${new URL(url).origin} (${cause}): ${hint}`, 1);
  }
}

/** Runs a command's body; an unexpected error is one line, not a stack trace. */
export async function runCli(main: () => Promise<void>): Promise<void> {
  try {
    await main();
  } catch (error) {
    fail(`error: ${(error as Error).message}`, 1);
  }
}
