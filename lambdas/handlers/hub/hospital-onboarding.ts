/**
 * Operator: onboard a hospital (POST /hospitals: its Organization, then its first credential),
 * rotate its credential (POST /hospitals/{hospitalId}/credentials) and revoke its credentials
 * (DELETE /hospitals/{hospitalId}/credentials). Plaintext credentials appear once, in the answer.
 */

import { NotFoundError } from "#domain/errors.ts";
import { rotateRequestSchema } from "#schemas/onboarding.ts";
import { organizationSchema } from "#schemas/registry.ts";
import { clock } from "#shared/clock.ts";
import { httpRouter } from "#shared/http.ts";
import { DEFAULT_GRACE_HOURS, revokeHospitalCredentials, rotateHospitalCredential } from "#use-cases/credentials.ts";
import { onboardHospital } from "#use-cases/onboarding.ts";
import { onboardingDeps } from "#wiring/credentials.ts";

const deps = onboardingDeps();
const json = { "content-type": "application/json" };

export const handler = httpRouter({
  "POST /hospitals": async (request) => {
    const onboarded = await onboardHospital(deps, request.body(organizationSchema), clock.now());
    return { statusCode: 201, body: onboarded, headers: { ...json, location: `Organization/${onboarded.hospitalId}` } };
  },
  "POST /hospitals/{hospitalId}/credentials": async (request) => {
    const hospitalId = request.pathParameters.hospitalId ?? "";
    const { graceHours = DEFAULT_GRACE_HOURS } = request.rawBody ? request.body(rotateRequestSchema) : {};
    const rotation = await rotateHospitalCredential(deps, hospitalId, graceHours, clock.now());
    if (!rotation) throw new NotFoundError(`Hospital ${hospitalId} has no active credential to rotate (onboard it first)`);
    return { statusCode: 201, body: rotation, headers: json };
  },
  "DELETE /hospitals/{hospitalId}/credentials": async (request) => {
    const hospitalId = request.pathParameters.hospitalId ?? "";
    const revoked = await revokeHospitalCredentials(deps, hospitalId, clock.now());
    if (revoked.length === 0) throw new NotFoundError(`Hospital ${hospitalId} has no credential to revoke`);
    return { statusCode: 200, body: { hospitalId, revoked }, headers: json };
  },
});
