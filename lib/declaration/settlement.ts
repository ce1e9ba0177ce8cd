/** One-Line Connect: claims, the insurance FIFO queue and settlements, spread into hub.ts and city.ts. */
import type { DeclarationPart } from "./types.ts";

export const SETTLEMENT: DeclarationPart = {};
