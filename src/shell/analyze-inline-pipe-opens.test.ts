import { describe, expect, it } from "vitest";
import type { Risk } from "./types.js";
import { shellRater } from "../../test/helpers/shell-rated.js";

/**
 * Inline Perl and Ruby that start a command in ways other than `system(…)`: a call without parentheses whose
 * argument is only known at run time (`system $x`, `exec cmd`), and an open of a pipe (Perl's `open(F, "|cmd")`,
 * `open(F, "cmd|")`, `open($f, "-|", …)`; Ruby's `open("|cmd")`, `IO.read("|cmd")`). A literal command is
 * judged as the command it is; one built at run time is `high`. Opens of files and ordinary code stay as they were.
 */
const rated = shellRater();

const runTime = (language: string): string => `${language} code runs a command built at run time`;
const deletesHome = "deletes /home/ada recursively";

describe("inline calls without parentheses and pipe opens", () => {
  it.each<[string, Risk, string?]>([
    // Calls without parentheses, the command only known at run time, as with them.
    [`perl -e 'system($x)'`, "high", runTime("perl")],
    [`perl -e 'system $x'`, "high", runTime("perl")],
    [`perl -e 'system $ARGV[0]' 'rm -rf ~'`, "high", runTime("perl")],
    [`perl -e 'exec $cmd'`, "high", runTime("perl")],
    [`perl -e 'system @args'`, "high", runTime("perl")],
    [`perl -e 'system join(" ", @ARGV)'`, "high", runTime("perl")],
    [`perl -e 'exec { $prog } @args'`, "high", runTime("perl")],
    [`perl -MFile::Path -e 'rmtree $ARGV[0]'`, "high", "deletes a path only known at run time recursively"],
    [`ruby -e 'system ARGV[0]'`, "high", runTime("ruby")],
    [`ruby -e 'exec cmd'`, "high", runTime("ruby")],
    [`ruby -e 'system ENV["CMD"]'`, "high", runTime("ruby")],
    [`ruby -e 'exec *ARGV'`, "high", runTime("ruby")],
    [`ruby -e 'x = gets; system x if x'`, "high", runTime("ruby")],
    // A keyword after the name is no argument; a name in a string or called on an object is no call.
    [`ruby -e 'system if x'`, "safe"],
    [`ruby -e 'exec unless y'`, "safe"],
    [`ruby -e 'x = 1\nsystem\nputs x'`, "safe"],
    [`perl -e 'die "exec failed"'`, "safe"],
    [`perl -e 'print "the system is $x\\n"'`, "safe"],
    [`ruby -e 'puts "system info"'`, "safe"],
    [`perl -e 'eval { 1 }; print $@'`, "safe"],
    [`perl -lne 'unlink if -M > 7'`, "safe"],
    [`perl -e 'print qq{system $x}' # system $y`, "safe"],
    [`ruby -e 'conn.exec sql'`, "safe"],
    [`ruby -e 'def exec cmd; end'`, "safe"],
    [`perl -e 'my %h = (system => 1); print $h{system}'`, "safe"],
    // Perl's list form reads every argument: one only known at run time makes the command so.
    [`perl -e 'system("rm", "-rf", $ENV{HOME})'`, "critical", deletesHome],
    [`perl -e 'system("ls", $x)'`, "high", runTime("perl")],
    // Perl pipe opens.
    [`perl -e 'open(F, "|rm -rf ~")'`, "critical", deletesHome],
    [`perl -e 'open(F, "rm -rf ~|")'`, "critical", deletesHome],
    [`perl -e 'open(F, "rm -rf ~ |"); print <F>'`, "critical", deletesHome],
    [`perl -e 'open F, "|rm -rf ~"'`, "critical", deletesHome],
    [`perl -e 'open F, "|rm -rf ~" or die "no"'`, "critical", deletesHome],
    [`perl -e 'open(my $f, "-|", "rm -rf ~")'`, "critical", deletesHome],
    [`perl -e 'open(my $f, "|-", "rm -rf ~")'`, "critical", deletesHome],
    [`perl -e 'open my $f, "-|", "rm -rf ~"'`, "critical", deletesHome],
    [`perl -e 'open(my $f, "-|", "rm", "-rf", $ENV{HOME})'`, "critical", deletesHome],
    [`perl -e 'open(my $f, "-|:encoding(UTF-8)", "rm", "-rf", "/")'`, "critical"],
    [`perl -e 'open(F, "|$x")'`, "high", runTime("perl")],
    [`perl -e 'open(F, "$x|")'`, "high", runTime("perl")],
    [`perl -e 'open(my $f, "-|", $cmd)'`, "high", runTime("perl")],
    [`perl -e 'open(my $f, "|-", @cmd)'`, "high", runTime("perl")],
    [`perl -e 'open(F, "ls |"); print <F>'`, "safe"],
    // Forks (`-|` alone) and files are no command.
    [`perl -e 'open(F, "-|") or exit'`, "safe"],
    [`perl -e 'open(F, "<x.txt"); print <F>'`, "safe"],
    [`perl -e 'open(F, "x.txt"); print <F>'`, "safe"],
    [`perl -e 'open(F, ">out.txt"); print F 1'`, "safe"],
    [`perl -e 'open(my $f, "<", $ARGV[0]); print <$f>'`, "safe"],
    [`perl -e 'open(F, "<$file"); print <F>'`, "safe"],
    [`perl -e 'print "open(F, \\"|rm -rf ~\\")"'`, "safe"],
    // Ruby pipe opens.
    [`ruby -e 'open("|rm -rf ~")'`, "critical", deletesHome],
    [`ruby -e 'open "|rm -rf ~"'`, "critical", deletesHome],
    [`ruby -e 'Kernel.open("|rm -rf ~")'`, "critical", deletesHome],
    [`ruby -e 'open("|rm -rf ~", "r") { |f| puts f.read }'`, "critical", deletesHome],
    [`ruby -e 'IO.read("|rm -rf ~")'`, "critical", deletesHome],
    [`ruby -e 'IO.readlines("|rm -rf ~")'`, "critical", deletesHome],
    [`ruby -e 'IO.write("|rm -rf ~", "x")'`, "critical", deletesHome],
    [`ruby -e 'IO.popen("rm -rf ~")'`, "critical", deletesHome],
    [`ruby -e 'open("|#{ARGV[0]}")'`, "high", runTime("ruby")],
    [`ruby -e 'open("|ls").read'`, "safe"],
    [`ruby -e 'open("|-")'`, "safe"],
    [`ruby -e 'URI.open("|rm -rf ~")'`, "safe"],
    [`ruby -e 'File.open("|rm -rf ~")'`, "safe"],
    [`ruby -e 'File.read("|rm -rf ~")'`, "safe"],
    [`ruby -e 'puts open("x.txt").read'`, "safe"],
    // Ordinary code, as before.
    [`perl -ne 'print if /foo/' x.txt`, "safe"],
    [`perl -e 'print "hi\\n"'`, "safe"],
    [`ruby -e 'puts File.read("x")'`, "safe"],
    [`ruby -e 'system "ls"'`, "safe"],
    [`perl -e 'system "ls"'`, "safe"],
  ])("%s is %s", (line, risk, detail) => {
    const result = rated(line);
    expect(result.risk, result.shown).toBe(risk);
    if (detail) expect(result.details, result.shown).toContain(detail);
  });
});
