import { describe, expect, it } from "vitest";
import { shellAnalysis } from "../../test/helpers/shell-rated.js";

/**
 * With a Windows working directory and home, paths are compared with the working directory (the
 * project) and home as POSIX paths are, in any case: deleting something inside the project is
 * moderate, as `rm -rf build` is from /home/ada/code/app, not high as anywhere else in home.
 * Each row's POSIX twin (bash, cwd /home/ada/code/app, home /home/ada) is rated the same.
 */
const windows = shellAnalysis("C:\\Users\\ada\\code\\app", "C:\\Users\\ada");
const posix = shellAnalysis("/home/ada/code/app", "/home/ada");

describe("a Windows working directory is the project, as a POSIX one is", () => {
  it.each([
    ["Remove-Item -Recurse -Force build", "rm -rf build", "moderate"],
    ["Remove-Item -Recurse -Force build\\", "rm -rf build/", "moderate"],
    ["Remove-Item -Recurse -Force src\\*.log", "rm -rf src/*.log", "moderate"],
    ["Remove-Item -Recurse -Force C:\\Users\\ada\\code\\app\\build", "rm -rf /home/ada/code/app/build", "moderate"],
    ["Remove-Item -Recurse -Force c:\\users\\ADA\\Code\\APP\\build", "rm -rf /home/ada/code/app/build", "moderate"],
    ["Remove-Item -Recurse -Force C:/Users/ada/code/app/build", "rm -rf /home/ada/code/app/build", "moderate"],
    ["Remove-Item -Recurse -Force \\Users\\ada\\code\\app\\build", "rm -rf /home/ada/code/app/build", "moderate"],
    ["Remove-Item -Recurse -Force C:\\Users\\ada\\code\\app\\build\\..\\dist", "rm -rf /home/ada/code/app/build/../dist", "moderate"],
    ["cmd /c 'rd /s /q build'", "rm -rf build", "moderate"],
    ["cmd /c 'rd /s /q C:\\Users\\ada\\code\\app\\build'", "rm -rf /home/ada/code/app/build", "moderate"],
    ["Remove-Item -Recurse -Force .", "rm -rf .", "high"],
    ["Remove-Item -Recurse -Force *", "rm -rf *", "high"],
    ["Remove-Item -Recurse -Force C:\\Users\\ada\\code\\app", "rm -rf /home/ada/code/app", "high"],
    ["Remove-Item -Recurse -Force C:\\Users\\ada\\code\\app\\*", "rm -rf /home/ada/code/app/*", "high"],
    ["Remove-Item -Recurse -Force ..", "rm -rf ..", "high"],
    ["Remove-Item -Recurse -Force ..\\other", "rm -rf ../other", "high"],
    ["Remove-Item -Recurse -Force C:\\Users\\ada\\code\\application", "rm -rf /home/ada/code/application", "high"],
    ["Remove-Item -Recurse -Force C:\\Users\\ada\\.ssh", "rm -rf /home/ada/.ssh", "high"],
    ["cmd /c 'rd /s /q ..'", "rm -rf ..", "high"],
    ["Remove-Item -Recurse -Force ..\\..", "rm -rf ../..", "critical"],
    ["Remove-Item -Recurse -Force C:\\Users\\ADA", "rm -rf /home/ada", "critical"],
    ["cmd /c 'rd /s /q ..\\..'", "rm -rf ../..", "critical"],
  ])("%j is rated as %j: %s", (line, twin, risk) => {
    const r = windows(line, "powershell");
    expect(r.risk, JSON.stringify(r)).toBe(risk);
    expect(posix(twin, "bash").risk).toBe(risk);
  });

  it("what is inside the project is judged as in the project", () => {
    const r = windows("Remove-Item -Recurse -Force C:\\Users\\ada\\code\\app\\build", "powershell");
    expect(r.reasons.map((x) => x.detail)).toEqual(["deletes C:\\Users\\ada\\code\\app\\build recursively"]);
  });

  it("a drive root and the system folders are as before", () => {
    expect(windows("Remove-Item -Recurse -Force \\", "powershell").risk).toBe("critical");
    expect(windows("Remove-Item -Recurse -Force \\Windows", "powershell").risk).toBe("critical");
    expect(windows("Remove-Item -Recurse -Force D:\\", "powershell").risk).toBe("critical");
  });
});
