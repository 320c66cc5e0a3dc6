import { execFile, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import { loadConfig } from "../../config/index.js";
import { WrenError } from "../../shared/errors.js";
import type { Env } from "../../shared/paths.js";
import { findAnyPython, findPython, pythonCandidates } from "./python-find.js";
import { trainVenv } from "./trainers.js";

/** What the PEFT trainer imports; `wren train setup` installs these into its venv. */
export const PEFT_PACKAGES = ["torch", "transformers", "peft", "trl", "datasets", "accelerate", "safetensors", "numpy"] as const;
const MODULES = ["torch", "transformers", "peft", "trl", "datasets", "accelerate", "safetensors", "numpy"];

/** What to install when there is no Python at all, per platform. */
export function pythonInstallHint(platform: NodeJS.Platform = process.platform): string {
  if (platform === "darwin") return "Install Python 3.10 or newer (`brew install python@3.12`, or the installer from python.org), or uv (`brew install uv`), then run `wren train setup` again.";
  if (platform === "win32") return "Install Python 3.10 or newer (`winget install Python.Python.3.12`, or the installer from python.org), or uv (`winget install astral-sh.uv`), then run `wren train setup` again.";
  return "Install Python 3.10 or newer with venv (Debian/Ubuntu: `sudo apt-get install python3 python3-venv`; Fedora: `sudo dnf install python3`), or uv (https://docs.astral.sh/uv/), then run `wren train setup` again.";
}

function run(program: string, args: readonly string[], onOutput: (text: string) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(program, args, { stdio: ["ignore", "pipe", "pipe"], windowsHide: true });
    child.stdout.on("data", (c: Buffer) => onOutput(c.toString("utf8")));
    child.stderr.on("data", (c: Buffer) => onOutput(c.toString("utf8")));
    child.once("error", reject);
    child.once("close", (code) =>
      code === 0 ? resolve() : reject(new WrenError("internal", `\`${[program, ...args].join(" ")}\` failed (exit code ${code}).`, { hint: "Its output is above; fix that (often: the network, or a Python too old for torch), then run `wren train setup` again." })),
    );
  });
}

const hasUv = (): Promise<boolean> => new Promise((resolve) => execFile("uv", ["--version"], { windowsHide: true }, (error) => resolve(!error)));

/** Options of {@link setupTrainer}. */
export interface SetupOptions {
  /** Only check the venv; install nothing. */
  check?: boolean;
  env?: Env;
  /** Receives progress text and the installers' output. */
  onOutput?: (text: string) => void;
}

/** What `wren train setup` found or made. */
export interface SetupResult {
  venv: string;
  python: string;
  /** How it was made: `uv`, `venv`, or `existing`. */
  via: "uv" | "venv" | "existing";
  /** Whether the venv imports every package the PEFT trainer needs. */
  ready: boolean;
  /** An interpreter with torch and numpy for the CPU trainer, if one exists here. */
  cpuTrainerPython: string | undefined;
}

/**
 * `wren train setup`: the PEFT trainer's venv in wren's data directory, made with uv when it is
 * installed, else `python -m venv` and pip, then checked by importing what the trainer imports.
 * Without any Python it says exactly what to install.
 */
export async function setupTrainer(options: SetupOptions = {}): Promise<SetupResult> {
  const env = options.env ?? process.env;
  const say = options.onOutput ?? (() => {});
  const { config } = await loadConfig({ env });
  const venv = trainVenv(env);
  const candidates = config.train.python ? [config.train.python] : pythonCandidates(undefined);
  const cpuTrainerPython = await findPython(candidates, ["torch", "numpy"]);
  let via: SetupResult["via"] = "existing";
  if (!existsSync(venv.python) && !options.check) {
    if (await hasUv()) {
      via = "uv";
      say(`Making ${venv.dir} with uv\n`);
      await run("uv", ["venv", venv.dir], say);
      await run("uv", ["pip", "install", "--python", venv.python, ...PEFT_PACKAGES], say);
    } else {
      // The venv is made from the Python the user runs (train.python, else the one on PATH), never a
      // system copy PATH does not name: without one on PATH, the error says what to install.
      const tried = config.train.python ? candidates : candidates.filter((c) => !path.isAbsolute(c));
      const python = await findAnyPython(tried);
      if (!python) throw new WrenError("unsupported", `wren's PEFT trainer needs Python 3 with venv; none of ${tried.join(", ")} is here.`, { hint: pythonInstallHint() });
      via = "venv";
      say(`Making ${venv.dir} with ${python} -m venv\n`);
      await run(python, ["-m", "venv", venv.dir], say);
      await run(venv.python, ["-m", "pip", "install", "--upgrade", "pip"], say);
      await run(venv.python, ["-m", "pip", "install", ...PEFT_PACKAGES], say);
    }
  }
  const ready = existsSync(venv.python) && (await findPython([venv.python], MODULES)) !== undefined;
  return { venv: venv.dir, python: venv.python, via, ready, cpuTrainerPython };
}
