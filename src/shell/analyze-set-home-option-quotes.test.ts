import { describe, expect, it } from "vitest";
import type { Risk, ShellKind } from "./types.js";
import { shellRater } from "../../test/helpers/shell-rated.js";

/**
 * fish reads `~` and `$HOME` from HOME, so a `set HOME` earlier on the line changes what later words
 * name (fish 3.6: `set HOME /tmp/x; echo ~` prints /tmp/x, with `set -l`, `set -gx` too). After
 * `set -e HOME` fish 3.6 expands `~` to an empty word; wren reads it as the user's home again, the
 * stricter reading. A `set HOME` inside a function is not followed: `~` stays the user's home there
 * and after it; one in a block changes the global HOME, one after `and`/`or` may (see
 * analyze-fish-set-blocks.test.ts). `set -U HOME` makes a universal variable, which the global HOME
 * hides.
 *
 * The JVM splits JAVA_TOOL_OPTIONS and _JAVA_OPTIONS (HotSpot's parse_options_buffer) and the
 * launcher JDK_JAVA_OPTIONS at blanks outside '…' and "…", the quotes dropped (checked with
 * -XshowSettings: `-Dz=e"f g"h` is `ef gh`). perl (PERL5OPT: `-I"/tmp/a b"` is refused with
 * "Illegal switch in PERL5OPT: -b.") and ruby (RUBYOPT, ruby.c moreswitches) split at every blank and
 * keep quotes as characters.
 */
const rated = shellRater();

describe("a fish line's own set HOME", () => {
  it.each<[string, Risk, string, ShellKind?]>([
    ["set HOME /; rm -rf ~", "critical", "deletes / recursively", "fish"],
    ["set HOME /; rm -rf $HOME", "critical", "deletes / recursively", "fish"],
    ["set -gx HOME /; rm -rf ~", "critical", "deletes / recursively", "fish"],
    ["set -l HOME /; rm -rf ~", "critical", "deletes / recursively", "fish"],
    ["set -x HOME /tmp/x; rm -rf ~/.ssh", "moderate", "deletes /tmp/x/.ssh recursively", "fish"],
    ["set HOME /tmp/x\nrm -rf ~/.ssh", "moderate", "deletes /tmp/x/.ssh recursively", "fish"],
    ["set HOME /tmp/x; and rm -rf ~/.ssh", "moderate", "deletes /tmp/x/.ssh recursively", "fish"],
    ["set HOME /tmp/x; begin; rm -rf ~/.ssh; end", "moderate", "deletes /tmp/x/.ssh recursively", "fish"],
    ["set HOME /tmp/x; X=~ rm -rf $X/.ssh", "moderate", "deletes /tmp/x/.ssh recursively", "fish"],
    // The words of the `set` itself are expanded before it sets HOME.
    // `~/a` with HOME=/ is `//a` (fish 3.6 prints /a for the `~` after it: the same folder).
    ["set HOME / ; set HOME ~/a; rm -rf ~", "critical", "deletes //a recursively", "fish"],
    ["set HOME ~/x; rm -rf ~", "high", "deletes /home/ada/x recursively", "fish"],
    // Erased: read as the user's home again (fish 3.6 expands `~` to an empty word).
    ["set HOME /tmp/x; set -e HOME; rm -rf ~", "critical", "deletes /home/ada recursively", "fish"],
    ["set HOME /tmp/x; set --erase HOME; rm -rf ~", "critical", "deletes /home/ada recursively", "fish"],
    // A universal HOME is hidden by the global one.
    ["set -U HOME /tmp/x; rm -rf ~", "critical", "deletes /home/ada recursively", "fish"],
    // A block changes the global HOME (fish 3.6 prints /tmp/x for `begin; set HOME /tmp/x; end; echo ~`).
    ["begin; set HOME /tmp/x; end; rm -rf ~", "moderate", "deletes /tmp/x recursively", "fish"],
    // Not followed inside a function; where it may not run, the user's home is judged too.
    ["function f; set HOME /tmp/x; end; f; rm -rf ~", "critical", "deletes /home/ada recursively", "fish"],
    ["test -d /x; and set HOME /tmp/x; rm -rf ~", "critical", "deletes /home/ada recursively", "fish"],
    // The user's home stays where nothing sets HOME.
    ["rm -rf ~", "critical", "deletes /home/ada recursively", "fish"],
    ["set H /tmp/x; rm -rf ~", "critical", "deletes /home/ada recursively", "fish"],
  ])("%j is %s (%s)", (command, risk, reason, shell) => {
    const r = rated(command, shell);
    expect(r.risk, r.shown).toBe(risk);
    expect(r.details.some((d) => d.includes(reason)), r.shown).toBe(true);
  });
});

describe("options variables split as their programs split them", () => {
  it.each<[string, Risk, string?]>([
    ["JAVA_TOOL_OPTIONS='-javaagent:\"/tmp/my dir/a.jar\"' mvn package", "high", "load /tmp/my dir/a.jar (JAVA_TOOL_OPTIONS)"],
    ["JAVA_TOOL_OPTIONS=\"-javaagent:'/tmp/my dir/a.jar'\" mvn package", "high", "load /tmp/my dir/a.jar (JAVA_TOOL_OPTIONS)"],
    ["JAVA_TOOL_OPTIONS='-Xmx1g \"-javaagent:/tmp/my dir/a.jar=x y\"' mvn package", "high", "load /tmp/my dir/a.jar (JAVA_TOOL_OPTIONS)"],
    ["export _JAVA_OPTIONS='-agentpath:\"/tmp/a b/x.so\"'", "high", "load /tmp/a b/x.so (_JAVA_OPTIONS)"],
    ["JDK_JAVA_OPTIONS='-javaagent:\"/tmp/my dir/a.jar\"' java -jar app.jar", "high", "load /tmp/my dir/a.jar (JDK_JAVA_OPTIONS)"],
    ["JAVA_TOOL_OPTIONS='-javaagent:\"./my dir/a.jar\"' mvn package", "safe"],
    ["JAVA_TOOL_OPTIONS='-Dfile.encoding=UTF-8 -Dx=\"a b\"' mvn package", "safe"],
    // perl and ruby keep quotes as characters: the folder is `"/tmp/my`, inside the project.
    ["PERL5OPT='-I\"/tmp/my dir\"' perl x.pl", "safe"],
    // ruby looks `"/tmp/my` up on its load path, which may be anywhere.
    ["RUBYOPT='-r\"/tmp/my dir/x.rb\"' ruby x.rb", "moderate", "makes ruby load \"/tmp/my (RUBYOPT)"],
    ["PERL5OPT='-I/tmp/lib' perl x.pl", "high"],
    ["RUBYOPT='-r/tmp/x.rb' ruby x.rb", "high"],
  ])("%j is %s", (command, risk, reason) => {
    const r = rated(command);
    expect(r.risk, r.shown).toBe(risk);
    if (reason) expect(r.details.some((d) => d.includes(reason)), r.shown).toBe(true);
  });
});
