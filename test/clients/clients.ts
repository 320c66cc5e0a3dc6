/** The wire format a client speaks to wren. */
export type ClientDialect = "anthropic" | "responses" | "gemini" | "openai";

/** One agent CLI, pinned: the suite installs exactly this version from npm. */
export interface AgentClient {
  /** Short name, used in fixture file names (`<name>.<dialect>.json`) and test titles. */
  name: string;
  /** npm package. */
  pkg: string;
  /** Pinned version: bump it on purpose, with the suite run, never by a range. */
  version: string;
  /** The executable in the package's `bin`. */
  bin: string;
  dialect: ClientDialect;
  /**
   * The lowest Node major the CLI runs on, from its `engines` (native binaries: 0). On an older
   * Node the suite reports the CLI as not run, never as passing.
   */
  minNode: number;
  /**
   * Hosts the CLI reaches for with no switch to stop it (the suite's proxy refuses them all the
   * same), each with why; anything else it tries fails the test.
   */
  unstoppable?: Record<string, string>;
}

/**
 * The pinned agent CLIs. Versions are the newest that run on Node 20 (wren's floor): Qwen Code
 * 0.21+ needs Node 22, so 0.15.10. Claude Code, Codex and opencode ship native executables through
 * per-platform optional packages, so Node's version does not matter to them (Claude Code's
 * `engines` says >= 22 for its unused postinstall script; its executable runs anywhere).
 */
export const agentClients: readonly AgentClient[] = [
  { name: "claude-code", pkg: "@anthropic-ai/claude-code", version: "2.1.332", bin: "claude", dialect: "anthropic", minNode: 0 },
  { name: "codex", pkg: "@openai/codex", version: "0.171.0", bin: "codex", dialect: "responses", minNode: 0 },
  { name: "gemini-cli", pkg: "@google/gemini-cli", version: "0.61.0", bin: "gemini", dialect: "gemini", minNode: 20 },
  {
    name: "opencode",
    pkg: "opencode-ai",
    version: "1.18.33",
    bin: "opencode",
    dialect: "openai",
    minNode: 0,
    unstoppable: { "registry.npmjs.org:443": "installs @opencode-ai/plugin into its config folders in the background, even with --pure" },
  },
  { name: "qwen-code", pkg: "@qwen-code/qwen-code", version: "0.15.10", bin: "qwen", dialect: "openai", minNode: 20 },
];

/** The client called `name`. */
export function agentClient(name: string): AgentClient {
  const client = agentClients.find((c) => c.name === name);
  if (!client) throw new Error(`no agent client called ${name}`);
  return client;
}

/** True when the Node running the suite is new enough for the client. */
export function runsOnThisNode(client: AgentClient): boolean {
  return Number(process.versions.node.split(".")[0]) >= client.minNode;
}

/**
 * Whether the suite runs the client: this Node can run it, and `WREN_TEST_CLIENTS` (a comma list:
 * CI names the CLIs whose dialect is done) names it, or is unset. Others are reported as skipped.
 */
export function isSelected(client: AgentClient, env: NodeJS.ProcessEnv = process.env): boolean {
  const selected = env["WREN_TEST_CLIENTS"]?.split(",").map((s) => s.trim()).filter(Boolean);
  return runsOnThisNode(client) && (selected === undefined || selected.includes(client.name));
}
