import { describe, expect, it } from "vitest";
import { defaultConfig } from "../config/index.js";
import { WrenError } from "../shared/errors.js";
import { daemonByDefault, openAgentDaemonModel } from "./agent-daemon-model.js";

describe("which wren -p runs go through the daemon without --daemon or --no-daemon", () => {
  const local = defaultConfig({ env: {} });
  const withTeacher = defaultConfig({ env: {} }, { router: { teachers: ["openai:gpt-4o-mini"] } });
  const withRoute = defaultConfig({ env: {} }, { router: { routes: { smart: "openai:gpt-4.1" } } });
  const proxyOnly = defaultConfig({ env: {} }, { router: { proxyOnly: true, teachers: ["openai:gpt-4o-mini"] } });

  it("does when only a local model can answer", () => {
    expect(daemonByDefault(local, "auto")).toBe(true);
    expect(daemonByDefault(local, "default")).toBe(true);
    expect(daemonByDefault(withTeacher, "local:qwen3-0.6b")).toBe(true);
    expect(daemonByDefault(withTeacher, "./models/tiny.GGUF")).toBe(true);
    // An alias of a GGUF file is that file, as the default model is when it names one.
    const aliased = defaultConfig({ env: {} }, { models: { aliases: { small: "/m/tiny.gguf", stored: "qwen3:0.6b" } }, router: { teachers: ["openai:gpt-4o-mini"] } });
    expect(daemonByDefault(aliased, "small")).toBe(true);
  });

  it("does not for a store name, or an alias of one: a running daemon that does not serve it would refuse it", () => {
    const aliased = defaultConfig({ env: {} }, { models: { aliases: { small: "/m/tiny.gguf", stored: "qwen3:0.6b" } } });
    expect(daemonByDefault(aliased, "stored")).toBe(false);
    expect(daemonByDefault(aliased, "qwen3:0.6b")).toBe(false);
    expect(daemonByDefault(aliased, "unknown-name")).toBe(false);
  });

  it("does not when a teacher, a route or another provider may answer (asked about in the user's process)", () => {
    expect(daemonByDefault(withTeacher, "auto")).toBe(false);
    expect(daemonByDefault(withRoute, "auto")).toBe(false);
    expect(daemonByDefault(proxyOnly, "auto")).toBe(false);
    expect(daemonByDefault(local, "openai:gpt-4o-mini")).toBe(false);
    expect(daemonByDefault(withRoute, "smart")).toBe(false);
  });

  it("refuses --daemon with another provider's model, saying what to do", () => {
    const open = () => openAgentDaemonModel({ name: "openai:gpt-4o-mini", sessionId: "s", cwd: "/p" });
    expect(open).toThrow(WrenError);
    expect(open).toThrow(/--daemon answers with local models, and "openai:gpt-4o-mini" names another provider/);
    // A Windows path is a file, not provider:model; local: names the id the daemon serves.
    expect(openAgentDaemonModel({ name: "C:\\models\\tiny.gguf", sessionId: "s", cwd: "/p" }).model.modelId).toBe("C:\\models\\tiny.gguf");
    expect(openAgentDaemonModel({ name: "local:tiny", sessionId: "s", cwd: "/p" }).model.modelId).toBe("tiny");
    expect(openAgentDaemonModel({ name: "auto", sessionId: "s", cwd: "/p" }).model.modelId).toBe("auto");
  });
});
