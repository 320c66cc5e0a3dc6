import { z } from "zod";
import type { FieldMeta } from "./context.js";

function hasHost(url: string): boolean {
  try {
    return new URL(url).hostname !== "";
  } catch {
    return false;
  }
}

/** `[state]`: where rate limits, spend budgets and circuit breakers are kept — in this process, or in Redis for replicas. */
export function section() {
  return z
    .strictObject({
      redis: z
        .string()
        .regex(/^rediss?:\/\//, "a redis:// or rediss:// URL")
        // Checked here, not first when the server connects: a URL that does not parse would stop
        // `wren serve` with a bare "Invalid URL", and `wren config validate` would call it fine.
        .refine(hasHost, "a redis:// or rediss:// URL naming a host (redis://host:6379)")
        .optional()
        .describe("Redis URL (`redis://host:6379`): rate limits, budgets, circuit breakers and the decision log are shared by every replica using it. Default: in-process.")
        .meta({ secret: true } satisfies FieldMeta),
      keyPrefix: z.string().min(1).default("wren:").describe("Prefix of wren's Redis keys: it names the deployment. The same on each of its servers, another for each other deployment on that Redis server."),
      timeoutMs: z
        .int()
        .min(1)
        .default(500)
        .describe("How long one Redis command may go unanswered before Redis counts as unreachable (a hung or paused server, a half-open network): the request gets the unreachable answer instead of waiting."),
    })
    .prefault({})
    .describe("Shared state for replicas (docs/scale.md#shared-state).");
}
