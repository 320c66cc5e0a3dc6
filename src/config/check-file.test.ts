import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { checkConfigFile } from "./check-file.js";
import { configError } from "./problem.js";

let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), "wren-check-file-"));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** What `wren config validate FILE` ends with for a file holding `text`. */
async function closingLine(text: string): Promise<string | undefined> {
  const file = path.join(dir, "config.toml");
  await writeFile(file, text);
  const problems = await checkConfigFile(file, { env: { WREN_HOME: path.join(dir, "wren-home") }, home: dir });
  expect(problems.length).toBeGreaterThan(0);
  return configError(problems).hint?.split(";")[0];
}

describe("the closing line of wren config validate fits the problems found", () => {
  it("unknown keys are keys to fix", async () => {
    expect(await closingLine("[server]\nhots = \"0.0.0.0\"\n")).toBe("Fix the keys above");
  });

  it("a value of the wrong type, or out of range, is a value to fix, not a key", async () => {
    expect(await closingLine('[server]\nport = "x"\n')).toBe("Fix the values above");
    expect(await closingLine('[engine]\ngpu = "rocm"\ncontextSize = 0\n')).toBe("Fix the values above");
  });

  it("both kinds are named together", async () => {
    expect(await closingLine('[server]\nhots = "0.0.0.0"\nport = "x"\n')).toBe("Fix the keys and values above");
  });

  it("a TOML syntax error names neither", async () => {
    expect(await closingLine("[server\nport = 1\n")).toBe("Fix the problems above");
  });
});
