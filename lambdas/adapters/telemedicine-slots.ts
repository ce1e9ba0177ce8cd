/**
 * Scheduling's items in the hub's Telemedicine table (docs/telemedicine.md#scheduling):
 *   `slot#<roleId>` / `<start>`          a slot's state once held or booked (absent: free)
 *   `appt#<id>` / `appt`                 an Appointment (versioned: each write conditional on the version before)
 *   `due#hold` / `<until>#<appt>`        the pending holds, by when they lapse (the sweep frees them)
 *   `due#session` / `<start>#<appt>`     the booked sessions, by their start (the sweep finds the no-shows)
 *   `policy` / `slot-horizon`            the last CST day (`through`) the experts' slots are kept to
 * A hold or book is one conditional write on the slot's item: of concurrent ones, exactly one is written.
 */
import { DeleteCommand, GetCommand, PutCommand } from "@aws-sdk/lib-dynamodb";
import type { SlotState, StoredAppointment } from "#domain/telemedicine/schedule.ts";
import type { SlotStore } from "#ports/telemedicine.ts";
import { documentClient } from "#shared/aws.ts";
import { conditionalWrite } from "./conditional-write.ts";
import { queryAll } from "./scan.ts";

const CONDITIONS = {
  free: "attribute_not_exists(pk) OR #s = :free OR (#s = :tentative AND holdUntil <= :now)",
  "held-by": "#s = :tentative AND appointmentId = :a AND holdUntil > :now",
  of: "appointmentId = :a",
} as const;

export function dynamoSlotStore(tableName: string): SlotStore {
  const doc = documentClient();
  const stateOf = (item: Record<string, unknown>): SlotState => ({
    status: item.status as SlotState["status"],
    ...(item.appointmentId ? { appointmentId: item.appointmentId as string } : {}),
    ...(item.holdUntil ? { holdUntil: item.holdUntil as string } : {}),
  });
  return {
    async states(roleId, from, to) {
      const items = await queryAll<Record<string, unknown>>({
        TableName: tableName,
        KeyConditionExpression: "pk = :pk AND sk BETWEEN :from AND :to",
        ExpressionAttributeValues: { ":pk": `slot#${roleId}`, ":from": from, ":to": to },
        ConsistentRead: true,
      });
      return new Map(items.filter((i) => String(i.sk) < to).map((i) => [String(i.sk), stateOf(i)]));
    },
    async state(roleId, start) {
      const out = await doc.send(new GetCommand({ TableName: tableName, Key: { pk: `slot#${roleId}`, sk: start }, ConsistentRead: true }));
      return out.Item ? stateOf(out.Item) : undefined;
    },
    claim(roleId, start, next, expected) {
      const values: Record<string, unknown> = { ":now": expected.now };
      if (expected.kind === "free") Object.assign(values, { ":free": "free", ":tentative": "busy-tentative" });
      if (expected.kind === "held-by") Object.assign(values, { ":tentative": "busy-tentative" });
      if (expected.kind !== "free") values[":a"] = expected.appointmentId;
      const { ":now": _now, ...withoutNow } = values;
      return conditionalWrite(() =>
        doc.send(
          new PutCommand({
            TableName: tableName,
            Item: { pk: `slot#${roleId}`, sk: start, ...next },
            ConditionExpression: CONDITIONS[expected.kind],
            ...(expected.kind === "of" ? {} : { ExpressionAttributeNames: { "#s": "status" } }),
            ExpressionAttributeValues: expected.kind === "of" ? withoutNow : values,
          }),
        ),
      );
    },
    async appointment(id) {
      const out = await doc.send(new GetCommand({ TableName: tableName, Key: { pk: `appt#${id}`, sk: "appt" }, ConsistentRead: true }));
      return out.Item?.appointment as StoredAppointment | undefined;
    },
    putAppointment(a) {
      return conditionalWrite(() =>
        doc.send(
          new PutCommand({
            TableName: tableName,
            Item: { pk: `appt#${a.id}`, sk: "appt", version: a.version, appointment: a },
            ...(a.version === 1
              ? { ConditionExpression: "attribute_not_exists(pk)" }
              : { ConditionExpression: "version = :previous", ExpressionAttributeValues: { ":previous": a.version - 1 } }),
          }),
        ),
      );
    },
    async due(kind, until) {
      const items = await queryAll<{ sk: string }>({
        TableName: tableName,
        KeyConditionExpression: "pk = :pk AND sk <= :until",
        ExpressionAttributeValues: { ":pk": `due#${kind}`, ":until": `${until}#~` },
        ProjectionExpression: "sk",
        ConsistentRead: true,
      });
      return items.map((i) => {
        const [at, appointmentId] = i.sk.split("#") as [string, string];
        return { at, appointmentId };
      });
    },
    async watch(kind, at, appointmentId) {
      await doc.send(new PutCommand({ TableName: tableName, Item: { pk: `due#${kind}`, sk: `${at}#${appointmentId}` } }));
    },
    async unwatch(kind, at, appointmentId) {
      await doc.send(new DeleteCommand({ TableName: tableName, Key: { pk: `due#${kind}`, sk: `${at}#${appointmentId}` } }));
    },
    async horizon() {
      const out = await doc.send(new GetCommand({ TableName: tableName, Key: { pk: "policy", sk: "slot-horizon" }, ConsistentRead: true }));
      return out.Item?.through as string | undefined;
    },
    extendHorizon(through) {
      return conditionalWrite(() =>
        doc.send(
          new PutCommand({
            TableName: tableName,
            Item: { pk: "policy", sk: "slot-horizon", through },
            ConditionExpression: "attribute_not_exists(pk) OR through < :through",
            ExpressionAttributeValues: { ":through": through },
          }),
        ),
      );
    },
  };
}
