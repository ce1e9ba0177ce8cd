/**
 * What implants and recalls need (docs/drugs-devices.md#implants): the hub's DeviceImplants table
 * (adapters/device-implants.ts), the implants indexed by DI and DI + lot, and the recalls issued.
 */
import type { Implant } from "#schemas/messages.ts";

/** One implant as the hub indexes it: the device's parts, the resident, where and when */
export interface ImplantRecord extends Implant {
  empi: string;
  hospitalId: string;
  cityId: string;
  /** The Encounter's id (`<cityId>-…`) */
  encounterId: string;
  /** The encounter's start (else when it was recorded) */
  at: string;
}

export interface ImplantIndex {
  /** Indexes each implant under its DI and lot (idempotent: the same encounter and device land on the same item) */
  put(records: ImplantRecord[]): Promise<void>;
  /** Every implant of the DI (of that lot only, when given) */
  byDi(di: string, lot?: string): Promise<ImplantRecord[]>;
}

export interface Recall {
  di: string;
  lot?: string;
  reason: string;
  issuedAt: string;
  /** Whether every affected hospital's Communication was sent */
  sent: boolean;
  hospitals: string[];
  residents: number;
}

export interface RecallStore {
  get(di: string, lot: string | undefined): Promise<Recall | undefined>;
  /** Records the recall unless one of the DI and lot is recorded (false then) */
  create(recall: Recall): Promise<boolean>;
  markSent(di: string, lot: string | undefined): Promise<void>;
}
