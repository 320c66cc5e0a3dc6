import { describe, expect, it } from "vitest";
import type { ShellKind, Risk } from "./types.js";
import { shellRater } from "../../test/helpers/shell-rated.js";

/**
 * tee's files and the words that make sed, gsed and perl edit in place are each read once: every
 * file tee writes is judged as a redirection to it is (`tee -a F` as `>> F`), with one reason, and
 * the "edits files in place" reason comes from the reading of `IN_PLACE_EDITS` that finds the files
 * (`--in-pl` is `--in-place` cut short; a `-i` after `--` is sed's script), ruby's `-i` as perl's.
 * Each row gives the risk and a reason the line must have; a file is named in one
 * reason at most.
 */
const rated = shellRater();

const PASSWD = "overwrites /etc/passwd, which controls who may log in or use root";
const HOSTS = "overwrites the system file /etc/hosts";
const HOSTS_APPEND = "appends to the system file /etc/hosts";
const IN_PLACE = "edits files in place";

const TEE_ROWS: [string, Risk, string?, ShellKind?][] = [
  ["tee /etc/passwd", "critical", PASSWD],
  ["echo x | tee /etc/passwd", "critical", PASSWD],
  ["echo x | sudo -u root tee /etc/passwd", "critical", PASSWD],
  ["echo x | sudo tee -a /etc/hosts", "high", HOSTS_APPEND],
  ["echo x | sudo tee /etc/hosts", "critical", HOSTS],
  ["echo x | tee --append /etc/hosts", "high", HOSTS_APPEND],
  ["echo x | tee -ai /etc/hosts", "high", HOSTS_APPEND],
  ["echo x | nohup tee -a /etc/hosts", "high", HOSTS_APPEND],
  ["echo x | tee ~/.bashrc", "high", "overwrites /home/ada/.bashrc"],
  ["echo x | tee $HOME/.bashrc", "high", "overwrites /home/ada/.bashrc"],
  ["echo x | tee -a ~/.bashrc", "high", "appends to /home/ada/.bashrc"],
  ["echo x | tee ~/.ssh/authorized_keys", "high", "overwrites /home/ada/.ssh/authorized_keys"],
  ["echo x | tee -a ~/.ssh/authorized_keys", "high", "appends to /home/ada/.ssh/authorized_keys"],
  ["echo x | tee /root/.ssh/authorized_keys", "critical", "overwrites /root/.ssh/authorized_keys, which controls who may log in or use root"],
  ["echo x | tee /proc/sys/kernel/sysrq", "critical", "writes to the kernel control file /proc/sys/kernel/sysrq"],
  ["echo x | tee /dev/sda", "critical", "overwrites the device /dev/sda"],
  ["echo x | tee -a /dev/sda", "critical", "writes to the device /dev/sda"],
  // as `echo x >> /` (tee cannot write a folder anyway)
  ["echo x | tee -a /", "high", "appends to /"],
  ["echo x | tee a.txt /etc/hosts ~/.bashrc", "critical", HOSTS],
  ["echo x | tee a.txt /etc/hosts ~/.bashrc", "critical", "overwrites /home/ada/.bashrc"],
  ["echo x | tee \"$F\"", "moderate", "writes to a file named at run time"],
  ["echo x | tee notes.txt", "safe"],
  ["echo x | tee -a notes.txt", "safe"],
  ["echo x | tee /dev/null", "safe"],
  ["echo x | tee /tmp/x", "safe"],
  // PowerShell's tee is Tee-Object, judged as it is (its files, as Tee-Object reads them)
  ["echo x | tee /etc/hosts", "critical", HOSTS, "powershell"],
  ["echo x | tee /etc/passwd", "critical", PASSWD, "powershell"],
  ["echo x | tee -Append ~/.bashrc", "high", "appends to /home/ada/.bashrc", "powershell"],
  // the tee program outside Windows: every operand a file
  ["echo x | tee a.txt /etc/hosts", "critical", HOSTS, "powershell"],
  ["echo x | tee notes.txt", "safe", undefined, "powershell"],
  ["echo x | tee /etc/hosts", "critical", HOSTS, "fish"],
];

