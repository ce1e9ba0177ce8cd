/**
 * Push down (docs/push.md): the Subscription a hospital posts, and what the city adds when it
 * forwards a hospital's subscription request to the hub's internal API.
 */
import { z } from "zod";

/** GET /fhir/Subscription: a page of the hospital's own (docs/fhir-clients.md#paging) */
export const subscriptionSearchSchema = z.strictObject({
  _count: z.string().max(8).optional(),
  _pageToken: z.string().max(4096).optional(),
});

/** POST /fhir/Subscription (FHIR R4): `status` requested (the hub makes it active), `channel.type` message. */
export const subscriptionRequestSchema = z.object({
  resourceType: z.literal("Subscription"),
  status: z.enum(["requested", "active"]).optional(),
  reason: z.string().max(500).optional(),
  criteria: z.string().min(1).max(1000),
  end: z.iso.datetime({ offset: true }).optional(),
  channel: z.object({
    type: z.literal("message"),
    endpoint: z.string().max(1000).optional(),
    payload: z.string().max(100).optional(),
  }),
});
export type SubscriptionRequest = z.infer<typeof subscriptionRequestSchema>;

/** The long poll's query: `wait` whole seconds, 0 to 20 (0 answers at once); `_count` at most 100 */
export const inboxPollQuerySchema = z.strictObject({
  wait: z
    .string()
    .regex(/^\d{1,2}$/, "wait: whole seconds, 0 to 20")
    .transform(Number)
    .pipe(z.number().int().min(0).max(20))
    .optional(),
  _count: z
    .string()
    .regex(/^\d{1,3}$/, "_count: a whole number, 1 to 100")
    .transform(Number)
    .pipe(z.number().int().min(1).max(100))
    .optional(),
});
