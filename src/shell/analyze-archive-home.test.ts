import { describe, expect, it } from "vitest";
import { shellRater } from "../../test/helpers/shell-rated.js";

/**
 * Unpacking an archive over the home folder writes whatever files it holds there: tar replaces
 * existing files by default, so `tar -x … -C ~` can replace ~/.bashrc or ~/.ssh/authorized_keys,
 * as unpacking over / replaces system files (`high`, "unpacks files over …"); so do `unzip -o` and
 * `7z x -y` (or `-aoa`). Where the tool keeps existing files or asks first (`unzip` without `-o`,
 * `7z` without `-y`, `tar -k`) it still adds new ones (`moderate`), and a folder of keys or
 * start-up files is `high` either way. Another folder in home is `moderate`, as overwriting a file
 * there is; the project and temporary folders stay as they were.
 */
const rated = shellRater();

describe("archives unpacked over the home folder", () => {
  it.each([
    "tar -xf x.tar -C ~",
    'tar -xzf x.tgz -C "$HOME"',
    "tar -xf x.tar --directory ~",
    "tar -xf x.tar --directory=/home/ada",
    "tar xzf x.tgz -C ~",
    "bsdtar -xf x.tar -C ~",
    "tar -xf x.tar -C ~/.ssh",
    "tar -xkf x.tar -C ~/.ssh",
    "unzip -o x.zip -d ~",
    "unzip -qo x.zip -d ~",
    "unzip x.zip -d ~/.ssh",
    "7z x a.7z -o$HOME -y",
    "7z x a.7z -o/home/ada -aoa",
  ])("%s is high, as unpacking over / is", (line) => {
    const r = rated(line);
    expect(r.risk, r.shown).toBe("high");
    expect(r.risk, r.shown).toBe(rated("tar -xf x.tar -C /").risk);
    expect(r.details.join("\n"), r.shown).toMatch(/^unpacks files over \/home\/ada/m);
  });

  it.each([
    "unzip x.zip -d ~",
    "unzip -n x.zip -d ~",
    "7z x a.7z -o$HOME",
    "7z x a.7z -o$HOME -y -aos",
    "tar -xkf x.tar -C ~",
    "tar -xf x.tar --skip-old-files -C ~",
    "tar -xf x.tar -C ~/Downloads/x",
    "unzip -o x.zip -d ~/Downloads/x",
  ])("%s is moderate", (line) => {
    const r = rated(line);
    expect(r.risk, r.shown).toBe("moderate");
    expect(r.details.join("\n"), r.shown).toMatch(/^unpacks files over \/home\/ada/m);
  });

  it.each<[string, string]>([
    ["tar -xf x.tar", "safe"],
    ["tar xf x.tar", "safe"],
    ["tar -xf x.tar -C ./build", "safe"],
    ["tar -xf x.tar -C /tmp/x", "safe"],
    ["tar -cf x.tar -C ~ .", "safe"],
    ["unzip -l x.zip", "safe"],
    ["unzip -o x.zip -d build", "safe"],
    ["unzip -o x.zip -d /", "high"],
    ["tar -xf x.tar -C /", "high"],
    ["7z x a.7z -o/usr/bin", "high"],
  ])("%s stays %s", (line, risk) => {
    const r = rated(line);
    expect(r.risk, r.shown).toBe(risk);
  });

  it("tar's old-style key (no dash) is read as its dashed form", () => {
    for (const [plain, dashed] of [["tar xf x.tar -C /", "tar -xf x.tar -C /"], ["tar xzf x.tgz -C /etc", "tar -xzf x.tgz -C /etc"], ["tar cf x.tar -C / etc", "tar -cf x.tar -C / etc"]] as const) {
      expect(rated(plain).risk, rated(plain).shown).toBe(rated(dashed).risk);
    }
  });
});
