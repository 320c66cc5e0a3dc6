import { execFile } from "node:child_process";
import os from "node:os";

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

/** A one-line summary of `git status`, or why there is none. Never fails: git may be absent. */
export function gitSummary(cwd: string, signal?: AbortSignal): Promise<string> {
  return new Promise((resolve) => {
    execFile(
      "git",
      ["status", "--porcelain=v1", "--branch"],
      { cwd, timeout: 2_000, windowsHide: true, ...(signal ? { signal } : {}) },
      (error, stdout) => {
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

export function shellName(env: Readonly<Record<string, string | undefined>> = process.env): string {
  if (process.platform === "win32") return env["COMSPEC"] ?? "cmd.exe";
  return env["SHELL"] ?? "/bin/sh";
}

export async function environmentFacts(cwd: string, now: Date = new Date()): Promise<EnvironmentFacts> {
  return {
    os: `${os.type()} ${os.release()} (${process.platform}/${process.arch})`,
    shell: shellName(),
    cwd,
    git: await gitSummary(cwd),
    date: now.toISOString().slice(0, 10),
  };
}
