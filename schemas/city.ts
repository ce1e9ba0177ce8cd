/**
 * A city node's id: an open string, so a city added after the hub was deployed is parsed like
 * any other (nodes learn which cities exist from discovery, never from a compiled-in list).
 */
import { z } from "zod";

export const cityIdSchema = z.string().regex(/^[a-z]{2,20}$/, "a city id is 2 to 20 lower-case letters");
export type CityId = z.infer<typeof cityIdSchema>;
