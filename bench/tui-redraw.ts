/**
 * The terminal UI's redraw cost while an answer streams at 50 tokens/s (a good local model on a
 * laptop): the scripted teacher sends one word every 20 ms and the bench counts, over the stream,
 * the frames wren draws (Ink wraps each in a synchronized-output pair; target ≤ 20 a second),
 * the CPU time wren's process spends per second of streaming (Linux: /proc), and the bytes written
 * to the terminal per token. The answer is markdown with a code block, so the renderer's cost counts.
 */
import { readFileSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { startScriptedTeacher } from "../test/helpers/fake-upstreams/scripted-teacher.js";
import { KEYS, startWrenPty, type PtySession } from "../test/helpers/pty-terminal.js";
import { teacherEnv } from "../test/helpers/teacher-env.js";
import { fmt, median, report } from "./stats.js";

const TOKENS_PER_SECOND = 50;
const ROUNDS = 3;
/** Ink's begin-synchronized-update: one per frame it writes. */
const FRAME = "\x1b[?2026h";

/** About 300 words: six seconds at 50 tokens/s, a paragraph, a list and a code block, ending in a marker. */
function answer(): string {
  const prose = "The parser reads each line, keeps the tokens it knows and reports the rest with their position so the caller can say what went wrong.";
  const code = ["```ts", "export function parse(line: string): Token[] {", "  const tokens: Token[] = [];", "  for (const word of line.split(/\\s+/)) tokens.push(classify(word));", "  return tokens;", "}", "```"].join("\n");
  const parts = [`## The parser\n\n${prose} ${prose}`, `- **lexing**: ${prose}\n- **checking**: ${prose}`, code, `${prose} ${prose} ${prose}`, code, `${prose} ${prose}`, "Finished-here."];
  return parts.join("\n\n");
}

/**
 * CPU time (user + system), in ms, of wren: the pseudo-terminal bridge's descendants, not the bridge
 * itself. Undefined where /proc is missing.
 */
function cpuMs(bridge: number): number | undefined {
  try {
    const children = (p: number): number[] => readFileSync(`/proc/${p}/task/${p}/children`, "utf8").trim().split(/\s+/).filter(Boolean).map(Number);
    const ticks = (p: number): number => {
      const stat = readFileSync(`/proc/${p}/stat`, "utf8");
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      return Number(fields[11]) + Number(fields[12]) + children(p).reduce((sum, c) => sum + ticks(c), 0);
    };
    // USER_HZ is 100 on every Linux that Node supports.
    return children(bridge).reduce((sum, c) => sum + ticks(c), 0) * 10;
  } catch {
    return undefined;
  }
}

interface Round {
  seconds: number;
  frames: number;
  cpuMs: number | undefined;
  bytes: number;
  tokens: number;
}

async function round(root: string, text: string): Promise<Round> {
  const project = path.join(root, "project");
  const teacher = await startScriptedTeacher([{ text, tokensPerSecond: TOKENS_PER_SECOND }]);
  const pty: PtySession = startWrenPty(["--model", "openai:gpt-4o-mini"], { cwd: project, env: teacherEnv(path.join(root, "home"), teacher.url) });
  try {
    await pty.waitFor("no turn yet", { visible: true });
    pty.type("explain the parser");
    await pty.waitFor("> explain the parser", { visible: true });
    pty.type(KEYS.enter);
    await teacher.waitForRequests(1);
    // From the first word on screen to the last: the stream as the person sees it.
    await pty.waitFor("The parser", { visible: true, timeoutMs: 120_000 });
    const started = performance.now();
    const outputFrom = pty.output().length;
    const bytesFrom = pty.bytes();
    const cpuFrom = pty.pid === undefined ? undefined : cpuMs(pty.pid);
    await pty.waitFor("Finished-here.", { timeoutMs: 120_000 });
    const seconds = (performance.now() - started) / 1000;
    const cpuTo = pty.pid === undefined ? undefined : cpuMs(pty.pid);
    const frames = pty.output().slice(outputFrom).split(FRAME).length - 1;
    const tokens = (text.match(/\s*\S+/g) ?? []).length;
    return { seconds, frames, cpuMs: cpuFrom !== undefined && cpuTo !== undefined ? cpuTo - cpuFrom : undefined, bytes: pty.bytes() - bytesFrom, tokens };
  } finally {
    pty.kill();
    await pty.exited;
    await teacher.close();
  }
}

export async function benchTuiRedraw(): Promise<void> {
  const root = mkdtempSync(path.join(os.tmpdir(), "wren-bench-redraw-"));
  mkdirSync(path.join(root, "project", ".git"), { recursive: true });
  const text = answer();
  try {
    const rounds: Round[] = [];
    for (let i = 0; i < ROUNDS; i++) rounds.push(await round(root, text));
    const fps = rounds.map((r) => r.frames / r.seconds);
    const cpu = rounds.flatMap((r) => (r.cpuMs === undefined ? [] : [r.cpuMs / r.seconds]));
    const perToken = rounds.map((r) => r.bytes / r.tokens);
    report(`streaming at ${TOKENS_PER_SECOND} tokens/s: tokens per answer`, String(rounds[0]!.tokens));
    report("frames per second while streaming (median, target ≤ 20)", fmt(median(fps)), "fps");
    report("CPU per second of streaming (median)", cpu.length ? fmt(median(cpu)) : `n/a on ${os.platform()}`, cpu.length ? "ms/s" : "");
    report("bytes written to the terminal per token (median)", fmt(median(perToken)), "B");
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}
