import { describe, expect, it } from "vitest";
import { renderTable } from "./table.js";

describe("renderTable", () => {
  it("lines up columns two spaces apart", () => {
    expect(renderTable(["A", "B"], [["xx", "y"]])).toBe("A   B\nxx  y\n");
  });

  it("shows a cell's control, bidi and invisible characters written out: a model's or a session's name cannot drive the terminal or break the table", () => {
    // A model name from an Ollama or LM Studio manifest, a session's first prompt, an MCP server's name.
    const table = renderTable(["NAME", "TITLE"], [["qwen\x1b]52;c;eA==\x07", "fix\r\x1b[2Kthe\u202e bug\nnext"]]);
    expect(table).toBe(`${"NAME".padEnd(22)}  TITLE\n` + "qwen\\x1b]52;c;eA==\\x07  fix\\r\\x1b[2Kthe\\u202e bug\\nnext\n");
  });
});
