/** The docs-block runner itself: the convention, and a broken example failing (a wrong check character). */
import { writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { residentIdCheckChar } from "#domain/mpi/resident-id.ts";
import { scratchFolders } from "../support/scratch.ts";
import { extractBlocks, runPage } from "./runner.ts";

const ROOT = path.resolve(import.meta.dirname, "../..");
const fence = "```";
const tempDir = scratchFolders();

// a stand-in node: 201 for a valid resident ID number (GB 11643), 400 otherwise
let server: Server;
let port: number;
beforeAll(async () => {
  server = createServer((req, res) => {
    const id = new URL(req.url ?? "/", "http://x").searchParams.get("id") ?? "";
    const valid = /^\d{17}[\dX]$/.test(id) && residentIdCheckChar(id.slice(0, 17)) === id[17];
    res.writeHead(valid ? 201 : 400, { "content-type": "application/json" });
    res.end(JSON.stringify(valid ? { resourceType: "Patient", identifier: [{ value: id }] } : { resourceType: "OperationOutcome" }));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  port = (server.address() as AddressInfo).port;
});
afterAll(() => server.close());

const page = (markdown: string): string => {
  const file = path.join(tempDir("hhc-docs-test-"), "page.md");
  writeFileSync(file, markdown);
  return file;
};
const feed = (id: string) => `${fence}bash
RID=${id}
curl -s -X POST "http://127.0.0.1:$PORT/Patient?id=$RID"
# expect: 201 resourceType=Patient identifier.0.value=$RID
${fence}
`;
const run = (markdown: string) => runPage(page(markdown), { cwd: ROOT, env: { ...process.env, PORT: String(port) } });

describe("the docs-block runner", () => {
  it("splits blocks into steps at # expect: lines and reads the checks", () => {
    const blocks = extractBlocks(
      `text\n<!-- skip: deploys to AWS -->\n${fence}bash\nnpx cdk deploy\n${fence}\n${fence}bash\nA=1\n# expect: 204 a.b=c d~e n>=2 within=5\necho\n${fence}\n${fence}json\n{}\n${fence}\n`,
    );
    expect(blocks).toHaveLength(2);
    expect(blocks[0]).toMatchObject({ skip: "deploys to AWS" });
    expect(blocks[1]!.steps).toEqual([
      {
        code: "A=1\n# expect: 204 a.b=c d~e n>=2 within=5",
        line: 7,
        status: 204,
        withinSeconds: 5,
        checks: [
          { path: "a.b", op: "=", value: "c" },
          { path: "d", op: "~", value: "e" },
          { path: "n", op: ">=", value: "2" },
        ],
      },
      { code: "echo", line: 9, checks: [] },
    ]);
  });

  it("refuses sh blocks and a skip without a reason", () => {
    expect(() => extractBlocks(`${fence}sh\nls\n${fence}\n`)).toThrow(/tag shell examples `bash`/);
    expect(() => extractBlocks(`<!-- skip: -->\n${fence}bash\nls\n${fence}\n`)).toThrow();
  });

  it("passes a working example", async () => {
    await expect(run(feed("130602196005200119"))).resolves.toMatchObject({ ran: 1 });
  });

  it("fails an example whose resident ID number has a wrong check character, naming the page line", async () => {
    await expect(run(feed("130602196005200117"))).rejects.toThrow(/page\.md:2: status 400, expected 201/);
  });

  it("fails on an undefined variable and on a failing command", async () => {
    await expect(run(`${fence}bash\necho $NOT_DEFINED\n${fence}\n`)).rejects.toThrow(/NOT_DEFINED: unbound variable/);
    await expect(run(`${fence}bash\ncurl -s http://127.0.0.1:1/\n# expect: 200\n${fence}\n`)).rejects.toThrow(/the shell stopped/);
  });

  it("skips a marked block and keeps variables across blocks", async () => {
    const result = await run(
      `<!-- skip: runs until Ctrl-C -->\n${fence}bash\nsleep 1000\n${fence}\n${fence}bash\nX=hello\n${fence}\n${fence}bash\necho "$X world"\n# expect: body~hello\n${fence}\n`,
    );
    expect(result).toEqual({ ran: 2, skipped: [{ line: 2, reason: "runs until Ctrl-C" }] });
  });
});
