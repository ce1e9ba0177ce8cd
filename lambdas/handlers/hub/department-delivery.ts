/** Delivers each department message from the DepartmentDelivery queue to its department's endpoint (use-cases/departments/outbound.ts). */
import { departmentDeliverySchema } from "#schemas/departments.ts";
import { clock } from "#shared/clock.ts";
import { sqsHandler } from "#shared/sqs.ts";
import { deliverToDepartment } from "#use-cases/departments/outbound.ts";
import { deliveryDeps } from "#wiring/departments.ts";

const deps = deliveryDeps();

export const handler = sqsHandler(departmentDeliverySchema, async (delivery) => {
  await deliverToDepartment(deps, delivery, clock.now());
});
