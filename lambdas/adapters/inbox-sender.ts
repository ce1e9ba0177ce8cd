/**
 * Hub side of the FEP inbox: sends a Communication to the city of the hospital it is addressed to,
 * through that city's push queue. The city stores it once by its id (at-least-once delivery).
 */
import type { InboxSender } from "#ports/push.ts";
import type { InboxDeliveryMessageV1 } from "#schemas/messages.ts";
import type { discovery } from "#shared/discovery.ts";
import { sendMessage } from "./queue-sender.ts";

export const inboxSender =
  (nodes: ReturnType<typeof discovery>): InboxSender =>
  async (cityId, hospitalId, communication) => {
    const message: InboxDeliveryMessageV1 = { type: "inbox-delivery", version: 1, cityId, hospitalId, communication };
    await sendMessage(await nodes.cityPushQueueUrl(cityId), message, undefined, cityId);
  };
