import { describe, expect, it } from "vitest";
import { executeCommand } from "./exec.js";

describe("executeCommand", () => {
  it("runs the command line in the shell and returns its exit status", async () => {
    expect(await executeCommand("sh", "exit 3")).toBe(3);
    expect(await executeCommand("bash", "[[ -n x ]] && exit 0")).toBe(0);
  });

  it("says which shell is missing and what to do", async () => {
    await expect(executeCommand("fish", "ls", { env: { PATH: "/nonexistent" } })).rejects.toMatchObject({
      code: "not_found",
      message: "The shell 'fish' is not installed.",
      hint: "Pick an installed shell with --shell.",
    });
  });
});
