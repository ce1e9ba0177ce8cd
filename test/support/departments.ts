/** The department exchange as the local-province tests drive it (test/local/departments.test.ts, evidence.test.ts). */
import { SendMessageCommand, type SQSClient } from "@aws-sdk/client-sqs";
import { dynamoOutboxStore } from "#adapters/outbox-store.ts";
import { MESSAGE_EVENT_SYSTEM } from "#schemas/department-members.ts";
import type { OutboundDeps } from "#use-cases/departments/outbound.ts";
import type { TestProvince } from "./province.ts";

/** The exchange's outbound side as a hub function wires it (lambdas/wiring/departments.ts), from the test process */
export function outboundFromTest(t: TestProvince, sqs: SQSClient): OutboundDeps {
  const hubRes = t.province.resources.get("hub")!;
  const queue = hubRes.queues.get("DepartmentDelivery")!.url;
  return {
    outbox: dynamoOutboxStore(hubRes.tables.get("DepartmentOutbox")!),
    enqueue: async (delivery, body) => {
      await sqs.send(
        new SendMessageCommand({
          QueueUrl: queue,
          MessageBody: body,
          MessageAttributes: { type: { DataType: "String", StringValue: delivery.type } },
        }),
      );
    },
    grantedMembers: async () => [],
  };
}

/** A FHIR message from `from` to the health cloud: its MessageHeader, then the focus resources */
export const messageFrom = (from: string, messageId: string, event: string, focus: Record<string, unknown>[]) => ({
  resourceType: "Bundle",
  type: "message",
  entry: [
    {
      resource: {
        resourceType: "MessageHeader",
        id: messageId,
        eventCoding: { system: MESSAGE_EVENT_SYSTEM, code: event },
        source: { endpoint: `urn:hhc:member:${from}` },
        destination: [{ endpoint: "urn:hhc:member:health-cloud" }],
        focus: focus.map((r, i) => ({ reference: `${r.resourceType}/${r.id ?? i}` })),
      },
    },
    ...focus.map((resource) => ({ resource })),
  ],
});
