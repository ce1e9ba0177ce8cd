/** The capability parts spread into the hub and city declarations, in one place. */
import { CONSENT } from "./consent.ts";
import { DEPARTMENT_LISTENERS, DEPARTMENTS } from "./departments.ts";
import { DOCUMENTS } from "./documents.ts";
import { DEVICE_IMPLANTS, DRUGS } from "./drugs.ts";
import { EXCHANGE } from "./exchange.ts";
import { HEALTH_CARD } from "./health-card.ts";
import { OPERATIONS } from "./operations.ts";
import { PUBLIC_HEALTH } from "./public-health.ts";
import { PUSH } from "./push.ts";
import { SETTLEMENT } from "./settlement.ts";
import { TELEMEDICINE } from "./telemedicine.ts";
import type { DeclarationPart } from "./types.ts";

/** Every capability part (the hub's core, HUB_CORE in hub.ts, comes before them) */
export const HUB_PARTS: DeclarationPart[] = [
  EXCHANGE,
  DOCUMENTS,
  PUSH,
  CONSENT,
  SETTLEMENT,
  DRUGS,
  DEVICE_IMPLANTS,
  OPERATIONS,
  HEALTH_CARD,
  TELEMEDICINE,
  DEPARTMENTS,
  DEPARTMENT_LISTENERS,
  PUBLIC_HEALTH,
];

/** Every part's entries under `key`, in part order */
export const fromParts = <K extends keyof DeclarationPart>(key: K): NonNullable<DeclarationPart[K]> =>
  HUB_PARTS.flatMap((part): unknown[] => (part[key] as unknown[] | undefined) ?? []) as NonNullable<DeclarationPart[K]>;
