/**
 * Reading a PIXm answer (IHE ITI-83 Parameters), the one place its shape is interpreted: the
 * identifiers it names for the resident (targetIdentifier), and the survivor a merged EMPI answers
 * replaced-by (targetId). Pure.
 */
import { EMPI_SYSTEM } from "#schemas/identifiers.ts";

export interface Identifier {
  system: string;
  value: string;
}

interface Parameter {
  name?: string;
  valueIdentifier?: Identifier;
  valueReference?: { identifier?: Identifier };
}

const parametersOf = (answer: unknown): Parameter[] => {
  const parameter = (answer as { parameter?: unknown } | undefined)?.parameter;
  return Array.isArray(parameter) ? (parameter as Parameter[]) : [];
};

const isIdentifier = (i: unknown): i is Identifier =>
  typeof (i as Identifier)?.system === "string" && typeof (i as Identifier)?.value === "string";

/** Every identifier the answer gives the resident (its targetIdentifier parameters, in order) */
export function pixTargets(answer: unknown): Identifier[] {
  return parametersOf(answer)
    .filter((p) => p.name === "targetIdentifier" && isIdentifier(p.valueIdentifier))
    .map((p) => ({ system: p.valueIdentifier!.system, value: p.valueIdentifier!.value }));
}

/** Every identifier-valued parameter (whatever its name), as the audit of a PIXm query names them */
export function pixIdentifiers(answer: unknown): Identifier[] {
  return parametersOf(answer).flatMap((p) => (isIdentifier(p.valueIdentifier) ? [p.valueIdentifier] : []));
}

/**
 * The resident's EMPI by a PIXm answer for `source`: the survivor a merged EMPI is replaced by, the
 * EMPI itself when the source is one, else the EMPI among the targets; undefined when none is given.
 */
export function empiOfPixAnswer(source: Identifier, answer: unknown): string | undefined {
  const replacedBy = parametersOf(answer).find((p) => p.name === "targetId")?.valueReference?.identifier?.value;
  if (replacedBy) return replacedBy;
  if (source.system === EMPI_SYSTEM) return source.value;
  return parametersOf(answer).find((p) => p.valueIdentifier?.system === EMPI_SYSTEM)?.valueIdentifier?.value;
}
