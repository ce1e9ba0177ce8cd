/**
 * The hub's credential use cases (authenticate, issue, rotate, revoke, onboard) and what they need.
 */
import { dynamoCredentialStore } from "#adapters/credential-store.ts";
import { hospitalApiKeys } from "#adapters/hospital-api-keys.ts";
import type { CredentialStore } from "#ports/credentials.ts";
import { tableName } from "#shared/env.ts";
import type { CredentialDeps } from "#use-cases/credentials.ts";
import type { OnboardingDeps } from "#use-cases/onboarding.ts";
import { provinceCities } from "./province.ts";
import { registryStore } from "./registry.ts";

export const credentialStore = (): CredentialStore => dynamoCredentialStore(tableName("Credentials"));

export const credentialDeps = (): CredentialDeps => ({ credentials: credentialStore(), apiKeys: hospitalApiKeys() });

export const onboardingDeps = (): OnboardingDeps => ({ ...credentialDeps(), registry: registryStore(), cities: provinceCities() });
