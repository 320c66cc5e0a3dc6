import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import { copyToClipboard } from "./clipboard.js";

function terminal(isTTY: boolean): PassThrough & { isTTY: boolean; text: () => string } {
  const stream = new PassThrough() as PassThrough & { isTTY: boolean; text: () => string };
  stream.isTTY = isTTY;
  let written = "";
  stream.on("data", (d: Buffer) => (written += d.toString()));
  stream.text = () => written;
  return stream;
}

describe("copyToClipboard", () => {
  const noPrograms = { PATH: "/nonexistent" };

  it("falls back to the terminal's OSC 52 clipboard when no program is installed", () => {
    const tty = terminal(true);
    expect(copyToClipboard("ls -la", tty, noPrograms)).toBe("terminal");
    expect(tty.text()).toBe(`\x1b]52;c;${Buffer.from("ls -la").toString("base64")}\x07`);
  });

  it("reports that nothing was copied without a program or a terminal", () => {
    const pipe = terminal(false);
    expect(copyToClipboard("ls", pipe, noPrograms)).toBe("none");
    expect(pipe.text()).toBe("");
  });
});
