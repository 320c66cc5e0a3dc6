import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, expect, it } from "vitest";
import { loadConfig } from "../../config/index.js";
import { offersSetup } from "./first-run.js";

let dir: string;
let home: string;
let project: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), "wren-first-run-"));
  home = path.join(dir, "home");
  project = path.join(dir, "project");
  mkdirSync(home);
  mkdirSync(path.join(project, ".git"), { recursive: true });
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const offers = async (env: Record<string, string>): Promise<boolean> => offersSetup(await loadConfig({ env: { WREN_HOME: home, ...env }, home, cwd: project }));

it("offers setup without a config file and without a model or provider in the environment", async () => {
  expect(await offers({})).toBe(true);
  // Tuning alone does not say what to answer with.
  expect(await offers({ WREN_ENGINE_THREADS: "1" })).toBe(true);
});

it("does not offer it once a user config, a project wren.toml, or a model or provider in the environment says what to use", async () => {
  expect(await offers({ WREN_ROUTER_CLOUD: "allow" })).toBe(false);
  expect(await offers({ WREN_MODELS_DEFAULT: "tiny" })).toBe(false);
  writeFileSync(path.join(project, "wren.toml"), "");
  expect(await offers({})).toBe(false);
  rmSync(path.join(project, "wren.toml"));
  writeFileSync(path.join(home, "config.toml"), "");
  expect(await offers({})).toBe(false);
});
