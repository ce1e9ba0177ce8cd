/** The hospital front-end processor agent's configuration file (fep.json), validated at start. */
import { z } from "zod";

export const fepConfigSchema = z.strictObject({
  /** The city node's base URL: locally http://127.0.0.1:8080/cities/<cityId>; in AWS the city API's URL */
  nodeUrl: z.url({ protocol: /^https?$/, message: "nodeUrl must be an http(s) URL, e.g. http://127.0.0.1:8080/cities/baoding" }),
  hospitalId: z.string().regex(/^[A-Za-z0-9-]{1,64}$/, "hospitalId must be the hospital's id, e.g. bd-0001"),
  /** The hospital's credential, or the name of an environment variable holding it (`env:HHC_FEP_CREDENTIAL`) */
  credential: z.string().min(16, "credential must be the hospital's issued credential (or env:<NAME>)"),
  /** The practitioner the FEP's deliveries act for when an item names none (documents and claims need one) */
  practitionerId: z.string().min(1).optional(),
  /** Folders: relative paths resolve against the config file's folder */
  folders: z
    .strictObject({
      /** The hospital's systems drop items here (write `<name>.json.tmp`, then rename to `<name>.json`) */
      drop: z.string().default("drop"),
      /** The durable outbox: items accepted from drop, in order, until the node answers 2xx */
      queue: z.string().default("queue"),
      /** Delivered items (the node answered 2xx), pruned to `keepSent` */
      sent: z.string().default("sent"),
      /** Items the node refused (4xx), each with the node's OperationOutcome beside it */
      rejected: z.string().default("rejected"),
      /** Items that kept failing with 5xx after `maxServerErrors`: parked for the operator (`npm run fep -- requeue`) */
      parked: z.string().default("parked"),
      /** What the node pushed (Communications), written once each, acknowledged after the write */
      inbox: z.string().default("inbox"),
    })
    .default({ drop: "drop", queue: "queue", sent: "sent", rejected: "rejected", parked: "parked", inbox: "inbox" }),
  /** Items delivered at once (1 keeps the hospital's order strictly: a Patient before its documents) */
  concurrency: z.number().int().min(1).max(32).default(1),
  heartbeatSeconds: z.number().int().min(5).max(3600).default(60),
  /** Long-poll wait of the inbox (the node allows at most 20) */
  inboxWaitSeconds: z.number().int().min(0).max(20).default(20),
  inbox: z.boolean().default(true),
  /** Server errors (5xx) one item may get before it is parked; network failures never count */
  maxServerErrors: z.number().int().min(1).max(1000).default(20),
  keepSent: z.number().int().min(0).default(10_000),
  /** Backoff after a failed delivery: doubles from min to max */
  backoffMs: z.strictObject({ min: z.number().int().min(10), max: z.number().int().min(10) }).default({ min: 1000, max: 60_000 }),
  /** Milliseconds before an HTTP call is abandoned (and retried) */
  requestTimeoutMs: z.number().int().min(1000).default(30_000),
});
export type FepConfig = z.infer<typeof fepConfigSchema>;

/** A dropped item: a FHIR resource, or one wrapped with the practitioner it is delivered for */
export const fepItemSchema = z.union([
  z.strictObject({ practitionerId: z.string().min(1), resource: z.looseObject({ resourceType: z.string() }) }),
  z.looseObject({ resourceType: z.string() }),
]);
