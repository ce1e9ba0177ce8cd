/**
 * The DeviceDefinition registry's entries (docs/drugs-devices.md#the-devicedefinition-registry), pure:
 * a device type keyed by its UDI-DI — a GS1 GTIN-14 (its check digit checked) or an HIBCC DI (labeler
 * code, product code, unit of measure, as lambdas/domain/drugs/udi.ts parses it) — and its FHIR R4
 * DeviceDefinition.
 */
import type { DeviceEntry } from "#schemas/drugs.ts";
import { gtinProblems } from "./codes.ts";

export const GS1_DI_SYSTEM = "http://hl7.org/fhir/NamingSystem/gs1-di";
export const HIBCC_DI_SYSTEM = "http://hl7.org/fhir/NamingSystem/hibcc-dI";
/** The jurisdiction of the registry: China's UDI database (NMPA) */
export const UDI_JURISDICTION = "https://udi.nmpa.gov.cn";
export const IMPLANTABLE_EXTENSION = "https://hebei.health/fhir/StructureDefinition/implantable";
export const RISK_CLASS_EXTENSION = "https://hebei.health/fhir/StructureDefinition/device-risk-class";

const HIBCC_DI = /^[A-Z][A-Z0-9]{3}[A-Z0-9]{1,18}[0-9]$/;

export const diIssuer = (di: string): "GS1" | "HIBCC" => (/^[0-9]/.test(di) ? "GS1" : "HIBCC");

/** Why `di` is no UDI-DI; empty when it is one */
export function diProblems(di: string): string[] {
  if (diIssuer(di) === "GS1") {
    if (di.length !== 14) return [`a GS1 DI is a GTIN-14; this one has ${di.length} characters`];
    return gtinProblems(di);
  }
  return HIBCC_DI.test(di)
    ? []
    : ["an HIBCC DI is a labeler code (a letter and 3 letters or digits), a product code (1 to 18) and a unit of measure digit"];
}

export function deviceDefinition(entry: DeviceEntry) {
  const gs1 = diIssuer(entry.di) === "GS1";
  return {
    resourceType: "DeviceDefinition" as const,
    id: entry.di,
    udiDeviceIdentifier: [{ deviceIdentifier: entry.di, issuer: gs1 ? GS1_DI_SYSTEM : HIBCC_DI_SYSTEM, jurisdiction: UDI_JURISDICTION }],
    manufacturerString: entry.manufacturer,
    deviceName: [{ name: entry.name, type: "user-friendly-name" as const }],
    modelNumber: entry.model,
    type: { text: entry.type },
    extension: [
      { url: RISK_CLASS_EXTENSION, valueCode: entry.riskClass },
      { url: IMPLANTABLE_EXTENSION, valueBoolean: entry.implantable },
    ],
  };
}
