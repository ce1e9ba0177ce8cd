/**
 * What a PIXm (ITI-83) answer may tell a hospital's system call, with no practitioner named (issue 12):
 * the EMPI and the hospital's own MRN, and only about a resident the hospital itself registered. Anyone
 * else — an unknown identifier, a resident registered by other hospitals only — gets the same empty
 * Parameters, so a system call can neither list the hospitals that treated a resident nor learn whether
 * the index knows someone. The full cross-reference needs a named practitioner. Pure.
 */
import { EMPI_SYSTEM, mrnSystem } from "#schemas/patient.ts";

interface Identifier {
  system: string;
  value: string;
}
type Parameter = { name: string; valueIdentifier?: Identifier; valueReference?: unknown };

/** The empty answer: the same for an unknown resident and one the caller may not learn about */
export const emptyPixAnswer = (): Record<string, unknown> => ({ resourceType: "Parameters", parameter: [] });

/** The hub's full PIXm answer cut down to what `hospitalId`'s system call may see */
export function pixForSystemCall(answer: Record<string, unknown>, source: Identifier, hospitalId: string): Record<string, unknown> {
  const own = mrnSystem(hospitalId);
  const parameter = (answer.parameter as Parameter[] | undefined) ?? [];
  const registeredHere = source.system === own || parameter.some((p) => p.valueIdentifier?.system === own);
  if (!registeredHere) return emptyPixAnswer();
  return {
    resourceType: "Parameters",
    parameter: parameter.filter(
      (p) => p.name === "targetId" || p.valueIdentifier?.system === EMPI_SYSTEM || p.valueIdentifier?.system === own,
    ),
  };
}
