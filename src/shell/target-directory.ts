import type { Word } from "./ir.js";
import { shortLetters, splitOption, walkOptions } from "./option-walk.js";
import { COPY_VALUE_OPTIONS } from "./rules.js";

/** The letters of cp's, mv's, install's and ln's short options that take a value, and `-t`'s. */
const VALUE_LETTERS = `${shortLetters(COPY_VALUE_OPTIONS)}t`;

/**
 * The folder cp, mv, install or ln copies into by `-t DIR` (`--target-directory`), read as getopt
 * reads it: `-t DIR`, `-tDIR`, at the end of a group of short options (`cp -rt DIR …`, `-rtDIR`),
 * `--target-directory DIR`, `--target-directory=DIR`, its name cut short (`--target`: no other long
 * option of theirs begins with `--t`); the last one given. A value only known at run time is kept,
 * with its run-time parts, where the long option is written out (`--target-directory="$D"`).
 */
export function targetDirectory(args: readonly Word[]): Word | undefined {
  let dir: Word | undefined;
  walkOptions(
    args,
    (text, next, word) => {
      const [option, value] = splitOption(text, VALUE_LETTERS);
      if (option === "-t" || (option.length >= 3 && "--target-directory".startsWith(option))) {
        dir = value === undefined ? next : { ...word, text: value };
        return value === undefined;
      }
      return value === undefined && COPY_VALUE_OPTIONS.includes(option);
    },
    { runTimeValues: true },
  );
  return dir;
}
