/**
 * Composition of the department exchange (issue 16, docs/departments.md): the DepartmentOutbox table and
 * the DepartmentDelivery queue behind `DepartmentExchange.send`, each department's endpoint (discovery),
 * the access requests (DepartmentExchange table), and the response sinks each capability registers for
 * the events it sends. A function that sends through the exchange is granted DEPARTMENT_EXCHANGE_GRANTS
 * (lib/declaration/departments.ts).
 */

import { dynamoCaseReportStore } from "#adapters/case-report-store.ts";
import { httpDepartmentEndpoints } from "#adapters/department-endpoints.ts";
import { dynamoAccessRequestStore, dynamoInboundStore, dynamoVitalStatusStore } from "#adapters/department-store.ts";
import { dynamoOutboxStore } from "#adapters/outbox-store.ts";
import { sendMessage } from "#adapters/queue-sender.ts";
import type { DepartmentExchange, DepartmentResponseSinks } from "#ports/departments.ts";
import { nodeEnv, queueUrl, tableName } from "#shared/env.ts";
import { logger } from "#shared/logger.ts";
import { type AccessDeps, grantedMembers } from "#use-cases/departments/access.ts";
import type { DeathCascadeDeps, ResidentVitalListener } from "#use-cases/departments/deaths.ts";
import { type DeliveryDeps, type OutboundDeps, sendToDepartments } from "#use-cases/departments/outbound.ts";
import { answerOfDiseaseControl } from "#use-cases/public-health/case-reports.ts";
import { certificateOf, deathListeners, restoreListeners } from "./department-listeners.ts";
import { optionalEvidence } from "./evidence.ts";

/** A department's answer to one of the hub's own notifications: logged (a refusal is an error to look into) */
const logAnswer: DepartmentResponseSinks[keyof DepartmentResponseSinks] = async (response) => {
  if (response.code === "ok") logger.info("department acknowledged a message", { ...response });
  else logger.error("department refused a message", { ...response });
};

let caseReports: ReturnType<typeof dynamoCaseReportStore> | undefined;

/** The sink of each event's answers, registered by the capability that sends it */
export const departmentResponseSinks: DepartmentResponseSinks = {
  "death-notification": logAnswer,
  "birth-notification": logAnswer,
  // public health: disease control's answer makes the report accepted or rejected (the delivery function holds CaseReports)
  "case-report": (response) => {
    caseReports ??= dynamoCaseReportStore(tableName("CaseReports"));
    return answerOfDiseaseControl({ store: caseReports }, response);
  },
  "monthly-report": logAnswer,
  update: logAnswer,
  void: logAnswer,
};

export function accessDeps(): AccessDeps {
  return { requests: dynamoAccessRequestStore(tableName("DepartmentExchange")) };
}

export function outboundDeps(): OutboundDeps {
  const access = accessDeps();
  const deliveryQueue = queueUrl("DepartmentDelivery");
  return {
    outbox: dynamoOutboxStore(tableName("DepartmentOutbox")),
    enqueue: (delivery, body) => sendMessage(deliveryQueue, delivery, body),
    grantedMembers: (serviceId, now) => grantedMembers(access, serviceId, now),
  };
}

/** The exchange as other capabilities send through it (ports/departments.ts) */
export function departmentExchange(deps: OutboundDeps = outboundDeps()): DepartmentExchange {
  return { send: (message, now) => sendToDepartments(deps, message, now) };
}

export function deliveryDeps(): DeliveryDeps {
  return {
    outbox: dynamoOutboxStore(tableName("DepartmentOutbox")),
    endpoints: httpDepartmentEndpoints(nodeEnv().ssmPrefix),
    sinks: departmentResponseSinks,
    ...optionalEvidence(),
  };
}

export function inboundStore() {
  return dynamoInboundStore(tableName("DepartmentExchange"));
}

/**
 * What other capabilities do when a resident dies (`deceased`) or a death is retracted (`restored`):
 * the health card, subscriptions and telemedicine (wiring/department-listeners.ts).
 */
export const residentVitalListeners: { deceased: ResidentVitalListener[]; restored: ResidentVitalListener[] } = {
  deceased: deathListeners,
  restored: restoreListeners,
};

export function deathCascadeDeps(): DeathCascadeDeps {
  return { exchange: departmentExchange(), certificate: certificateOf, listeners: residentVitalListeners };
}

/** Residents' vital status (the reconciliation reads it) */
export const vitalStore = () => dynamoVitalStatusStore(tableName("DepartmentExchange"));
