import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ChatBody } from "../helpers/fake-upstreams/scripted-teacher.js";
import { mcpFixtures, mcpServer, mcpServerToml } from "../helpers/mcp-fixtures.js";
import type { PtySession } from "../helpers/pty-terminal.js";
import { projectRoot } from "../helpers/shared-models.js";
import { quitSession, sendPrompt, tuiWorkspace, type TuiWorkspace } from "../helpers/tui-workspace.js";

/** The prompt box's line showing `text` (not the scrollback's copy of a sent prompt). */
const inBox = (text: string): RegExp => new RegExp(`│ > ${text.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")}\\s*│`);
const send = (pty: PtySession, text: string): Promise<void> => sendPrompt(pty, text, inBox(text));

/** Waits for the file `gate` (a `setInterval`, so the process lives meanwhile), then runs `then`. */
const gated = (gate: string, then: string): string =>
  `import { existsSync } from "node:fs";\nawait new Promise((go) => { const t = setInterval(() => existsSync(${JSON.stringify(gate)}) && (clearInterval(t), go()), 50); });\n${then}\n`;

describe("the terminal UI and MCP servers that settle after it opened", { timeout: 240_000 }, () => {
  let workspace: TuiWorkspace;

  beforeAll(() => void (workspace = tuiWorkspace("wren-tui-mcp-")));
  afterAll(() => workspace?.[Symbol.asyncDispose]());

  it("a server the project's .mcp.json defines is left out until /trust accepts it, which starts it in the session", async () => {
    const where = workspace.place("project-server", { files: { ".mcp.json": JSON.stringify({ mcpServers: { repo: mcpServer([mcpFixtures.stdio]) } }) } });
    const t = await workspace.teacher(() => ({ text: "Noted." }));
    const pty = await workspace.open(t, where);
    await pty.waitFor("✗ MCP server 'repo' left out");
    await send(pty, "/trust");
    await pty.waitFor("Accepted the project's MCP server repo");
    await pty.waitFor("The session's run opened again to start it");
    await send(pty, "/mcp list");
    await pty.waitFor(/repo {2}on, 4 tools/);
    expect(readFileSync(path.join(where.home, "trusted-projects.toml"), "utf8")).toMatch(/repo = "sha256:[0-9a-f]{64}"/);
    await send(pty, "use them");
    await t.waitForRequests(1);
    expect((t.requests[0]!.tools ?? []).map((x) => x.function.name)).toContain("mcp__repo__echo");
    await pty.waitFor("● Noted.");
    await quitSession(pty, send);
  });

  it("says when a server still starting becomes ready (with its tools) or fails (with why), and /mcp list calls it starting until then", async () => {
    const where = workspace.place("late");
    const gate = path.join(workspace.root, "let-them-settle");
    const late = path.join(workspace.root, "late.mjs");
    const broken = path.join(workspace.root, "broken.mjs");
    // Both hang past the 2 s the session waits for its servers: it opens without them.
    writeFileSync(late, gated(gate, `await import(${JSON.stringify(pathToFileURL(mcpFixtures.stdio).href)});`));
    writeFileSync(broken, gated(gate, `console.error("the database is not reachable");\nprocess.exit(1);`));
    writeFileSync(path.join(where.home, "config.toml"), mcpServerToml("late", [late]) + mcpServerToml("broken", [broken]));
    const t = await workspace.teacher(() => ({ text: "Noted." }));
    // Resolves once the session has opened (the status line says "no turn yet" only then).
    const pty = await workspace.open(t, where);
    await send(pty, "/mcp list");
    await pty.waitFor(/late {2}starting[^\n]*\n\s*broken {2}starting/);
    expect(pty.text()).not.toMatch(/late {2}on, 0 tools/);

    writeFileSync(gate, "");
    await pty.waitFor("✓ MCP server 'late' is ready: 4 tools joined the session.");
    await pty.waitFor(/✗ MCP server 'broken' left out: [\s\S]*exited with code 1/);
    await pty.waitFor("the database is not reachable");

    await send(pty, "/mcp list");
    await pty.waitFor(/late {2}on, 4 tools\n\s*broken {2}not started: /);
    // The tools that joined go with the next request.
    await send(pty, "use them");
    await t.waitForRequests(1);
    const names = (body: ChatBody): string[] => (body.tools ?? []).map((x) => x.function.name).filter((n) => n.startsWith("mcp__"));
    expect(names(t.requests[0]!).sort()).toEqual(["mcp__late__add", "mcp__late__echo", "mcp__late__fail", "mcp__late__wait"]);
    await pty.waitFor("● Noted.");
    await quitSession(pty, send);
  });

  it("a server two of whose tools take one name is on without the second: /mcp list and the notice say so", async () => {
    const where = workspace.place("clash");
    const gate = path.join(workspace.root, "let-the-clash-start");
    const clash = path.join(workspace.root, "clash.mjs");
    const sdk = (file: string): string => JSON.stringify(pathToFileURL(path.join(projectRoot, "node_modules", "@modelcontextprotocol", "sdk", "dist", "esm", "server", file)).href);
    // Tool names are written in the characters every provider takes: b.echo and b_echo are both
    // mcp__a__b_echo. (A server's name holds no '__' and does not end in '_', so two servers' tools
    // cannot take one name that way.) It starts once the other server is on.
    writeFileSync(
      clash,
      gated(
        gate,
        [
          `const { McpServer } = await import(${sdk("mcp.js")});`,
          `const { StdioServerTransport } = await import(${sdk("stdio.js")});`,
          `const server = new McpServer({ name: "clash", version: "1.0.0" });`,
          `server.registerTool("b.echo", { description: "Echoes." }, async () => ({ content: [{ type: "text", text: "echo" }] }));`,
          `server.registerTool("b_echo", { description: "Echoes too." }, async () => ({ content: [{ type: "text", text: "a's echo" }] }));`,
          `server.registerTool("hello", { description: "Says hello." }, async () => ({ content: [{ type: "text", text: "hello" }] }));`,
          `await server.connect(new StdioServerTransport());`,
        ].join("\n"),
      ),
    );
    writeFileSync(path.join(where.home, "config.toml"), mcpServerToml("fixture", [mcpFixtures.stdio]) + mcpServerToml("a", [clash]));
    const t = await workspace.teacher(() => ({ text: "Noted." }));
    const pty = await workspace.open(t, where);
    // fixture is on: at once, or said when it joins.
    await send(pty, "/mcp list");
    await pty.waitFor(/fixture {2}on, 4 tools|MCP server 'fixture' is ready/);
    writeFileSync(gate, "");
    await pty.waitFor("✓ MCP server 'a' is ready: 2 tools joined the session.");
    // (The line wraps at the terminal's width.)
    await pty.waitFor(/✗ MCP server 'a': The MCP tool name 'mcp__a__b_echo' is taken by another of its\s+tools;\s+this\s+one\s+was\s+left\s+out\./);
    expect(pty.text()).not.toContain("MCP server 'a' left out");

    await send(pty, "/mcp list");
    await pty.waitFor(/fixture {2}on, 4 tools\n\s*a {2}on, 2 tools\n\s*left out: The MCP tool name 'mcp__a__b_echo' is taken by another of its\s+tools/);
    expect(pty.text()).not.toContain("not started");
    await quitSession(pty, send);
  });
});
