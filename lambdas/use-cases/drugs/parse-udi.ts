/**
 * Parse a device's UDI (docs/drugs-devices.md#udi).
 * Input: the Parameters of `Device/$parse-udi` (one `udi` valueString).
 * Output: Parameters: issuer, di, and the lot, serial, manufactureDate and expiryDate it carries, and
 *   `definition` (the registry's DeviceDefinition) when the hub's registry holds the DI.
 * Primary course: parse (GS1 or HIBCC); a fault → 400 naming `udi` and the fault; read the DI at the
 *   hub's registry (404: no definition; another answer → 502).
 */
import { parseUdi } from "#domain/drugs/udi.ts";
import { BadRequestError, UpstreamError } from "#domain/errors.ts";

export function parseUdiParameters(udi: string) {
  const parsed = parseUdi(udi);
  if (!parsed.ok) throw new BadRequestError(`Parameters.parameter.udi: ${parsed.problem}`, "Parameters.parameter.udi");
  const { issuer, di, lot, serial, manufactureDate, expiryDate } = parsed.udi;
  return {
    resourceType: "Parameters" as const,
    parameter: [
      { name: "issuer", valueString: issuer },
      { name: "di", valueString: di },
      ...(lot ? [{ name: "lot", valueString: lot }] : []),
      ...(serial ? [{ name: "serial", valueString: serial }] : []),
      ...(manufactureDate ? [{ name: "manufactureDate", valueDate: manufactureDate }] : []),
      ...(expiryDate ? [{ name: "expiryDate", valueDate: expiryDate }] : []),
    ],
  };
}

/** The parsed UDI with the registry's DeviceDefinition of its DI, when the hub holds one */
export async function withDefinition(
  parsed: ReturnType<typeof parseUdiParameters>,
  readDefinition: (di: string) => Promise<{ status: number; body: string }>,
) {
  const di = parsed.parameter.find((p) => p.name === "di")!.valueString!;
  const answer = await readDefinition(di);
  if (answer.status === 404) return parsed;
  if (answer.status !== 200) throw new UpstreamError(`The hub's device registry answered ${answer.status}`, "exception");
  return {
    ...parsed,
    parameter: [...parsed.parameter, { name: "definition", resource: JSON.parse(answer.body) as Record<string, unknown> }],
  };
}