const IN_PLACE_ROWS: [string, Risk, string?, ShellKind?][] = [
  ["sed --in-pl=.bak s/a/b/ notes.txt", "moderate", IN_PLACE],
  ["gsed --in-pl s/a/b/ notes.txt", "moderate", IN_PLACE],
  ["sed --in-pl s/a/b/ notes.txt", "moderate", IN_PLACE, "fish"],
  ["sed --in-pl=.bak s/a/b/ /etc/hosts", "critical", HOSTS],
  ["sed --in-place=.bak s/a/b/ notes.txt", "moderate", IN_PLACE],
  ["sed -i s/a/b/ notes.txt", "moderate", IN_PLACE],
  ["sed -ni s/a/b/ notes.txt", "moderate", IN_PLACE],
  ["gsed -ie s/a/b/ notes.txt", "moderate", IN_PLACE],
  ["sed -i", "moderate", IN_PLACE],
  ["find . -name '*.c' -exec sed -i s/a/b/ {} +", "moderate", IN_PLACE],
  ["perl -pi -e s/a/b/ notes.txt", "moderate", IN_PLACE],
  ["perl -pie s/a/b/ notes.txt", "moderate", IN_PLACE],
  ["perl -i -pe s/a/b/ notes.txt", "moderate", IN_PLACE],
  ["sed -i s/a/b/ notes.txt", "moderate", IN_PLACE, "powershell"],
  // BSD sed (macOS's): `-i ''` is an empty backup suffix and the script comes next; GNU's gsed reads '' as the script
  ["sed -i '' '/root/d' notes.txt", "moderate", IN_PLACE],
  ["sed -Ei '' 's/^#(.*)/\\1/' notes.txt", "moderate", IN_PLACE],
  ["sed -i '' -e '/root/d' /etc/hosts", "critical", HOSTS],
  ["sed -i '' 's/a/b/' /etc/passwd", "critical", PASSWD],
  ["gsed -i '' /etc/passwd", "critical", PASSWD],
  // `-i` after `--` is sed's script; perl's `-Mi` loads the module i
  ["sed -- -i notes.txt", "safe"],
  ["sed s/-i/x/ notes.txt", "safe"],
  ["sed -n s/a/b/ notes.txt", "safe"],
  ["perl -Mi -e 1 notes.txt", "safe"],
  ["perl -ne print notes.txt", "safe"],
  // ruby's -i too: its files judged as perl's are
  ["ruby -pi -e 1 notes.txt", "moderate", IN_PLACE],
  ["ruby -i.bak -pe 1 notes.txt", "moderate", IN_PLACE],
  ["ruby -pi -e 1 /etc/passwd", "critical", PASSWD],
  ["ruby -i.bak -pe 'gsub(/a/, \"b\")' /etc/hosts", "critical", HOSTS],
  ["ruby -r json -Ilib -pi -e 1 /etc/hosts", "critical", HOSTS],
  ["ruby -pi fix.rb /etc/hosts", "critical", HOSTS],
  ["ruby -e 1 notes.txt", "safe"],
  ["ruby -ne 'puts $_' /etc/hosts", "safe"],
];

/** The files a row's line names, each of which one reason at most may name. */
function filesNamed(line: string): string[] {
  return ["/etc/passwd", "/etc/hosts", "/home/ada/.bashrc", "/home/ada/.ssh/authorized_keys", "/root/.ssh/authorized_keys", "/dev/sda", "/proc/sys/kernel/sysrq", "notes.txt", "a.txt"].filter((f) =>
    line.replace("~/", "/home/ada/").replace("$HOME/", "/home/ada/").includes(f),
  );
}

describe("tee's files and sed's, gsed's and perl's in-place edits, read once", () => {
  it.each<[string, Risk, string?, ShellKind?]>([...TEE_ROWS, ...IN_PLACE_ROWS])("%s is %s", (line, risk, detail, shell = "bash") => {
    const result = rated(line, shell);
    expect(result.risk, result.shown).toBe(risk);
    if (detail) expect(result.details, result.shown).toContain(detail);
    for (const file of filesNamed(line)) {
      expect(result.details.filter((d) => d.includes(file)).length, `${file}: ${result.shown}`).toBeLessThanOrEqual(1);
    }
  });
});
