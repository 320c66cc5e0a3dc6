import { writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { useTempHome } from "../../../test/helpers/temp-home.js";
import { main } from "../main.js";

// Nothing may reach a Hub: a port nobody listens on.
const temp = useTempHome("wren-pull-path-", { env: { HF_ENDPOINT: "http://127.0.0.1:9" } });

/** A path is used in place; there is nothing to pull, online or not. */
describe("wren pull PATH", () => {
  it.each([[[]], [["--offline"]], [["--update"]]])("is refused with exit 2 and the way to use it (%j)", async (flags) => {
    const file = path.join(temp.home, "tiny.gguf");
    writeFileSync(file, "GGUF");
    const code = await main(["pull", file, ...flags, "--models-dir", path.join(temp.home, "models")]);
    expect(code, temp.printed.err).toBe(2);
    expect(temp.printed.err).toContain(`${file} is a local file: there is nothing to pull.`);
    expect(temp.printed.err).toContain("wren run --model <path>");
    expect(temp.printed.out).toBe("");
  });
});
