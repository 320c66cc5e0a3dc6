import { WrenError } from "../shared/errors.js";
import type { ShellKind } from "../shell/types.js";

export interface RunCmdOptions {
  shell: ShellKind;
  json?: boolean;
  model?: string;
  safety: "strict" | "moderate" | "permissive";
  execute?: boolean;
  dryRun?: boolean;
  offline?: boolean;
}

export async function runCmd(request: string, options: RunCmdOptions): Promise<number> {
  void request;
  void options;
  throw new WrenError("unsupported", "Generating commands is not wired yet.", { hint: "Use `wren cmd --check` for now." });
}
