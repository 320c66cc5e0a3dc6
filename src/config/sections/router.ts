import { z } from "zod";
import type { FieldMeta } from "./context.js";

const ms = (what: string) => z.int().min(1).optional().describe(what);

// The recursive schemas' getters return one union each, built on first use: zod calls a lazy
// schema's getter again wherever it walks (parsing, JSON Schema), and a fresh union per call made
// converting the config schema to JSON Schema — done on every start — take 50–190 ms.
/** A routing condition as written in config (the router's `Condition`). */
export type ConfigCondition =
  | { model: string | string[] }
  | { minPromptTokens: number }
  | { exceedsLocalContext: true }
  | { hasTools: boolean }
  | { hasImages: boolean }
  | { match: string; flags?: string | undefined }
  | { all: ConfigCondition[] }
  | { any: ConfigCondition[] }
  | { not: ConfigCondition };

/** A route as written in config: a `provider:model` string, or a node whose children are routes. */
export type ConfigRoute =
  | string
  | { type: "target"; target: string; reason?: string | undefined }
  | { type: "fallback"; targets: ConfigRoute[]; onStatus?: number[] | undefined }
  | { type: "loadbalance"; targets: Array<{ weight: number; route: ConfigRoute }> }
  | { type: "conditional"; branches: Array<{ when: ConfigCondition; then: ConfigRoute; reason?: string | undefined }>; otherwise?: ConfigRoute | undefined };

let conditionUnion: z.ZodType<ConfigCondition> | undefined;
const condition: z.ZodType<ConfigCondition> = z.lazy(() =>
  (conditionUnion ??= z.union([
    z.strictObject({ model: z.union([z.string(), z.array(z.string())]).describe("Requested model name(s).") }),
    z.strictObject({ minPromptTokens: z.int().min(1).describe("Prompt has at least this many tokens.") }),
    z.strictObject({ exceedsLocalContext: z.literal(true).describe("Prompt does not fit the local context.") }),
    z.strictObject({ hasTools: z.boolean().describe("The request offers tools.") }),
    z.strictObject({ hasImages: z.boolean().describe("The request carries images.") }),
    z.strictObject({ match: z.string().min(1).describe("Regular expression over the user's text."), flags: z.string().optional() }),
    z.strictObject({ all: z.array(condition) }),
    z.strictObject({ any: z.array(condition) }),
    z.strictObject({ not: condition }),
  ])),
);

let routeUnion: z.ZodType<ConfigRoute> | undefined;
/** A route as written in config: a `provider:model` string is shorthand for a target. */
const routeNode: z.ZodType<ConfigRoute> = z.lazy(() =>
  (routeUnion ??= z.union([
    z.string().min(1).describe("A target, `provider:model`."),
    z.strictObject({ type: z.literal("target"), target: z.string().min(1), reason: z.string().optional() }),
    z.strictObject({
      type: z.literal("fallback"),
      targets: z.array(routeNode).min(1),
      onStatus: z.array(z.int().min(100).max(599)).optional().describe("Statuses that move on; timeouts and connection errors always do."),
    }),
    z.strictObject({
      type: z.literal("loadbalance"),
      targets: z.array(z.strictObject({ weight: z.number().min(0), route: routeNode })).min(1),
    }),
    z.strictObject({
      type: z.literal("conditional"),
      branches: z.array(z.strictObject({ when: condition, then: routeNode, reason: z.string().optional() })),
      otherwise: routeNode.optional(),
    }),
  ])),
);

