import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "../../../test/helpers/cli.js";
import type { BackendProbe } from "../../models/hardware.js";
import { backendLines } from "./doctor-action.js";

/** `wren doctor` is what a user runs when something is wrong: a problem it finds is reported, not fatal. */
describe("wren doctor with a damaged models store", () => {
  it("reports the damaged manifest on the Models line, still reports the rest, and exits 1", async () => {
    const home = mkdtempSync(path.join(os.tmpdir(), "wren-doctor-"));
    const modelsDir = path.join(home, "models");
    mkdirSync(modelsDir, { recursive: true });
    writeFileSync(path.join(modelsDir, "manifest.json"), "{ not json");
    const result = await runCli(["doctor", "--models-dir", modelsDir], {
      env: { HOME: home, XDG_CONFIG_HOME: path.join(home, ".config"), XDG_DATA_HOME: path.join(home, ".local/share"), XDG_STATE_HOME: path.join(home, ".local/state") },
      timeoutMs: 120_000,
    });
    expect(result.stdout).toMatch(/^OS: .+/m);
    expect(result.stdout).toMatch(/^ {2}cpu +loads$/m);
    expect(result.stdout).toMatch(new RegExp(`^Models: +${modelsDir.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}: .*manifest\\.json is not valid JSON`, "m"));
    expect(result.stdout).toMatch(/^Daemon: +/m);
    expect(result.code).toBe(1);
  }, 150_000);
});

describe("doctor's GPUs and Backends lines", () => {
  const cpu: BackendProbe = { backend: "cpu", loads: true, reason: "", devices: [], vram: undefined };
  const gb = 1e9;

  it("lists a GPU a backend runs on with its free memory", () => {
    const lines = backendLines([cpu, { backend: "vulkan", loads: true, runs: true, reason: "", devices: ["NVIDIA H200"], vram: { total: 151 * gb, free: 150 * gb } }]);
    expect(lines[0]).toBe("GPUs:     NVIDIA H200 (vulkan, 150 GB of 151 GB free)");
    expect(lines).toContain("  vulkan  loads");
  });

  it("says a GPU reached only through a backend that stops at its first computation is not usable that way", () => {
    // What the H200 with driver 580 showed: the CUDA build loads and lists the GPU, then aborts.
    const cuda: BackendProbe = { backend: "cuda", loads: true, runs: false, reason: "ggml-cuda.cu:108: CUDA error", devices: ["NVIDIA H200"], vram: { total: 151 * gb, free: 150 * gb } };
    const only = backendLines([cpu, cuda]);
    expect(only[0]).toBe("GPUs:     NVIDIA H200 (cuda: does not run here) (none usable)");
    expect(only).toContain("  cuda    loads, but stops at its first computation (wren does not use it): ggml-cuda.cu:108: CUDA error");
    const withVulkan = backendLines([cpu, cuda, { backend: "vulkan", loads: true, runs: true, reason: "", devices: ["NVIDIA H200"], vram: { total: 151 * gb, free: 150 * gb } }]);
    expect(withVulkan[0]).toMatch(/^GPUs: +NVIDIA H200 \(cuda: does not run here\); NVIDIA H200 \(vulkan, .+ free\)$/);
  });

  it("says none usable where no backend reaches a GPU", () => {
    expect(backendLines([cpu])[0]).toBe("GPUs:     none usable");
  });
});
