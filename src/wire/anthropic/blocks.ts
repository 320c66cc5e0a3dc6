import { z } from "zod";
import { safeParseFirstIssue } from "../first-issue.js";

/**
 * Content blocks of Anthropic Messages requests. Lenient like Anthropic's own clients expect: a
 * block of a type wren knows is checked for the fields wren reads (and keeps the rest, such as
 * `cache_control` or `citations`, unread); a block of any other type (server tool results, search
 * results, containers, types newer than this schema) becomes an {@link IgnoredBlock}, which the
 * codec leaves out and the route logs.
 */

const imageSource = z.discriminatedUnion("type", [
  z.looseObject({ type: z.literal("base64"), media_type: z.string(), data: z.string() }),
  z.looseObject({ type: z.literal("url"), url: z.string() }),
  z.looseObject({ type: z.literal("file"), file_id: z.string() }),
]);

const textBlock = z.looseObject({ type: z.literal("text"), text: z.string() });
const imageBlock = z.looseObject({ type: z.literal("image"), source: imageSource });
/**
 * Documents, by their source: plain text and content blocks are read as text; a PDF (base64 or
 * URL) or an uploaded file is not something a local text model reads, and is kept as what it is
 * (type, media type, size, title) for the codec to tell the model about.
 */
const documentSource = lenientBlock({
  text: z.looseObject({ type: z.literal("text"), data: z.string(), media_type: z.string().optional() }),
  base64: z.looseObject({ type: z.literal("base64"), data: z.string(), media_type: z.string().optional() }),
  url: z.looseObject({ type: z.literal("url"), url: z.string() }),
  file: z.looseObject({ type: z.literal("file"), file_id: z.string() }),
  content: z.looseObject({ type: z.literal("content"), content: stringOr(lenientBlock({ text: textBlock, image: imageBlock })) }),
});
const documentBlock = z.looseObject({
  type: z.literal("document"),
  source: documentSource,
  title: z.string().nullish(),
  context: z.string().nullish(),
});
const toolUseBlock = z.looseObject({ type: z.literal("tool_use"), id: z.string(), name: z.string(), input: z.unknown() });
const thinkingBlock = z.looseObject({ type: z.literal("thinking"), thinking: z.string(), signature: z.string().optional() });
const redactedThinkingBlock = z.looseObject({ type: z.literal("redacted_thinking"), data: z.string() });

/** A block of a type wren does not read: kept only as its type name, for the log. */
export interface IgnoredBlock {
  type: "ignored";
  originalType: string;
}

/**
 * One block, checked by the schema of its type when wren knows the type; any other type is
 * ignored. Issues of a known block keep their path (`messages.0.content.1.text`).
 */
function lenientBlock<const S extends Record<string, z.ZodType<{ type: string }>>>(known: S) {
  return z.looseObject({ type: z.string() }).transform((block, ctx): z.output<S[keyof S]> | IgnoredBlock => {
    const schema = Object.hasOwn(known, block.type) ? known[block.type] : undefined;
    if (!schema) return { type: "ignored", originalType: block.type };
    const result = safeParseFirstIssue(schema, block);
    if (result.success) return result.data as z.output<S[keyof S]>;
    for (const issue of result.error.issues) ctx.addIssue({ ...issue });
    return z.NEVER;
  });
}

/**
 * A string, or an array of blocks checked by `blocks`: the issues of a bad block keep their own
 * path, which a plain union would fold into one "invalid input".
 */
export function stringOr<T extends z.ZodType>(blocks: T) {
  // Neither a string nor an array: the message names both forms, not the array's alone.
  const array = z.array(blocks, { error: (issue) => (issue.code === "invalid_type" ? "expected a string or an array of content blocks" : undefined) });
  return z.unknown().transform((value, ctx): string | z.output<T>[] => {
    if (typeof value === "string") return value;
    const result = safeParseFirstIssue(array, value);
    if (result.success) return result.data;
    for (const issue of result.error.issues) ctx.addIssue({ ...issue });
    return z.NEVER;
  });
}

/** What a tool result may carry: text and images are read; other blocks are ignored. */
const toolResultContentBlock = lenientBlock({ text: textBlock, image: imageBlock, document: documentBlock });

const toolResultBlock = z.looseObject({
  type: z.literal("tool_result"),
  tool_use_id: z.string(),
  content: stringOr(toolResultContentBlock).nullish(),
  is_error: z.boolean().nullish(),
});

/** A content block of a user or assistant message. */
export const anthropicContentBlockSchema = lenientBlock({
  text: textBlock,
  image: imageBlock,
  document: documentBlock,
  tool_use: toolUseBlock,
  tool_result: toolResultBlock,
  thinking: thinkingBlock,
  redacted_thinking: redactedThinkingBlock,
});
export type AnthropicContentBlock = z.output<typeof anthropicContentBlockSchema>;
export type AnthropicToolResultContent = z.output<typeof toolResultContentBlock>;

/** A block of `system` (top-level or a system message): text is read, anything else ignored. */
export const anthropicSystemBlockSchema = lenientBlock({ text: textBlock });
