import { describe, expect, it } from "vitest";
import { shellRater } from "../../test/helpers/shell-rated.js";

/**
 * `sudo -s`, `sudo -i` and their long forms open a root shell. sudo reads long options with
 * getopt_long, which takes one cut short while it names only one option: `--sh` is `--shell`.
 * `--log` and `--logi` name both `--login` and `--login-class`, so sudo refuses them (checked
 * against glibc's getopt_long with sudo's option table).
 */
const rated = shellRater();

describe("sudo's options that open a root shell", () => {
  it.each<string>(["sudo -s", "sudo -i", "sudo --shell", "sudo --login", "sudo --sh", "sudo --she", "sudo --shel", "sudo -u root --sh"])("%s opens a root shell", (line) => {
    const r = rated(line);
    expect(r.details, r.shown).toContain("opens a root shell with sudo");
  });

  it.each<string>(["sudo --log", "sudo --logi", "sudo --s"])("%s names several options, which sudo refuses", (line) => {
    const r = rated(line);
    expect(r.details, r.shown).not.toContain("opens a root shell with sudo");
  });
});
