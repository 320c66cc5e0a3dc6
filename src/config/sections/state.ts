import { z } from "zod";
import type { FieldMeta } from "./context.js";

/** `[state]`: where rate limits, spend budgets and circuit breakers are kept — in this process, or in Redis for replicas. */
export function section() {
  return z
    .strictObject({
      redis: z
        .string()
        .regex(/^rediss?:\/\//, "a redis:// or rediss:// URL")
        .optional()
        .describe("Redis URL (`redis://host:6379`): rate limits, budgets, circuit breakers and the decision log are shared by every replica using it. Default: in-process.")
        .meta({ secret: true } satisfies FieldMeta),
      keyPrefix: z.string().min(1).default("wren:").describe("Prefix of wren's Redis keys, so deployments can share one server."),
    })
    .prefault({})
    .describe("Shared state for replicas (docs/scale.md#shared-state).");
}
