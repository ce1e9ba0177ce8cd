/**
 * Composition of the evidence log (docs/departments.md#evidence-log): the Evidence table, the evidence
 * key (KMS when the stack names one, else the local province's key file) and the archive bucket.
 * `HHC_EVIDENCE_LOGGING=off` (bench/evidence.ts only) leaves the exchange without evidence.
 */

import { s3EvidenceArchive } from "#adapters/evidence-archive.ts";
import { kmsEvidenceKey, localEvidenceKey } from "#adapters/evidence-key.ts";
import { dynamoEvidenceLog } from "#adapters/evidence-log.ts";
import { dynamoEvidenceStore } from "#adapters/evidence-store.ts";
import { ECDSA_P256 } from "#domain/evidence/signature.ts";
import type { EvidenceKey, EvidenceLog } from "#ports/evidence.ts";
import { envVar, tableName } from "#shared/env.ts";
import { ENV } from "#shared/env-names.ts";
import type { SealerDeps } from "#use-cases/departments/evidence.ts";

/** `{ evidence }` for the exchange's deps, or nothing when evidence logging is off (the bench's comparison) */
export const optionalEvidence = (): { evidence?: EvidenceLog } =>
  envVar(ENV.evidenceLogging) === "off" ? {} : { evidence: dynamoEvidenceLog(tableName("Evidence")) };

export function evidenceKey(): EvidenceKey {
  const kmsKey = envVar(ENV.evidenceKeyId);
  if (kmsKey) return kmsEvidenceKey(kmsKey, envVar(ENV.evidenceAlgorithm) ?? ECDSA_P256);
  const file = envVar(ENV.evidenceLocalKeyFile);
  if (!file) throw new Error(`Environment variable ${ENV.evidenceKeyId} (AWS) or ${ENV.evidenceLocalKeyFile} (local) is not set`);
  return localEvidenceKey(file);
}

export function sealerDeps(): SealerDeps {
  const bucket = envVar(ENV.evidenceBucket);
  if (!bucket) throw new Error(`Environment variable ${ENV.evidenceBucket} is not set`);
  return { store: dynamoEvidenceStore(tableName("Evidence")), key: evidenceKey(), archive: s3EvidenceArchive(bucket) };
}

/** The evidence reader: the table and the key's public half */
export const readerDeps = () => ({ store: dynamoEvidenceStore(tableName("Evidence")), key: evidenceKey() });
