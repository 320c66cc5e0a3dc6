/**
 * The safety analysis of a long script whose every line has a command that may not run
 * (`test -e fN && echo N > oN.txt`): each such command copies the line's state and merges it back,
 * and the rest of the line may be judged again from before it. Best of three analyses in this
 * process, for 100 to 2,000 lines; time per line should stay about level as a long script grows.
 * Then one line of piped blocks nested 5, 10 and 20 levels deep (`echo a | { echo a | { cat; }; }`).
 */
import path from "node:path";
import { fileURLToPath } from "node:url";
import { createShellAnalyzer } from "../src/shell/analyze.js";
import { fmt, report } from "./stats.js";

const SIZES = [100, 400, 1000, 2000];

export function longScript(lines: number): string {
  return Array.from({ length: lines }, (_, i) => `test -e f${i} && echo ${i} > o${i}.txt`).join("\n") + "\n";
}

export async function benchShellScripts(): Promise<void> {
  using analyzer = await createShellAnalyzer();
  const options = { shell: "bash" as const, cwd: "/home/ada/code/app", home: "/home/ada" };
  analyzer.analyze("ls", options);
  const best = new Map<number, number>();
  for (let round = 0; round < 3; round++) {
    for (const lines of SIZES) {
      const script = longScript(lines);
      const started = performance.now();
      const { risk } = analyzer.analyze(script, options);
      const ms = performance.now() - started;
      if (risk !== "safe") throw new Error(`a script of ${lines} harmless lines rated ${risk}`);
      best.set(lines, Math.min(best.get(lines) ?? Infinity, ms));
    }
  }
  for (const lines of SIZES) {
    const ms = best.get(lines) ?? Number.NaN;
    report(`shell script of ${lines} 'a && b' lines`, `${fmt(ms, 0)} ms (${fmt((ms / lines) * 1000, 0)} µs a line)`);
  }
  // A short script is judged again after each of its lines (see REREADING_FLOOR): the growth is read from the longer ones.
  const [shorter, longer] = SIZES.slice(-2) as [number, number];
  const perLine = (lines: number): number => (best.get(lines) ?? Number.NaN) / lines;
  report(`time a line, ${longer} lines against ${shorter}`, `${fmt(perLine(longer) / perLine(shorter), 2)}x`, "(about 1 when linear)");
  // Each level of piped blocks doubles what is read up to PIPED_BLOCK_UNITS; deeper, time grows by about a level's worth.
  for (const levels of [5, 10, 20]) {
    const line = "echo a | { ".repeat(levels) + "cat; " + "}; ".repeat(levels);
    let ms = Infinity;
    for (let round = 0; round < 3; round++) {
      const started = performance.now();
      analyzer.analyze(line, options);
      ms = Math.min(ms, performance.now() - started);
    }
    report(`'echo a | { … }' nested ${levels} levels`, `${fmt(ms, 0)} ms`);
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await benchShellScripts();
}
