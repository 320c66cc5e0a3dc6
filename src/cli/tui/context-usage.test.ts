import { expect, it } from "vitest";
import { contextReport, contextUsage } from "./context-usage.js";

it("splits a request into system prompt, tools (MCP ones counted apart) and messages, at 4 characters a token", () => {
  const usage = contextUsage({
    messages: [
      { role: "system", content: "x".repeat(400) },
      { role: "user", content: [{ type: "text", text: "y".repeat(70) }] },
      { role: "assistant", content: [{ type: "text", text: "z".repeat(30) }] },
    ],
    tools: [
      { name: "Read", inputSchema: { type: "object" } },
      { name: "mcp__docs__search", inputSchema: { type: "object" } },
    ],
  });
  expect(usage.system).toBe(100);
  expect(usage.messages).toMatchObject({ count: 2, user: Math.ceil(JSON.stringify([{ type: "text", text: "y".repeat(70) }]).length / 4) });
  expect(usage.tools).toMatchObject({ count: 2, mcpCount: 1 });
  expect(usage.total).toBe(usage.system + usage.tools.total + usage.messages.total);
  const report = contextReport(usage, 1000);
  expect(report[0]).toBe(`Context: ≈${usage.total} tokens of 1000 (${Math.round(usage.total / 10)}% of the window)`);
  expect(report[1]).toMatch(/^ {2}system prompt +≈ +100 +\d+%$/);
  expect(report[2]).toContain("1 MCP tools");
});

it("gives no window while the local model loads, only that it is known once loaded", () => {
  const usage = contextUsage({ messages: [{ role: "system", content: "x".repeat(40) }] });
  expect(contextReport(usage, undefined, "qwen3")[0]).toBe("Context: ≈10 tokens (the window is known once qwen3 has loaded)");
  expect(contextReport(usage, undefined)[0]).toBe("Context: ≈10 tokens");
});
