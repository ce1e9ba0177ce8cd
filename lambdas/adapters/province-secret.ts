/**
 * The province secret the health cards are derived from (docs/health-card.md): a 32-byte SecureString
 * `<ssmPrefix>/keys/health-card`, created by the first function that needs it, read once per cold start.
 */
import type { ProvinceSecret } from "#ports/health-card.ts";
import { storedSecret } from "#shared/message-signing.ts";

export const healthCardSecretName = (ssmPrefix: string): string => `${ssmPrefix}/keys/health-card`;

export const provinceSecret =
  (ssmPrefix: string): ProvinceSecret =>
  () =>
    storedSecret(
      healthCardSecretName(ssmPrefix),
      "The health card's province secret: card ids and keys derive from it (docs/health-card.md)",
    );
