/**
 * The hospital a city names when it forwards a hospital's request to the hub's internal API
 * (X-HHC-Hospital): required on every such route. Pure.
 */

import { ACTING_HOSPITAL_HEADER } from "#schemas/internal.ts";
import { BadRequestError } from "./errors.ts";

/** `headers`: names lower-cased */
export function actingHospital(headers: Readonly<Record<string, string | undefined>>): string {
  const hospitalId = headers[ACTING_HOSPITAL_HEADER]?.trim();
  if (!hospitalId)
    throw new BadRequestError(`${ACTING_HOSPITAL_HEADER}: the forwarding city names the calling hospital`, ACTING_HOSPITAL_HEADER);
  return hospitalId;
}
