import { stringify } from "yaml";
import type { CmdResult } from "../runtime/cmd.js";
import { WrenError } from "../shared/errors.js";

/** The formats of `wren cmd --output`. */
export const CMD_OUTPUTS = ["json", "yaml", "plain"] as const;
export type CmdOutput = (typeof CMD_OUTPUTS)[number];

/**
 * The one output format from `--output` and its alias `--json`; undefined when neither is given
 * (the interactive menu). Both naming different formats is a usage error, not a silent pick.
 */
export function cmdOutputFormat(output: string | undefined, json: boolean | undefined): CmdOutput | undefined {
  if (output !== undefined && !(CMD_OUTPUTS as readonly string[]).includes(output)) {
    throw new WrenError("bad_request", `--output must be json, yaml or plain; got "${output}".`, { hint: "Pass --output json, --output yaml or --output plain." });
  }
  const chosen = output as CmdOutput | undefined;
  if (json && chosen !== undefined && chosen !== "json") {
    throw new WrenError("bad_request", `--json is --output json, and --output ${chosen} asks for another format.`, { hint: "Pass only one of them." });
  }
  return json ? "json" : chosen;
}

/**
 * The format of `wren cmd --check`'s answer: JSON (`--json`, `--output json`) or the verdict line
 * (`--output plain`). A check has no YAML form: naming it is an error, not silently ignored.
 */
export function checkOutputFormat(output: string, json: boolean | undefined): "json" | undefined {
  const format = cmdOutputFormat(output, json);
  if (format === "yaml") {
    throw new WrenError("bad_request", "--check answers as a verdict line or as JSON; --output yaml is for a generated command.", { hint: "Pass --output json (or --json), or leave --output out." });
  }
  return format === "json" ? "json" : undefined;
}

/** `wren cmd`'s result as scripts read it: one JSON line, a YAML document, or the command line alone. */
export function formatCmdResult(result: CmdResult, format: CmdOutput): string {
  if (format === "plain") return `${result.command}\n`;
  if (format === "yaml") return stringify(result);
  return `${JSON.stringify(result)}\n`;
}
