/**
 * Re-drive a node's dead-letter queue into its source queue.
 *   npm run redrive -- --node hub --queue Exchange [--max 1000]           (local province, .data)
 *   npm run redrive -- --node baoding --queue Push --aws [--region cn-north-1]   (AWS, default credentials)
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { GetQueueUrlCommand, SQSClient } from "@aws-sdk/client-sqs";
import { cityById } from "#lib/config/province.ts";
import { CITY_DECLARATION, HUB_DECLARATION } from "#lib/declaration/index.ts";
import { queuePhysicalName } from "#shared/discovery-names.ts";
import { redrive } from "./lib/redrive.ts";

// this project pins SDK releases that still run on Node 20; their notice about Node 22 is known
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";
const { values } = parseArgs({
  options: {
    node: { type: "string" },
    queue: { type: "string" },
    max: { type: "string", default: "1000" },
    aws: { type: "boolean", default: false },
    region: { type: "string" },
  },
});
const fail = (message: string): never => {
  console.error(message);
  process.exit(2);
};
const nodeId = values.node ?? fail("--node is required: hub or a city id (e.g. baoding)");
if (nodeId !== "hub" && !cityById(nodeId)) fail(`--node ${nodeId} is neither hub nor a city id`);
const declaration = nodeId === "hub" ? HUB_DECLARATION : CITY_DECLARATION;
const queue =
  declaration.queues.find((q) => q.id === values.queue) ?? fail(`--queue must be one of ${declaration.queues.map((q) => q.id).join(", ")}`);
const max = Number(values.max);
if (!Number.isInteger(max) || max <= 0) fail("--max must be a positive integer");

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
const sourceUrl = await url(queuePhysicalName(nodeId, queue.id, { fifo: queue.fifo }));
const dlqUrl = await url(queuePhysicalName(nodeId, queue.id, { fifo: queue.fifo, dlq: true }));
const result = await redrive(sqs, { dlqUrl, sourceUrl, fifo: queue.fifo, max });
console.log(
  `${nodeId}/${queue.id}: moved ${result.moved} message(s) from the DLQ back to the queue${result.failed ? `, ${result.failed} refused (left in the DLQ)` : ""}`,
);
sqs.destroy();
