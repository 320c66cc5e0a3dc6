import path from "node:path";

/** What a headless run needs to know. */
export interface RunContext {
  /** wren's base URL (no path), e.g. `http://127.0.0.1:41234`. */
  baseURL: string;
  /** The model id wren serves. */
  model: string;
  prompt: string;
  /** The isolated HOME of this run. */
  home: string;
}

/** How to run one CLI headless: its arguments, its environment and the config files it reads. */
export interface Invocation {
  args: string[];
  env: Record<string, string>;
  /** Files to write before the run, by path relative to `home`. */
  files: Record<string, string>;
}

/** Everything these CLIs offer to keep them off the network besides the model's URL. */
const quiet = { DO_NOT_TRACK: "1", NO_COLOR: "1", CI: "1" };

/**
 * How long a client waits for an answer: an agent CLI's 20–40 k-token prompt takes minutes on two
 * busy cores, and a client that gives up at its default (2 min for some) retries the whole prompt.
 */
const slowMs = "900000";

const claudeCode = (c: RunContext): Invocation => ({
  args: ["-p", c.prompt, "--model", c.model, "--output-format", "text"],
  env: {
    ANTHROPIC_BASE_URL: c.baseURL,
    ANTHROPIC_API_KEY: "sk-ant-wren-test",
    ANTHROPIC_DEFAULT_HAIKU_MODEL: c.model,
    ANTHROPIC_SMALL_FAST_MODEL: c.model,
    CLAUDE_CONFIG_DIR: path.join(c.home, ".claude"),
    // One switch for the autoupdater, telemetry, error reporting and the feedback command...
    CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: "1",
    // ...and each of them by name, for versions that read only those.
    DISABLE_AUTOUPDATER: "1",
    DISABLE_TELEMETRY: "1",
    DISABLE_ERROR_REPORTING: "1",
    DISABLE_FEEDBACK_COMMAND: "1",
    DISABLE_BUG_COMMAND: "1",
    // Side calls to the small model (titles, summaries): not what is being tested, and slow here.
    DISABLE_NON_ESSENTIAL_MODEL_CALLS: "1",
    DISABLE_COST_WARNINGS: "1",
    CLAUDE_CODE_DISABLE_TERMINAL_TITLE: "1",
    CLAUDE_CODE_IDE_SKIP_AUTO_INSTALL: "1",
    API_TIMEOUT_MS: slowMs,
  },
  files: {},
});

const codex = (c: RunContext): Invocation => ({
  args: [
    "exec",
    "--skip-git-repo-check",
    "--sandbox",
    "read-only",
    "--model",
    c.model,
    "-c",
    'model_provider="wren"',
    "-c",
    `model_providers.wren={ name = "wren", base_url = "${c.baseURL}/v1", wire_api = "responses", env_key = "WREN_API_KEY", stream_idle_timeout_ms = ${slowMs} }`,
    c.prompt,
  ],
  env: { CODEX_HOME: path.join(c.home, ".codex"), WREN_API_KEY: "wren-test" },
  files: {
    // Plugins and apps sync a curated catalog from GitHub and chatgpt.com at start-up.
    ".codex/config.toml": ["check_for_update_on_startup = false", "", "[analytics]", "enabled = false", "", "[otel]", 'exporter = "none"', "", "[features]", "plugins = false", "apps = false", ""].join("\n"),
  },
});

const geminiCli = (c: RunContext): Invocation => ({
  args: ["-p", c.prompt, "--model", c.model, "--output-format", "text"],
  env: { GEMINI_API_KEY: "wren-test", GOOGLE_GEMINI_BASE_URL: c.baseURL, GEMINI_CLI_NO_RELAUNCH: "true", GEMINI_TELEMETRY_ENABLED: "false", GEMINI_CLI_TRUST_WORKSPACE: "true" },
  files: {
    ".gemini/settings.json": JSON.stringify({
      security: { auth: { selectedType: "gemini-api-key" } },
      general: { disableAutoUpdate: true, disableUpdateNag: true },
      privacy: { usageStatisticsEnabled: false },
      telemetry: { enabled: false },
    }),
  },
});

const opencode = (c: RunContext): Invocation => ({
  args: ["run", "--model", `wren/${c.model}`, c.prompt],
  env: {
    OPENCODE_CONFIG_CONTENT: JSON.stringify({
      $schema: "https://opencode.ai/config.json",
      autoupdate: false,
      share: "disabled",
      provider: { wren: { npm: "@ai-sdk/openai-compatible", name: "wren", options: { baseURL: `${c.baseURL}/v1`, apiKey: "wren-test", timeout: Number(slowMs) }, models: { [c.model]: { name: c.model } } } },
    }),
    OPENCODE_DISABLE_AUTOUPDATE: "1",
    OPENCODE_DISABLE_MODELS_FETCH: "1",
    OPENCODE_DISABLE_LSP_DOWNLOAD: "1",
    OPENCODE_DISABLE_DEFAULT_PLUGINS: "1",
    OPENCODE_DISABLE_SHARE: "1",
    OPENCODE_DISABLE_CLAUDE_CODE: "1",
    OPENCODE_DISABLE_EXTERNAL_SKILLS: "1",
    OPENCODE_DISABLE_PROJECT_CONFIG: "1",
  },
  files: {},
});

const qwenCode = (c: RunContext): Invocation => ({
  args: ["-p", c.prompt, "--model", c.model],
  env: {
    OPENAI_BASE_URL: `${c.baseURL}/v1`,
    OPENAI_API_KEY: "wren-test",
    OPENAI_MODEL: c.model,
    QWEN_CODE_API_TIMEOUT_MS: slowMs,
    QWEN_CODE_DISABLE_PRECONNECT: "1",
    QWEN_CODE_NO_RELAUNCH: "true",
  },
  files: {
    ".qwen/settings.json": JSON.stringify({
      security: { auth: { selectedType: "openai" } },
      // After each answer it asks the model again to update its memory files: a second long prompt.
      memory: { enableManagedAutoMemory: false },
      general: { disableAutoUpdate: true, disableUpdateNag: true },
      privacy: { usageStatisticsEnabled: false },
      telemetry: { enabled: false },
    }),
  },
});

const invocations: Record<string, (c: RunContext) => Invocation> = {
  "claude-code": claudeCode,
  codex,
  "gemini-cli": geminiCli,
  opencode,
  "qwen-code": qwenCode,
};

/** The headless run of the client called `name`, with telemetry and updates off. */
export function invocationFor(name: string, context: RunContext): Invocation {
  const make = invocations[name];
  if (!make) throw new Error(`no invocation for ${name}`);
  const invocation = make(context);
  return { ...invocation, env: { ...quiet, ...invocation.env } };
}
