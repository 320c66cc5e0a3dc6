import type { z } from "zod";
import { safeParseWith } from "../shared/zod-parse.js";

/**
 * Parse options that make a zod schema stop each array and object at its first bad entry: zod's own
 * `abortEarly`, the flag its `schema.validate()` sets (zod types it as internal, but `safeParse`
 * passes its options through). wren's 400 names one issue, the first; collecting all of them for a
 * hostile body costs memory and time in proportion to its size: 77,000 numbers where content parts
 * belong took 75 MB and a quarter of a second, 150,000 of them 146 MB. The first issue is the same
 * either way: zod records issues in the order it meets them.
 */
export const FIRST_ISSUE_ONLY: z.core.ParseContextInternal<z.core.$ZodIssue> = { abortEarly: true };

/** `schema.safeParse(value, FIRST_ISSUE_ONLY)`, without the cost of passing zod options (see `safeParseWith`). */
export function safeParseFirstIssue<S extends z.ZodType>(schema: S, value: unknown): z.ZodSafeParseResult<z.output<S>> {
  return safeParseWith(schema, value, FIRST_ISSUE_ONLY);
}
