/**
 * Runs the shell examples of a Markdown page, in order, in one bash shell, and checks what the text
 * promises. The convention (docs/walkthrough.md, "How the examples are tested"):
 *
 * - Every fenced block tagged `bash` runs. A block tagged `sh`, `shell` or `console` is an error (tag it
 *   `bash`), so no shell example escapes the run.
 * - `<!-- skip: <reason> -->` on the line before the fence skips the block (AWS deploys, `npm start`,
 *   commands that run until Ctrl-C). The reason is required.
 * - A line `# expect: <checks>` inside a block checks the commands above it (since the previous
 *   `# expect:` line). Checks, separated by spaces:
 *     `201`              the HTTP status of the last curl of those commands
 *     `path=value`       a field of the last curl's JSON answer (of what the commands printed when no
 *                        status is expected) equals value; dotted, numbers index arrays (`entry.0.resource.id`)
 *     `path~text`        the field (JSON-encoded unless a string) contains text; `body~text`: the raw body
 *     `path>=n`          the field is a number ≥ n
 *     `within=<seconds>` re-run those commands until every check passes or the time is up (searches
 *                        that wait for the hub, the inbox, a settlement; the commands must be repeatable)
 *   Values may name shell variables (`$TS_ID`): the shell expands them. A value holds no spaces.
 * - The shell runs with `set -eu` in the repository root: a failing command (an unreachable node, a
 *   `node -p` that throws) or an undefined variable fails the page. The page's blocks share the shell.
 */
import { type ChildProcessWithoutNullStreams, spawn } from "node:child_process";
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { removeScratchFolder, scratchFolder } from "#lib/harness/scratch.ts";

export interface Check {
  path: string;
  op: "=" | "~" | ">=";
  value: string;
}

export interface Step {
  /** The commands, as they appear in the block */
  code: string;
  /** 1-based line in the page of the step's first line */
  line: number;
  status?: number;
  checks: Check[];
  withinSeconds?: number;
}

export interface Block {
  line: number;
  skip?: string;
  steps: Step[];
}

