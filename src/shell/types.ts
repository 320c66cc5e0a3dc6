/** Shells whose command lines wren can analyse. zsh and sh go through the bash grammar. */
export type ShellKind = "bash" | "zsh" | "sh" | "fish" | "powershell";

export const SHELL_KINDS: readonly ShellKind[] = ["bash", "zsh", "sh", "fish", "powershell"];

/** How dangerous a command is, in increasing order. */
export type Risk = "safe" | "moderate" | "high" | "critical";

export const RISKS: readonly Risk[] = ["safe", "moderate", "high", "critical"];

/** What kind of harm a finding is about. */
export type Category =
  | "system destruction"
  | "data loss"
  | "privilege escalation"
  | "remote code execution"
  | "resource exhaustion"
  | "network exposure"
  | "system configuration"
  | "version-control history";

export const CATEGORIES: readonly Category[] = [
  "system destruction",
  "data loss",
  "privilege escalation",
  "remote code execution",
  "resource exhaustion",
  "network exposure",
  "system configuration",
  "version-control history",
];

/** One reason a command is risky. */
export interface Finding {
  category: Category;
  risk: Risk;
  detail: string;
  /**
   * The path or operand the finding is about, where it names one: findings about the same subject
   * are shown once, at their worst (`cp x /etc/passwd` overwrites it; that it also replaces a
   * system file says nothing more).
   */
  subject?: string;
}

/** The verdict on a whole command line: its worst finding, and every finding worst first. */
export interface Analysis {
  risk: Risk;
  reasons: Finding[];
}

/** Where the command would run; paths in the command are resolved against these. */
export interface AnalyzeOptions {
  /** Shell whose syntax the command is in. Default: `bash`. */
  shell?: ShellKind;
  /** Working directory the command runs in (absolute). Default: `process.cwd()`. */
  cwd?: string;
  /** The user's home directory (absolute). Default: `os.homedir()`. */
  home?: string;
}

export function riskRank(risk: Risk): number {
  return RISKS.indexOf(risk);
}

export function worstRisk(risks: Iterable<Risk>): Risk {
  let worst: Risk = "safe";
  for (const r of risks) if (riskRank(r) > riskRank(worst)) worst = r;
  return worst;
}
