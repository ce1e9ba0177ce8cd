/**
 * DESIGN.md decision 1: the synthesized stacks and the local province are built from one
 * declaration. For every node of localTopology(), the node's template holds exactly the same
 * functions, routes, tables, queues (with their DLQs) and buckets — no more, no fewer. The hub is
 * one node locally and several stacks in AWS (docs/adr/0010-hub-stacks.md): its stacks together.
 */
import type { Template } from "aws-cdk-lib/assertions";
import { beforeAll, describe, expect, test } from "vitest";
import { localTopology } from "#local/topology.ts";
import { resourcesOfType, routes, tag, tagValues } from "./support/queries.ts";
import { SHARED_SYNTH_TIMEOUT_MS, type SharedProvince, sharedProvince } from "./support/synth.ts";

let province: SharedProvince;
beforeAll(async () => {
  province = await sharedProvince("cn-north-1");
}, SHARED_SYNTH_TIMEOUT_MS);

/** The node's templates: the hub's stacks, or the one stack of a city or the insurance platform */
const templatesOf = (nodeId: string): Template[] => {
  const stacks =
    nodeId === "hub"
      ? province.stacks.hubStacks
      : nodeId === "insurance"
        ? [province.stacks.insurance]
        : province.stacks.cities.filter((s) => s.cityId === nodeId);
  if (stacks.length === 0) throw new Error(`no stack for node ${nodeId}`);
  return stacks.map((s) => province.template(s));
};
/** `query` over each of the node's templates, concatenated */
const each = <T>(nodeId: string, query: (t: Template) => T[]): T[] => templatesOf(nodeId).flatMap(query);

const sorted = (xs: Iterable<string>): string[] => [...xs].sort();

const topology = localTopology();

test("the local province and the app have the same nodes", () => {
  expect(sorted(topology.map((n) => n.nodeId))).toEqual(sorted(["hub", "insurance", ...province.stacks.cities.map((s) => s.cityId)]));
});

describe.each(topology.map((n) => [n.nodeId, n] as const))("node %s", (nodeId, node) => {
  test("functions", () => {
    const all = each(nodeId, (t) => Object.values(resourcesOfType(t, "AWS::Lambda::Function")));
    expect(all.map((f) => tag(f, "hhc:function")).sort()).toEqual(sorted(node.functions));
  });

  test("routes (API, method, path)", () => {
    expect(each(nodeId, routes).sort()).toEqual(sorted(node.routes));
  });

  test("tables", () => {
    expect(each(nodeId, (t) => Object.keys(resourcesOfType(t, "AWS::DynamoDB::Table")))).toHaveLength(node.tables.length);
    expect(each(nodeId, (t) => tagValues(t, "AWS::DynamoDB::Table", "hhc:table")).sort()).toEqual(sorted(node.tables.map((x) => x.id)));
  });

  test("queues and dead-letter queues, by physical name and FIFO-ness", () => {
    // a queue's DLQ is in the queue's stack (logical ids are per template)
    const queues = each(nodeId, (t) => Object.entries(resourcesOfType(t, "AWS::SQS::Queue")));
    const actual = queues.map(([, q]) => `${q.Properties.QueueName as string} fifo=${Boolean(q.Properties.FifoQueue)}`);
    expect(actual.sort()).toEqual(sorted(node.queues.map((q) => `${q.name} fifo=${q.fifo}`)));
    for (const q of node.queues.filter((x) => x.dlqOf)) {
      const source = node.queues.find((x) => x.id === q.dlqOf)!;
      const template = templatesOf(nodeId).find((t) =>
        Object.values(resourcesOfType(t, "AWS::SQS::Queue")).some((r) => r.Properties.QueueName === source.name),
      )!;
      const own = Object.entries(resourcesOfType(template, "AWS::SQS::Queue"));
      const [dlqLogicalId] = own.find(([, r]) => r.Properties.QueueName === q.name)!;
      const [, sourceQueue] = own.find(([, r]) => r.Properties.QueueName === source.name)!;
      expect(sourceQueue.Properties.RedrivePolicy, `${source.name} → ${q.name}`).toMatchObject({
        deadLetterTargetArn: { "Fn::GetAtt": [dlqLogicalId, "Arn"] },
      });
    }
  });

  test("buckets (besides the access-log bucket that only exists where documents are stored)", () => {
    const buckets = each(nodeId, (t) => Object.values(resourcesOfType(t, "AWS::S3::Bucket")));
    // the hub's evidence archive and its access-log bucket (lib/constructs/evidence-archive.ts; locally local/hub-keys.ts): outside the declaration
    const archive = nodeId === "hub" ? ["Evidence"] : [];
    expect(each(nodeId, (t) => tagValues(t, "AWS::S3::Bucket", "hhc:bucket")).sort()).toEqual(
      sorted([...node.buckets.map((b) => b.id), ...archive]),
    );
    const others = buckets.filter((b) => tag(b, "hhc:bucket") === undefined).map((b) => tag(b, "hhc:role"));
    expect(others).toEqual(node.buckets.length > 0 || archive.length > 0 ? ["access-logs"] : []);
  });
});
