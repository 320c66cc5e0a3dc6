/**
 * The terminal UI's first frame: from spawn to the prompt box on the screen of a real
 * pseudo-terminal, next to Node's own start in the same terminal (`node -e` printing one line).
 * Each round runs both, in turn, so machine drift hits both alike; the figure is the median of
 * per-round differences. Target: under 150 ms over Node's own start-up. "wren" is the published
 * command (package.json's bin); WREN_BENCH_BASELINE_CLI=path/to/other/cli adds another build of
 * wren to every round, side by side.
 */
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { startScriptedTeacher } from "../test/helpers/fake-upstreams/scripted-teacher.js";
import { startPty, type PtySession } from "../test/helpers/pty-terminal.js";
import { teacherEnv } from "../test/helpers/teacher-env.js";
import { publishedCli, verdict } from "./published-cli.js";
import { fmt, median, percentile, report } from "./stats.js";
import { benchTuiRedraw } from "./tui-redraw.js";

const ROUNDS = 9;

async function timeTo(start: () => PtySession, text: string, quit: (pty: PtySession) => void): Promise<number> {
  const began = performance.now();
  const pty = start();
  await pty.waitFor(text, { visible: true });
  const ms = performance.now() - began;
  quit(pty);
  await pty.exited;
  return ms;
}

export async function benchTui(): Promise<void> {
  const root = mkdtempSync(path.join(os.tmpdir(), "wren-bench-tui-"));
  const project = path.join(root, "project");
  mkdirSync(path.join(project, ".git"), { recursive: true });
  const teacher = await startScriptedTeacher([]);
  const env = teacherEnv(path.join(root, "home"), teacher.url);
  try {
    const node: number[] = [];
    const baseline = process.env["WREN_BENCH_BASELINE_CLI"];
    const builds = [{ label: "wren", cli: publishedCli(), times: [] as number[] }];
    if (baseline) builds.push({ label: "baseline", cli: path.resolve(baseline), times: [] });
    for (let i = 0; i < ROUNDS; i++) {
      node.push(await timeTo(() => startPty([process.execPath, "-e", "console.log('ready')"], { cwd: project, env }), "ready", () => undefined));
      // The prompt box's first row: the screen is up (the session may still be opening).
      // Bare `wren`, as people start it.
      for (const b of builds) b.times.push(await timeTo(() => startPty([process.execPath, b.cli], { cwd: project, env }), "│ >", (pty) => pty.kill()));
    }
    report("node -e in a terminal (median)", fmt(median(node)), "ms");
    for (const { label, times } of builds) {
      const over = times.map((w, i) => w - node[i]!);
      report(`${label}: spawn → first frame (median)`, fmt(median(times)), "ms");
      report(`${label} first frame over Node's start (median, target < 150)`, `${fmt(median(over))} ms ${verdict(median(over) < 150)}`);
      report(`${label} first frame over Node's start (p90)`, fmt(percentile(over, 90)), "ms");
    }
  } finally {
    await teacher.close();
    rmSync(root, { recursive: true, force: true });
  }
  await benchTuiRedraw();
}
