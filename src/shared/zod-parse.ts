import { z } from "zod";

/** The parse options wren passes to zod: `abortEarly` is zod's own (typed as internal; see wire/first-issue.ts). */
export interface ParseOptions {
  abortEarly?: boolean;
  reportInput?: boolean;
  jitless?: boolean;
}

/**
 * `schema.safeParse(value, options)`, without what its options cost. Given options, zod copies
 * them into its parse context with an object spread (`{ ...options, async: false }`), and V8 makes
 * that copy an object it reads slowly: every check of the parse reads the context, so the whole
 * parse costs several times what it does without options (a small chat body, in a running
 * server: about 4 µs against 0.7 µs; `npm run bench` body-check). Here the context is one object
 * literal, of one shape for every option set, as zod makes its own; a failure's issues are
 * finished as zod's safeParse finishes them (their messages, and the input with `reportInput`).
 */
export function safeParseWith<S extends z.ZodType>(schema: S, value: unknown, options: ParseOptions): z.ZodSafeParseResult<z.output<S>> {
  const ctx = { async: false, abortEarly: options.abortEarly, reportInput: options.reportInput, jitless: options.jitless };
  const payload = schema._zod.run({ value, issues: [] }, ctx);
  if (payload instanceof Promise) {
    // A schema with an async step (wren's have none): refused as zod's safeParse refuses it.
    payload.catch(() => undefined);
    throw new z.core.$ZodAsyncError();
  }
  if (payload.issues.length === 0) return { success: true, data: payload.value as z.output<S> };
  const config = z.core.config();
  return { success: false, error: new z.ZodError(payload.issues.map((issue) => z.core.util.finalizeIssue(issue, ctx, config))) as z.ZodError<z.output<S>> };
}
