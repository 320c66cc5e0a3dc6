import { z } from "zod";
import type { FieldMeta } from "./context.js";

export const LOG_LEVELS = ["trace", "debug", "info", "warn", "error", "fatal", "silent"] as const;

/** `[logging]`: what wren writes to its log. */
export function section() {
  return z
    .strictObject({
      level: z
        .enum(LOG_LEVELS)
        .default("info")
        .describe("The least severe level that is logged; `silent` logs nothing.")
        .meta({ noun: "log level" } satisfies FieldMeta),
    })
    .prefault({})
    .describe("Logging.");
}
