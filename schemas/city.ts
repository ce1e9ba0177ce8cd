/**
 * A city node's id: an open string, so a city added after the hub was deployed is parsed like
 * any other (nodes learn which cities exist from discovery, never from a compiled-in list).
 */
import { z } from "zod";

export const cityIdSchema = z.string().regex(/^[a-z]{2,20}$/, "a city id is 2 to 20 lower-case letters");
export type CityId = z.infer<typeof cityIdSchema>;

/** GB/T 2260 prefecture code of a city: 4 digits (13xx in Hebei; the contracts take any) */
export const adminCodeSchema = z.string().regex(/^\d{4}$/, "adminCode is a 4-digit prefecture code (GB/T 2260)");

/**
 * What every node may know of a city: what the city publishes through discovery
 * (`<ssmPrefix>/cities/<id>/profile`, JSON) and what its jurisdiction in the registry says.
 */
export const cityProfileSchema = z.object({
  id: cityIdSchema,
  nameZh: z.string().min(2),
  adminCode: adminCodeSchema,
});
export type CityProfile = z.infer<typeof cityProfileSchema>;
