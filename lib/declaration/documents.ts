/**
 * Clinical documents and encounters (IHE MHD publish, find, retrieve; the hub's record locator and
 * EHR timeline), spread into hub.ts and city.ts.
 */
import type { DeclarationPart } from "./types.ts";

export const DOCUMENTS: DeclarationPart = {};
