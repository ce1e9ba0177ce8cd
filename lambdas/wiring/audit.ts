/**
 * The audit trail's composition: at a city, the audited access (AuditLog outbox → the hub's Audit
 * queue); at the hub, the repository and the Audit queue's consumer.
 */
import { dynamoActivityCounter, dynamoReadVolume } from "#adapters/activity.ts";
import { dynamoAuditRepository } from "#adapters/audit-repository.ts";
import { dynamoConnectionStore } from "#adapters/connection-store.ts";
import { sendMessage } from "#adapters/queue-sender.ts";
import type { AuditRepository } from "#ports/audit.ts";
import type { ExchangeAckMessageV1 } from "#schemas/messages.ts";
import { discovery } from "#shared/discovery.ts";
import { type NodeEnv, nodeEnv, tableName } from "#shared/env.ts";
import { logger } from "#shared/logger.ts";
import { countReadVolumeExceeded } from "#shared/metrics.ts";
import { type AuditConsumerDeps, recordAccess } from "#use-cases/audit.ts";
import { auditedAccess, type CityAuditor } from "#use-cases/audited-access.ts";
import { auditOutboxDeps } from "#wiring/outbox.ts";

/** A city's audited access: each AuditEvent recorded in its AuditLog before the answer, then sent to the hub. */
export function cityAuditor(node: NodeEnv): CityAuditor {
  const deps = auditOutboxDeps(node);
  return auditedAccess({ record: (access) => recordAccess(deps, node.nodeId, access) }, node.nodeId);
}

export const auditRepository = (): AuditRepository => dynamoAuditRepository(tableName("AuditEvents"));

export function auditConsumerDeps(): AuditConsumerDeps {
  const nodes = discovery(nodeEnv().ssmPrefix);
  return {
    repository: auditRepository(),
    connections: dynamoConnectionStore(tableName("Connections")),
    activity: dynamoActivityCounter(tableName("Activity")),
    readVolume: {
      counter: dynamoReadVolume(tableName("Activity")),
      threshold: readVolumeThreshold(),
      exceeded: (alert) => {
        logger.warn("a practitioner's reads of patient data passed the hourly threshold", { ...alert });
        countReadVolumeExceeded();
      },
    },
    acknowledge: async (cityId, messageIds) => {
      const ack: ExchangeAckMessageV1 = { type: "exchange-ack", version: 1, messageIds, outbox: "audit" };
      await sendMessage(await nodes.cityPushQueueUrl(cityId), ack, undefined, cityId);
    },
  };
}

/** HHC_READ_VOLUME_THRESHOLD: reads of patient data per practitioner per hour past which the volume alarm fires (default 300) */
export function readVolumeThreshold(): number {
  const raw = process.env.HHC_READ_VOLUME_THRESHOLD;
  if (raw === undefined || raw === "") return 300;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) throw new Error("HHC_READ_VOLUME_THRESHOLD must be a whole number ≥ 1");
  return n;
}
