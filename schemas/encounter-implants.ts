/**
 * The implanted devices an Encounter may record (docs/drugs-devices.md#implants): contained Devices
 * with their UDI carrier and patient, referenced from the Encounter by the implanted-device extension
 * (R4's Encounter has no device element). A light module, like encounter-diagnosis.ts: the documents'
 * read and write paths parse Encounters (what the checks need beyond shape is in domain/drugs/implants.ts).
 */
import { z } from "zod";

export const IMPLANTED_DEVICE_EXTENSION = "https://hebei.health/fhir/StructureDefinition/implanted-device";
/** Implanted devices per encounter */
export const MAX_IMPLANTS = 20;

const containedId = z.string().regex(/^[A-Za-z0-9\-.]{1,64}$/);

/** A Device as an Encounter contains it: one UDI carrier (its human-readable form, parsed when recorded) and the patient */
export const implantedDeviceSchema = z.object({
  resourceType: z.literal("Device"),
  id: containedId,
  udiCarrier: z
    .array(z.object({ deviceIdentifier: z.string().min(1).max(64).optional(), carrierHRF: z.string().min(1).max(200) }))
    .length(1, "one UDI carrier per implanted device"),
  /** The encounter's resident: stored as the resident's EMPI reference (Patient/<empi>) */
  patient: z.object({
    reference: z.string().min(1).max(200).optional(),
    identifier: z.object({ system: z.string().min(1).max(200), value: z.string().min(1).max(128) }).optional(),
  }),
});
export type ImplantedDevice = z.infer<typeof implantedDeviceSchema>;

/**
 * Encounter.extension: the implanted-device references are kept; any other extension is dropped, as
 * every element this contract does not name is (a stored resource carries no unchecked claims).
 */
export const encounterExtensionSchema = z
  .array(z.object({ url: z.string().min(1).max(200), valueReference: z.object({ reference: z.string().min(1).max(200) }).optional() }))
  .max(40)
  .transform((extensions) => extensions.filter((e) => e.url === IMPLANTED_DEVICE_EXTENSION))
  .optional();
