import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { flagRules } from "../permissions/rule-syntax.js";
import type { PermissionRequest } from "../permissions/types.js";
import { openPermissionPolicy } from "./agent-permissions.js";
import { toolSessionState } from "./agent-tools.js";

// ToolContext's `exactHostRule`, from the session's gate: WebFetch lets a host resolve to a private
// network only where a rule the user wrote names it exactly; an answer for once or the session does not.

describe("the agent's exact-host check", () => {
  const root = mkdtempSync(path.join(os.tmpdir(), "wren-agent-exact-host-"));
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  const fetchOf = (host: string): PermissionRequest => ({ tool: "WebFetch", effect: "network", url: `https://${host}/` });

  it("reads the rules in force at each call: flags and saved answers count, a session answer does not", async () => {
    using policy = await openPermissionPolicy({
      flagRules: flagRules({ allow: ["WebFetch(domain:wiki.corp.example)", "WebFetch(domain:*.corp.example)"] }),
      projectRoot: root,
      interactive: true,
      shell: async () => "bash",
      env: { WREN_HOME: path.join(root, "home") },
    });
    const named = await policy.exactHostCheck();
    expect(named("WebFetch", "wiki.corp.example")).toBe(true);
    expect(named("WebFetch", "docs.corp.example")).toBe(false);

    const asked = await policy.decide(fetchOf("intranet.example"), "default");
    expect(asked.action).toBe("ask");
    await policy.answer?.(fetchOf("intranet.example"), asked, "session");
    expect(named("WebFetch", "intranet.example")).toBe(false);

    const again = await policy.decide(fetchOf("git.intranet.example"), "default");
    await policy.answer?.(fetchOf("git.intranet.example"), again, "user");
    expect(named("WebFetch", "git.intranet.example")).toBe(true);
  });

  it("reaches each tool call's context", async () => {
    await using state = toolSessionState({ cwd: root, exactHostCheck: async () => (tool, host) => tool === "WebFetch" && host === "wiki.corp.example" });
    const ctx = await state.extend({ projectRoot: root, cwd: () => root, signal: new AbortController().signal });
    expect(ctx.exactHostRule?.("WebFetch", "wiki.corp.example")).toBe(true);
    expect(ctx.exactHostRule?.("WebFetch", "other.example")).toBe(false);
  });
});
