/**
 * The Lambda context a local invocation gets, on the main thread (local/runtime.ts) or in a worker
 * (local/handler-worker.mjs). Plain JavaScript, so the worker needs no TypeScript loader.
 */
import { randomUUID } from "node:crypto";

/** @param {string} functionName @param {number} memoryMb @param {number} deadline performance.now() at which the timeout strikes */
export function lambdaContext(functionName, memoryMb, deadline) {
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName,
    functionVersion: "$LATEST",
    invokedFunctionArn: `arn:aws-cn:lambda:cn-north-1:000000000000:function:${functionName}`,
    memoryLimitInMB: String(memoryMb),
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: "local",
    getRemainingTimeInMillis: () => Math.max(0, deadline - performance.now()),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}
