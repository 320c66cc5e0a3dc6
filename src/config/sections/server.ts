import { z } from "zod";
import type { FieldMeta } from "./context.js";

const servedModel = z
  .strictObject({
    id: z.string().min(1).describe("The model name clients send in requests."),
    ref: z
      .string()
      .min(1)
      .describe("What to load: `hf:org/repo:quant`, a URL, a path (`./m.gguf` is relative to the file that sets it) or an alias.")
      .meta({ modelRef: true } satisfies FieldMeta),
    aliases: z.array(z.string().min(1)).default([]).describe("Other names clients may use for this model."),
    contextSize: z.int().min(16).optional().describe("Context size for this model; default `engine.contextSize`."),
    adapter: z.string().min(1).optional().describe("A LoRA adapter (`wren adapters add`) applied to this model's requests unless a request names another (`x-wren-adapter`)."),
    adapterScale: z.number().min(0).max(4).optional().describe("Scale of `adapter`; default the scale it was registered with."),
    draft: z
      .string()
      .min(1)
      .optional()
      .describe("A smaller model of the same family (same tokenizer) that drafts tokens for this one to verify (speculative decoding): a ref as in `ref`, resolved when the server starts. Default: none (prompt lookup, `engine.speculative`).")
      .meta({ modelRef: true } satisfies FieldMeta),
    speculative: z.enum(["auto", "lookup", "off"]).optional().describe("Speculative decoding for this model; default `engine.speculative`."),
  })
  .describe("A model the server offers.");

const clientKey = z
  .strictObject({
    name: z
      .string()
      .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}$/, "letters, digits, '.', '-' and '_' (up to 63)")
      .refine((name) => name !== "anonymous" && name !== "peer" && name !== "owner" && !name.startsWith("key-"), "anonymous, peer, owner and names starting with key- are wren's own")
      .describe("The client's key id: what budgets, rate limits, `/metrics` and `wren router stats` call it. Never the key itself."),
    key: z.string().min(16).optional().describe("The key (at least 16 characters); prefer `keyEnv`.").meta({ secret: true } satisfies FieldMeta),
    keyEnv: z.string().min(1).optional().describe("Environment variable holding the key, read when the server starts."),
  })
  .refine((k) => (k.key === undefined) !== (k.keyEnv === undefined), "set exactly one of key and keyEnv")
  .describe("A client key and its name.");

/** `[server]`: the OpenAI/Anthropic/Ollama-compatible HTTP server (`wren serve`). */
export function section() {
  return z
    .strictObject({
      host: z.string().min(1).default("127.0.0.1").describe("Address to listen on. Use `0.0.0.0` to accept other machines, and set `apiKey` then."),
      port: z.int().min(0).max(65535).default(11435).describe("TCP port to listen on; 0 picks a free one."),
      apiKey: z
        .string()
        .min(1)
        .optional()
        .describe("When set, clients must send it as a bearer token (or `x-api-key`). Prefer the `WREN_SERVER_API_KEY` variable to writing it in a file.")
        .meta({ secret: true } satisfies FieldMeta),
      keys: z
        .array(clientKey)
        .default([])
        .describe(
          "Named client keys, as `[[server.keys]]` tables: each client sends its own, and is known by its name in per-key budgets (`router.budgets[].key`), rate limits and `/metrics`. Setting any makes a key required, as `apiKey` does.",
        ),
      cors: z
        .array(z.string().min(1))
        .default([])
        .describe("Origins allowed by CORS, e.g. `[\"http://localhost:3000\"]`; `[\"*\"]` allows any. Empty (the default) turns CORS off. A request a browser sends from a page of another origin (its `Origin` header) than these, this machine's (`http://localhost:*`, `127.0.0.1`) or a desktop app's (`app://`, `vscode-webview://`), a WebSocket included, is refused with 403."),
      maxQueue: z.int().min(0).default(64).describe("Requests that may wait for a free sequence; more are refused with 429 and `retry-after`."),
      requestTimeout: z.int().min(0).default(600).describe("Seconds a request may take in all before it is cancelled; 0 for no limit."),
      models: z.array(servedModel).default([]).describe("Models the server offers, as `[[server.models]]` tables. Empty: the default model."),
      idleUnloadSeconds: z.int().min(0).default(300).describe("Seconds a loaded model may sit unused before it is unloaded; 0 keeps it loaded."),
      maxBodyBytes: z.int().min(1024).default(16 * 1024 * 1024).describe("Largest request body accepted, in bytes; larger ones get 413. A compressed body (content-encoding gzip, deflate or br) is judged by its size once decoded."),
      maxBodyBytesInFlight: z
        .int()
        .min(1024)
        .default(32 * 1024 * 1024)
        .describe(
          "Bytes of request bodies (and WebSocket messages) the requests running may hold at once; a body costs several times its size in memory while its request runs. More wait, unread, until there is room (in order of arrival, within the request timeout). At least `maxBodyBytes` is used.",
        ),
      allowPull: z
        .boolean()
        .optional()
        .describe("Whether clients may pull models into the store through Ollama's `/api/pull`. Default: allowed when the server listens on loopback only, refused when it is exposed beyond this machine."),
      ollamaVersion: z
        .string()
        .regex(/^\d+\.\d+\.\d+/)
        .default("0.13.5")
        .describe("The version `/api/version` reports to Ollama clients, which check it before using a server (Codex `--oss` needs 0.13.4 or newer for its Responses API)."),
    })
    .prefault({})
    .describe("The HTTP server (`wren serve`).");
}
