/** What the hub's REQUEST authorizers share: the bearer credential authenticated against the Credentials table. */
import { bearerToken } from "#domain/credentials.ts";
import type { CredentialStore } from "#ports/credentials.ts";
import type { Principal } from "#schemas/auth.ts";
import { UNAUTHORIZED } from "#shared/authorizer.ts";
import { countRefusal } from "#shared/metrics.ts";
import { authenticate } from "#use-cases/authenticate.ts";

/**
 * An authorizer's first step: the principal the request's bearer credential names; none (missing,
 * unknown, revoked, expired) is counted and thrown as API Gateway's 401.
 */
export async function authenticateBearer(
  store: CredentialStore,
  headers: Record<string, string | undefined> | null | undefined,
): Promise<Principal> {
  const principal = await authenticate(store, bearerToken(headers?.Authorization ?? headers?.authorization));
  if (principal) return principal;
  countRefusal("invalid");
  throw new Error(UNAUTHORIZED);
}
