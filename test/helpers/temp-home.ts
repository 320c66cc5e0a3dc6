import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, vi } from "vitest";
import { capturePrinted, type Printed } from "./printed.js";

/** A wren home of a test's own, made before each test of the file (or describe) and removed after it. */
export interface TempHome {
  /** The temporary folder that holds everything below. */
  root: string;
  /** `WREN_HOME` and `HOME` (`XDG_CONFIG_HOME` is its `.config`): `root` itself, or `root/home` beside a project. */
  home: string;
  /** The folder `process.cwd()` answers: `root/project` with {@link TempHomeOptions.project}, else `root`. */
  project: string;
  /** What the test writes to stdout and stderr, collected instead of printed. */
  printed: Printed;
}

export interface TempHomeOptions {
  /** Makes `root/project` a git project (a `.git` folder), with the home beside it at `root/home`. Default: off. */
  project?: boolean;
  /** More environment variables for each test, undone after it. */
  env?: Readonly<Record<string, string>>;
}

/**
 * Runs each test in a fresh temporary wren home, as a command run in the test's own process sees it:
 * `WREN_HOME`, `HOME` and `XDG_CONFIG_HOME` there, `process.cwd()` in it (or in its project), and
 * stdout and stderr captured. The returned object's fields are set anew before each test; after it,
 * mocks and environment variables are restored and the folder is removed.
 */
export function useTempHome(prefix: string, options: TempHomeOptions = {}): TempHome {
  const temp: TempHome = { root: "", home: "", project: "", printed: { out: "", err: "" } };
  beforeEach(() => {
    temp.root = mkdtempSync(path.join(os.tmpdir(), prefix));
    temp.home = options.project ? path.join(temp.root, "home") : temp.root;
    temp.project = options.project ? path.join(temp.root, "project") : temp.root;
    if (options.project) {
      mkdirSync(path.join(temp.project, ".git"), { recursive: true });
      mkdirSync(temp.home, { recursive: true });
    }
    vi.stubEnv("WREN_HOME", temp.home);
    vi.stubEnv("HOME", temp.home);
    vi.stubEnv("XDG_CONFIG_HOME", path.join(temp.home, ".config"));
    for (const [name, value] of Object.entries(options.env ?? {})) vi.stubEnv(name, value);
    vi.spyOn(process, "cwd").mockReturnValue(temp.project);
    temp.printed = capturePrinted();
  });
  afterEach(() => {
    vi.restoreAllMocks();
    vi.unstubAllEnvs();
    rmSync(temp.root, { recursive: true, force: true });
  });
  return temp;
}
