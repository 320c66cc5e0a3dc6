import { z } from "zod";
import type { FieldMeta } from "./context.js";

export const LOG_LEVELS = ["trace", "debug", "info", "warn", "error", "fatal", "silent"] as const;
export const LOG_FORMATS = ["auto", "json", "pretty"] as const;

/** `[logging]`: what wren writes to its log. */
export function section() {
  return z
    .strictObject({
      level: z
        .enum(LOG_LEVELS)
        .default("info")
        .describe("The least severe level that is logged; `silent` logs nothing.")
        .meta({ noun: "log level" } satisfies FieldMeta),
      format: z
        .enum(LOG_FORMATS)
        .default("auto")
        .describe("`pretty`: readable lines (time, level, message, fields); `json`: one JSON record a line; `auto`: pretty on a terminal, JSON otherwise.")
        .meta({ noun: "log format" } satisfies FieldMeta),
    })
    .prefault({})
    .describe("Logging.");
}