/** The settings of a provider of kind `pool` (docs/scale.md). */
const poolFields = {
  replicas: z.array(z.url()).min(1).optional().describe("`pool`: API roots of its OpenAI-compatible servers, e.g. `http://10.0.0.5:8000/v1`."),
  maxConcurrent: z.int().min(1).optional().describe("`pool`: requests one replica takes at once; more spill to the next. Default: no limit."),
  whenFull: z.enum(["queue", "reject"]).optional().describe("`pool`: with every replica at `maxConcurrent`, wait for a slot (`queue`, default) or refuse (`reject`)."),
  affinity: z.boolean().optional().describe("`pool`: keep a conversation on the replica that served it while it is healthy (its prompt cache). Default true."),
  continueFinalMessage: z
    .boolean()
    .optional()
    .describe(
      "`pool`: the replicas read vLLM's `continue_final_message` (vLLM, wren): a final assistant message to continue (an Anthropic prefill) is sent with it and `add_generation_prompt: false`. Default false: llama-server and others may refuse unknown fields.",
    ),
  health: z
    .strictObject({
      intervalMs: z.int().min(0).optional().describe("Between checks; 0 turns them off. Default 10000."),
      timeoutMs: z.int().min(1).optional().describe("One check's limit. Default 5000."),
      path: z.string().min(1).optional().describe("`/health` (from the replica's origin) or `models` (from its API root, the default)."),
      unhealthyAfter: z.int().min(1).optional().describe("Failed checks in a row that eject a replica. Default 2."),
      healthyAfter: z.int().min(1).optional().describe("Passed checks in a row that admit it again. Default 1."),
      ejectAfterFailures: z
        .int()
        .min(0)
        .optional()
        .describe("Failed requests in a row (unreachable, 5xx, a cut stream) that eject a replica until a check passes; 0: never. Only while checks run. Default 3."),
    })
    .optional()
    .describe("`pool`: health checks of the replicas, with ejection and re-admission."),
};

const provider = z
  .strictObject({
    kind: z
      .enum(["openai-compatible", "anthropic", "gemini", "ollama", "pool"])
      .optional()
      .describe("Wire format; inferred for built-in names. `pool`: OpenAI-compatible `replicas` balanced by wren (docs/scale.md)."),
    baseURL: z.url().optional().describe("API root, e.g. `http://127.0.0.1:8000/v1`; built-in names have one."),
    apiKey: z.string().min(1).optional().describe("The key itself; prefer `apiKeyEnv`.").meta({ secret: true } satisfies FieldMeta),
    apiKeyEnv: z.string().min(1).optional().describe("Environment variable holding the key (default per provider, e.g. `OPENAI_API_KEY`)."),
    headers: z.record(z.string(), z.string()).optional().describe("Extra HTTP headers."),
    cloud: z.boolean().optional().describe("Count as cloud for consent even on a loopback URL (a local proxy to a cloud API)."),
    ...poolFields,
  })
  .refine((p) => p.kind !== "pool" || (p.replicas?.length ?? 0) > 0, { message: 'A provider of kind "pool" needs `replicas`, e.g. ["http://10.0.0.5:8000/v1"]', path: ["replicas"] })
  .refine((p) => p.kind === "pool" || (p.replicas === undefined && p.maxConcurrent === undefined && p.whenFull === undefined && p.affinity === undefined && p.continueFinalMessage === undefined && p.health === undefined), {
    message: '`replicas`, `maxConcurrent`, `whenFull`, `affinity`, `continueFinalMessage` and `health` apply only to kind = "pool"',
  })
  .describe("How to reach one provider.");

const idle =
  "Longest wait for content (text, tool input, the end of the answer) in a stream, once tokens flow, and before the first one unless `firstTokenMs` is set; keep-alive pings do not count.";

const nonStreamed =
  "A non-streamed call to a target off this machine (a cloud teacher) when `totalMs` is unset: its answer, headers included, comes only once the teacher has finished, thinking included; a teacher silent this long fails over like any failure before output. Not on the local model, peers or loopback servers.";

const timeoutFields = {
  connectMs: ms("Until the target answers (connected, headers in), in a stream. Unset: `idleMs` bounds it on targets off this machine (cloud teachers)."),
  firstTokenMs: ms("From the answer to the first token. Unset: `idleMs` bounds it on targets off this machine (cloud teachers), not on the local model, peers or loopback servers (whose first token waits on their queue and on reading the prompt)."),
  idleMs: ms(idle),
  totalMs: ms("The whole call, until its answer is complete, streamed or not; on a non-streamed call, whose answer arrives whole, it replaces `nonStreamedMs`."),
  nonStreamedMs: ms(nonStreamed),
};

