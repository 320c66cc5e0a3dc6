import { writeFile } from "node:fs/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateCases } from "./cases.js";
import { startFuzzServer, type FuzzServer } from "./fuzz-server.js";
import { watchHealth, yieldToServer, type HealthReport } from "./health-watcher.js";
import { inFlightAt, runCases, type Finding, type RunReport } from "./run-fuzz.js";

const seed = Number(process.env.FUZZ_SEED ?? 17);
const count = Number(process.env.FUZZ_COUNT ?? 5_000);
/** FUZZ_ONLY=INDEX replays one case of the run (same seed and count); FUZZ_REPORT=FILE writes every finding there as JSON. */
const only = process.env.FUZZ_ONLY === undefined ? undefined : Number(process.env.FUZZ_ONLY);
const WARMUP = Math.min(200, Math.floor(count / 10));
/**
 * Cases in flight at once: the server's parallel sequences (4 by default). More would only queue
 * behind them, and on 2 cores the fuzzer's own work would crowd out the server it is testing.
 */
const CONCURRENCY = 4;
/**
 * Past this, no new case starts and the run fails as too slow. About 1-2 minutes on 2 idle cores;
 * 4 minutes when other work shares them (the fuzzer yields the CPU to the server).
 */
const BUDGET_MS = Number(process.env.FUZZ_BUDGET_S ?? 420) * 1000;
const HEALTH_LIMIT_MS = 200;
const RSS_LIMIT_BYTES = 64 * 1024 * 1024;

/**
 * Waits out the server's idle timers before an RSS reading: its body-parsing worker (whose heap
 * holds up to the largest body it parsed, tens of megabytes) ends 2 s after its last body, so both
 * readings see the server at rest, not one of them with a worker still alive.
 */
const settle = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 3000));

/**
 * RSS of the server at rest, as read (`raw`) and after V8 collected all it could (`held`, what the
 * check compares): V8 keeps garbage and the heap pages under it until its own next collection, so
 * a raw reading counts anything from none to a hundred megabytes that the server does not hold.
 */
async function restingRss(server: FuzzServer): Promise<{ raw: number | undefined; held: number | undefined }> {
  await settle();
  const raw = await server.rss();
  if (process.platform !== "linux") return { raw, held: raw };
  await server.collectGarbage();
  return { raw, held: await server.rss() };
}

const mb = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

function describeFinding(f: Finding): string {
  return `#${f.index} ${f.label}: ${f.fault}\n  request:  ${f.request.slice(0, 600)}\n  response: ${f.response.slice(0, 600)}`;
}

/** The failure message: the seed first, so the run can be repeated (FUZZ_SEED, FUZZ_COUNT, FUZZ_ONLY). */
function findingsMessage(findings: Finding[]): string {
  const shown = findings.slice(0, 20).map(describeFinding).join("\n");
  return `${findings.length} fault(s) with FUZZ_SEED=${seed} FUZZ_COUNT=${count} (replay one with FUZZ_ONLY=INDEX):\n${shown}`;
}

