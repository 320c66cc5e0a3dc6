import path from "node:path";
import { z } from "zod";
import { WrenError } from "../shared/errors.js";
import { SHELL_KINDS, type ShellKind } from "./types.js";

/** One line of `wren cmd --check - --jsonl`: a command and, optionally, where it would run. */
export const CheckRequestSchema = z
  .object({
    command: z.string().describe("The command line to rate."),
    shell: z.enum(SHELL_KINDS as [ShellKind, ...ShellKind[]]).optional().describe("Its shell; default: --shell."),
    cwd: z
      .string()
      .refine((p) => path.isAbsolute(p) || path.win32.isAbsolute(p), "must be an absolute path")
      .optional()
      .describe("Where it would run (absolute); default: wren's own working directory."),
    id: z.union([z.string(), z.number()]).optional().describe("Echoed back, so a caller can match answers to requests."),
  })
  .strict();

export type CheckRequest = z.infer<typeof CheckRequestSchema>;

/** Reads one JSON line, or says what is wrong with it. */
export function parseCheckRequest(line: string): CheckRequest {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    throw new WrenError("bad_request", `This line is not JSON: ${line.length > 80 ? `${line.slice(0, 77)}…` : line}`, {
      hint: 'Send one JSON object per line, e.g. {"command":"rm -rf build","shell":"bash","cwd":"/home/me/app"}.',
    });
  }
  const parsed = CheckRequestSchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue && issue.path.length > 0 ? `"${issue.path.join(".")}" ` : "";
    throw new WrenError("bad_request", `This check request is invalid: ${where}${issue?.message ?? "unexpected shape"}.`, {
      hint: `Each line needs "command" (a string); "shell" may be ${SHELL_KINDS.join(", ")}; "cwd" must be an absolute path; "id" is echoed back.`,
    });
  }
  return parsed.data;
}
