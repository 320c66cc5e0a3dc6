import { rmSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { tempDir, toolContext } from "../../test/helpers/tool-context.js";
import { approvedPlaces, approvedTarget, checkUnchangedTarget, openChecked } from "./approved-path.js";

describe.runIf(process.platform !== "win32")("approved paths", () => {
  it("opens and writes only the file that was looked at: a swap for a link in between is refused", async () => {
    await using dir = await tempDir();
    const file = path.join(dir.path, "a.txt");
    const other = path.join(dir.path, "b.txt");
    writeFileSync(file, "a");
    writeFileSync(other, "b");
    const seen = statSync(file);
    await checkUnchangedTarget(file, seen);
    await (await openChecked(file, seen)).close();

    rmSync(file);
    symlinkSync(other, file);
    await expect(openChecked(file, seen)).rejects.toThrow(/was replaced/);
    await expect(checkUnchangedTarget(file, seen)).rejects.toThrow(/was replaced/);
    // A new file must still be absent when it is written.
    await expect(checkUnchangedTarget(file, undefined)).rejects.toThrow(/was replaced/);
  });

  it("takes a path to where it leads now, and refuses one that leads elsewhere than approved", async () => {
    await using dir = await tempDir();
    const file = path.join(dir.path, "a.txt");
    const other = path.join(dir.path, "b.txt");
    writeFileSync(other, "b");
    writeFileSync(file, "a");
    const approved = approvedPlaces([file]);
    expect(approved).toEqual([file]);
    expect(approvedTarget(toolContext(dir.path, { approvedPaths: approved }), file, "Read")).toEqual({ ok: true, path: file });
    rmSync(file);
    symlinkSync(other, file);
    const refused = approvedTarget(toolContext(dir.path, { approvedPaths: approved }), file, "Read");
    expect(refused.ok).toBe(false);
    expect(!refused.ok && refused.result.llmContent).toContain(`now leads to ${other}`);
    expect(approvedPlaces([file])).toEqual([file, other]);
  });
});