describe(`wren serve under ${count} fuzzed requests (seed ${seed})`, () => {
  let server: FuzzServer;
  let run: RunReport;
  let health: HealthReport;
  let rssBefore: number | undefined;
  let rssAfter: number | undefined;
  /** The same readings before V8's collection, for the report. */
  let rawBefore: number | undefined;
  let rawAfter: number | undefined;
  /** Requests still active or queued 30 s after the main run (0 when every sequence was given back). */
  let busyAfter = 0;

  beforeAll(async () => {
    if (!Number.isInteger(seed) || !Number.isInteger(count) || count < 1) throw new Error(`FUZZ_SEED and FUZZ_COUNT must be integers (got ${process.env.FUZZ_SEED}, ${process.env.FUZZ_COUNT})`);
    const cases = generateCases(seed, count);
    server = await startFuzzServer();
    if (only !== undefined) {
      const c = cases[only];
      if (!c) throw new Error(`FUZZ_ONLY=${only} is not a case of this run (0–${count - 1})`);
      console.log(`replaying #${only} ${c.label}:\n${JSON.stringify(c).slice(0, 4000)}`);
    }
    const watcher = watchHealth(server.url, server.pid, 50, HEALTH_LIMIT_MS);
    yieldToServer();
    const started = Date.now();
    const deadline = started + BUDGET_MS;
    const rssSeries: string[] = [];
    const onProgress = (sent: number): void => {
      void server.rss().then((rss) => rss !== undefined && rssSeries.push(`${sent}: ${mb(rss)}`));
      console.log(`fuzz: ${sent} cases in ${((Date.now() - started) / 1000).toFixed(0)} s`);
    };
    if (only !== undefined) {
      run = await runCases(server.url, [cases[only]!], { concurrency: 1, firstIndex: only });
    } else {
      // The warm-up cases run before each RSS reading (again after the main run), and each reading
      // waits for the server to be idle, so both follow the same work: what differs is what the
      // main run left behind.
      const warmup = cases.slice(0, WARMUP);
      const warm = await runCases(server.url, warmup, { concurrency: CONCURRENCY, deadline });
      await server.idle();
      ({ raw: rawBefore, held: rssBefore } = await restingRss(server));
      const main = await runCases(server.url, cases.slice(WARMUP), { concurrency: CONCURRENCY, firstIndex: WARMUP, deadline, onProgress: (n) => onProgress(WARMUP + n) });
      run = { sent: warm.sent + main.sent, statuses: { ...warm.statuses }, findings: [...warm.findings, ...main.findings], spans: [...warm.spans, ...main.spans] };
      for (const [status, n] of Object.entries(main.statuses)) run.statuses[Number(status)] = (run.statuses[Number(status)] ?? 0) + n;
      busyAfter = await server.idle();
      await runCases(server.url, warmup, { concurrency: CONCURRENCY });
      await server.idle();
      ({ raw: rawAfter, held: rssAfter } = await restingRss(server));
    }
    health = await watcher.stop();
    if (process.env.FUZZ_REPORT) await writeFile(process.env.FUZZ_REPORT, JSON.stringify({ seed, count, ...run, health, rssBefore, rssAfter, rawBefore, rawAfter, log: server.log() }, null, 2));
    console.log(
      `fuzz seed ${seed}: ${run.sent} cases in ${((Date.now() - started) / 1000).toFixed(1)} s; statuses ${JSON.stringify(run.statuses)}; ` +
        `/health slowest ${health.slowestMs.toFixed(0)} ms net of waits for a CPU (${health.slowestRawMs.toFixed(0)} ms as seen) over ${health.polls} polls (control ${health.controlSlowestMs.toFixed(0)} ms; ${health.starved.length} polls discounted while the machine was starved); RSS after V8's collection ${rssBefore === undefined ? "n/a" : mb(rssBefore)} → ${rssAfter === undefined ? "n/a" : mb(rssAfter)}, as read before it ${rawBefore === undefined ? "n/a" : mb(rawBefore)} → ${rawAfter === undefined ? "n/a" : mb(rawAfter)} (during the run: ${rssSeries.join(", ")}); ${run.findings.length} fault(s)`,
    );
  }, 600_000);

  afterAll(async () => {
    await server?.stop();
  });

  it("answers no request with a 5xx, an error inside a 200 stream, or not at all; valid requests succeed", () => {
    if (run.findings.length > 0) expect.fail(findingsMessage(run.findings));
  });

  it(`sends all ${count} cases within ${BUDGET_MS / 1000} s`, () => {
    expect(run.sent, `only ${run.sent} of ${count} cases were sent within ${BUDGET_MS / 1000} s (FUZZ_BUDGET_S); the server's log ends:\n${server.log().slice(-3000)}`).toBe(only === undefined ? count : 1);
  });

  it("gives back every sequence: nothing active or queued once the fuzzer stops", () => {
    expect(busyAfter, `/status still counts ${busyAfter} active or queued requests 30 s after the run (seed ${seed})`).toBe(0);
  });

  it("never exits", async () => {
    expect(server.exit(), `wren serve exited; its log:\n${server.log()}`).toBeUndefined();
    const res = await fetch(new URL("/health", server.url));
    expect(res.status).toBe(200);
  });

  it(`answers /health within ${HEALTH_LIMIT_MS} ms throughout`, () => {
    expect(health.polls).toBeGreaterThan(0);
    const slow = health.bad.slice(0, 5).map((p) => `${p.ms} ms (status ${p.status}; control ${p.controlMs} ms; server thread waited ${p.waitMs} ms for a CPU) while in flight: ${inFlightAt(run, p.at).slice(0, 8).join("; ")}`);
    expect(health.bad, `slow or failed /health polls (seed ${seed}):\n${slow.join("\n")}`).toEqual([]);
    expect(health.slowestMs).toBeLessThanOrEqual(HEALTH_LIMIT_MS);
  });

  it.runIf(process.platform === "linux" && only === undefined)("keeps RSS within 64 MB of its size after the warm-up round", () => {
    expect(rssBefore).toBeDefined();
    expect(rssAfter! - rssBefore!, `RSS after V8's collection ${mb(rssBefore!)} → ${mb(rssAfter!)} (as read before it ${mb(rawBefore!)} → ${mb(rawAfter!)}; seed ${seed})`).toBeLessThanOrEqual(RSS_LIMIT_BYTES);
  });
  if (process.platform !== "linux") console.log("RSS is read from /proc: the memory check runs on Linux only.");
});
