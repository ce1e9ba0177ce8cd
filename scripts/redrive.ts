/**
 * Dead-letter queue operations, for the provincial ops engineer (docs/push.md, "DLQ operations"):
 *   npm run redrive -- list [--node hub|<cityId>|all]                   messages waiting in each DLQ
 *   npm run redrive -- inspect --node hub --queue Notify [--max 10]     type, version, ids, receive and re-drive counts
 *   npm run redrive -- redrive --node hub --queue Notify [--max 1000] [--budget 3] [--rate 10]
 * Without a command, `--node … --queue …` re-drives (as before). The local province by default (its
 * data folder, HHC_DATA_DIR or .data); `--aws [--region cn-north-1]` uses the default AWS credentials.
 * `--json` prints machine-readable output.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { GetQueueUrlCommand, SQSClient } from "@aws-sdk/client-sqs";
import { CITY_IDS, cityById } from "#lib/config/province.ts";
import { CITY_DECLARATION, HUB_DECLARATION } from "#lib/declaration/index.ts";
import type { QueueDeclaration } from "#lib/declaration/types.ts";
import { countMessages, DEFAULT_BUDGET, DEFAULT_RATE_PER_SECOND, inspect, redrive } from "#lib/ops/redrive.ts";
import { queuePhysicalName } from "#shared/discovery-names.ts";
import { fail, parseCli } from "./cli.ts";

// this project pins SDK releases that still run on Node 20; their notice about Node 22 is known
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";
const USAGE = `
npm run redrive -- <command> [options]     dead-letter queues of the local province (or --aws)

  list [--node all|hub|<cityId>]                                  messages waiting in each DLQ
  inspect --node hub --queue Notify [--max 10]                    type, version, ids, receive and re-drive counts; consumes nothing
  redrive --node hub --queue Notify [--max 1000] [--budget 3] [--rate 10]   move messages back to their queue
  --aws [--region cn-north-1]    a deployment (your AWS credentials) instead of the local province (HHC_DATA_DIR)
  --json                         machine-readable output

Example:  npm run redrive -- list
          npm run redrive -- inspect --node hub --queue Notify
docs/push.md, "DLQ operations".
`;
const { values, positionals } = parseCli(
  {
    allowPositionals: true,
    options: {
      node: { type: "string" },
      queue: { type: "string" },
      max: { type: "string" },
      budget: { type: "string", default: String(DEFAULT_BUDGET) },
      rate: { type: "string", default: String(DEFAULT_RATE_PER_SECOND) },
      aws: { type: "boolean", default: false },
      region: { type: "string" },
      json: { type: "boolean", default: false },
    },
  },
  USAGE,
  "npm run redrive --",
);
const command = positionals[0] ?? "redrive";
if (!["list", "inspect", "redrive"].includes(command))
  fail(`unknown command ${command}: list, inspect or redrive (npm run redrive -- --help)`);
const positive = (name: string, raw: string): number => {
  const n = Number(raw);
  if (!Number.isInteger(n) || n <= 0) fail(`--${name} must be a positive integer`);
  return n;
};
const declarationOf = (nodeId: string) => (nodeId === "hub" ? HUB_DECLARATION : CITY_DECLARATION);

let sqs: SQSClient;
if (values.aws) {
  sqs = new SQSClient({ region: values.region });
} else {
  const file = path.join(process.env.HHC_DATA_DIR ?? ".data", "endpoints.json");
  let endpoints: { sqs: string; region: string; credentials: { accessKeyId: string; secretAccessKey: string } };
  try {
    endpoints = JSON.parse(readFileSync(file, "utf8"));
  } catch {
    fail(`No running local province found (${file} is missing): start it with npm start, or pass --aws`);
  }
  const { interceptLocalhostDns } = await import("fauxqs");
  interceptLocalhostDns();
  sqs = new SQSClient({ endpoint: endpoints!.sqs, region: endpoints!.region, credentials: endpoints!.credentials });
}
const url = async (name: string) => (await sqs.send(new GetQueueUrlCommand({ QueueName: name }))).QueueUrl!;
const urls = async (nodeId: string, queue: QueueDeclaration) => ({
  sourceUrl: await url(queuePhysicalName(nodeId, queue.id, { fifo: queue.fifo })),
  dlqUrl: await url(queuePhysicalName(nodeId, queue.id, { fifo: queue.fifo, dlq: true })),
});
const print = (json: unknown, text: string) => console.log(values.json ? JSON.stringify(json, null, 2) : text);

try {
  if (command === "list") {
    const node = values.node ?? "all";
    if (node !== "all" && node !== "hub" && !cityById(node)) fail(`--node ${node} is neither all, hub nor a city id`);
    const nodes = node === "all" ? ["hub", ...CITY_IDS] : [node];
    const rows: { node: string; queue: string; fifo: boolean; visible: number; inFlight: number }[] = [];
    for (const nodeId of nodes)
      for (const queue of declarationOf(nodeId).queues) {
        const counts = await countMessages(sqs, (await urls(nodeId, queue)).dlqUrl);
        rows.push({ node: nodeId, queue: queue.id, fifo: queue.fifo, ...counts });
      }
    const waiting = rows.filter((r) => r.visible + r.inFlight > 0);
    print(
      rows,
      [
        ...rows.map(
          (r) => `${r.node}/${r.queue}${r.fifo ? " (FIFO)" : ""}: ${r.visible} in the DLQ${r.inFlight ? `, ${r.inFlight} in flight` : ""}`,
        ),
        `${waiting.length} of ${rows.length} DLQs hold messages`,
      ].join("\n"),
    );
  } else {
    const nodeId = values.node ?? fail("--node is required: hub or a city id (e.g. baoding)");
    if (nodeId !== "hub" && !cityById(nodeId)) fail(`--node ${nodeId} is neither hub nor a city id`);
    const declaration = declarationOf(nodeId);
    const queue =
      declaration.queues.find((q) => q.id === values.queue) ??
      fail(`--queue must be one of ${declaration.queues.map((q) => q.id).join(", ")}`);
    const { sourceUrl, dlqUrl } = await urls(nodeId, queue);
    if (command === "inspect") {
      const messages = await inspect(sqs, dlqUrl, positive("max", values.max ?? "10"));
      print(
        messages,
        [
          ...messages.map(
            (m) =>
              `${m.messageId} ${m.type ?? "?"} v${m.version ?? "?"} received ${m.receiveCount}x, re-driven ${m.redrives}x${m.groupId ? ` group ${m.groupId}` : ""}${m.sentAt ? ` sent ${m.sentAt}` : ""} ${JSON.stringify(m.ids)}`,
          ),
          `${nodeId}/${queue.id}: ${messages.length} message(s) shown, none consumed`,
        ].join("\n"),
      );
    } else {
      const budget = positive("budget", values.budget!);
      const result = await redrive(sqs, {
        dlqUrl,
        sourceUrl,
        fifo: queue.fifo,
        max: positive("max", values.max ?? "1000"),
        budget,
        ratePerSecond: positive("rate", values.rate!),
      });
      print(
        result,
        [
          `${nodeId}/${queue.id}: moved ${result.moved} message(s) from the DLQ back to the queue${result.failed ? `, ${result.failed} refused (left in the DLQ)` : ""}`,
          ...(result.exhausted.length
            ? [
                `${result.exhausted.length} message(s) already re-driven ${budget} times stay in the DLQ (fix the cause, or raise --budget):`,
                ...result.exhausted.map((m) => `  ${m.messageId} ${m.type ?? "?"} ${JSON.stringify(m.ids)}`),
              ]
            : []),
        ].join("\n"),
      );
      if (result.exhausted.length > 0) process.exitCode = 1;
    }
  }
} catch (error) {
  const cause = (error as { code?: string; cause?: { code?: string } }).cause?.code ?? (error as { code?: string }).code;
  if (cause === "ECONNREFUSED" || (error as Error).name === "TimeoutError")
    fail(
      values.aws
        ? `AWS did not answer (${cause ?? (error as Error).message}): check --region and your network`
        : "No local province answers (its SQS emulator is not listening): start it with npm start (the same HHC_DATA_DIR), or pass --aws",
      1,
    );
  fail(`error: ${(error as Error).message}${values.aws ? " (your AWS credentials and --region)" : ""}`, 1);
} finally {
  sqs.destroy();
}
