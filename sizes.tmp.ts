import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { bundleSizes } from "#lib/bundle.ts";
import { localTopology } from "#local/topology.ts";
const entries = [...new Set(localTopology().flatMap((n) => n.declaration.functions.map((f) => f.entry)))];
const root = process.argv[2] ?? mkdtempSync(path.join(tmpdir(), "hhc-sizes-"));
const pkg = (p: string) => p.match(/node_modules\/((?:@[^/]+\/)?[^/]+)/)?.[1] ?? "(repo)";
const rows = (await bundleSizes(entries, root)).map((s) => {
  const by: Record<string, number> = {};
  for (const i of s.inputs) by[pkg(i.path)] = (by[pkg(i.path)] ?? 0) + i.bytes;
  const k = (n: string) => Math.round((by[n] ?? 0) / 1024);
  return { entry: s.entry.replace("lambdas/handlers/", ""), KiB: Math.round(s.bytes / 1024), zod: k("zod"), "pinyin-pro": k("pinyin-pro"), "client-ssm": k("@aws-sdk/client-ssm"), "client-s3": k("@aws-sdk/client-s3") };
});
console.table(rows.sort((a, b) => b.KiB - a.KiB));
