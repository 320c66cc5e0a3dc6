import { describe, expect, it } from "vitest";
import type { Risk, ShellKind } from "./types.js";
import { shellRater } from "../../test/helpers/shell-rated.js";

/**
 * `$PWD` (`${PWD}`, `"$PWD"/x`) and `~+` are the directory the shell is in where they are read: a
 * `cd`, `pushd` or `popd` earlier on the line moves them as it moves relative paths (`cd / && rm -rf
 * $PWD` deletes /, as `cd / && rm -rf .` does), one to a directory only known at run time makes them
 * only known at run time, and a subshell's `cd` does not leak out. `$OLDPWD` (`~-`) is where the last
 * of them left. Where no `cd` came first they are the working directory the analysis starts in, as
 * before. Each row gives the shell (bash unless told), the risk and a part of a reason the line must
 * have.
 */
const rated = shellRater();

describe("$PWD and ~+ follow the line's cd", () => {
  it.each<[string, Risk, string?, ShellKind?]>([
    ["cd / && rm -rf $PWD", "critical", "deletes / recursively"],
    ["cd / && rm -rf ${PWD}", "critical", "deletes / recursively"],
    ['cd / && rm -rf "$PWD"', "critical", "deletes / recursively"],
    ["cd / && rm -rf ~+", "critical", "deletes / recursively"],
    ["cd ~ && rm -rf $PWD", "critical", "deletes /home/ada recursively"],
    ["cd && rm -rf $PWD", "critical", "deletes /home/ada recursively"],
    ["cd ~ && rm -rf ~+/", "critical", "deletes /home/ada/ recursively"],
    ["pushd / && rm -rf $PWD", "critical", "deletes / recursively"],
    ['cd /tmp && rm -rf "$PWD"/*', "critical", "deletes /tmp/* recursively"],
    ["cd .. && rm -rf $PWD", "high", "deletes /home/ada/code recursively"],
    ["cd ../.. && rm -rf $PWD", "critical", "deletes /home/ada recursively"],
    ["cd / && x=$PWD && rm -rf $x", "critical", "deletes / recursively"],
    ["builtin cd / && rm -rf $PWD", "critical", "deletes / recursively"],
    ["eval 'cd /'; rm -rf $PWD", "critical", "deletes / recursively"],
    ["cd /tmp; cd -; rm -rf $OLDPWD", "critical", "deletes /tmp recursively"],
    ["[ -d x ] && cd /; rm -rf $PWD", "critical", "deletes / recursively"],
    ["cd /; rm -rf $OLDPWD", "high", "deletes /home/ada/code/app recursively"],
    ["cd ~; cd /; rm -rf $OLDPWD", "critical", "deletes /home/ada recursively"],
    ["cd /tmp/a && rm -rf ${PWD%/*}", "critical", "deletes /tmp recursively"],
    // Text another shell (or eval) runs after the cd: a child shell's PWD is the directory it starts
    // in, and single quotes leave `$PWD` to the inner shell
    ["cd / && bash -c 'rm -rf $PWD'", "critical", "deletes / recursively"],
    ["cd / && sh -c 'rm -rf $PWD'", "critical", "deletes / recursively"],
    ["cd / && sh -c 'rm -rf ~+'", "critical", "deletes / recursively"],
    ["cd / && eval 'rm -rf $PWD'", "critical", "deletes / recursively"],
    ['cd / && eval "rm -rf \\$PWD"', "critical", "deletes / recursively"],
    ["cd / && env bash -c 'rm -rf $PWD'", "critical", "deletes / recursively"],
    ["cd ~ && bash -c 'rm -rf \"$PWD\"'", "critical", "deletes /home/ada recursively"],
    ["cd / && bash -c 'cd /tmp && rm -rf $PWD'", "critical", "deletes /tmp recursively"],
    ["cd / && bash -c 'bash -c \"rm -rf \\$PWD\"'", "critical", "deletes / recursively"],
    ["cd /; bash -c 'rm -rf $PWD'", "critical", "deletes / recursively", "fish"],
    ["cd /; fish -c 'rm -rf $PWD'", "critical", "deletes / recursively", "fish"],
    ["cd /; eval 'rm -rf $PWD'", "critical", "deletes / recursively", "fish"],
    ['cd "$X" && bash -c \'rm -rf $PWD\'', "high", "deletes a path only known at run time recursively"],
    ["cd build && bash -c 'rm -rf $PWD'", "moderate", "deletes /home/ada/code/app/build recursively"],
    ["bash -c 'rm -rf $PWD'", "high", "deletes /home/ada/code/app recursively"],
    ["(cd /tmp); bash -c 'rm -rf $PWD'", "high", "deletes /home/ada/code/app recursively"],
    ["eval 'rm -rf $PWD'", "high", "deletes /home/ada/code/app recursively"],
    // A directory only known at run time
    ['cd "$X" && rm -rf $PWD', "high", "deletes a path only known at run time recursively"],
    ['cd /; cd "$X"; rm -rf $PWD', "high", "deletes a path only known at run time recursively"],
    ['cd "$X" && rm -rf ~+', "high", "deletes a path only known at run time recursively"],
    // fish
    ["cd /; rm -rf $PWD", "critical", "deletes / recursively", "fish"],
    ["cd /; and rm -rf $PWD", "critical", "deletes / recursively", "fish"],
    ["cd ~; rm -rf $PWD", "critical", "deletes /home/ada recursively", "fish"],
    // zsh and sh
    ["cd / && rm -rf $PWD", "critical", "deletes / recursively", "zsh"],
    ["cd / && rm -rf $PWD", "critical", "deletes / recursively", "sh"],
    // A subshell's cd, and where popd goes back to
    ["(cd /tmp); rm -rf $PWD", "high", "deletes /home/ada/code/app recursively"],
    ["x=$(cd /; pwd); rm -rf $PWD", "high", "deletes /home/ada/code/app recursively"],
    ["pushd /tmp; popd; rm -rf $PWD", "high", "deletes /home/ada/code/app recursively"],
    ["cd /tmp | cat; rm -rf $PWD", "high", "deletes /home/ada/code/app recursively"],
    // Unchanged: no cd first, or one into the project
    ["rm -rf $PWD", "high", "deletes /home/ada/code/app recursively"],
    ["rm -rf $PWD", "high", "deletes /home/ada/code/app recursively", "fish"],
    ['rm -rf "$PWD/dist"', "moderate", "deletes /home/ada/code/app/dist recursively"],
    ["cd build && rm -rf $PWD/*", "moderate", "deletes /home/ada/code/app/build/* recursively"],
    ["rm -rf build/*", "moderate", "deletes build/* recursively"],
    ["echo $PWD", "safe"],
    ["cd / && echo $PWD", "safe"],
    ['cp a "$PWD/b"', "safe"],
    ["cd /tmp && cp a $PWD/b", "safe"],
    ["docker run -v $PWD:/src alpine ls", "safe"],
    ["cd build && ls ~+", "safe"],
    ["cd / && bash -c 'echo $PWD; ls ~+'", "safe"],
  ])("%s is %s", (line, risk, detail, shell) => {
    const result = rated(line, shell);
    expect(result.risk, result.shown).toBe(risk);
    if (detail) expect(result.details.some((d) => d.includes(detail)), result.shown).toBe(true);
  });
});
