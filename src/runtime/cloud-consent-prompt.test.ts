import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import { ConsentGate } from "../router/consent.js";
import { terminalCloudConsent } from "./cloud-consent-prompt.js";

function terminal(answer: string) {
  const input = Object.assign(new PassThrough(), { isTTY: true });
  const output = new PassThrough();
  let shown = "";
  output.on("data", (d: Buffer) => (shown += d.toString()));
  setTimeout(() => input.write(answer), 10);
  return { input, output, shown: () => shown };
}

describe("the CLI's cloud consent question", () => {
  it("asks once per session naming the target, and remembers yes", async () => {
    const t = terminal("y\n");
    const gate = new ConsentGate({ policy: "ask", ask: terminalCloudConsent(t)! });
    expect(await gate.check("openai:gpt-4o-mini")).toBeUndefined();
    expect(await gate.check("anthropic:claude")).toBeUndefined();
    expect(t.shown().match(/\[y\/N\]/g)).toHaveLength(1);
    expect(t.shown()).toContain("openai:gpt-4o-mini");
  });

  it("anything but yes declines, with a hint for the session", async () => {
    const gate = new ConsentGate({ policy: "ask", ask: terminalCloudConsent(terminal("\n"))! });
    expect(await gate.check("openai:gpt")).toMatchObject({ code: "forbidden", hint: expect.stringContaining("new session") });
  });

  it("a request cancelled while asking takes the question down and is asked again next time", async () => {
    const input = Object.assign(new PassThrough(), { isTTY: true });
    const gate = new ConsentGate({ policy: "ask", ask: terminalCloudConsent({ input, output: new PassThrough() })! });
    const controller = new AbortController();
    const cancelled = gate.check("openai:gpt", controller.signal);
    controller.abort();
    expect(await cancelled).toMatchObject({ code: "aborted" });
    expect(input.listenerCount("data")).toBe(0);
    setTimeout(() => input.write("y\n"), 10);
    expect(await gate.check("openai:gpt")).toBeUndefined();
  });

  it("without a terminal there is nobody to ask", () => {
    expect(terminalCloudConsent({ input: new PassThrough(), output: new PassThrough() })).toBeUndefined();
  });
});
