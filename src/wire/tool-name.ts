import { z } from "zod";

/**
 * The tool names wren accepts: OpenAI's and Anthropic's own rule. A name is spliced into chat
 * templates and grammars, where spaces, quotes or control characters would corrupt them.
 */
export const TOOL_NAME_PATTERN = /^[a-zA-Z0-9_-]{1,64}$/;

/** What a tool name may contain, for error messages. */
export const TOOL_NAME_RULE = "1 to 64 letters, digits, underscores or hyphens";

/** Why `name` is not an acceptable tool name, or undefined when it is. */
export function toolNameProblem(name: string): string | undefined {
  if (TOOL_NAME_PATTERN.test(name)) return undefined;
  return `the tool name ${JSON.stringify(name)} is not allowed: use ${TOOL_NAME_RULE}`;
}

/** A declared tool's name, checked against {@link TOOL_NAME_PATTERN}. */
export const toolNameSchema = z.string().superRefine((name, ctx) => {
  const problem = toolNameProblem(name);
  if (problem) ctx.addIssue({ code: "custom", message: problem });
});
