/**
 * Traceability scans (docs/drugs-devices.md#traceability-codes).
 *
 * readTraceScan (city). Input: the Parameters a hospital posts, the hospital. Output: the scan for the hub.
 * Primary course: take `code` (20 digits), `event` (dispense or return) and `encounter` (a reference by
 * identifier under the hospital's own encounter system); a fault → 400 naming the parameter, another
 * hospital's encounter system → 403.
 *
 * applyTraceScan (hub). Input: the scan, the hospital and its city, the time. Output: Parameters with
 * `outcome` first, repeat (and where and when the code was first dispensed) or released.
 * Primary course: a dispense is recorded when no dispense of the code is in force (first); the same
 * hospital and encounter again is the same dispense (first, a retried scan); any other is a repeat,
 * recorded as an alert for the operator. A return by the dispensing hospital releases the code; a return
 * of a code not dispensed, or dispensed elsewhere → 409 naming `code`.
 */
import { traceCodeProblems } from "#domain/drugs/codes.ts";
import { BadRequestError, ConflictError, DomainError, type ErrorKind, ForbiddenError, type Issue } from "#domain/errors.ts";
import type { Dispense, TraceRegistry } from "#ports/trace.ts";
import { encounterSystem } from "#schemas/documents.ts";
import type { TraceScan } from "#schemas/drugs.ts";

type Parameter = {
  name: string;
  valueString?: string;
  valueCode?: string;
  valueReference?: { identifier: { system: string; value: string } };
};

export function readTraceScan(parameters: Parameter[], hospitalId: string): TraceScan {
  const named = (name: string) => {
    const found = parameters.filter((p) => p.name === name);
    if (found.length !== 1)
      throw new BadRequestError(`Parameters.parameter.${name}: exactly one is required`, `Parameters.parameter.${name}`);
    return found[0]!;
  };
  const code = named("code").valueString ?? "";
  const problem = traceCodeProblems(code)[0];
  if (problem) throw new BadRequestError(`Parameters.parameter.code: ${problem}`, "Parameters.parameter.code");
  const event = named("event").valueCode;
  if (event !== "dispense" && event !== "return")
    throw new BadRequestError("Parameters.parameter.event: valueCode dispense or return", "Parameters.parameter.event");
  const encounter = named("encounter").valueReference?.identifier;
  if (!encounter)
    throw new BadRequestError(
      "Parameters.parameter.encounter: a valueReference by identifier (the encounter number)",
      "Parameters.parameter.encounter",
    );
  if (encounter.system !== encounterSystem(hospitalId))
    throw new ForbiddenError(
      `Parameters.parameter.encounter: an encounter of this hospital (${encounterSystem(hospitalId)}), not ${encounter.system}`,
      "Parameters.parameter.encounter",
    );
  return { code, event, encounter: encounter.value };
}

export async function applyTraceScan(
  registry: TraceRegistry,
  scan: TraceScan,
  hospital: { hospitalId: string; cityId: string },
  at: string,
) {
  const here: Dispense = { ...hospital, encounter: scan.encounter, at };
  if (scan.event === "return") {
    const released = await registry.release(scan.code, hospital.hospitalId);
    if (released === "not-dispensed")
      throw new ConflictError(`code: ${scan.code} is not dispensed; nothing to return`, "Parameters.parameter.code");
    if (released === "another-hospital")
      throw new ConflictError(
        `code: ${scan.code} was dispensed by another hospital; only it takes the return`,
        "Parameters.parameter.code",
      );
    return outcome("released");
  }
  const dispensed = await registry.dispense(scan.code, here);
  if (dispensed.recorded) return outcome("first");
  const first = dispensed.inForce;
  if (first.hospitalId === hospital.hospitalId && first.encounter === scan.encounter) return outcome("first", first);
  await registry.addAlert({ code: scan.code, first, repeat: here });
  return outcome("repeat", first);
}

function outcome(value: "first" | "repeat" | "released", first?: Dispense) {
  return {
    resourceType: "Parameters" as const,
    parameter: [
      { name: "outcome", valueCode: value },
      ...(value === "repeat" && first
        ? [
            { name: "firstDispensedBy", valueReference: { reference: `Organization/${first.hospitalId}` } },
            { name: "firstDispensedIn", valueString: first.cityId },
            { name: "firstDispensedAt", valueDateTime: first.at },
          ]
        : []),
    ],
  };
}

const REFUSALS: Record<number, ErrorKind> = { 400: "invalid", 403: "forbidden", 404: "not-found", 409: "conflict", 422: "unprocessable" };

/**
 * The hub's answer to a city's forwarded request (a scan, a case report), as the city answers it: a refusal the hub made is thrown again as
 * the same refusal (so the city's AuditEvent records it as refused, naming its field); anything else is relayed.
 */
export function scanAnswer(answer: { statusCode: number; body?: unknown }): { statusCode: number; body?: unknown } {
  const kind = REFUSALS[answer.statusCode];
  const wire = (answer.body as { issue?: (Omit<Issue, "expression"> & { expression?: string[] })[] } | undefined)?.issue;
  if (kind && wire?.length)
    throw new DomainError(
      kind,
      wire.map(({ code, diagnostics, expression }) => ({ code, diagnostics, ...(expression?.[0] ? { expression: expression[0] } : {}) })),
    );
  return answer;
}

/**
 * Which of a claim's traceability codes the hospital may not claim (docs/drugs-devices.md): a code whose
 * dispense in force is another hospital's, or that this hospital dispensed as a repeat. A code never
 * scanned is not refused (a pharmacy may scan late); a code released by a return is free again.
 */
export async function reusedTraceCodes(registry: TraceRegistry, hospitalId: string, codes: string[]): Promise<{ reused: string[] }> {
  const reused: string[] = [];
  for (let i = 0; i < codes.length; i += 16) {
    const batch = codes.slice(i, i + 16);
    const histories = await Promise.all(batch.map((code) => registry.history(code)));
    histories.forEach((h, j) => {
      if ((h.inForce && h.inForce.hospitalId !== hospitalId) || h.repeatedBy.includes(hospitalId)) reused.push(batch[j]!);
    });
  }
  return { reused };
}
