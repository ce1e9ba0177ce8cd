import { z } from "zod";

/** Body of POST /fep/heartbeat: the front-end processor's version, backlog and clock. */
export const heartbeatBodySchema = z.strictObject({
  fepVersion: z
    .string()
    .regex(/^\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?$/, "fepVersion must be a semantic version such as 1.4.2"),
  backlog: z.number().int("backlog must be an integer").min(0, "backlog must be 0 or more"),
  clock: z.iso.datetime({ offset: true, message: "clock must be an ISO 8601 date-time with a time zone, e.g. 2026-11-26T08:00:00+08:00" }),
});
export type HeartbeatBody = z.infer<typeof heartbeatBodySchema>;
