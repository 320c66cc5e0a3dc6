import { spawn } from "node:child_process";
import { WrenError } from "../shared/errors.js";
import type { ShellKind } from "./types.js";

/** The program and arguments that run a command line in a shell. */
export function shellInvocation(shell: ShellKind, command: string, platform: NodeJS.Platform = process.platform): [string, string[]] {
  switch (shell) {
    case "powershell":
      return [platform === "win32" ? "powershell.exe" : "pwsh", ["-NoProfile", "-Command", command]];
    case "fish":
      return ["fish", ["-c", command]];
    default:
      return [shell, ["-c", command]];
  }
}

/** Runs a command line in the user's shell with the terminal attached; resolves to its exit code. */
export function executeCommand(shell: ShellKind, command: string, options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Promise<number> {
  const [program, args] = shellInvocation(shell, command);
  return new Promise((resolve, reject) => {
    const child = spawn(program, args, { stdio: "inherit", cwd: options.cwd, env: options.env ?? process.env });
    child.on("error", (error: NodeJS.ErrnoException) => {
      reject(
        error.code === "ENOENT"
          ? new WrenError("not_found", `The shell '${program}' is not installed.`, { hint: "Pick an installed shell with --shell.", cause: error })
          : error,
      );
    });
    child.on("close", (code, signal) => resolve(code ?? (signal ? 128 : 1)));
  });
}
