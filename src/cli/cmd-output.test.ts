import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import type { CmdResult } from "../runtime/cmd.js";
import { WrenError } from "../shared/errors.js";
import { cmdOutputFormat, formatCmdResult } from "./cmd-output.js";

const result: CmdResult = {
  command: `grep -rn "TODO: fix" . | head -n 5 # first five: 'quoted'`,
  explanation: "- Lists the first TODOs.",
  assumptions: ["yes", "null", "42"],
  shell: "bash",
  risk: "safe",
  reasons: [],
  provenance: { provider: "openai", model: "gpt-4o-mini", reason: "direct", route: "direct" },
  usage: { inputTokens: 10, outputTokens: 7, totalTokens: 17 },
};

describe("wren cmd --output", () => {
  it("yaml reads back as the same result, strings that look like YAML syntax or other types included", () => {
    expect(parse(formatCmdResult(result, "yaml"))).toEqual(result);
  });

  it("json is one line that parses back, and plain is the command line alone", () => {
    const json = formatCmdResult(result, "json");
    expect(json.split("\n")).toHaveLength(2);
    expect(JSON.parse(json)).toEqual(result);
    expect(formatCmdResult(result, "plain")).toBe(`${result.command}\n`);
  });

  it("--json is --output json; no flag is the menu; an unknown or conflicting format is a usage error", () => {
    expect(cmdOutputFormat(undefined, true)).toBe("json");
    expect(cmdOutputFormat("json", true)).toBe("json");
    expect(cmdOutputFormat("yaml", undefined)).toBe("yaml");
    expect(cmdOutputFormat(undefined, undefined)).toBeUndefined();
    const unknown = (() => {
      try {
        cmdOutputFormat("xml", undefined);
      } catch (error) {
        return error;
      }
    })();
    expect(unknown).toBeInstanceOf(WrenError);
    expect((unknown as WrenError).code).toBe("bad_request");
    expect((unknown as WrenError).message).toContain('got "xml"');
    expect(() => cmdOutputFormat("plain", true)).toThrow(/--json is --output json/);
  });
});
