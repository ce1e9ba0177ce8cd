import { z } from "zod";
import { cityIdSchema } from "./city.ts";

/** Internal API: POST /internal/authenticate (city authorizer → hub). */
export const authenticateRequestSchema = z.strictObject({ credential: z.string().min(1).max(512) });

export const principalSchema = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("hospital"), hospitalId: z.string(), cityId: cityIdSchema }),
  z.object({ kind: z.literal("operator") }),
  // a provincial department of the exchange (issue 16): admitted only by the member authorizer
  z.object({ kind: z.literal("member"), memberId: z.string() }),
]);
export type Principal = z.infer<typeof principalSchema>;

export const authenticateResponseSchema = z.object({ principal: principalSchema });
