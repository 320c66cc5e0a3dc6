/*
 * Which variables change what a command runs. Apart from command-assignments.ts: the Bash tool checks a
 * session's exports with it before a guarded git command, and importing it from
 * command-assignments.ts, which walks a parsed line, would load the shell grammar (web-tree-sitter) when every `wren -p` starts.
 * Its one import, the shell's table of secrets' names, loads no grammar.
 */
import { mayNameServiceBase } from "../shell/secret-names.js";

/**
 * Variables that change what a command runs: where programs and libraries are found, code a shell or
 * an interpreter loads at start, programs that tools such as git, less or npm start on their own
 * (on Windows also which extensions run and where PowerShell finds its modules).
 * `PATH=/tmp/evil:$PATH npm test` is not the `npm test` a rule allowed.
 */
const EXACT = new Set([
  "PATH", "BASH_ENV", "ENV", "PROMPT_COMMAND", "SHELLOPTS", "BASHOPTS", "PS4", "IFS", "CDPATH", "HOME", "ZDOTDIR",
  "XDG_CONFIG_HOME", "NODE_OPTIONS", "NODE_PATH", "PERLLIB", "RUBYLIB", "RUBYOPT", "EDITOR", "VISUAL", "PAGER",
  "MANPAGER", "SYSTEMD_PAGER", "LESSOPEN", "LESSCLOSE", "BROWSER", "SSH_ASKPASS", "SUDO_ASKPASS", "SUDO_EDITOR",
  "CLASSPATH", "GCONV_PATH", "JAVA_TOOL_OPTIONS", "_JAVA_OPTIONS", "JDK_JAVA_OPTIONS", "MAVEN_OPTS", "GRADLE_OPTS",
  "RUSTC_WRAPPER", "RUSTC", "CC", "CXX", "MAKEFLAGS", "SHELL", "PATHEXT", "COMSPEC", "PSMODULEPATH",
]);
const PREFIXES = ["LD_", "DYLD_", "GIT_", "PYTHON", "PERL5", "NPM_CONFIG_", "YARN_", "CARGO_", "BUN_", "DENO_"];

/**
 * Whether assigning `name` changes what a command runs (compared without case: `npm_config_*` too).
 * So does a service's base URL (`OPENAI_BASE_URL`, `CI_API_V4_URL`): the shell analysis takes one the
 * line does not assign for the user's own, where the service's key may go (`curl "$OPENAI_BASE_URL/…"
 * -H "Authorization: Bearer $OPENAI_API_KEY"`), which an earlier command that exported it would make another server.
 */
export function changesWhatRuns(name: string): boolean {
  const upper = name.toUpperCase();
  return EXACT.has(upper) || PREFIXES.some((p) => upper.startsWith(p)) || mayNameServiceBase(name);
}