const EXPECT = /^\s*#\s*expect:\s*(.*)$/;
const SKIP = /^\s*<!--\s*skip:\s*(.*?)\s*-->\s*$/;
const FENCE = /^(\s*)(`{3,})\s*([\w-]*)\s*(.*)$/;

export function parseExpect(text: string): Pick<Step, "status" | "checks" | "withinSeconds"> {
  const result: Pick<Step, "status" | "checks" | "withinSeconds"> = { checks: [] };
  for (const token of text.trim().split(/\s+/).filter(Boolean)) {
    if (/^\d{3}$/.test(token)) result.status = Number(token);
    else if (/^within=\d+$/.test(token)) result.withinSeconds = Number(token.slice(7));
    else {
      const m = /^([\w.$-]+?)(>=|=|~)(.*)$/.exec(token);
      if (!m) throw new Error(`cannot read the check "${token}" (status, path=value, path~text, path>=n or within=seconds)`);
      result.checks.push({ path: m[1]!, op: m[2] as Check["op"], value: m[3]! });
    }
  }
  return result;
}

/** The shell blocks of a Markdown page, each split into steps at its `# expect:` lines. */
export function extractBlocks(markdown: string): Block[] {
  const lines = markdown.split("\n");
  const blocks: Block[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = FENCE.exec(lines[i]!);
    if (!open) continue;
    const [, , ticks, lang] = open;
    const start = i;
    let end = i + 1;
    while (end < lines.length && !new RegExp(`^\\s*${ticks}\\s*$`).test(lines[end]!)) end++;
    i = end;
    if (["sh", "shell", "console", "zsh"].includes(lang!)) {
      throw new Error(
        `line ${start + 1}: a \`${lang}\` block: tag shell examples \`bash\` (with <!-- skip: reason --> if they cannot run)`,
      );
    }
    if (lang !== "bash") continue;
    const skip = SKIP.exec(lines[start - 1] ?? "")?.[1];
    if (skip === "") throw new Error(`line ${start}: <!-- skip: --> needs a reason`);
    const body = lines.slice(start + 1, end);
    const steps: Step[] = [];
    let from = 0;
    body.forEach((line, k) => {
      const m = EXPECT.exec(line);
      if (!m) return;
      let expect: ReturnType<typeof parseExpect>;
      try {
        expect = parseExpect(m[1]!);
      } catch (error) {
        throw new Error(`line ${start + 2 + k}: ${(error as Error).message}`);
      }
      steps.push({ code: body.slice(from, k + 1).join("\n"), line: start + 2 + from, ...expect });
      from = k + 1;
    });
    const rest = body.slice(from).join("\n");
    if (rest.trim()) steps.push({ code: rest, line: start + 2 + from, checks: [] });
    blocks.push({ line: start + 1, ...(skip ? { skip } : {}), steps });
  }
  return blocks;
}

const PRELUDE = `set -eu
__hhc_dir=$1
curl() { command curl -D "$__hhc_dir/headers" "$@" | tee -p "$__hhc_dir/body"; return "\${PIPESTATUS[0]}"; }
__hhc_mark() { printf '\\n\\036HHC'; for v in "$@"; do printf '\\037%s' "$v"; done; printf '\\n'; }
`;

/** A bash shell that runs steps one at a time and answers what each printed and fetched. */
export class DocShell {
  private readonly proc: ChildProcessWithoutNullStreams;
  private readonly dir = scratchFolder("hhc-docs-");
  private stdout = "";
  private stderr = "";
  private exited?: number | null;
  private wake?: () => void;
  private n = 0;

  constructor(cwd: string, env: NodeJS.ProcessEnv) {
    writeFileSync(path.join(this.dir, "prelude.sh"), PRELUDE);
    this.proc = spawn("bash", ["--noprofile", "--norc", "-s", this.dir], { cwd, env, stdio: "pipe" });
    this.proc.stdout.setEncoding("utf8").on("data", (d: string) => {
      this.stdout += d;
      this.wake?.();
    });
    this.proc.stderr.setEncoding("utf8").on("data", (d: string) => {
      this.stderr += d;
    });
    this.proc.on("close", (code) => {
      this.exited = code;
      this.wake?.();
    });
    this.proc.stdin.write(`. "${this.dir}/prelude.sh" "${this.dir}"\n`);
  }

  /** Runs `code`; answers its output, the last curl's status and body, and `expand` expanded by the shell. */
  async run(code: string, expand: string[], timeoutMs = 90_000) {
    const file = path.join(this.dir, `step-${++this.n}.sh`);
    writeFileSync(file, `${code}\n`);
    rmSync(path.join(this.dir, "headers"), { force: true });
    rmSync(path.join(this.dir, "body"), { force: true });
    const quoted = expand.map((v) => `"${v.replace(/[\\"`]/g, (c) => `\\${c}`)}"`).join(" ");
    this.stdout = "";
    this.stderr = "";
    this.proc.stdin.write(`. "${file}" </dev/null\n__hhc_mark ${quoted}\n`);
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const at = this.stdout.indexOf("\x1eHHC");
      const end = at >= 0 ? this.stdout.indexOf("\n", at) : -1;
      if (end >= 0) {
        const output = this.stdout.slice(0, at).replace(/\n$/, "");
        const expanded = this.stdout
          .slice(at + 4, end)
          .split("\x1f")
          .slice(1);
        return { output, expanded, ...this.lastCurl() };
      }
      if (this.exited !== undefined)
        throw new Error(
          `the shell stopped (exit ${this.exited}):\n${tail(this.stderr)}${this.stdout ? `\noutput:\n${tail(this.stdout)}` : ""}`,
        );
      if (Date.now() > deadline) throw new Error(`no end after ${timeoutMs} ms:\n${tail(this.stdout)}\n${tail(this.stderr)}`);
      await new Promise<void>((resolve) => {
        this.wake = resolve;
        setTimeout(resolve, 200);
      });
    }
  }

  private lastCurl(): { status?: number; body?: string } {
    let headers: string;
    try {
      headers = readFileSync(path.join(this.dir, "headers"), "utf8");
    } catch {
      return {};
    }
    const statuses = [...headers.matchAll(/^HTTP\/[\d.]+ (\d{3})/gm)].map((m) => Number(m[1]));
    let body = "";
    try {
      body = readFileSync(path.join(this.dir, "body"), "utf8");
    } catch {}
    // curl -i: the headers precede the body in its output
    if (/^HTTP\/[\d.]+ \d{3}/.test(body)) body = body.slice(body.lastIndexOf("\r\n\r\n") + 4);
    return { status: statuses.at(-1), body };
  }

  close(): void {
    this.proc.stdin.end();
    if (this.exited === undefined) this.proc.kill();
    removeScratchFolder(this.dir);
  }
}

