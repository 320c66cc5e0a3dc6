/**
 * The values a word may expand to where wren knows them (HOME, PWD, `~`, a user's folders), and what
 * the bash parser notes of a line as it reads it; the fish and PowerShell parsers take the same.
 */
import type { Param } from "./ir.js";
import type { ShellKind } from "./types.js";

/** Known values a word may expand to: `$HOME`, `$PWD`, `~`, `~+`, `~user`. */
export interface ExpandContext {
  cwd: string;
  home: string;
  /** The working directory is only known at run time (a container's, without `-w`): `$PWD` is left a variable and `~+` unknown. */
  cwdUnknown?: boolean;
  /** The shell the text is for (bash unless told): zsh reads `export -p` and `readonly -p` as printing only (see `declarationOf`). */
  shell?: ShellKind;
  /** `$HOME` is left a variable, for the evaluator to fill in: a child shell's HOME that the line changed. `~` stays `home`. */
  homeFromVars?: boolean;
  /**
   * The line set HOME itself (`HOME=/tmp/x; rm -rf $HOME`): from there on `$HOME` and `~` are that
   * variable, for the evaluator to fill in. Set by the parser as it reads such an assignment.
   */
  homeAssigned?: boolean;
  /**
   * The line ran `cd`, `pushd`, `popd` or `eval` before (`cd / && rm -rf $PWD`): from there on `$PWD`
   * and `~+` are the variable PWD, for the evaluator to fill in with the directory it tracks there
   * (see `workdir.ts`). Set by the parser as it reads such a command.
   */
  cwdChanged?: boolean;
  /**
   * Names given a value by `${NAME:=word}` (`${NAME=word}`) earlier on the line: a later `$NAME` is
   * read as `${NAME:-word}` (`${NAME-word}`), which is what it then holds. The parser's own.
   */
  defaults?: Map<string, Param>;
  /**
   * Names `declare -n` (`typeset -n`, `local -n`) made references to another variable where the
   * declaration always runs (`declare -n x=HOME`): a later `$x` reads that variable. The parser's own.
   */
  references?: Map<string, string>;
  /**
   * PowerShell: what `$env:USERPROFILE`, `$env:TEMP`, `$env:APPDATA` and the like hold, by lower-case
   * name, where wren knows it (see `userFolders`); a name not in it is a value only known at run time.
   * Undefined: `$env:USERPROFILE` is home, the others only known at run time.
   */
  userFolders?: ReadonlyMap<string, string>;
}
