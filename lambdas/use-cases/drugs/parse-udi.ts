/**
 * Parse a device's UDI (docs/drugs-devices.md#udi).
 * Input: the Parameters of `Device/$parse-udi` (one `udi` valueString).
 * Output: Parameters: issuer, di, and the lot, serial, manufactureDate and expiryDate it carries.
 * Primary course: parse (GS1 or HIBCC); a fault → 400 naming `udi` and the fault.
 */
import { parseUdi } from "#domain/drugs/udi.ts";
import { BadRequestError } from "#domain/errors.ts";

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
