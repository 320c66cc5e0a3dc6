import { execFile } from "node:child_process";
import os from "node:os";
import { defaultSessionShell, type SessionShellKind } from "../tools/session-shell.js";

/** Facts about where the assistant works, for the system prompt. */
export interface EnvironmentFacts {
  os: string;
  shell: string;
  cwd: string;
  /** `branch main, 2 changed files`, or `not a git repository`. */
  git: string;
  /** The day the session started (YYYY-MM-DD): a date, not a time, keeps the prompt stable. */
  date: string;
}

/**
 * How long the system prompt waits for `git status`. The first request waits for the prompt, so a
 * huge repository (or a slow fsmonitor hook) must not hold the assistant's start for seconds;
 * a normal repository answers in tens of milliseconds.
 */
export const GIT_STATUS_BOUND_MS = 500;

/**
 * A one-line summary of `git status`, or why there is none. Never fails: git may be absent. Answers
 * within `boundMs` whatever git does: a status still running then is stopped and reported as such.
 */
export function gitSummary(cwd: string, signal?: AbortSignal, boundMs: number = GIT_STATUS_BOUND_MS): Promise<string> {
  return new Promise((resolve) => {
    // Resolved here rather than by git's exit: a hook git started may keep its output open after git is stopped.
    const bound = setTimeout(() => {
      child.kill();
      resolve(`git status did not answer within ${boundMs} ms (a large repository?); run it if the state matters`);
    }, boundMs);
    const child = execFile(
      "git",
      ["status", "--porcelain=v1", "--branch"],
      { cwd, windowsHide: true, ...(signal ? { signal } : {}) },
      (error, stdout) => {
        clearTimeout(bound);
        if (error) return resolve("not a git repository (or git is not installed)");
        const lines = stdout.split("\n").filter(Boolean);
        const head = lines[0]?.startsWith("## ") ? lines.shift()!.slice(3) : "unknown branch";
        const branch = head.replace(/^No commits yet on /, "").split("...")[0]!;
        const changed = lines.length;
        resolve(`branch ${branch}, ${changed === 0 ? "clean" : `${changed} changed file${changed === 1 ? "" : "s"}`}`);
      },
    );
  });
}

/**
 * The shell named in the system prompt: the one the Bash tool runs commands in (see
 * tools/session-shell.ts), never the user's own (`$SHELL`, which may be zsh or fish, or COMSPEC's
 * cmd.exe on Windows): naming that one would have the model write syntax the tool's shell does not run.
 */
export function shellName(kind: SessionShellKind): string {
  return kind === "powershell" ? "PowerShell (powershell.exe)" : kind;
}

export async function environmentFacts(cwd: string, now: Date = new Date()): Promise<EnvironmentFacts> {
  const [shell, git] = await Promise.all([defaultSessionShell(), gitSummary(cwd)]);
  return {
    os: `${os.type()} ${os.release()} (${process.platform}/${process.arch})`,
    shell: shellName(shell),
    cwd,
    git,
    date: now.toISOString().slice(0, 10),
  };
}
