import v8 from "node:v8";

/**
 * The largest budget V8 accepts (a 32-bit int): a function would have to run for billions of
 * instructions' worth of work before it tiered up.
 */
const NEVER = 2 ** 31 - 1;

/**
 * V8's own `--wasm-tiering-budget`, measured: 1,800,000 on V8 11 (Node 20), 13,000,000 on V8 12 and
 * 13 (Node 22 and 24). V8 has no way to read a flag back, so the default is known here.
 */
function v8DefaultBudget(v8Version: string): number {
  return Number(v8Version.split(".")[0]) <= 11 ? 1_800_000 : 13_000_000;
}

/**
 * The tiering budget this process was started with: a `--wasm-tiering-budget` in `NODE_OPTIONS` or on
 * node's command line (the command line wins, as in Node), else V8's default.
 */
export function startupTieringBudget(execArgv: readonly string[] = process.execArgv, nodeOptions = process.env["NODE_OPTIONS"] ?? "", v8Version = process.versions.v8): number {
  let budget = v8DefaultBudget(v8Version);
  const args = [...nodeOptions.split(/\s+/), ...execArgv];
  args.forEach((arg, i) => {
    const m = /^--wasm[-_]tiering[-_]budget(?:=(\d+))?$/.exec(arg);
    const value = m ? (m[1] ?? args[i + 1]) : undefined;
    if (value !== undefined && /^\d+$/.test(value)) budget = Number(value);
  });
  return budget;
}

/** Set by {@link keepWebAssemblyOnBaseline}: no WebAssembly of this process tiers up. */
let baselineOnly = false;

/** Whether node was started with a tiering budget of the user's own (`--wasm-tiering-budget`, on its command line or in NODE_OPTIONS). */
function budgetGiven(execArgv: readonly string[] = process.execArgv, nodeOptions = process.env["NODE_OPTIONS"] ?? ""): boolean {
  return [...nodeOptions.split(/\s+/), ...execArgv].some((arg) => /^--wasm[-_]tiering[-_]budget(?:=|$)/.test(arg));
}

/**
 * Keeps every WebAssembly module of this process on V8's baseline code, for a command that ends
 * soon after its work. On Node 20, the first `fetch` (undici's HTTP parser, WebAssembly) uses up
 * the parser's tiering budget, and its optimizing compile then runs on a background thread that
 * the process waits for before it exits: `wren -p`, `wren run --daemon` and the daemon's other
 * clients stayed 0.2-1 s after their answer was printed (`npm run bench`, start-up: `-p` spawn →
 * exit). A long-running server (`wren serve`, the daemon) keeps tier-up: its parsers run hot for
 * hours. A budget the user gave node is left as given. Returns whether it took effect.
 */
export function keepWebAssemblyOnBaseline(execArgv: readonly string[] = process.execArgv, nodeOptions = process.env["NODE_OPTIONS"] ?? ""): boolean {
  if (budgetGiven(execArgv, nodeOptions)) return false;
  baselineOnly = true;
  v8.setFlagsFromString(`--wasm-tiering-budget=${NEVER}`);
  return true;
}

/** The tiering budget later WebAssembly instances of this process get: {@link NEVER} once {@link keepWebAssemblyOnBaseline} ran, else the startup one. */
export function processTieringBudget(): number {
  return baselineOnly ? NEVER : startupTieringBudget();
}

/**
 * Runs `instantiate` with WebAssembly tier-up off for the instances it creates, and for them only.
 *
 * V8 runs WebAssembly on its baseline compiler (Liftoff) and recompiles a function with TurboFan once
 * it has used up its tiering budget, which V8 reads when a module is instantiated. The bash grammar's
 * lexer is one 160 KB function: one parse of an ordinary command line (`git status && npm test >
 * out.txt`) uses up its budget, and its TurboFan compile then takes 1.3–2.4 s of CPU and 60 MB (Node
 * 20), 700 MB on Node 24, on a background thread that the process waits for before it exits; it made
 * `wren cmd --check` take about 2 s. Liftoff's code parses a command line in about 0.1 ms, and over
 * 3,000 lines it is still faster than tiering up, so the parser's instances never tier up. The budget
 * is set back afterwards, so other WebAssembly in the process (undici's HTTP parser) tiers up as usual
 * (unless the process keeps all of it on baseline code: {@link keepWebAssemblyOnBaseline});
 * a module instantiated by other code while `instantiate` awaits would not tier up either, which
 * costs it speed, never correctness.
 */
export async function withoutTierUp<T>(instantiate: () => Promise<T>): Promise<T> {
  v8.setFlagsFromString(`--wasm-tiering-budget=${NEVER}`);
  try {
    return await instantiate();
  } finally {
    v8.setFlagsFromString(`--wasm-tiering-budget=${processTieringBudget()}`);
  }
}
