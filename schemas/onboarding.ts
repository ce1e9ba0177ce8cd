import { z } from "zod";

/** The longest a rotated-out credential may keep working (two weeks) */
export const MAX_GRACE_HOURS = 24 * 14;

/** POST /hospitals/{hospitalId}/credentials (rotate): how long the previous credential keeps working */
export const rotateRequestSchema = z.strictObject({
  graceHours: z.number().min(0, "graceHours must be 0 or more").max(MAX_GRACE_HOURS, `graceHours is at most ${MAX_GRACE_HOURS}`).optional(),
});
