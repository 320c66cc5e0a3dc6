/**
 * What checking a request body against its dialect's schema costs per body, the way the server
 * checks it (`safeParseFirstIssue`: the first issue only) beside zod's `safeParse` given the same
 * option (what the server did before): small and agent-sized OpenAI bodies, and an Anthropic body
 * of 200 content blocks (each block is one more parse: tool results and tool uses, as a coding
 * agent sends them). Each way in processes of its own, alternated; figures and ratios, no pass/fail.
 */
import { fork } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { defaultConfig } from "../src/config/index.js";
import { anthropicMessagesRequestSchema } from "../src/wire/anthropic/index.js";
import { FIRST_ISSUE_ONLY, safeParseFirstIssue } from "../src/wire/first-issue.js";
import { openaiChatRequestSchema } from "../src/wire/openai/index.js";
import { fmt, median, report } from "./stats.js";
import type { z } from "zod";

const small = { model: "auto", messages: [{ role: "user", content: "Hi" }], stream: false };

const agent = {
  model: "auto",
  stream: true,
  tools: Array.from({ length: 8 }, (_, i) => ({
    type: "function",
    function: { name: `tool_${i}`, description: "Does one thing.", parameters: { type: "object", properties: { path: { type: "string" } }, required: ["path"] } },
  })),
  messages: [
    { role: "system", content: "You are a coding assistant." },
    ...Array.from({ length: 10 }, (_, i) => [
      { role: "user", content: `Step ${i}: read the file.` },
      { role: "assistant", content: null, tool_calls: [{ id: `call_${i}`, type: "function", function: { name: "tool_0", arguments: '{"path":"src/a.ts"}' } }] },
      { role: "tool", tool_call_id: `call_${i}`, content: "export const a = 1;\n" },
    ]).flat(),
  ],
};

const blocks = {
  model: "auto",
  max_tokens: 1024,
  messages: Array.from({ length: 50 }, (_, i) => [
    { role: "assistant", content: [{ type: "text", text: "Reading it." }, { type: "tool_use", id: `toolu_${i}`, name: "Read", input: { file_path: "src/a.ts" } }] },
    { role: "user", content: [{ type: "tool_result", tool_use_id: `toolu_${i}`, content: [{ type: "text", text: "export const a = 1;\n" }] }, { type: "text", text: "Go on." }] },
  ]).flat(),
};

type Way = "before" | "now";
const bodies = [
  ["OpenAI chat, one message", openaiChatRequestSchema, small],
  ["OpenAI chat, 31 messages and 8 tools", openaiChatRequestSchema, agent],
  ["Anthropic messages, 200 content blocks", anthropicMessagesRequestSchema, blocks],
] as const;

/**
 * Microseconds per check of each body, one way, in this process: each way runs in a process of its
 * own, as the server runs one of them, because zod's shared code slows for both once it has met
 * the objects of the other (V8's inline caches).
 */
function measure(way: Way): number[] {
  // As a server, which reads its config (with zod) before its first request.
  defaultConfig({ env: {} });
  return bodies.map(([, schema, body]) => {
    const check = way === "before" ? () => schema.safeParse(body, FIRST_ISSUE_ONLY) : () => safeParseFirstIssue(schema as z.ZodType, body);
    if (!check().success) throw new Error("The bench body does not pass its schema.");
    const n = body === blocks ? 200 : 2000;
    const rounds: number[] = [];
    // Warmed up first: zod's checks reach their optimized code only after some thousands of parses.
    for (let i = 0; i < 15 * n; i++) check();
    const gc = (globalThis as { gc?: () => void }).gc;
    for (let round = 0; round < 9; round++) {
      // Each round from a collected heap: what a round leaves must not fall on the next.
      gc?.();
      const t = performance.now();
      for (let i = 0; i < n; i++) check();
      rounds.push(((performance.now() - t) * 1000) / n);
    }
    return median(rounds.slice(1));
  });
}

async function inChild(way: Way): Promise<number[]> {
  const child = fork(self, [way], { execArgv: [...process.execArgv, "--expose-gc"], stdio: ["ignore", "inherit", "inherit", "ipc"] });
  return new Promise((resolve, reject) => {
    child.once("message", (m) => resolve(m as number[]));
    child.once("exit", (code) => reject(new Error(`The body-check bench's ${way} process exited (${code}) before answering.`)));
  });
}

export async function benchBodyCheck(): Promise<void> {
  const before: number[][] = [];
  const now: number[][] = [];
  // Alternated, so a burst of load on the machine lands on both ways alike.
  for (let i = 0; i < 3; i++) {
    before.push(await inChild("before"));
    now.push(await inChild("now"));
  }
  bodies.forEach(([name], i) => {
    const b = median(before.map((r) => r[i]!));
    const n = median(now.map((r) => r[i]!));
    report(`${name}: safeParse with options / as checked now`, `${fmt(b, 1)} / ${fmt(n, 1)} us (${fmt(b / n, 2)}x)`);
  });
}

const self = fileURLToPath(import.meta.url);
const [way] = process.argv.slice(2);
if (process.argv[1] && path.resolve(process.argv[1]) === self && (way === "before" || way === "now")) process.send?.(measure(way));
