/** Runs each resident's vital change from the ResidentEvents queue: a death's cascade, or its reversal (use-cases/departments/deaths.ts). */
import { residentVitalEventSchema } from "#schemas/departments.ts";
import { clock } from "#shared/clock.ts";
import { sqsHandler } from "#shared/sqs.ts";
import { onVitalChange } from "#use-cases/departments/deaths.ts";
import { deathCascadeDeps } from "#wiring/departments.ts";

const deps = deathCascadeDeps();

export const handler = sqsHandler(residentVitalEventSchema, async (event) => {
  await onVitalChange(deps, event, clock.now());
});
