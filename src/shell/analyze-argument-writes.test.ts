import { beforeAll, describe, expect, it } from "vitest";
import { createShellAnalyzer, type ShellAnalyzer } from "./analyze.js";
import type { Risk } from "./types.js";

/** A file written by a command's argument is rated as the same file written by a redirection. */
const cwd = "/home/ada/code/app";
const home = "/home/ada";

let analyzer: ShellAnalyzer;
beforeAll(async () => {
  analyzer = await createShellAnalyzer();
});

function rated(command: string): { risk: Risk; shown: string } {
  const result = analyzer.analyze(command, { shell: "bash", cwd, home });
  return { risk: result.risk, shown: `${command} → ${result.risk} ${JSON.stringify(result.reasons)}` };
}

const SYSTEM_FILES = ["/etc/passwd", "/etc/shadow", "/etc/sudoers", "/etc/sudoers.d/ada", "/etc/hosts", "/etc/nginx/nginx.conf", "/proc/sys/kernel/randomize_va_space", "/boot/grub/grub.cfg"];

describe("writing a system file by argument", () => {
  it.each(SYSTEM_FILES)("%s written by cp, mv, install, tee, dd and sed -i is rated as > P", (path) => {
    const byRedirect = rated(`echo x > ${path}`);
    for (const command of [`cp x ${path}`, `sudo cp -f x ${path}`, `mv x ${path}`, `install -m 440 x ${path}`, `ln -sf /tmp/x ${path}`, `rsync -a x ${path}`, `rsync -e ssh x ${path}`, `echo x | tee ${path}`, `echo x | sudo tee ${path} > /dev/null`, `dd if=x of=${path}`, `sed -i s/a/b/ ${path}`, `sed -i -e s/a/b/ ${path}`]) {
      const byArgument = rated(command);
      expect(byArgument.risk, `${byArgument.shown} vs ${byRedirect.shown}`).toBe(byRedirect.risk);
    }
  });

  it.each(["/etc/passwd", "/etc/sudoers"])("%s appended by tee -a is rated as >> P", (path) => {
    expect(rated(`echo x | tee -a ${path}`).risk).toBe(rated(`echo x >> ${path}`).risk);
  });

  it.each<[string, Risk]>([
    ["cp x /etc/passwd", "critical"],
    ["cp -t /etc/sudoers.d x", "critical"],
    ["cp --target-directory=/etc/sudoers.d x", "critical"],
    // Reading a system file, or writing inside the project, stays as it was.
    ["cp a b", "safe"],
    ["cp x /tmp/y", "safe"],
    ["sed -i s/a/b/ src/x.ts", "moderate"],
    ["dd if=/etc/passwd of=backup", "safe"],
  ])("%s → %s", (command, expected) => {
    const r = rated(command);
    expect(r.risk, r.shown).toBe(expected);
  });
});

describe("ln and rsync write their destination as cp does", () => {
  it.each([
    ["ln -sf /tmp/x ~/.bashrc", "cp /tmp/x ~/.bashrc"],
    ["ln -sfn /tmp/x ~/.ssh", "cp -r /tmp/x ~/.ssh"],
    ["rsync a /etc/hosts", "cp a /etc/hosts"],
    ["rsync -a a /etc/", "cp -r a /etc/"],
    ["rsync a ~/.bashrc", "cp a ~/.bashrc"],
    ["ln -s a ~", "cp a ~"],
    ["ln -t /etc/sudoers.d x", "cp -t /etc/sudoers.d x"],
    ["ln --target-directory=/etc/sudoers.d x", "cp --target-directory=/etc/sudoers.d x"],
    ["rsync a /tmp", "cp a /tmp"],
  ])("%s is rated as %s", (line, twin) => {
    const r = rated(line);
    const t = rated(twin);
    expect(r.risk, `${r.shown} vs ${t.shown}`).toBe(t.risk);
  });
});

