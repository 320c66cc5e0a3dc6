import { spawnSync } from "node:child_process";
import os from "node:os";
import path from "node:path";
import { WrenError } from "../shared/errors.js";
import { SHELL_KINDS, type ShellKind } from "./types.js";

/** Reads a `--shell` value; an unknown name is a usage error that lists the choices. */
export function parseShellKind(value: string): ShellKind {
  const lower = value.toLowerCase();
  const alias: Record<string, ShellKind> = { pwsh: "powershell", ps: "powershell", dash: "sh", ash: "sh", ksh: "sh" };
  const kind = alias[lower] ?? (SHELL_KINDS as readonly string[]).find((k) => k === lower);
  if (!kind) {
    throw new WrenError("bad_request", `Unknown shell '${value}'.`, { hint: `Use one of: ${SHELL_KINDS.join(", ")}.` });
  }
  return kind as ShellKind;
}

/** The user's shell: `$SHELL` on POSIX systems (bash when unknown), PowerShell on Windows. */
export function detectShell(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): ShellKind {
  const shell = env["SHELL"];
  if (shell) {
    const base = path.basename(shell).replace(/\.exe$/i, "");
    try {
      return parseShellKind(base);
    } catch {
      /* an unknown shell (csh, nu, …): fall through to the platform default */
    }
  }
  if (platform === "win32") return "powershell";
  return "bash";
}

/** What the prompt tells the model about the machine, so commands fit it. */
export interface MachineProfile {
  shell: ShellKind;
  /** e.g. `Linux 6.8 (x64)` or `macOS (Darwin 23.1, arm64)`. */
  os: string;
  /** Whether core tools (sed, find, date, …) are GNU or BSD flavoured. */
  coreutils: "GNU" | "BSD" | "unknown";
}

/** Detects the OS and the flavour of core tools once (`sed --version` answers only on GNU). */
export function detectMachine(shell: ShellKind): MachineProfile {
  const platform = process.platform;
  const osName = platform === "darwin" ? "macOS" : platform === "win32" ? "Windows" : platform === "linux" ? "Linux" : platform;
  const description = `${osName} (${os.type()} ${os.release()}, ${os.arch()})`;
  let coreutils: MachineProfile["coreutils"] = "unknown";
  if (platform !== "win32") {
    const probe = spawnSync("sed", ["--version"], { encoding: "utf8", timeout: 2000 });
    if (probe.status === 0 && /GNU/.test(probe.stdout)) coreutils = "GNU";
    else if (probe.error === undefined) coreutils = "BSD";
  }
  return { shell, os: description, coreutils };
}