const tail = (text: string) => text.split("\n").slice(-15).join("\n");

function valueAt(root: unknown, dotted: string): unknown {
  let v = root;
  for (const key of dotted.split(".")) {
    if (v === null || typeof v !== "object") return undefined;
    v = (v as Record<string, unknown>)[key];
  }
  return v;
}

/** What is wrong with a step's result; empty when every check passes. */
export function problems(step: Step, expanded: string[], result: { output: string; status?: number; body?: string }): string[] {
  const found: string[] = [];
  if (step.status !== undefined && result.status !== step.status)
    found.push(`status ${result.status ?? "(no curl ran)"}, expected ${step.status}`);
  // with a status: the last curl's answer; without: what the commands printed
  const text = step.status !== undefined ? (result.body ?? "") : result.output;
  let json: unknown;
  let parsed = false;
  step.checks.forEach((check, k) => {
    const value = expanded[k] ?? check.value;
    let actual: unknown;
    if (check.path === "body") actual = text;
    else {
      if (!parsed) {
        parsed = true;
        try {
          json = JSON.parse(text);
        } catch {
          json = undefined;
        }
      }
      if (json === undefined) {
        found.push(`${check.path}: the answer is not JSON`);
        return;
      }
      actual = valueAt(json, check.path);
    }
    const shown = typeof actual === "string" ? actual : JSON.stringify(actual);
    const ok =
      check.op === "="
        ? shown === value
        : check.op === "~"
          ? (shown ?? "").includes(value)
          : typeof actual === "number" && actual >= Number(value);
    if (!ok) found.push(`${check.path}${check.op}${value}: found ${shown === undefined ? "nothing" : shown.slice(0, 300)}`);
  });
  if (found.length > 0) found.push(`answer: ${text.slice(0, 600)}`);
  return found;
}

export interface PageResult {
  ran: number;
  skipped: { line: number; reason: string }[];
}

/** Runs every block of a page in one shell; throws at the first step whose checks fail. */
export async function runPage(file: string, options: { cwd: string; env: NodeJS.ProcessEnv }): Promise<PageResult> {
  const name = path.relative(options.cwd, file);
  let blocks: Block[];
  try {
    blocks = extractBlocks(readFileSync(file, "utf8"));
  } catch (error) {
    throw new Error(`${name}: ${(error as Error).message}`);
  }
  const shell = new DocShell(options.cwd, options.env);
  const result: PageResult = { ran: 0, skipped: [] };
  try {
    for (const block of blocks) {
      if (block.skip) {
        result.skipped.push({ line: block.line, reason: block.skip });
        continue;
      }
      for (const step of block.steps) {
        const deadline = Date.now() + (step.withinSeconds ?? 0) * 1000;
        for (;;) {
          let found: string[];
          try {
            const run = await shell.run(
              step.code,
              step.checks.map((c) => c.value),
            );
            found = problems(step, run.expanded, run);
          } catch (error) {
            throw new Error(`${name}:${step.line}: ${(error as Error).message}\n--- the step:\n${step.code}`);
          }
          if (found.length === 0) break;
          if (Date.now() >= deadline) throw new Error(`${name}:${step.line}: ${found.join("\n")}\n--- the step:\n${step.code}`);
          await new Promise((r) => setTimeout(r, 500));
        }
        result.ran++;
      }
    }
  } finally {
    shell.close();
  }
  return result;
}
