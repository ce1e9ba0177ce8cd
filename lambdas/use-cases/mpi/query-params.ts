/**
 * The query parameters of the patient endpoints (every value of each, as the request holds them), parsed by the
 * zod schemas of schemas/patient.ts; a bad one is a 400 naming it. Pure; shared by city and hub.
 */

import { BadRequestError, zodIssues } from "#domain/errors.ts";
import { type PdqmQuery, type PixmQuery, parseToken, pdqmQuerySchema, pixmQuerySchema } from "#schemas/patient.ts";

import type { Identifier } from "./patient-record.ts";

export { queryString } from "#shared/http.ts";

export type MultiValueParams = Record<string, string[] | undefined> | null | undefined;

function singles(params: MultiValueParams, repeatable: readonly string[] = []): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [name, values] of Object.entries(params ?? {})) {
    if (!values?.length) continue;
    if (repeatable.includes(name)) out[name] = values;
    else if (values.length > 1) throw new BadRequestError(`${name}: given more than once`, name);
    else out[name] = values[0]!;
  }
  return out;
}

/** PUT /fhir/Patient?identifier=<mrn system>|<value>: the MRN a conditional update names */
export function conditionalIdentifier(params: MultiValueParams): Identifier {
  const { identifier, ...rest } = singles(params);
  const unknown = Object.keys(rest)[0];
  if (unknown) throw new BadRequestError(`${unknown}: a conditional update takes only identifier=<system>|<value>`, unknown);
  const parsed = typeof identifier === "string" ? parseToken(identifier) : undefined;
  if (!parsed)
    throw new BadRequestError("identifier: a conditional update names the patient number: ?identifier=<system>|<value>", "identifier");
  return parsed;
}

export function pixParams(params: MultiValueParams): PixmQuery {
  const parsed = pixmQuerySchema.safeParse(singles(params, ["targetSystem"]));
  if (!parsed.success) throw new BadRequestError(zodIssues(parsed.error));
  return parsed.data;
}

export function pdqParams(params: MultiValueParams): PdqmQuery {
  const parsed = pdqmQuerySchema.safeParse(singles(params));
  if (!parsed.success) throw new BadRequestError(zodIssues(parsed.error));
  return parsed.data;
}
