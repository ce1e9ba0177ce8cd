/** The capability parts spread into the hub and city declarations, in one place. */
import { DOCUMENTS } from "./documents.ts";
import { OPERATIONS } from "./operations.ts";
import { PUSH } from "./push.ts";
import { SETTLEMENT } from "./settlement.ts";
import type { DeclarationPart } from "./types.ts";

const PARTS: DeclarationPart[] = [DOCUMENTS, PUSH, SETTLEMENT, OPERATIONS];

/** Every part's entries under `key`, in part order */
export const fromParts = <K extends keyof DeclarationPart>(key: K): NonNullable<DeclarationPart[K]> =>
  PARTS.flatMap((part): unknown[] => part[key] ?? []) as NonNullable<DeclarationPart[K]>;
