import { describe, expect, it } from "vitest";
import { shellAnalysis } from "../../test/helpers/shell-rated.js";

/**
 * A working directory and home given as drive paths are Windows folders on any host: on Linux,
 * `path.resolve` read `C:\Users\ada` as a folder of that name inside the process's working
 * directory, so `~` and `..` were judged as paths there, not as the user's home and its parents.
 */
const analysis = shellAnalysis("C:\\Users\\ada\\code\\app", "C:\\Users\\ada");

describe("a Windows working directory", () => {
  it("~ is the home folder C:\\Users\\ada", () => {
    const r = analysis("Remove-Item -Recurse -Force ~", "powershell");
    expect(r.risk, JSON.stringify(r)).toBe("critical");
    expect(r.reasons.map((x) => x.detail)).toContain("deletes C:\\Users\\ada recursively");
  });

  it("..\\..\\.. from C:\\Users\\ada\\code\\app is C:\\Users, not the root of the drive", () => {
    const r = analysis("Remove-Item -Recurse -Force ..\\..\\..", "powershell");
    expect(r.risk, JSON.stringify(r)).toBe("critical");
    expect(r.reasons.map((x) => x.category), JSON.stringify(r)).not.toContain("system destruction");
    expect(analysis("Remove-Item -Recurse -Force ..\\..\\..\\..", "powershell").reasons.map((x) => x.category)).toContain("system destruction");
  });
});