const timeouts = z.strictObject(timeoutFields).describe("Per-target timeouts, in milliseconds.");

/**
 * The timeouts of every target: as a target's own, with default limits, so that a teacher that
 * accepts a request and never answers, or answers and then sends nothing but keep-alives, cannot
 * hold it for good. A non-streamed answer's limit is the longer: a reasoning teacher thinks
 * before its first byte; 10 minutes is what the OpenAI and Anthropic SDKs allow such a request.
 */
const defaultTimeouts = z
  .strictObject({
    ...timeoutFields,
    idleMs: z.int().min(1).default(300_000).describe(idle),
    nonStreamedMs: z.int().min(1).default(600_000).describe(nonStreamed),
  })
  .describe("Per-target timeouts, in milliseconds.");

/** `[router]`: who answers — the local model or a cloud teacher — and how failures are handled. */
export function section() {
  return z
    .strictObject({
      cloud: z
        .enum(["allow", "ask", "never"])
        .default("ask")
        .describe("Cloud use: `allow`, `ask` (the CLI asks once per session; the server refuses) or `never`.")
        .meta({ noun: "cloud policy" } satisfies FieldMeta),
      offline: z.boolean().default(false).describe("Never leave this machine, whatever `cloud` says (`--offline`)."),
      proxyOnly: z.boolean().default(false).describe("No local model: every request goes to the teachers."),
      teachers: z
        .array(z.string().min(1))
        .default([])
        .describe('Cloud targets tried after the local model in the default route, e.g. `["anthropic:claude-sonnet-4-6"]`.'),
      routes: z
        .record(z.string(), routeNode)
        .default({})
        .describe("Named routes (fallback, loadbalance, conditional; nestable). `default` replaces the built-in local-then-teachers route."),
      safety: z
        .array(
          z.strictObject({
            name: z.string().min(1).describe("A name for the rule, shown in `wren router log`."),
            match: z.string().min(1).describe("Regular expression over the text of the user's messages."),
            flags: z.string().optional().describe("Regular expression flags; default `i` (case-insensitive)."),
            route: routeNode.describe("Where matching requests go: a `provider:model` or a route table."),
          }),
        )
        .default([])
        .describe("Rules sending matching requests (e.g. crisis language) to a designated route, with reason `safety`."),
      providers: z.record(z.string(), provider).default({}).describe("Provider settings by name (`openai`, `groq`, `vllm`, or your own)."),
      prices: z
        .record(
          z.string(),
          z.strictObject({
            input: z.number().min(0).describe("USD per million input tokens."),
            output: z.number().min(0).describe("USD per million output tokens."),
            cachedInput: z
              .number()
              .min(0)
              .optional()
              .describe("USD per million input tokens read from the provider's prompt cache; default a share of `input` (anthropic 10%, openai 50%, gemini 25%; others 100%)."),
            cacheWrite: z
              .number()
              .min(0)
              .optional()
              .describe("USD per million input tokens written to the provider's prompt cache; default a share of `input` (anthropic 125%; others 100%)."),
          }),
        )
        .default({})
        .describe(
          "USD per million tokens by `provider:model` or `provider:*` (`input`, `output`, and optionally `cachedInput` and `cacheWrite` for prompt-cache reads and writes), for cost totals and budgets.",
        ),
      retry: z
        .strictObject({
          maxRetries: z.int().min(0).default(1).describe("Extra attempts on one target for retryable failures."),
          baseDelayMs: z.int().min(0).default(250).describe("First backoff; doubles each attempt."),
          maxDelayMs: z.int().min(0).default(8000).describe("Cap on one backoff."),
          jitter: z.number().min(0).max(1).default(0.25).describe("Fraction of each backoff drawn at random."),
          maxRetryAfterMs: z.int().min(0).default(30_000).describe("A longer `retry-after` moves on to the next target instead of waiting."),
        })
        .prefault({})
        .describe("Retries with exponential backoff and jitter, honouring `retry-after`."),
      breaker: z
        .strictObject({
          failureThreshold: z.int().min(1).default(5).describe("Failures in the window that open a target's circuit."),
          windowMs: z.int().min(1).default(60_000).describe("Window for counting failures."),
          cooldownMs: z.int().min(1).default(30_000).describe("Open time before a half-open probe."),
        })
        .prefault({})
        .describe("Circuit breaker per target."),
      timeouts: defaultTimeouts.prefault({}).describe("Default timeouts for every target, in milliseconds."),
      targetTimeouts: z.record(z.string(), timeouts).default({}).describe("Timeouts for one `provider:model`, overriding the defaults."),
      healthIntervalMs: z.int().min(0).default(30_000).describe("Background health checks of cloud targets; 0 turns them off."),
      logSize: z.int().min(1).default(200).describe("Routing decisions kept for `wren router log` and `/v1/router/decisions`."),
      budgets: z
        .array(
          z.strictObject({
            usd: z.number().positive().describe("USD the period may spend, priced from `prices`."),
            period: z.enum(["day", "month"]).describe("Resets at 00:00 UTC each day, or on the 1st of each month (UTC)."),
            provider: z.string().min(1).optional().describe("Only spend on this provider (e.g. `openai`); all priced spend when unset."),
            key: z
              .string()
              .min(1)
              .refine((key) => key === "*" || !key.includes("*"), 'is one key\'s name, or "*" alone for a budget of each key\'s own: key names have no wildcards')
              .optional()
              .describe(
                "Only spend of the client holding this key (a name in `server.keys`); `\"*\"`: each client key a budget of this size of its own, counted apart (a key with its own budget for the same period and provider has that instead; requests without a key are not counted). Every client's together when unset.",
              ),
            onExceeded: z
              .enum(["refuse", "local"])
              .optional()
              .describe("What a request this budget refuses gets, as `onBudgetExceeded` says for every budget; default `onBudgetExceeded`."),
          }),
        )
        .superRefine((budgets, ctx) => {
          // Two budgets for the same period, provider and key would keep their spend in one counter, each request counted twice.
          const seen = new Map<string, number>();
          budgets.forEach((b, i) => {
            const name = `${b.period}:${b.provider ?? "*"}@${b.key ?? ""}`;
            const first = seen.get(name);
            if (first === undefined) seen.set(name, i);
            else ctx.addIssue({ code: "custom", path: [i], message: `has the same period, provider and key as router.budgets[${first}]: keep one of them` });
          });
        })
        .default([])
        .describe("Spend limits (docs/router.md#budgets); shared by every replica when `state.redis` is set."),
      onBudgetExceeded: z
        .enum(["refuse", "local"])
        .default("refuse")
        .describe("A request a budget refuses: `refuse` it (429 with `retry-after` until the reset) or answer it with the local model (`local`)."),
      reserveOutputTokens: z.int().min(1).default(1024).describe("Output tokens a budget holds for a request that sets no output limit."),
      rateLimit: z
        .strictObject({
          requests: z.int().min(1).describe("Requests per window per client API key (clients without a key share one)."),
          windowMs: z.int().min(1).default(60_000).describe("The window, ms."),
          keys: z
            .record(z.string(), z.int().min(1))
            .default({})
            .describe("Requests per window for a client key by name (`server.keys`), instead of `requests`, e.g. `{ ci = 600 }`."),
        })
        .optional()
        .describe("Per-key request rate limit of `wren serve`; shared by every replica when `state.redis` is set. Default: none."),
    })
    .prefault({})
    .describe("The router: local first, cloud teachers when needed, never silent.");
}
