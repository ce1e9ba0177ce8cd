/** What the simulation benches share: the simulation (`npm run simulate`) as a child process, its JSON report; where a local request goes. */
import { spawn } from "node:child_process";
import { readFileSync, rmSync } from "node:fs";

export interface SimulationReport {
  wallSeconds: number;
  backlogLeft: number;
  delivered: Record<string, number>;
  perSecond: { patients: number; documents: number; encounters: number; claims: number };
}

/**
 * Runs the simulation against a province with these options (`--base`, `--data` … ; `--json` added) and
 * answers its report. The simulation exits 1 when a backlog is left after its drain; `allowBacklog`
 * answers that report all the same (an overload's bench expects one).
 */
export function runSimulation(args: string[], { allowBacklog = false } = {}): Promise<SimulationReport> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", "scripts/simulate.ts", ...args, "--json"], {
      stdio: ["ignore", "pipe", "inherit"],
    });
    let out = "";
    child.stdout.on("data", (chunk: Buffer) => {
      out += chunk.toString("utf8");
    });
    child.on("exit", (code) => {
      // a run left with a backlog keeps its FEP folders (docs/simulation.md); a bench's are for nobody to look at
      const kept = out.match(/"workDir": ("[^"]*")/)?.[1];
      if (kept) rmSync(JSON.parse(kept) as string, { recursive: true, force: true });
      const report = out.includes("{") ? (JSON.parse(out.slice(out.indexOf("{"))) as SimulationReport) : undefined;
      if (report && (code === 0 || (code === 1 && allowBacklog && report.backlogLeft > 0))) return resolve(report);
      reject(new Error(`the simulation exited with ${code}`));
    });
  });
}

/** A local province's emulators and gateway by port (its data folder's endpoints.json): "host:port" → its name, else the host */
export function endpointNamer(dataDir: string): (host: string) => string {
  const endpoints = JSON.parse(readFileSync(`${dataDir}/endpoints.json`, "utf8")) as Record<string, string>;
  const byPort = new Map<string, string>(
    Object.entries(endpoints)
      .filter(([, v]) => typeof v === "string" && v.startsWith("http"))
      .map(([k, v]) => [new URL(v).port, k]),
  );
  return (host: string) => byPort.get(host.split(":")[1] ?? "") ?? host;
}
