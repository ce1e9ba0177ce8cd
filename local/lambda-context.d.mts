import type { Context } from "aws-lambda";

export function lambdaContext(functionName: string, memoryMb: number, deadline: number): Context;
