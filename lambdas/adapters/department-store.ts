/**
 * DepartmentExchange table (hub, pk/sk): `access#<id>` / `request` an access request and its state;
 * `inbound#<messageId>` / `message` an inbound message applied and the answer it got.
 * Single-item conditional writes only.
 */
import { GetCommand, PutCommand } from "@aws-sdk/lib-dynamodb";
import type {
  AccessRequest,
  AccessRequestStore,
  InboundRecord,
  InboundStore,
  VitalStatus,
  VitalStatusStore,
} from "#ports/department-exchange.ts";
import { documentClient } from "#shared/aws.ts";
import { conditionalWrite } from "./conditional-write.ts";
import { scanAll } from "./scan.ts";

const strip = <T>(item: Record<string, unknown> | undefined): T | undefined => {
  if (!item) return undefined;
  const { pk: _pk, sk: _sk, ...rest } = item;
  return rest as T;
};

/** One item by key, read consistently, without its keys */
async function getItem<T>(tableName: string, key: { pk: string; sk: string }): Promise<T | undefined> {
  const out = await documentClient().send(new GetCommand({ TableName: tableName, Key: key, ConsistentRead: true }));
  return strip<T>(out.Item);
}

/** Every item whose partition key begins with `prefix`, without its keys */
async function scanPrefix<T>(tableName: string, prefix: string): Promise<T[]> {
  const items = await scanAll<Record<string, unknown>>({
    TableName: tableName,
    FilterExpression: "begins_with(pk, :p)",
    ExpressionAttributeValues: { ":p": prefix },
  });
  return items.map((i) => strip<T>(i)!);
}

export function dynamoAccessRequestStore(tableName: string): AccessRequestStore {
  const doc = documentClient();
  const key = (id: string) => ({ pk: `access#${id}`, sk: "request" });
  return {
    async put(request) {
      await doc.send(new PutCommand({ TableName: tableName, Item: { ...key(request.id), ...request } }));
    },
    get: (id) => getItem<AccessRequest>(tableName, key(id)),
    transition: (id, from, next) =>
      conditionalWrite(() =>
        doc.send(
          new PutCommand({
            TableName: tableName,
            Item: { ...key(id), ...next },
            ConditionExpression: "#state = :from",
            ExpressionAttributeNames: { "#state": "state" },
            ExpressionAttributeValues: { ":from": from },
          }),
        ),
      ),
    list: async () => (await scanPrefix<AccessRequest>(tableName, "access#")).sort((a, b) => a.submittedAt.localeCompare(b.submittedAt)),
  };
}

export function dynamoInboundStore(tableName: string): InboundStore {
  const doc = documentClient();
  const key = (messageId: string) => ({ pk: `inbound#${messageId}`, sk: "message" });
  return {
    get: (messageId) => getItem<InboundRecord>(tableName, key(messageId)),
    record: (record) =>
      conditionalWrite(() =>
        doc.send(
          new PutCommand({
            TableName: tableName,
            Item: { ...key(record.messageId), ...record },
            ConditionExpression: "attribute_not_exists(pk)",
          }),
        ),
      ),
  };
}

/** `vital#<empi>` / `status`: a resident's vital status, versioned (compare-and-set) */
export function dynamoVitalStatusStore(tableName: string): VitalStatusStore {
  const doc = documentClient();
  const key = (empi: string) => ({ pk: `vital#${empi}`, sk: "status" });
  return {
    get: (empi) => getItem<VitalStatus>(tableName, key(empi)),
    put: (status) =>
      conditionalWrite(() =>
        doc.send(
          new PutCommand({
            TableName: tableName,
            Item: { ...key(status.empi), ...status },
            ...(status.version === 1
              ? { ConditionExpression: "attribute_not_exists(pk)" }
              : { ConditionExpression: "version = :previous", ExpressionAttributeValues: { ":previous": status.version - 1 } }),
          }),
        ),
      ),
    listDeaths: () => scanPrefix<VitalStatus>(tableName, "vital#"),
  };
}
