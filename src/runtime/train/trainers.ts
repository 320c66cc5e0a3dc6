import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { WrenError } from "../../shared/errors.js";
import { resolvePaths, type Env } from "../../shared/paths.js";
import { findPython, pythonCandidates } from "./python-find.js";
import type { Trainer } from "./trainer.js";

export const TRAINER_CHOICES = ["auto", "cpu-torch", "peft", "command"] as const;
export type TrainerChoice = (typeof TRAINER_CHOICES)[number];

/** The Python trainers ship in the package's python/ folder, beside dist/ (or src/ when run from source). */
export function pythonScript(name: string): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    const candidate = path.join(dir, "python", name);
    if (existsSync(candidate)) return candidate;
    dir = path.dirname(dir);
  }
  throw new WrenError("internal", `wren's trainer script ${name} is missing from its installation.`, { hint: "Reinstall wren." });
}

/** The venv `wren train setup` makes, in wren's data directory. */
export function trainVenv(env: Env = process.env): { dir: string; python: string } {
  const dir = path.join(resolvePaths(env).dataDir, "train", "venv");
  const python = process.platform === "win32" ? path.join(dir, "Scripts", "python.exe") : path.join(dir, "bin", "python");
  return { dir, python };
}

/** What picks a trainer: config, flags, and what this machine has. */
export interface TrainerChoiceInput {
  choice: TrainerChoice;
  /** `train.command`. */
  command: readonly string[];
  /** `train.python`. */
  python: string | undefined;
  /** The base's original weights, when known (needed by peft). */
  baseWeights: string | undefined;
  env?: Env;
}

const TORCH_HINT =
  process.platform === "linux"
    ? "Install Debian/Ubuntu's torch (`sudo apt-get install python3-torch python3-numpy`), or run `wren train setup`, or set train.python to an interpreter with torch."
    : "Run `wren train setup` (a venv with torch), or set train.python to an interpreter with torch and numpy.";

async function cpuTorch(input: TrainerChoiceInput): Promise<Trainer> {
  const venv = trainVenv(input.env);
  const candidates = input.python ? [input.python] : [...pythonCandidates(undefined), ...(existsSync(venv.python) ? [venv.python] : [])];
  const python = await findPython(candidates, ["torch", "numpy"]);
  if (!python) {
    throw new WrenError("unsupported", `The CPU trainer needs Python 3 with torch and numpy; none of ${candidates.join(", ")} has them.`, { hint: TORCH_HINT });
  }
  return { name: "cpu-torch", command: [python, pythonScript("wren_train_cpu.py")], readsGguf: true };
}

function peft(input: TrainerChoiceInput): Trainer {
  const venv = trainVenv(input.env);
  if (!existsSync(venv.python)) {
    throw new WrenError("unsupported", `The PEFT trainer runs in the venv \`wren train setup\` makes (${venv.dir}); there is none yet.`, { hint: "Run `wren train setup` first." });
  }
  if (!input.baseWeights) {
    throw new WrenError("bad_request", "The PEFT trainer trains the base model's original weights, and this GGUF does not say where they are.", {
      hint: "Pass --base-weights with a Hugging Face repo id (e.g. Qwen/Qwen2.5-0.5B-Instruct) or a local folder of the original model (docs/training.md#original-weights).",
    });
  }
  return { name: "peft", command: [venv.python, pythonScript("wren_train_peft.py")], readsGguf: false };
}

/**
 * The trainer for this job: the one asked for, or (auto) PEFT when its venv exists and the
 * original weights are known, else the CPU trainer. Throws a WrenError saying what to install.
 */
export async function selectTrainer(input: TrainerChoiceInput): Promise<Trainer> {
  switch (input.choice) {
    case "command": {
      if (input.command.length === 0) {
        throw new WrenError("config_invalid", "train.trainer is command but train.command is empty.", { hint: 'Set train.command to the trainer\'s program and arguments, e.g. ["python3", "my_trainer.py"].' });
      }
      return { name: "command", command: [...input.command], readsGguf: false };
    }
    case "cpu-torch":
      return cpuTorch(input);
    case "peft":
      return peft(input);
    case "auto":
      if (input.baseWeights && existsSync(trainVenv(input.env).python)) return peft(input);
      return cpuTorch(input);
  }
}
