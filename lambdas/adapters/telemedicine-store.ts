/**
 * Telemedicine table (hub, pk/sk):
 *   `task#<id>` / `task`             the Task (versioned: each write is conditional on the version before)
 *   `sr#<id>` / `sr`                 the ServiceRequest as the requester sent it, and its Task's id
 *   `requester#<hospital>` / `<id>`  the Tasks a hospital requested
 *   `owner#<hospital>` / `<id>`      the Tasks a hospital was assigned (kept: a search reads each Task's owner)
 *   `resident#<empi>` / `<id>`       a resident's Tasks
 *   `open` / `<id>`                  the Tasks the sweep walks, removed once a Task is finished; `roleId`
 *                                    its owner (the experts' load), `version` the Task's it was written from
 *   `requested#<UTC day>` / `<id>`   the Tasks requested that day (the KPIs)
 *   `policy` / `provincial`          the hospitals the province names provincial (`hospitalIds`)
 * Scheduling's items (slots, appointments, the slot horizon) are in telemedicine-slots.ts.
 * Single-item conditional writes only (dynalite has no transactions): the entries are written before
 * the Task they point to, so every Task is found; an entry may outlive its Task's state, never the reverse.
 */
import { BatchGetCommand, DeleteCommand, GetCommand, PutCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { isOpen, type StoredTask } from "#domain/telemedicine/task.ts";
import type { TaskStore } from "#ports/telemedicine.ts";
import { documentClient } from "#shared/aws.ts";
import { batchWriteAll, putRequests } from "./batch-write.ts";
import { conditionalWrite } from "./conditional-write.ts";
import { queryAll } from "./scan.ts";

const TASK = "task";

export interface TelemedicineTable extends TaskStore {
  provincialHospitals(): Promise<string[]>;
}

export function dynamoTaskStore(tableName: string): TelemedicineTable {
  const doc = documentClient();
  const entry = (pk: string, sk: string) => doc.send(new PutCommand({ TableName: tableName, Item: { pk, sk } }));
  const remove = (pk: string, sk: string) => doc.send(new DeleteCommand({ TableName: tableName, Key: { pk, sk } }));
  const ids = async (pk: string) =>
    (
      await queryAll<{ sk: string }>({
        TableName: tableName,
        KeyConditionExpression: "pk = :pk",
        ExpressionAttributeValues: { ":pk": pk },
        ProjectionExpression: "sk",
        ConsistentRead: true,
      })
    ).map((i) => i.sk);
  const taskOf = (item: Record<string, unknown>) => item.task as StoredTask;
  /** created (whatever its first version: a Task dispatched before its first write is at 2): only if absent; else only over the version before */
  const putTask = (task: StoredTask, created = false) =>
    conditionalWrite(() =>
      doc.send(
        new PutCommand({
          TableName: tableName,
          Item: { pk: `task#${task.id}`, sk: TASK, version: task.version, task },
          ...(created
            ? { ConditionExpression: "attribute_not_exists(pk)" }
            : { ConditionExpression: "version = :previous", ExpressionAttributeValues: { ":previous": task.version - 1 } }),
        }),
      ),
    );
  /** The open entry names the Task's owner role, unless a later version's write came first (the entry is never removed here) */
  const ownerOnOpenEntry = (task: StoredTask) =>
    conditionalWrite(() =>
      doc.send(
        new UpdateCommand({
          TableName: tableName,
          Key: { pk: "open", sk: task.id },
          UpdateExpression: task.owner?.roleId ? "SET version = :v, roleId = :r" : "SET version = :v REMOVE roleId",
          ConditionExpression: "attribute_exists(pk) AND (attribute_not_exists(version) OR version < :v)",
          ExpressionAttributeValues: { ":v": task.version, ...(task.owner?.roleId ? { ":r": task.owner.roleId } : {}) },
        }),
      ),
    );
  const getTask = async (taskId: string) => {
    const out = await doc.send(new GetCommand({ TableName: tableName, Key: { pk: `task#${taskId}`, sk: TASK }, ConsistentRead: true }));
    return out.Item ? taskOf(out.Item) : undefined;
  };
  return {
    get: getTask,
    async getMany(taskIds) {
      const unique = [...new Set(taskIds)];
      const found: StoredTask[] = [];
      for (let i = 0; i < unique.length; i += 100) {
        let pending: Record<string, unknown>[] = unique.slice(i, i + 100).map((id) => ({ pk: `task#${id}`, sk: TASK }));
        for (let attempt = 0; pending.length > 0; attempt++) {
          if (attempt > 8) throw new Error(`${pending.length} Task reads stayed unprocessed`);
          if (attempt > 0) await new Promise((r) => setTimeout(r, 20 * 2 ** attempt));
          const out = await doc.send(new BatchGetCommand({ RequestItems: { [tableName]: { Keys: pending, ConsistentRead: true } } }));
          found.push(...(out.Responses?.[tableName] ?? []).map(taskOf));
          pending = (out.UnprocessedKeys?.[tableName]?.Keys ?? []) as Record<string, unknown>[];
        }
      }
      return found;
    },
    async create(task, serviceRequest) {
      // the entries and the ServiceRequest in one batch (idempotent puts), then the Task: one round trip each
      await batchWriteAll(
        tableName,
        putRequests([
          { pk: `requester#${task.requester.hospitalId}`, sk: task.id },
          { pk: `resident#${task.empi}`, sk: task.id },
          { pk: "open", sk: task.id, version: task.version, ...(task.owner?.roleId ? { roleId: task.owner.roleId } : {}) },
          { pk: `requested#${task.createdAt.slice(0, 10)}`, sk: task.id },
          ...(task.owner ? [{ pk: `owner#${task.owner.hospitalId}`, sk: task.id }] : []),
          { pk: `sr#${task.serviceRequestId}`, sk: "sr", serviceRequest, taskId: task.id },
        ]),
        doc,
      );
      if (await putTask(task, true)) return true;
      // a retry of the same request (same ids) wrote its Task first: take back the entries that name this
      // attempt's owner or day, and leave the open entry naming the first attempt's owner
      const first = await getTask(task.id);
      if (!first) return false;
      if (task.owner && task.owner.hospitalId !== first.owner?.hospitalId) await remove(`owner#${task.owner.hospitalId}`, task.id);
      if (task.createdAt.slice(0, 10) !== first.createdAt.slice(0, 10)) await remove(`requested#${task.createdAt.slice(0, 10)}`, task.id);
      if (!isOpen(first)) await remove("open", task.id);
      else
        await conditionalWrite(() =>
          doc.send(
            new PutCommand({
              TableName: tableName,
              Item: { pk: "open", sk: first.id, version: first.version, ...(first.owner?.roleId ? { roleId: first.owner.roleId } : {}) },
              ConditionExpression: "attribute_not_exists(version) OR version <= :v",
              ExpressionAttributeValues: { ":v": first.version },
            }),
          ),
        );
      return false;
    },
    async update(task) {
      if (task.owner) await entry(`owner#${task.owner.hospitalId}`, task.id);
      const written = await putTask(task);
      if (written && !isOpen(task)) await remove("open", task.id);
      else if (written) await ownerOnOpenEntry(task);
      return written;
    },
    async serviceRequest(id) {
      const out = await doc.send(new GetCommand({ TableName: tableName, Key: { pk: `sr#${id}`, sk: "sr" }, ConsistentRead: true }));
      return out.Item?.serviceRequest as Record<string, unknown> | undefined;
    },
    async taskOfServiceRequest(id) {
      const out = await doc.send(new GetCommand({ TableName: tableName, Key: { pk: `sr#${id}`, sk: "sr" }, ConsistentRead: true }));
      return out.Item?.taskId as string | undefined;
    },
    idsOf: (kind, hospitalId) => ids(`${kind}#${hospitalId}`),
    openIds: () => ids("open"),
    async openLoads() {
      const entries = await queryAll<{ roleId?: string }>({
        TableName: tableName,
        KeyConditionExpression: "pk = :pk",
        ExpressionAttributeValues: { ":pk": "open" },
        ProjectionExpression: "roleId",
        ConsistentRead: true,
      });
      const load = new Map<string, number>();
      for (const { roleId } of entries) if (roleId) load.set(roleId, (load.get(roleId) ?? 0) + 1);
      return load;
    },
    idsOfResident: (empi) => ids(`resident#${empi}`),
    idsRequestedOn: (day) => ids(`requested#${day}`),
    async provincialHospitals() {
      const out = await doc.send(new GetCommand({ TableName: tableName, Key: { pk: "policy", sk: "provincial" } }));
      return (out.Item?.hospitalIds as string[] | undefined) ?? [];
    },
  };
}
