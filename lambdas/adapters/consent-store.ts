/**
 * The hub's Consents table (pk, sk):
 * - `consent#<empi>` / `<id>`: a resident's Consent (its rule and resource); `consent-id#<id>` / `-`:
 *   which resident a consent id belongs to (for a revocation by id);
 * - `breakglass` / `<id>`: every break-the-glass use (the privacy officer's queue);
 *   `breakglass#<empi>#<hospitalId>#<practitionerId>` / `<at>#<id>`: a practitioner's uses for a resident.
 * Single-item writes: a consent's pointer is written after the consent, so a pointer always leads to one.
 */
import { ConditionalCheckFailedException } from "@aws-sdk/client-dynamodb";
import { GetCommand, PutCommand, QueryCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import type { BreakGlassStore, BreakGlassUse, ConsentStore, StoredConsent } from "#ports/consent.ts";
import { documentClient } from "#shared/aws.ts";
import { queryAll } from "./scan.ts";

/** A partition's items (all, oldest sort key first), or its newest one */
const partition = <T>(tableName: string, pk: string): Promise<T[]> =>
  queryAll<T>({ TableName: tableName, KeyConditionExpression: "pk = :pk", ExpressionAttributeValues: { ":pk": pk }, ConsistentRead: true });
async function newest<T>(tableName: string, pk: string): Promise<T | undefined> {
  const page = await documentClient().send(
    new QueryCommand({
      TableName: tableName,
      KeyConditionExpression: "pk = :pk",
      ExpressionAttributeValues: { ":pk": pk },
      ConsistentRead: true,
      ScanIndexForward: false,
      Limit: 1,
    }),
  );
  return page.Items?.[0] as T | undefined;
}

const strip = <T>(item: Record<string, unknown>): T => {
  const { pk: _pk, sk: _sk, ...rest } = item;
  return rest as T;
};

const isConditionFailure = (error: unknown) =>
  error instanceof ConditionalCheckFailedException || (error as { name?: string }).name === "ConditionalCheckFailedException";

export function dynamoConsentStore(tableName: string): ConsentStore {
  const doc = documentClient();
  const getMain = async (empi: string, id: string) =>
    (await doc.send(new GetCommand({ TableName: tableName, Key: { pk: `consent#${empi}`, sk: id }, ConsistentRead: true }))).Item;
  return {
    async put(consent) {
      await doc.send(
        new PutCommand({ TableName: tableName, Item: { pk: `consent#${consent.rule.empi}`, sk: consent.rule.id, ...consent } }),
      );
      await doc.send(
        new PutCommand({ TableName: tableName, Item: { pk: `consent-id#${consent.rule.id}`, sk: "-", empi: consent.rule.empi } }),
      );
    },
    async get(id) {
      const pointer = (
        await doc.send(new GetCommand({ TableName: tableName, Key: { pk: `consent-id#${id}`, sk: "-" }, ConsistentRead: true }))
      ).Item;
      if (!pointer) return undefined;
      const item = await getMain(String(pointer.empi), id);
      return item ? strip<StoredConsent>(item) : undefined;
    },
    async ofResident(empis) {
      const all = await Promise.all(empis.map((empi) => partition<Record<string, unknown>>(tableName, `consent#${empi}`)));
      return all.flat().map((item) => strip<StoredConsent>(item));
    },
    async revoke(id, resource) {
      const current = await this.get(id);
      if (!current) return false;
      try {
        await doc.send(
          new UpdateCommand({
            TableName: tableName,
            Key: { pk: `consent#${current.rule.empi}`, sk: id },
            UpdateExpression: "SET #rule.#status = :inactive, #resource = :resource",
            ConditionExpression: "#rule.#status = :active",
            ExpressionAttributeNames: { "#rule": "rule", "#status": "status", "#resource": "resource" },
            ExpressionAttributeValues: { ":inactive": "inactive", ":active": "active", ":resource": resource },
          }),
        );
        return true;
      } catch (error) {
        if (isConditionFailure(error)) return false;
        throw error;
      }
    },
  };
}

const useKey = (u: Pick<BreakGlassUse, "empi" | "hospitalId" | "practitionerId">) =>
  `breakglass#${u.empi}#${u.hospitalId}#${u.practitionerId}`;

export function dynamoBreakGlassStore(tableName: string): BreakGlassStore {
  const doc = documentClient();
  return {
    async put(use) {
      await doc.send(new PutCommand({ TableName: tableName, Item: { pk: "breakglass", sk: use.id, ...use } }));
      await doc.send(new PutCommand({ TableName: tableName, Item: { pk: useKey(use), sk: `${use.at}#${use.id}`, ...use } }));
    },
    async get(id) {
      const item = (await doc.send(new GetCommand({ TableName: tableName, Key: { pk: "breakglass", sk: id }, ConsistentRead: true }))).Item;
      return item ? strip<BreakGlassUse>(item) : undefined;
    },
    async latest(empi, hospitalId, practitionerId) {
      const item = await newest<Record<string, unknown>>(tableName, useKey({ empi, hospitalId, practitionerId }));
      return item ? strip<BreakGlassUse>(item) : undefined;
    },
    async list(status) {
      const all = (await partition<Record<string, unknown>>(tableName, "breakglass")).map((i) => strip<BreakGlassUse>(i));
      return status ? all.filter((u) => u.status === status) : all;
    },
    async review(id, review) {
      try {
        await doc.send(
          new UpdateCommand({
            TableName: tableName,
            Key: { pk: "breakglass", sk: id },
            UpdateExpression: "SET #status = :reviewed, #review = :review",
            ConditionExpression: "#status = :unreviewed",
            ExpressionAttributeNames: { "#status": "status", "#review": "review" },
            ExpressionAttributeValues: { ":reviewed": "reviewed", ":unreviewed": "unreviewed", ":review": review },
          }),
        );
        return true;
      } catch (error) {
        if (isConditionFailure(error)) return false;
        throw error;
      }
    },
  };
}
