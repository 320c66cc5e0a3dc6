import fs from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { rulesOf } from "../../test/helpers/permission-rules.js";
import { tempDir, toolContext } from "../../test/helpers/tool-context.js";
import { createCommandAnalyzer } from "../permissions/command-parts.js";
import { decide } from "../permissions/decide.js";
import { bashTool } from "./bash.js";
import { runTool } from "./run-tool.js";
import { createSessionShell } from "./session-shell.js";

// The POSIX session shell; Windows runs PowerShell.
describe.runIf(process.platform !== "win32")("Bash: deny rules and the session shell's folder", () => {
  it("a relative path is judged where an earlier call's cd left the session", async () => {
    await using project = await tempDir();
    await fs.mkdir(path.join(project.path, "secrets"));
    await using shell = await createSessionShell({ cwd: project.path });
    using commands = await createCommandAnalyzer();
    const ctx = toolContext(project.path, { shell, cwd: () => shell.cwd() });
    const rules = rulesOf(["allow Bash", `deny Bash(rm ${project.path}/secrets/*)`]);
    const judged = (command: string): ReturnType<typeof decide> =>
      decide(bashTool.permission({ command }, ctx), { rules, mode: "default", projectRoot: project.path, interactive: false, commands });

    expect(judged("rm key.pem").action).toBe("allow");
    expect((await runTool(bashTool, { command: "cd secrets" }, ctx)).isError).toBe(false);
    const decision = judged("rm key.pem");
    expect(decision.action, decision.reason).toBe("deny");
    expect(decision.rule?.pattern).toBe(`Bash(rm ${project.path}/secrets/*)`);
  });
});
