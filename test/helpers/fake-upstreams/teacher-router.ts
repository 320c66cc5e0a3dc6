import { defaultConfig } from "../../../src/config/index.js";
import type { StreamPart } from "../../../src/protocol/index.js";
import { buildRouter, type BuiltRouter } from "../../../src/runtime/router.js";
import type { DialectName } from "./dialects.js";

/** The router target of a teacher that speaks each dialect. */
export const TEACHER: Record<DialectName, string> = {
  openai: "openai:gpt-4o-mini",
  anthropic: "anthropic:claude-sonnet-4-6",
  gemini: "gemini:gemini-2.5-flash",
  ollama: "ollama:llama3.2",
};

/** The text of a stream's deltas. */
export const streamedText = (parts: StreamPart[]): string => parts.map((p) => (p.type === "text-delta" ? p.delta : "")).join("");

/** Options of {@link teacherRouter}. */
export interface TeacherRouterOptions {
  /** The dialect the teacher speaks. */
  dialect: DialectName;
  /** The origin of the server standing in for the teacher. */
  url: string;
  /** The teacher's own timeouts (`router.targetTimeouts`); the backup keeps the defaults. */
  limits: Record<string, number>;
  /** The origin of an OpenAI stand-in configured as provider `backup`. Default: none. */
  backupUrl?: string;
  /** Whether `backup:llama` is tried after the teacher (with `backupUrl`). Default true. */
  fallback?: boolean;
}

/**
 * A router (proxy only, cloud allowed, no health checks, no retries) whose first target is the
 * teacher of `dialect` at `url`, then the backup when there is one and `fallback` is on.
 */
export function teacherRouter({ dialect, url, limits, backupUrl, fallback = true }: TeacherRouterOptions): BuiltRouter {
  const teacher = TEACHER[dialect];
  const config = defaultConfig(
    { env: {} },
    {
      router: {
        cloud: "allow",
        proxyOnly: true,
        healthIntervalMs: 0,
        teachers: backupUrl !== undefined && fallback ? [teacher, "backup:llama"] : [teacher],
        targetTimeouts: { [teacher]: limits },
        retry: { maxRetries: 0 },
        providers: {
          [dialect]: { baseURL: dialect === "openai" ? `${url}/v1` : url, cloud: true },
          ...(backupUrl === undefined ? {} : { backup: { kind: "openai-compatible", baseURL: `${backupUrl}/v1`, cloud: true } }),
        },
      },
    },
  ).router;
  return buildRouter({ config, env: { OPENAI_API_KEY: "sk", ANTHROPIC_API_KEY: "sk", GEMINI_API_KEY: "sk" } });
}
