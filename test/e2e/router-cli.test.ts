import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Decision } from "../../src/router/decisions.js";
import { runCli } from "../helpers/cli.js";

const decision = (id: number, patch: Partial<Decision>): Decision => ({
  id,
  at: `2026-11-21T10:00:0${id}.000Z`,
  route: "default",
  requestedModel: "auto",
  outcome: "ok",
  attempts: [],
  costUsd: 0,
  ms: 120,
  ...patch,
});

describe("wren router log | stats", () => {
  let home: string;
  beforeAll(() => {
    home = mkdtempSync(path.join(os.tmpdir(), "wren-router-cli-"));
    mkdirSync(path.join(home, "state"), { recursive: true });
    const lines = [
      decision(1, { provider: "local", model: "qwen", reason: "local", usage: { inputTokens: 10, outputTokens: 5, totalTokens: 15 }, attempts: [{ target: "local:qwen", outcome: "ok", ms: 100 }] }),
      decision(2, {
        provider: "openai",
        model: "gpt-4o-mini",
        reason: "context",
        keyId: "alice",
        costUsd: 0.0025,
        usage: { inputTokens: 9000, outputTokens: 100, totalTokens: 9100 },
        attempts: [
          { target: "local:qwen", outcome: "skipped", detail: "context", ms: 0 },
          { target: "openai:gpt-4o-mini", outcome: "ok", ms: 800 },
        ],
      }),
      decision(3, { outcome: "error", error: "Cloud use is off", attempts: [{ target: "openai:gpt-4o-mini", outcome: "skipped", detail: "consent", ms: 0 }] }),
    ];
    writeFileSync(path.join(home, "state", "router-decisions.jsonl"), `${lines.map((l) => JSON.stringify(l)).join("\n")}\n`);
  });
  afterAll(() => rmSync(home, { recursive: true, force: true }));

  it("log lists decisions newest first with reason, what was passed over and cost", async () => {
    const r = await runCli(["router", "log"], { env: { WREN_HOME: home } });
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split("\n");
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(/^#3 .*error: Cloud use is off.*\[openai:gpt-4o-mini skipped \(consent\)\]/);
    expect(lines[1]).toMatch(/^#2 .*openai:gpt-4o-mini {2}context {2}ok .*\$0\.002500 {2}\[local:qwen skipped \(context\)\] {2}key alice$/);
    // The key id shows only where the decision has one.
    expect(lines.filter((line) => line.includes("key "))).toEqual([lines[1]]);
    const limited = await runCli(["router", "log", "--limit", "1", "--json"], { env: { WREN_HOME: home } });
    expect((JSON.parse(limited.stdout) as Decision[]).map((d) => d.id)).toEqual([3]);
    const json = JSON.parse((await runCli(["router", "log", "--json"], { env: { WREN_HOME: home } })).stdout) as Decision[];
    expect(json.map((d) => d.keyId)).toEqual([undefined, "alice", undefined]);
  });

  it("stats totals requests, fallbacks, tokens and cost per target", async () => {
    const r = await runCli(["router", "stats", "--json"], { env: { WREN_HOME: home } });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({
      requests: 3,
      errors: 1,
      fallbacks: 1,
      costUsd: 0.0025,
      byTarget: { "openai:gpt-4o-mini": { requests: 1, inputTokens: 9000 }, "local:qwen": { requests: 1, outputTokens: 5 } },
    });
    const text = await runCli(["router", "stats"], { env: { WREN_HOME: home } });
    expect(text.stdout).toMatch(/requests 3 {2}errors 1 {2}fallbacks 1/);
  });

  it("a bad --limit is a usage error with a hint", async () => {
    const r = await runCli(["router", "log", "--limit", "lots"], { env: { WREN_HOME: home } });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--limit must be a positive whole number.*wren router log --limit 50/);
  });

  it("says so when nothing was routed yet", async () => {
    const empty = mkdtempSync(path.join(os.tmpdir(), "wren-router-cli-empty-"));
    try {
      const r = await runCli(["router", "log"], { env: { WREN_HOME: empty } });
      expect(r.stdout).toBe("No routing decisions yet.\n");
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });
});
