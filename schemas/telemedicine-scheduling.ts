/**
 * Telemedicine scheduling (docs/telemedicine.md#scheduling): the Slot search's query, the Parameters
 * of `Appointment/$hold` and `Appointment/$book` (IHE ITI Scheduling), and the Appointment a party
 * PUTs to cancel. Shapes only; the rules are in lambdas/domain/telemedicine/schedule.ts.
 */
import { z } from "zod";

const ID = "[A-Za-z0-9\\-.]{1,64}";
const ref = (type: string) => z.string().regex(new RegExp(`^${type}/${ID}$`), `must be ${type}/<id>`);

/** GET /fhir/Slot?schedule.actor=PractitionerRole/<id>&status=free&start=ge<date> */
export const slotSearchSchema = z.object({
  "schedule.actor": ref("PractitionerRole"),
  status: z.enum(["free", "busy-tentative", "busy"]).optional(),
  start: z
    .string()
    .regex(/^(ge|gt)?\d{4}-\d{2}-\d{2}(T[0-9:.]+(Z|[+-]\d{2}:\d{2}))?$/, "must be [ge|gt]<date or instant>")
    .optional(),
  _count: z
    .string()
    .regex(/^([1-9]\d{0,2})$/, "must be 1 to 999")
    .optional(),
});
export type SlotSearch = z.infer<typeof slotSearchSchema>;

const reference = (type: string) => z.object({ reference: ref(type) });
const parameter = z.discriminatedUnion("name", [
  z.object({ name: z.literal("slot"), valueReference: reference("Slot") }),
  z.object({ name: z.literal("task"), valueReference: reference("Task") }),
  z.object({ name: z.literal("patient"), valueReference: reference("Patient") }),
  z.object({ name: z.literal("appointment"), valueReference: reference("Appointment") }),
]);

/**
 * `$hold`: slot, task and patient. `$book`: the held appointment, or slot, task and patient at once.
 * Each parameter at most once.
 */
export const schedulingParametersSchema = z
  .object({ resourceType: z.literal("Parameters"), parameter: z.array(parameter).min(1).max(4) })
  .superRefine((p, ctx) => {
    const names = p.parameter.map((x) => x.name);
    names.forEach((name, i) => {
      if (names.indexOf(name) !== i) ctx.addIssue({ code: "custom", path: ["parameter", i, "name"], message: `${name} is named twice` });
    });
  });
export type SchedulingParameters = z.infer<typeof schedulingParametersSchema>;

/** The reference id a Parameters names for `name`, if any */
export const parameterId = (p: SchedulingParameters, name: "slot" | "task" | "patient" | "appointment"): string | undefined =>
  p.parameter.find((x) => x.name === name)?.valueReference.reference.split("/")[1];

/** PUT /fhir/Appointment/{id}: a party cancels (the one move a party makes on an Appointment) */
export const appointmentUpdateSchema = z.object({
  resourceType: z.literal("Appointment"),
  id: z
    .string()
    .regex(new RegExp(`^${ID}$`), "must be a FHIR id")
    .optional(),
  status: z.literal("cancelled", { error: "a party moves an Appointment only to cancelled" }),
  cancelationReason: z.object({ text: z.string().trim().min(1).max(1000) }).optional(),
});
export type AppointmentUpdate = z.infer<typeof appointmentUpdateSchema>;
