/**
 * Three-tier telemedicine at the hub (docs/telemedicine.md), for the cities' hospitals (IAM; the city
 * checked the credential and the named practitioner, and audits):
 *   POST /internal/telemedicine/ServiceRequest   a request → 201 Bundle (ServiceRequest + Task, dispatched);
 *                                                its retry (same identifier) → 200 with the first attempt's
 *   GET  /internal/telemedicine/Task             the hospital's Tasks (requester= or owner-organization=)
 *   GET  /internal/telemedicine/Task/{id}        one Task (its requester or owner only)
 *   PUT  /internal/telemedicine/Task/{id}        a party moves it (If-Match)
 *   GET  /internal/telemedicine/Slot             an expert's slots (a party to an open Task of theirs)
 *   POST /internal/telemedicine/Appointment/$hold, /$book   hold or book a slot for a Task (its requester or owner)
 *   GET  /internal/telemedicine/Appointment/{id}  one Appointment (its Task's requester or owner only)
 *   PUT  /internal/telemedicine/Appointment/{id}  cancel it
 *   GET  /telemedicine/kpis?from=YYYY-MM-DD&to=YYYY-MM-DD   (operator) the figures per tier and hospital (no patient data)
 */
import type { z } from "zod";
import { actingHospital } from "#domain/acting-hospital.ts";
import { BadRequestError } from "#domain/errors.ts";
import { etagOf, taskResource } from "#domain/telemedicine/task.ts";
import { FHIR_JSON } from "#schemas/fhir.ts";
import { PRACTITIONER_HEADER } from "#schemas/internal.ts";
import { serviceRequestSchema, taskSearchSchema, taskUpdateSchema } from "#schemas/telemedicine.ts";
import { appointmentUpdateSchema, schedulingParametersSchema, slotSearchSchema } from "#schemas/telemedicine-scheduling.ts";
import { type HttpRequest, httpRouter } from "#shared/http.ts";
import { actingFor } from "#use-cases/node-identity.ts";
import { bookSlot, cancelAppointment, holdSlot, readAppointment, searchSlots } from "#use-cases/telemedicine/scheduling.ts";
import { kpisBetween, readTask, requestTelemedicine, searchBundle, searchTasks, updateTask } from "#use-cases/telemedicine/tasks.ts";
import { nodeIdentityDeps } from "#wiring/node-identity.ts";
import { hubTelemedicineDeps } from "#wiring/telemedicine.ts";

const deps = hubTelemedicineDeps();
const identity = nodeIdentityDeps();

async function acting(request: HttpRequest) {
  const by = await actingFor(identity, request, actingHospital(request.headers));
  const practitionerId = request.headers[PRACTITIONER_HEADER];
  return { ...by, ...(practitionerId ? { practitionerId } : {}) };
}

const one = (task: Parameters<typeof taskResource>[0], statusCode = 200) => ({
  statusCode,
  body: taskResource(task),
  headers: { etag: etagOf(task.version), "content-type": FHIR_JSON },
});

const appointment = (body: Record<string, unknown>, statusCode = 200) => ({
  statusCode,
  body,
  headers: { etag: `W/"${(body.meta as { versionId: string }).versionId}"`, "content-type": FHIR_JSON },
});

/** A search's query parsed by its schema: a 400 naming the parameter */
function queryOf<T>(request: HttpRequest, schema: z.ZodType<T>, field: string): T {
  const raw = Object.fromEntries(Object.entries(request.query).map(([k, v]) => [k, v?.[0]]));
  const parsed = schema.safeParse(raw);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  throw new BadRequestError(`${issue.path.join(".")}: ${issue.message}`, String(issue.path[0] ?? field));
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;

export const handler = httpRouter({
  "GET /telemedicine/kpis": async (request) => {
    const [from, to] = [request.query.from?.[0], request.query.to?.[0]];
    if (!from || !DAY.test(from)) throw new BadRequestError("from: a UTC day, YYYY-MM-DD", "from");
    if (!to || !DAY.test(to)) throw new BadRequestError("to: a UTC day, YYYY-MM-DD", "to");
    return { statusCode: 200, body: await kpisBetween(deps.tasks, from, to), headers: { "content-type": "application/json" } };
  },
  "POST /internal/telemedicine/ServiceRequest": async (request) => {
    const by = await acting(request);
    const { body, created } = await requestTelemedicine(deps, by, request.body(serviceRequestSchema));
    return { statusCode: created ? 201 : 200, body };
  },
  "GET /internal/telemedicine/Task": async (request) => {
    const by = await acting(request);
    return { statusCode: 200, body: searchBundle(await searchTasks(deps, by, queryOf(request, taskSearchSchema, "requester"))) };
  },
  "GET /internal/telemedicine/Slot": async (request) => {
    const by = await acting(request);
    return { statusCode: 200, body: await searchSlots(deps, by, queryOf(request, slotSearchSchema, "schedule.actor")) };
  },
  "POST /internal/telemedicine/Appointment/$hold": async (request) => {
    const by = await acting(request);
    return appointment(await holdSlot(deps, by, request.body(schedulingParametersSchema)), 201);
  },
  "POST /internal/telemedicine/Appointment/$book": async (request) => {
    const by = await acting(request);
    return appointment(await bookSlot(deps, by, request.body(schedulingParametersSchema)));
  },
  "GET /internal/telemedicine/Appointment/{id}": async (request) =>
    appointment(await readAppointment(deps, await acting(request), request.pathParameters.id!)),
  "PUT /internal/telemedicine/Appointment/{id}": async (request) => {
    const by = await acting(request);
    const update = request.body(appointmentUpdateSchema);
    return appointment(await cancelAppointment(deps, by, request.pathParameters.id!, request.headers["if-match"], update));
  },
  "GET /internal/telemedicine/Task/{id}": async (request) => one(await readTask(deps, await acting(request), request.pathParameters.id!)),
  "PUT /internal/telemedicine/Task/{id}": async (request) => {
    const by = await acting(request);
    const update = request.body(taskUpdateSchema);
    return one(await updateTask(deps, by, request.pathParameters.id!, request.headers["if-match"], update));
  },
});
