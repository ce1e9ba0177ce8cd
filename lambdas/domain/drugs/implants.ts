/**
 * Implanted devices on an Encounter (docs/drugs-devices.md#implants): each contained Device's UDI
 * carrier parsed into the implant the hub indexes (DI, lot, serial, dates). Pure.
 */
import { BadRequestError } from "#domain/errors.ts";
import { IMPLANTED_DEVICE_EXTENSION, MAX_IMPLANTS } from "#schemas/encounter-implants.ts";
import type { Implant } from "#schemas/messages.ts";
import { parseUdi } from "./udi.ts";

interface Identifier {
  system: string;
  value: string;
}
type Contained = { resourceType: string; id: string; udiCarrier?: { carrierHRF: string }[]; patient?: { identifier?: Identifier } };
type Extension = { valueReference?: { reference: string } };

/** Every implanted-device extension names a contained Device, and every contained Device is named by one */
function checkReferences(contained: readonly Contained[], extensions: readonly Extension[]): void {
  const devices = new Set(contained.flatMap((c) => (c.resourceType === "Device" ? [c.id] : [])));
  const referenced = new Set<string>();
  for (const [i, e] of extensions.entries()) {
    const id = e.valueReference?.reference.startsWith("#") ? e.valueReference.reference.slice(1) : undefined;
    if (id === undefined || !devices.has(id))
      throw new BadRequestError(
        `Encounter.extension[${i}].valueReference: must reference a contained Device: #<id>`,
        `Encounter.extension[${i}].valueReference`,
      );
    referenced.add(id);
  }
  for (const [i, c] of contained.entries())
    if (c.resourceType === "Device" && !referenced.has(c.id))
      throw new BadRequestError(
        `Encounter.contained[${i}]: a contained Device is referenced by an ${IMPLANTED_DEVICE_EXTENSION} extension`,
        `Encounter.contained[${i}]`,
      );
  if (devices.size > MAX_IMPLANTS)
    throw new BadRequestError(`Encounter.contained: at most ${MAX_IMPLANTS} implanted devices`, "Encounter.contained");
}

const sameIdentifier = (a: Identifier | undefined, b: Identifier) => !a || (a.system === b.system && a.value === b.value);

/**
 * The implants of an Encounter, in the order of its contained Devices. A carrier that does not parse
 * → 400 naming `Encounter.contained[i].udiCarrier[0].carrierHRF` and the fault; a Device whose patient
 * names another identifier than the Encounter's subject → 400 naming `Encounter.contained[i].patient`;
 * a Device no implanted-device extension references, or a reference to no contained Device → 400 naming it.
 */
export function implantsOf(encounter: {
  contained?: readonly Contained[];
  extension?: readonly Extension[];
  subject: { identifier: Identifier };
}): Implant[] {
  checkReferences(encounter.contained ?? [], encounter.extension ?? []);
  const implants: Implant[] = [];
  for (const [i, c] of (encounter.contained ?? []).entries()) {
    if (c.resourceType !== "Device") continue;
    const field = `Encounter.contained[${i}].udiCarrier[0].carrierHRF`;
    const parsed = parseUdi(c.udiCarrier?.[0]?.carrierHRF ?? "");
    if (!parsed.ok) throw new BadRequestError(`${field}: ${parsed.problem}`, field);
    if (!sameIdentifier(c.patient?.identifier, encounter.subject.identifier))
      throw new BadRequestError(
        `Encounter.contained[${i}].patient: names another patient than Encounter.subject`,
        `Encounter.contained[${i}].patient`,
      );
    const { issuer, di, lot, serial, expiryDate, manufactureDate } = parsed.udi;
    implants.push({
      deviceId: c.id,
      issuer,
      di,
      ...(lot ? { lot } : {}),
      ...(serial ? { serial } : {}),
      ...(expiryDate ? { expiryDate } : {}),
      ...(manufactureDate ? { manufactureDate } : {}),
    });
  }
  return implants;
}

/** The contained resources as stored: each implanted Device's patient is the resident (as the Encounter's subject) */
export const withImplantPatient = <C extends { resourceType: string }>(contained: readonly C[] | undefined, resident: object) =>
  contained?.map((c) => (c.resourceType === "Device" ? { ...c, patient: resident } : c));