describe("reading a system file is not writing it", () => {
  it.each(["/etc/passwd", "/etc/hosts", "/boot/grub/grub.cfg"])("%s read by sed, perl, cp, install, ln or rsync is rated as cat P", (path) => {
    const byCat = rated(`cat ${path}`);
    for (const command of [`sed -n p ${path}`, `sed -n 1,5p ${path}`, `perl -ne print ${path}`, `cp ${path} x`, `install ${path} x`, `ln -s ${path} x`, `rsync ${path} x`]) {
      const read = rated(command);
      expect(read.risk, `${read.shown} vs ${byCat.shown}`).toBe(byCat.risk);
    }
  });

  it("still rates the writes: sed -i, perl -pi, mv taking the file away, tee", () => {
    expect(rated("sed -i s/a/b/ /etc/hosts").risk).toBe("critical");
    expect(rated("sed --in-place=.bak s/a/b/ /etc/hosts").risk).toBe("critical");
    expect(["high", "critical"]).toContain(rated("perl -pi -e s/a/b/ /etc/hosts").risk);
    expect(["high", "critical"]).toContain(rated("mv /etc/passwd x").risk);
    expect(rated("tee /etc/hosts").risk).toBe("critical");
  });
});

describe("reasons about one file", () => {
  it.each([
    ["cp x /etc/passwd", "/etc/passwd"],
    ["cp x /etc/hosts", "/etc/hosts"],
    ["sudo install -m 644 x /etc/nginx/nginx.conf", "/etc/nginx/nginx.conf"],
  ])("%s says what it does to %s once, at its worst", (command, path) => {
    const result = analyzer.analyze(command, { shell: "bash", cwd, home });
    const about = result.reasons.filter((r) => r.detail.includes(path));
    expect(about.map((r) => r.risk), JSON.stringify(result.reasons)).toEqual(["critical"]);
    expect(result.reasons.every((r) => !("subject" in r))).toBe(true);
  });

  it("different files keep their own reasons", () => {
    const result = analyzer.analyze("cp x /etc/passwd && cp y ~/.bashrc", { shell: "bash", cwd, home });
    expect(result.reasons.some((r) => r.detail.includes("/etc/passwd") && r.risk === "critical")).toBe(true);
    expect(result.reasons.some((r) => r.detail.includes(".bashrc") && r.risk === "high")).toBe(true);
  });
});

describe("writing a file only known at run time by argument", () => {
  // `echo x > "$X/y"` is moderate: a file named at run time may be any file. A command that writes
  // the file its argument names is rated the same; a known file below high is rated as before.
  it.each<[string, Risk]>([
    ['echo x > "$X/y"', "moderate"],
    ['cp a "$X/y"', "moderate"],
    ['cp -r a "$X/"', "moderate"],
    ['cp -t "$X" a b', "moderate"],
    ['cp --target-directory="$X" a', "moderate"],
    ['mv a "$X/y"', "moderate"],
    ['install -m 644 a "$X/y"', "moderate"],
    ['ln -s target "$X/y"', "moderate"],
    ['ln -sf target "$X/y"', "moderate"],
    ['ln -t "$X" a', "moderate"],
    ['rsync a "$X/y"', "moderate"],
    ['rsync -av --exclude .git a/ "$X"', "moderate"],
    ['echo x | tee "$X/y"', "moderate"],
    ['dd if=a of="$X/y"', "moderate"],
    ['curl -o "$X/y" https://x.example/a', "moderate"],
    ['cd "$X" && cp a b', "moderate"],
    // Appending is safe as `>>` is; reading from a file only known at run time writes nothing there.
    ['echo x | tee -a "$X/y"', "safe"],
    ['cp "$X/y" b', "safe"],
    ['dd if="$X/y" of=b', "safe"],
    ["cp a ~/y", "safe"],
    ["cp a /tmp/y", "safe"],
    ["ln -s a ~/y", "safe"],
    ["rsync a /tmp", "safe"],
    ['ln -s "$X/y" b', "safe"],
    ['rsync "$X/y" b', "safe"],
    ['rsync --exclude "$X" a b', "safe"],
    ['rsync a "$H":/srv/y', "moderate"],
    ["rsync a host:/etc/hosts", "safe"],
    ["echo x | tee ~/y", "safe"],
  ])("%s → %s", (command, expected) => {
    const r = rated(command);
    expect(r.risk, r.shown).toBe(expected);
  });
});
