import type { PathClass } from "./paths.js";
import { DATA_TOOL_RULES } from "./rules-data-tools.js";
import { REMOTE_WRITE_RULES } from "./rules-remote-writes.js";
import { SYSTEM_STATE_RULES } from "./rules-system-state.js";
import type { Word } from "./ir.js";
import type { Category, Finding, Risk } from "./types.js";
import { CHRT_OPTIONS, IONICE_OPTIONS, NSENTER_OPTIONS, RUNUSER_OPTIONS, SETPRIV_OPTIONS, STRACE_OPTIONS, SUDO_OPTIONS, SYSTEMD_RUN_OPTIONS, UNSHARE_OPTIONS } from "./wrapper-options.js";

/**
 * One line of the safety table. A rule matches a resolved command (wrappers such as `sudo`,
 * `env`, `xargs` or `find -exec` already removed, the name reduced to its base name, PowerShell
 * aliases expanded to lowercase cmdlet names) when every predicate it sets holds.
 */
export interface Rule {
  id: string;
  /** Resolved command names. */
  commands: readonly string[];
  /** Command names starting with one of these also match (`mkfs.ext4`). */
  prefixes?: readonly string[];
  /** The first operand after the command's own global options (`git push`, `systemctl stop`). */
  subcommand?: readonly string[];
  /** The operand after the subcommand (`gh repo delete`, `yarn npm publish`). */
  action?: readonly string[];
  /** The first operand is none of these (read-only subcommands: `apt list`, `kubectl get`). */
  noSubcommand?: readonly string[];
  /** At least one of these flags. Short flags match inside bundles: `-r` matches `-rf`. */
  flags?: readonly string[];
  /** Every one of these flags. */
  allFlags?: readonly string[];
  /** None of these flags. */
  noFlags?: readonly string[];
  /** Some argument equals one of these (case-insensitive). */
  args?: readonly string[];
  /** Some argument starts with one of these. */
  argPrefixes?: readonly string[];
  /** No argument starts with one of these. */
  noArgPrefixes?: readonly string[];
  /**
   * For every set, some argument equals one of its words (case-insensitive): `[["s3"], ["rb"]]`
   * is `aws s3 rb`, `[["stop", "disable"], ["sshd", "ssh"]]` stops or disables ssh in any order.
   */
  argSets?: readonly (readonly string[])[];
  /** Some argument matches this regular expression (source text, matched case-sensitively). */
  argPattern?: string;
  /** No argument matches this regular expression (`curl -X GET`). */
  noArgPattern?: string;
  /**
   * One of these options is given (`--registry URL`, `--registry=URL`), and the value of the last
   * one, which is the one the program uses (npm's, pnpm's and yarn's option parsers keep the last),
   * is only known at run time or does not match `not`. With `orNone`, also when none is given (the
   * program's default then applies: npm's `--location` is the user's).
   */
  lastValue?: { options: readonly string[]; not: string; orNone?: boolean };
  /**
   * One of these options is given with a value only known at run time or not matching `not`, for
   * programs that use every value given (gem's `--source`: each one is a source).
   */
  someValue?: { options: readonly string[]; not: string };
  /**
   * A `config set` writes a setting whose key matches `key` with a value only known at run time or
   * not matching `not` (an empty value deletes the setting). Its settings are the operands after
   * `set`, past the options (`valueOptions` take the next word), read as npm's `config set` reads
   * them: `key value` and `key=value` pairs, several in one command, the last for a key winning.
   */
  settings?: { key: string; not: string; valueOptions: readonly string[] };
  /**
   * Some operand matches this regular expression: not an option, nor the word one of `valueOptions`
   * takes (`mvn -pl deploy install` names a module, `gradle build -x publish` excludes a task).
   */
  operandPattern?: string;
  /** For `operandPattern`: the options that take the next word as their value. */
  valueOptions?: readonly string[];
  /**
   * Only a request to another machine: some URL the HTTP client's request goes to (read as the
   * client reads its arguments, `request-urls.ts`) is not this machine's, or not every URL is known.
   */
  remote?: boolean;
  /**
   * The HTTP request's method is one of these (capitals), or only known at run time: httpie's and
   * xh's, given or implied (POST when items go in the body); no other command matches.
   */
  requestMethods?: readonly string[];
  /** Some operand's base name is one of these (`/bin/bash` is `bash`). */
  targetNames?: readonly string[];
  /** The command edits files in place, as `IN_PLACE_EDITS` reads its options (`sed --in-pl=.bak`, `perl -pie`). */
  inPlace?: boolean;
  /** PowerShell parameters, matched the way PowerShell does (case-insensitive, abbreviations). */
  params?: readonly string[];
  /** None of these PowerShell parameters. */
  noParams?: readonly string[];
  /**
   * Risk by what the operands point at; the worst operand decides. Without it, `risk` applies.
   * Operands are read past the words the rule names (`gh gist create`: not `gist` or `create`).
   */
  targets?: {
    /** Only operands starting with this prefix (e.g. `of=` for dd), the prefix removed. */
    prefix?: string;
    /** Only the values of these options (`-T FILE`, `--upload-file=FILE`, `-TFILE`). */
    values?: readonly string[];
    /**
     * With `values`: only where the command names no operand (past `skip`'s values and `skipOperands`;
     * one only known at run time that may be none does not count), which it reads instead: `gh gist
     * edit ID --add NAME FILE` uploads FILE's contents under NAME's base name, NAME unread.
     */
    noOperand?: boolean;
    /** Only the part of each candidate that this pattern's first group captures (`@FILE` → `FILE`). */
    pattern?: string;
    /**
     * Names the pattern is about: a glob the shell may expand to one (`.git*`, `.gi?`, `.[g]it` to
     * `.git`; `*` skips names that begin with a dot) is matched as that name, and shown as written.
     */
    names?: readonly string[];
    /**
     * Instead of operands, the files whose contents reach the command: read by the stages before it
     * in its pipeline or opened on its standard input (`stdin`), or read by command substitutions in
     * its arguments (`arguments`).
     */
    fed?: "stdin" | "arguments";
    /**
     * With `fed: "stdin"`, only where the command sends its standard input: `-` is among its operands
     * (past `skip`, and before `uploadTo`'s remote place: `aws s3 cp - s3://b/k`), or, with `orNone`,
     * it names no operand either (`gh gist create`).
     */
    stdinDash?: "given" | "orNone";
    /** Not the candidates whose path matches this pattern (public keys, `\.pub$`). */
    except?: string;
    /** Options whose values are not operands (`scp -i KEY`: the key logs in, it is not copied). */
    skip?: readonly string[];
    /**
     * Letters of short options that take the rest of their word as a value they may go without, never
     * the next word (sed's `-i[SUFFIX]`): a group of short options ends at one, in reading `skip`'s
     * values and whether one of `leading`'s `unless` is given (`sed -ie`: the suffix `e`, no `-e`).
     */
    optionalValues?: string;
    /** The first this many operands (past the words the rule names) are no files: `gh gist edit ID FILE`'s gist, by ID or URL. */
    skipOperands?: number;
    /**
     * The first operand past the options is what the command does, not a file: chmod's mode, chown's
     * owner, chgrp's group, chattr's attributes, sed's script, perl's script file. Not where one of
     * `unless` is given (given as `flags` are, or a long one cut short: `--ref=RFILE`), which gives it
     * instead (`--reference RFILE`, `sed -e SCRIPT`, `perl -e CODE`): every operand is then a file.
     * Words before any `--` matching `modeLike` are that operand written another way (`chmod -w FILE`
     * and `chattr -i FILE`, which getopt would read as options; chattr's `+i -a`): they are dropped, and
     * no other operand is. A first operand only known at run time that may be several words (`$ARGS`)
     * is kept, as it may hold the files too.
     */
    leading?: { unless?: readonly string[]; modeLike?: string };
    /** Only the destination: the last operand of cp, mv, install, ln or rsync, or the folder `-t DIR` names. */
    last?: boolean;
    /** Only the sources: every operand but the destination (what mv takes away). */
    sources?: boolean;
    /**
     * Only what an upload sends: the operands before the last one naming a remote place (matching
     * this pattern: `^s3://`) or starting with a value only known at run time. With none, or after
     * it, nothing is sent (`aws s3 cp s3://b/k ~/.ssh/`).
     */
    uploadTo?: string;
    risk: Partial<Record<PathClass, Risk>>;
  };
  risk?: Risk;
  category: Category;
  /** Shown to the user; `{target}` is replaced by the operand that decided the risk. */
  detail: string;
}

/** How a command names the files it edits in place: see {@link IN_PLACE_EDITS}. */
export interface InPlaceEdit {
  commands: readonly string[];
  /** The options that edit in place, read as `targets.leading`'s `unless` is (`-i.bak`, `-pi`, `--in-pl`). */
  flags: readonly string[];
  /** Which operands are the files, read as a rule's targets are. */
  targets: Pick<NonNullable<Rule["targets"]>, "skip" | "optionalValues" | "leading">;
  /**
   * BSD sed's `-i SUFFIX` (macOS's `sed`): an empty word after `-i`, alone or ending a group
   * (`sed -i '' '/root/d' f`, `sed -Ei '' …`), is the backup suffix, not the script. GNU sed (`gsed`)
   * reads that word as the script.
   */
  emptySuffix?: boolean;
}

/** sed's and gsed's options that edit in place, and how their files are read: see {@link IN_PLACE_EDITS}. */
const SED_IN_PLACE = ["-i", "--in-place"];
const SED_TARGETS: InPlaceEdit["targets"] = { skip: ["-e", "--expression", "-f", "--file", "-l", "--line-length"], optionalValues: "i", leading: { unless: ["-e", "--expression", "-f", "--file"] } };

/**
 * sed (GNU sed as `gsed` too, Homebrew's name for it on macOS), perl and ruby write their files
 * only in place (`-i`); otherwise they read them. Their first operand is sed's script and perl's
 * and ruby's script file, unless -e (-f) gives it; `-f FILE`'s file is read. `-i[SUFFIX]` takes the
 * rest of its word as the backup suffix (`sed -ie`, `perl -pie`: the suffix `e`, no `-e` given), as
 * do perl's `-MMODULE`, `-mMODULE`, `-Fpattern`, `-x[DIR]`, `-d[:MOD]`, `-D[FLAGS]` and `-V[:NAME]`
 * and ruby's `-Fpattern`, `-x[DIR]`, `-W[LEVEL]` and `-K[CODE]` (ruby's `-r`, `-I`, `-C` and `-E`
 * take the rest of the word or the next); BSD sed's `-i ''` takes the
 * empty word (`emptySuffix`). The one reading of
 * these words (`editsInPlace` and `editedInPlace` in `match-rule.ts`): the `in-place-edit` rule
 * (`inPlace`) says the command edits in place, `path-writes.ts` judges each file as a
 * redirection to it (`sed -i … /etc/passwd` as `> /etc/passwd`), and the permission layer checks
 * each file is one the user allows to be written.
 */
export const IN_PLACE_EDITS: readonly InPlaceEdit[] = [
  { commands: ["sed"], flags: SED_IN_PLACE, targets: SED_TARGETS, emptySuffix: true },
  { commands: ["gsed"], flags: SED_IN_PLACE, targets: SED_TARGETS },
  { commands: ["perl"], flags: ["-i"], targets: { skip: ["-e", "-E", "-I"], optionalValues: "iMmFxdDV", leading: { unless: ["-e", "-E"] } } },
  { commands: ["ruby"], flags: ["-i"], targets: { skip: ["-e", "-I", "-r", "-C", "-E"], optionalValues: "iFxWK", leading: { unless: ["-e"] } } },
];

/** `git push --dry-run`/`-n`: nothing is sent. */
const DRY_RUN = ["--dry-run", "-n"];
const HISTORY_OFF_DETAIL = "stops the shell from keeping a history of the commands run";

/** `unset HISTFILE`, `HISTFILE=/dev/null`, `HISTSIZE=0`: the shell stops recording commands (as `history -c` clears them). */
export const HISTORY_OFF: Finding = { category: "system configuration", risk: "moderate", detail: HISTORY_OFF_DETAIL };

/** Whether setting (or unsetting) a variable turns the shell's history off. */
export function historyOff(name: string, value: Word | undefined, unset: boolean): boolean {
  if (name === "HISTFILE") return unset || (value !== undefined && !value.dynamic && /^(|\/dev\/null)$/.test(value.text));
  if (["HISTSIZE", "HISTFILESIZE", "SAVEHIST"].includes(name)) return value !== undefined && !value.dynamic && /^0*$/.test(value.text);
  return false;
}

const NETCAT = ["nc", "ncat", "netcat", "nc.traditional", "nc.openbsd"];
/** httpie's programs and xh, which reads its arguments as httpie does. */
const HTTPIE_CLIENTS = ["http", "https", "xh", "xhs"];
/**
 * Keys and credentials leaving the machine: files in ~/.ssh, ~/.aws and the like, /etc/shadow,
 * the whole environment (a dump of it, `/proc/self/environ`), which holds API keys and tokens, or
 * `secrets`: a project's `.env` files and what a command that prints a credential prints (`gh auth token`).
 */
export const CREDENTIALS: Partial<Record<PathClass, Risk>> = { "home-sensitive": "high", auth: "high", environ: "high", secrets: "high" };
const PUBLIC_KEY = "\\.pub$";
const UPLOAD_CLOUD = "uploads {target} to cloud storage";
const UPLOAD_GIST = "uploads {target} to a gist, readable by anyone with its link";
/** `gh gist edit`'s options that take a value: `--add FILE` is a new file of the gist, read from FILE. */
const GIST_EDIT_VALUE_OPTIONS = ["-a", "--add", "-f", "--filename", "-d", "--desc", "-r", "--remove"];
/** aws's global options that take a value, which come before or after its command. */
const AWS_VALUE_OPTIONS = ["--profile", "--region", "--endpoint-url", "--output", "--query", "--ca-bundle", "--color"];
/**
 * `aws s3`'s transfer options that take a value: filters and object settings, no file sent (not
 * `--sse` or `--sse-c`, whose value may be left out).
 */
const AWS_S3_VALUE_OPTIONS = [
  ...AWS_VALUE_OPTIONS, "--exclude", "--include", "--acl", "--grants", "--storage-class", "--content-type", "--cache-control", "--content-disposition",
  "--content-encoding", "--content-language", "--expires", "--metadata", "--metadata-directive", "--sse-kms-key-id", "--sse-c-key", "--website-redirect",
  "--expected-size", "--source-region",
];
/** rclone's options that take a value: its config, filters and the files they are read from, no file sent. */
const RCLONE_VALUE_OPTIONS = [
  "--config", "--exclude", "--include", "--filter", "--exclude-from", "--include-from", "--filter-from", "--files-from", "--files-from-raw",
  "--exclude-if-present", "--min-size", "--max-size", "--min-age", "--max-age", "--max-depth", "--log-file", "--log-level", "--backup-dir", "--suffix",
  "--transfers", "--checkers", "--bwlimit",
];
/** `gh release create` and `glab release create` options that take a value (not `--notes-file`: its contents are published). */
const RELEASE_VALUE_OPTIONS = ["-R", "--repo", "-n", "--notes", "-N", "--name", "-t", "--title", "--target", "--discussion-category", "--notes-start-tag", "-r", "--ref", "-m", "--milestone", "-a", "--assets-links", "--tag-message"];
/** tar's programs, and the options that unpack or keep the files already there. */
export const TAR: readonly string[] = ["tar", "bsdtar", "gtar"];
const TAR_EXTRACT = ["-x", "--extract", "--get"];
const TAR_KEEP = ["-k", "--keep-old-files", "--skip-old-files"];
const SEVEN_ZIP = ["7z", "7za", "7zz"];
/** Unpacking where the tool replaces the files already there: over home as over the system. */
const EXTRACT_OVER: Partial<Record<PathClass, Risk>> = { root: "high", system: "high", auth: "high", home: "high", "home-sensitive": "high", "home-sub": "moderate" };
/** Unpacking where it keeps them or asks first: new files still land among home's (a ~/.bash_profile, keys in ~/.ssh). */
const EXTRACT_BESIDE: Partial<Record<PathClass, Risk>> = { root: "high", system: "high", auth: "high", home: "moderate", "home-sensitive": "high" };
/** yarn 2+'s: `npmRegistryServer`, `npmScopes.NAME.npmRegistryServer`. */
const YARN_REGISTRY_KEY = "^(npmScopes\\..+\\.)?npmRegistryServer$";
/** pip's indexes, in any section: `global.index-url`, `install.extra-index-url`, `global.find-links`. */
const PIP_INDEX_KEY = "^[a-z]+\\.(index-url|extra-index-url|find-links)$";
/** Go's module proxy set to another server than its default (`proxy.golang.org`), `direct` or `off`. */
const GO_PROXY_SET = "^GOPROXY=(?!(https://proxy\\.golang\\.org(,direct)?|direct|off)$)";
/** Go settings that drop the checks on downloaded modules: no checksum database (or another one), none for some modules, plain HTTP, `-insecure`. */
const GO_UNCHECKED_SET = "^(GOSUMDB=(?!sum\\.golang\\.org$)|GONOSUMDB=.|GONOSUMCHECK=.|GOINSECURE=.|GOFLAGS=(.*\\s)?-insecure(\\s|=|$))";
/** conda's channel lists, added to (`--add`/`--prepend`/`--append channels`). */
const CONDA_ADD_CHANNEL = ["--add", "--prepend", "--append"];
/** conda's own channels by URL; a channel by name (`conda-forge`) stays on anaconda.org. */
const CONDA_DEFAULT_CHANNEL = "^https://(repo\\.anaconda\\.com/pkgs/(main|r|msys2)|conda\\.anaconda\\.org/(conda-forge|bioconda))/?$";
/**
 * What npm, pnpm, yarn and bun install from outside the registry, after an optional `name@`
 * (`pkg@git+https://…`, `@scope/pkg@github:u/r`): a URL (a tarball, or a repository's page), or a
 * git source: `git+PROTOCOL://`, `git://`, `git@host:`, `github:` (gitlab, bitbucket, gist) and
 * `user/repo`, which they read as a GitHub repository (hosted-git-info's shorthand: one slash,
 * no leading `.`, no `:` or `@` before a `#`). `@scope/pkg`, `./dir`, `~/x`, `/abs` and `file:` do not match.
 */
const JS_SPEC_NAME = "^((@[^/\\s@]+/)?[^@/\\s:]+@)?";
const JS_URL_SOURCE = `${JS_SPEC_NAME}https?://`;
const JS_GIT_SOURCE = `${JS_SPEC_NAME}(git\\+[a-z]+://|git://|git@[^:\\s]+:|(github|gitlab|bitbucket|gist):|[^:@%/\\s.~\\\\-][^:@%/\\s\\\\]*/[^:@%/\\s#]+(#\\S*)?$)`;
/** Their install subcommands (npm's aliases of `install` among them). */
const JS_INSTALL = ["install", "i", "add", "in", "ins", "inst", "insta", "instal", "isnt", "isnta", "isntal", "isntall"];
/** Their options that take the next word (`-w packages/app`, `--prefix sub/dir`, `-C apps/web`), which names no package. */
const JS_VALUE_OPTIONS = ["-w", "--workspace", "--prefix", "--registry", "--tag", "--omit", "--include", "--install-strategy", "--cache", "--userconfig", "--loglevel", "-C", "--dir", "-F", "--filter", "--cwd", "--reporter", "--save-prefix", "--network-concurrency", "--network-timeout", "--modules-folder", "--cpu", "--os", "--libc", "--backend"];
/** npm's registry (yarn's is a mirror of it). */
const NPM_DEFAULT_REGISTRY = "https://registry\\.(npmjs\\.org|yarnpkg\\.com)";
/** The registries' own defaults, as a setting's value (`registry=URL` too). */
export const DEFAULT_REGISTRY = `^((@[^:\\s]+:)?registry=)?(${NPM_DEFAULT_REGISTRY}|https://pypi\\.(org|python\\.org)/simple)/?$`;
/** npm's registry given to an install for once, as `--registry`'s value. */
const NPM_DEFAULT_REGISTRY_URL = `^${NPM_DEFAULT_REGISTRY}/?$`;
/** Another registry given for once: the last `--registry` given is the one used. */
const OTHER_REGISTRY = { options: ["--registry"], not: NPM_DEFAULT_REGISTRY_URL };
/** npm's and pnpm's `--location` (`-L`): the config file `config set` writes, the user's unless another is given. */
const LOCATION = ["--location", "-L"];
/**
 * npm's, pnpm's and yarn 1's registry settings, scoped ones too (`registry`, `@scope:registry`), set
 * to another server than npm's. `--registry URL` on the command line is this command's own, not a
 * setting it writes.
 */
const OTHER_REGISTRY_SET = { key: "^(@[^:\\s]+:)?registry$", not: NPM_DEFAULT_REGISTRY_URL, valueOptions: [...JS_VALUE_OPTIONS, ...LOCATION] };
/** RubyGems' own index, as `--source`'s (`gem sources --add`'s) value. */
const RUBYGEMS = "^https://rubygems\\.org/?$";
/**
 * npm's other subcommands that download and install packages, with their aliases: `ci` installs the
 * lockfile's packages, but from the registry it is given (npm's `replace-registry-host` rewrites the
 * lockfile's registry.npmjs.org URLs to it); `install-ci-test` and `install-test` run `ci` and
 * `install` first; `update` installs newer versions.
 */
const NPM_FETCH = ["ci", "clean-install", "ic", "install-clean", "isntall-clean", "install-ci-test", "cit", "clean-install-test", "sit", "install-test", "it", "update", "up", "upgrade", "udpate"];
/** crates.io by name or by index URL (`--registry crates-io`, `--index sparse+https://index.crates.io/`). */
const CRATES_IO = "^(--registry=)?crates-io$|^(--index=)?((sparse\\+)?https://index\\.crates\\.io|https://github\\.com/rust-lang/crates\\.io-index(\\.git)?)/?$";
/** conda's default `channel_alias`, where channels named without a URL are found. */
const CONDA_DEFAULT_ALIAS = "^https://conda\\.anaconda\\.org/?$";
const DESTROY_ROOT: Partial<Record<PathClass, Risk>> = { root: "critical", system: "critical", device: "critical" };
const RECURSIVE_DATA: Partial<Record<PathClass, Risk>> = {
  home: "critical",
  "home-sensitive": "high",
  "home-sub": "high",
  outside: "high",
  cwd: "high",
  unknown: "high",
  project: "moderate",
  temp: "moderate",
};
const FILE_DATA: Partial<Record<PathClass, Risk>> = {
  home: "critical",
  "home-sensitive": "high",
  "home-sub": "moderate",
  outside: "moderate",
  cwd: "high",
  unknown: "moderate",
  project: "moderate",
  temp: "moderate",
};
/**
 * A repository's history: its `.git` folder (`.git/` and `.git/*` too), or the objects or refs in
 * it, in any folder (`sub/.git`: a nested repository's); not its hooks or other files.
 */
const GIT_HISTORY = "^((?:.*[\\\\/])?\\.git(?:[\\\\/]+(?:objects|refs)(?:[\\\\/].*)?|[\\\\/]+\\*)?[\\\\/]*)$";
// `cwd`: a glob for the working directory's contents that may expand to `.git` (`.*`, `.[!.]*`).
const GIT_HISTORY_LOSS: Partial<Record<PathClass, Risk>> = { project: "high", cwd: "high", "home-sub": "high", outside: "high", unknown: "high" };
const GIT_HISTORY_DETAIL = "deletes the repository's history ({target}): commits not pushed, branches and stashes are lost";
// A write to a kernel control file changes the running kernel at once, with no undo, and can crash
// it (`/proc/sysrq-trigger`) or cut the network: wren cannot tell the harmless ones apart, so critical.
const WRITE_SYSTEM: Partial<Record<PathClass, Risk>> = {
  root: "critical",
  auth: "critical",
  kernel: "critical",
  system: "high",
  device: "critical",
  "home-sensitive": "high",
};

const RSYNC_DELETE = ["--delete", "--del", "--delete-before", "--delete-after", "--delete-during", "--delete-delay", "--delete-excluded", "--delete-missing-args"];
/** chmod's, chown's and chgrp's options that take a value (`--reference RFILE`, `--from OWNER`). */
const CHMOD_VALUE_OPTIONS = ["--reference", "--from"];
/** chattr's options that take a value (`-p PROJECT`, `-v VERSION`); it has no long options. */
const CHATTR_VALUE_OPTIONS = ["-p", "-v"];
/**
 * The mode of chmod (GNU: a word of option form that is not only `-R`, `-c`, `-f`, `-v`: `-w`, `-rwx`,
 * `-Rw`), the attributes of chattr (`+i`, `=i`, and `-i`, `-Ri`: not only its options' letters): for
 * `targets.leading`, read broadly, as a word taken for the mode leaves the first operand a file.
 */
const CHMOD_MODE_WORD = "^-(?!-)(?![Rcfv]+$).";
const CHATTR_MODE_WORD = "^([+=]|-(?!-)(?![RVfpv]+$).)";
/** chown's and chgrp's owner or group, chmod's mode: the first operand, unless a file gives it. */
const CHMOD_LEADING = { unless: ["--reference"] };
/** What changing ownership or permissions of a tree (`-R`), or of a file, risks. */
const CHMOD_TREE: Partial<Record<PathClass, Risk>> = { root: "critical", system: "critical", home: "high", "home-sensitive": "high", unknown: "high", "home-sub": "moderate", outside: "moderate", cwd: "moderate", project: "moderate", temp: "moderate" };
const CHMOD_FILE: Partial<Record<PathClass, Risk>> = { root: "critical", system: "high", device: "high", "home-sensitive": "moderate" };
/** setfacl's options that take an ACL or a file of them. */
const SETFACL_VALUE_OPTIONS = ["-m", "--modify", "-M", "--modify-file", "-x", "--remove", "-X", "--remove-file", "--set", "--set-file"];
/** cp's, mv's, ln's and install's options that take the next word (`-S SUFFIX`, install's `-m MODE`); `-t DIR` is read apart. */
export const COPY_VALUE_OPTIONS = ["-S", "--suffix", "--no-preserve", "-m", "--mode", "-o", "--owner", "-g", "--group", "--strip-program"];
/** rsync's options that take the next word as their value, so it is not taken for the destination. */
export const RSYNC_VALUE_OPTIONS = [
  "-e", "--rsh", "-f", "--filter", "--exclude", "--include", "--exclude-from", "--include-from", "--files-from", "-T", "--temp-dir",
  "--backup-dir", "--suffix", "--chmod", "--chown", "--compare-dest", "--copy-dest", "--link-dest", "--partial-dir", "--log-file",
  "--password-file", "--bwlimit", "--max-size", "--min-size", "--timeout", "--port", "-B", "--block-size", "-M", "--remote-option",
  "--out-format", "--rsync-path", "--usermap", "--groupmap", "--iconv",
];

/** What shred, wipe and srm overwrite beyond recovery. */
const SHRED: Partial<Record<PathClass, Risk>> = { device: "critical", system: "critical", root: "critical", home: "critical", "home-sensitive": "high", "home-sub": "high", outside: "high", cwd: "high", project: "high", temp: "high", unknown: "high" };

export const SHELLS = ["sh", "bash", "zsh", "dash", "ksh", "mksh", "ash", "fish", "csh", "tcsh"];

export const RULES: readonly Rule[] = [
  // system destruction
  { id: "rm-recursive-system", commands: ["rm"], flags: ["-r", "-R", "--recursive"], targets: { risk: DESTROY_ROOT }, category: "system destruction", detail: "deletes {target} recursively" },
  { id: "rm-system-file", commands: ["rm", "unlink"], noFlags: ["-r", "-R", "--recursive"], targets: { risk: { system: "critical", device: "high", root: "critical" } }, category: "system destruction", detail: "deletes the system file {target}" },
  { id: "rmdir-system", commands: ["rmdir"], targets: { risk: { root: "critical", system: "high", home: "high" } }, category: "system destruction", detail: "removes the folder {target}" },
  { id: "shred-device", commands: ["shred"], targets: { skip: ["-n", "--iterations", "-s", "--size", "--random-source"], risk: SHRED }, category: "data loss", detail: "irrecoverably overwrites {target}" },
  { id: "wipe-device", commands: ["wipe", "srm"], targets: { risk: SHRED }, category: "data loss", detail: "irrecoverably overwrites {target}" },
  { id: "mkfs", commands: ["mkfs", "mke2fs", "mkswap", "newfs", "wipefs"], prefixes: ["mkfs."], risk: "critical", category: "system destruction", detail: "creates a new file system, erasing the device" },
  { id: "partition", commands: ["fdisk", "sfdisk", "cfdisk", "parted", "gdisk", "sgdisk", "diskpart", "diskutil"], risk: "high", category: "system destruction", detail: "changes disk partitions" },
  { id: "diskutil-erase", commands: ["diskutil"], argPrefixes: ["erase", "zero", "secureErase", "partitionDisk"], risk: "critical", category: "system destruction", detail: "erases a disk" },
  { id: "dd-output", commands: ["dd"], targets: { prefix: "of=", risk: { device: "critical", root: "critical", system: "critical", "home-sensitive": "high", home: "high" } }, category: "system destruction", detail: "writes raw data over {target}" },
  { id: "dd-fill", commands: ["dd"], argPrefixes: ["if=/dev/zero", "if=/dev/urandom", "if=/dev/random"], noArgPrefixes: ["count="], risk: "high", category: "resource exhaustion", detail: "copies an endless stream until the disk is full" },
  { id: "cp-device", commands: ["cp", "install", "mv"], targets: { last: true, skip: COPY_VALUE_OPTIONS, risk: { device: "critical" } }, category: "system destruction", detail: "writes over the device {target}" },
  { id: "rsync-device", commands: ["rsync"], targets: { last: true, skip: RSYNC_VALUE_OPTIONS, risk: { device: "critical" } }, category: "system destruction", detail: "writes over the device {target}" },
  // mv takes its sources away and replaces its destination (or what it holds); cp, install, ln and
  // rsync only write their destination (reading a system file is not replacing it).
  { id: "mv-root-home", commands: ["mv"], targets: { skip: COPY_VALUE_OPTIONS, sources: true, risk: { root: "critical", home: "critical", system: "critical", device: "critical", null: "high" } }, category: "data loss", detail: "moves {target} away" },
  { id: "mv-onto-root-home", commands: ["mv"], targets: { skip: COPY_VALUE_OPTIONS, last: true, risk: { root: "critical", home: "critical", system: "critical", device: "critical", null: "high" } }, category: "data loss", detail: "moves files onto {target}, replacing it or what it holds" },
  { id: "mv-system", commands: ["mv"], targets: { skip: COPY_VALUE_OPTIONS, sources: true, risk: { system: "high", "home-sensitive": "high" } }, category: "system configuration", detail: "moves {target} away" },
  { id: "mv-cp-system", commands: ["cp", "install", "ln", "mv"], targets: { last: true, skip: COPY_VALUE_OPTIONS, risk: { system: "high", "home-sensitive": "high" } }, category: "system configuration", detail: "replaces {target}, or files in it" },
  { id: "rsync-system", commands: ["rsync"], targets: { last: true, skip: RSYNC_VALUE_OPTIONS, risk: { system: "high", "home-sensitive": "high" } }, category: "system configuration", detail: "replaces {target}, or files in it" },
  // Killing every process (-1) or init (PID 1) ends every session and service, ssh included: the
  // machine is lost until someone restarts it, so critical.
  { id: "kill-all", commands: ["kill"], args: ["-1", "1"], risk: "critical", category: "system destruction", detail: "kills every process, or init" },
  { id: "killall5", commands: ["killall5"], risk: "critical", category: "system destruction", detail: "kills every process" },
  { id: "killall", commands: ["killall", "pkill"], risk: "moderate", category: "system configuration", detail: "stops processes by name" },
  // Power state is critical: every session and unsaved piece of work on the machine ends, and a
  // remote or headless machine may not come back without someone at it (the machine is lost).
  // Suspending keeps the state, so it is only high. Cancelling a planned shutdown is harmless.
  { id: "shutdown", commands: ["shutdown", "reboot", "halt", "poweroff"], noFlags: ["-c", "-k"], noArgPrefixes: ["/a"], risk: "critical", category: "system configuration", detail: "shuts down or restarts the machine" },
  { id: "init-level", commands: ["init", "telinit"], args: ["0", "6", "1", "s", "single"], risk: "critical", category: "system configuration", detail: "changes the run level (shutdown, reboot or single-user mode)" },
  { id: "systemctl-power", commands: ["systemctl", "loginctl"], subcommand: ["poweroff", "reboot", "halt", "kexec", "rescue", "emergency", "soft-reboot"], risk: "critical", category: "system configuration", detail: "shuts down or restarts the machine" },
  { id: "systemctl-isolate-down", commands: ["systemctl"], argSets: [["isolate"], ["rescue.target", "emergency.target", "poweroff.target", "reboot.target", "halt.target"]], risk: "critical", category: "system configuration", detail: "switches the machine to a shutdown or rescue target" },
  { id: "systemctl-sleep", commands: ["systemctl", "loginctl", "pmset"], args: ["suspend", "hibernate", "hybrid-sleep", "suspend-then-hibernate", "sleepnow"], risk: "high", category: "system configuration", detail: "puts the machine to sleep" },
  { id: "sysrq", commands: ["sysrq"], risk: "critical", category: "system configuration", detail: "triggers a kernel SysRq action" },

  // data loss
  // A repository's .git, or its objects or refs, holds every commit, branch, tag and stash: deleting
  // it loses all that was not pushed, worse than `git clean -fdx`. In a temporary folder, as other deletions there.
  { id: "rm-git-history", commands: ["rm"], flags: ["-r", "-R", "--recursive"], targets: { pattern: GIT_HISTORY, names: [".git"], risk: GIT_HISTORY_LOSS }, category: "version-control history", detail: GIT_HISTORY_DETAIL },
  { id: "rm-recursive-data", commands: ["rm"], flags: ["-r", "-R", "--recursive"], targets: { risk: RECURSIVE_DATA }, category: "data loss", detail: "deletes {target} recursively" },
  { id: "rm-file", commands: ["rm", "unlink"], noFlags: ["-r", "-R", "--recursive"], targets: { risk: FILE_DATA }, category: "data loss", detail: "deletes {target}" },
  { id: "find-delete", commands: ["find"], args: ["-delete"], targets: { risk: { ...DESTROY_ROOT, ...RECURSIVE_DATA, cwd: "moderate" } }, category: "data loss", detail: "deletes the files find matches under {target}" },
  { id: "truncate", commands: ["truncate"], targets: { skip: ["-s", "--size", "-r", "--reference"], risk: { ...WRITE_SYSTEM, project: "moderate", "home-sub": "moderate", outside: "moderate", unknown: "moderate" } }, category: "data loss", detail: "truncates {target}" },
  // `rsync --delete SRC/ DEST` removes whatever in DEST the source lacks: with an empty or unrelated
  // source, everything in DEST, as `rm -r DEST/*` does. A remote destination is out of wren's sight.
  { id: "rsync-delete", commands: ["rsync"], flags: RSYNC_DELETE, targets: { last: true, skip: RSYNC_VALUE_OPTIONS, risk: { ...RECURSIVE_DATA, ...DESTROY_ROOT, auth: "critical" } }, category: "data loss", detail: "deletes files in {target} that are not in the source" },
  { id: "rsync-delete-remote", commands: ["rsync"], flags: RSYNC_DELETE, argPattern: "^([A-Za-z0-9._@-]+:|rsync://)", risk: "high", category: "data loss", detail: "deletes files at a remote destination that are not in the source" },
  { id: "rsync-remove-sources", commands: ["rsync"], flags: ["--remove-source-files"], risk: "high", category: "data loss", detail: "deletes the source files it sends" },
  // Units and agents that start on their own at boot, log-in or on a schedule run commands later,
  // out of the user's sight (a way to keep access), so enabling or loading one is high.
  { id: "service-enable", commands: ["systemctl"], subcommand: ["enable", "reenable", "link", "preset", "add-wants", "add-requires"], risk: "high", category: "system configuration", detail: "enables a service that starts on its own at boot or log-in" },
  { id: "launchctl-load", commands: ["launchctl"], subcommand: ["load", "bootstrap", "enable", "submit"], risk: "high", category: "system configuration", detail: "loads a launchd job that runs on its own at boot, log-in or on a schedule" },
  // PowerShell's ScheduledTasks and PSScheduledJob cmdlets, as schtasks.exe (`persistence.ts`):
  // New-ScheduledTaskAction and the like only build the task, Register-ScheduledTask installs it.
  { id: "ps-register-scheduled-task", commands: ["register-scheduledtask", "set-scheduledtask", "enable-scheduledtask", "register-scheduledjob", "set-scheduledjob", "enable-scheduledjob", "add-jobtrigger", "set-jobtrigger"], risk: "high", category: "system configuration", detail: "installs or changes a scheduled task, which runs a program on its own later" },
  { id: "ps-change-scheduled-task", commands: ["unregister-scheduledtask", "start-scheduledtask", "stop-scheduledtask", "disable-scheduledtask", "unregister-scheduledjob", "disable-scheduledjob"], risk: "moderate", category: "system configuration", detail: "removes, runs, stops or disables a scheduled task" },
  { id: "crontab-remove", commands: ["crontab"], flags: ["-r"], risk: "high", category: "data loss", detail: "deletes every scheduled job of the user" },
  { id: "dropdb", commands: ["dropdb"], risk: "critical", category: "data loss", detail: "drops a whole database" },
  { id: "dropuser", commands: ["dropuser"], risk: "high", category: "data loss", detail: "drops a database role" },
  // -i takes the rest of its word as the backup suffix (`sed -ie`: suffix "e"); the letters before it in a
  // bundle are the options that take no value (sed's -n, -E, -r, -s, -u, -z; perl's and ruby's -p, -n, -l, -a, …).
  { id: "in-place-edit", commands: ["sed", "gsed", "perl", "ruby"], inPlace: true, risk: "moderate", category: "data loss", detail: "edits files in place" },
  { id: "mv-force", commands: ["mv"], flags: ["-f", "--force"], risk: "moderate", category: "data loss", detail: "moves files over existing ones without asking" },
  { id: "kill-process", commands: ["kill", "skill", "snice"], noFlags: ["-l", "-L", "--list", "--table"], risk: "moderate", category: "system configuration", detail: "sends a signal to a process" },

  // privilege escalation
  { id: "su", commands: ["su"], risk: "moderate", category: "privilege escalation", detail: "switches to another user (root by default)" },
  { id: "visudo", commands: ["visudo"], risk: "high", category: "privilege escalation", detail: "edits who may use sudo" },
  { id: "usermod-admin", commands: ["usermod", "gpasswd", "adduser", "dseditgroup"], args: ["sudo", "wheel", "admin", "root", "docker"], risk: "high", category: "privilege escalation", detail: "adds a user to an administrative group" },
  // Credentials of privileged accounts: changing or locking them is high (someone keeps a way in);
  // removing the password or setting a known hash opens root to anyone, so critical.
  { id: "passwd-root", commands: ["passwd"], args: ["root", "administrator", "admin"], risk: "high", category: "privilege escalation", detail: "changes or locks the password of a privileged account" },
  { id: "passwd-delete-root", commands: ["passwd"], args: ["root", "administrator", "admin"], flags: ["-d", "--delete"], risk: "critical", category: "privilege escalation", detail: "removes the password of a privileged account, so anyone can log in as it" },
  { id: "usermod-root-password", commands: ["usermod"], args: ["root"], flags: ["-p", "--password", "-L", "--lock", "-U", "-s", "--shell", "-e", "--expiredate"], risk: "critical", category: "privilege escalation", detail: "sets, locks or unlocks root's credentials directly" },
  { id: "net-user-admin", commands: ["net"], argSets: [["user"], ["administrator", "admin", "root"]], risk: "critical", category: "privilege escalation", detail: "sets or clears the Administrator password" },
  { id: "ps-admin-password", commands: ["set-localuser", "disable-localuser"], args: ["administrator"], risk: "high", category: "privilege escalation", detail: "changes or disables the Administrator account" },
  { id: "setuid", commands: ["chmod", "install"], argPattern: "^(0?[2467][0-7]{3}|[ugoa]*[+=][rwxXt]*s[rwxXt]*)$", risk: "high", category: "privilege escalation", detail: "sets the setuid/setgid bit" },
  // A setuid shell or interpreter is a root shell for every local user: critical.
  { id: "setuid-shell", commands: ["chmod", "install"], argPattern: "^(0?[2467][0-7]{3}|[ugoa]*[+=][rwxXt]*s[rwxXt]*)$", targetNames: [...SHELLS, "python", "python2", "python3", "perl", "ruby", "node", "php", "lua", "env", "find", "vim", "vi", "nano", "less", "more", "awk", "gawk", "busybox", "tclsh", "expect"], risk: "critical", category: "privilege escalation", detail: "makes a shell or interpreter setuid, a root shell for every user" },
  { id: "setcap", commands: ["setcap"], risk: "high", category: "privilege escalation", detail: "grants Linux capabilities to a program" },
  { id: "chown-root", commands: ["chown"], argPrefixes: ["root", "0:"], risk: "moderate", category: "privilege escalation", detail: "gives files to root" },
  { id: "docker-privileged", commands: ["docker", "podman"], flags: ["--privileged", "--pid=host", "--net=host", "--network=host"], risk: "high", category: "privilege escalation", detail: "runs a container with host privileges" },
  { id: "docker-mount-root", commands: ["docker", "podman"], argPrefixes: ["/:/", "/etc:", "/var/run/docker.sock"], risk: "high", category: "privilege escalation", detail: "mounts host system paths into a container" },

  // remote code execution (downloads piped to shells are found structurally)
  { id: "npx", commands: ["npx", "bunx", "pnpx", "uvx"], risk: "moderate", category: "remote code execution", detail: "downloads and runs a package" },
  // The same through the package managers' own subcommands: `npm exec`/`npm x`, `pnpm dlx`, `yarn dlx`, `bun x`, `uv tool run`,
  // `pipx run` (pipx's other commands manage installed tools: `pipx install` is `pip install`).
  { id: "pipx-run", commands: ["pipx"], subcommand: ["run"], risk: "moderate", category: "remote code execution", detail: "downloads and runs a package" },
  { id: "npm-exec", commands: ["npm"], subcommand: ["exec", "x"], risk: "moderate", category: "remote code execution", detail: "downloads and runs a package" },
  { id: "dlx", commands: ["pnpm", "yarn"], subcommand: ["dlx"], risk: "moderate", category: "remote code execution", detail: "downloads and runs a package" },
  { id: "bun-x", commands: ["bun"], subcommand: ["x"], risk: "moderate", category: "remote code execution", detail: "downloads and runs a package" },
  { id: "uv-tool-run", commands: ["uv"], argSets: [["tool"], ["run"]], risk: "moderate", category: "remote code execution", detail: "downloads and runs a package" },
  // Installing runs the package's install scripts (npm's lifecycle scripts, cargo's build.rs, a
  // gem's extensions): from a URL, a git repository or another index than the registry's, code no
  // registry vouches for runs, as with npx. pip's sources and indexes are read in package-installs.ts.
  { id: "js-install-url", commands: ["npm", "pnpm", "yarn", "bun"], subcommand: JS_INSTALL, operandPattern: JS_URL_SOURCE, valueOptions: JS_VALUE_OPTIONS, risk: "moderate", category: "remote code execution", detail: "installs and builds a package from a URL (its install scripts run)" },
  { id: "js-install-git", commands: ["npm", "pnpm", "yarn", "bun"], subcommand: JS_INSTALL, operandPattern: JS_GIT_SOURCE, valueOptions: JS_VALUE_OPTIONS, risk: "moderate", category: "remote code execution", detail: "installs and builds a package from a git repository (its install scripts run)" },
  { id: "js-install-registry", commands: ["npm", "pnpm", "yarn", "bun"], subcommand: JS_INSTALL, lastValue: OTHER_REGISTRY, risk: "moderate", category: "remote code execution", detail: "installs and builds a package from a registry other than npm's (its install scripts run)" },
  { id: "npm-fetch-registry", commands: ["npm"], subcommand: NPM_FETCH, lastValue: OTHER_REGISTRY, risk: "moderate", category: "remote code execution", detail: "installs and builds a package from a registry other than npm's (its install scripts run)" },
  { id: "pnpm-update-registry", commands: ["pnpm"], subcommand: ["update", "up", "upgrade"], lastValue: OTHER_REGISTRY, risk: "moderate", category: "remote code execution", detail: "installs and builds a package from a registry other than npm's (its install scripts run)" },
  { id: "bun-update-registry", commands: ["bun"], subcommand: ["update"], lastValue: OTHER_REGISTRY, risk: "moderate", category: "remote code execution", detail: "installs and builds a package from a registry other than npm's (its install scripts run)" },
  // yarn 1's `yarn global add` installs as `yarn add` does, for the user.
  { id: "yarn-global-install-url", commands: ["yarn"], subcommand: ["global"], action: ["add"], operandPattern: JS_URL_SOURCE, valueOptions: JS_VALUE_OPTIONS, risk: "moderate", category: "remote code execution", detail: "installs and builds a package from a URL (its install scripts run)" },
  { id: "yarn-global-install-git", commands: ["yarn"], subcommand: ["global"], action: ["add"], operandPattern: JS_GIT_SOURCE, valueOptions: JS_VALUE_OPTIONS, risk: "moderate", category: "remote code execution", detail: "installs and builds a package from a git repository (its install scripts run)" },
  { id: "yarn-global-install-registry", commands: ["yarn"], subcommand: ["global"], action: ["add"], lastValue: OTHER_REGISTRY, risk: "moderate", category: "remote code execution", detail: "installs and builds a package from a registry other than npm's (its install scripts run)" },
  { id: "cargo-install-registry", commands: ["cargo"], subcommand: ["install"], flags: ["--registry", "--index"], noArgPattern: CRATES_IO, risk: "moderate", category: "remote code execution", detail: "installs and builds a package from a registry other than crates.io (its install scripts run)" },
  { id: "cargo-install-git", commands: ["cargo"], subcommand: ["install"], flags: ["--git"], risk: "moderate", category: "remote code execution", detail: "installs and builds a package from a git repository (its install scripts run)" },
  { id: "gem-install-source", commands: ["gem"], subcommand: ["install", "i"], someValue: { options: ["--source", "-s"], not: RUBYGEMS }, risk: "moderate", category: "remote code execution", detail: "installs and builds a package from a package index other than RubyGems (its install scripts run)" },
  // `go run example.com/cmd@latest` fetches and runs a module; `go run .` runs the project's own.
  { id: "go-run-remote", commands: ["go"], subcommand: ["run"], argPattern: "^[^-./][^@\\s]*\\.[^@\\s]*/[^@\\s]*@", risk: "moderate", category: "remote code execution", detail: "downloads and runs a Go module" },
  // `deno run https://…` (or npm:, jsr:) fetches and runs a script.
  { id: "deno-remote", commands: ["deno"], subcommand: ["run", "x"], argPrefixes: ["https://", "http://", "npm:", "jsr:"], risk: "moderate", category: "remote code execution", detail: "downloads and runs a script" },
  // Inline python, perl, ruby, node, php and lua code is read in inline-code.ts; these are not.
  { id: "inline-code", commands: ["osascript", "tclsh", "Rscript", "julia", "awk-exec"], flags: ["-c", "-e", "--eval"], risk: "moderate", category: "remote code execution", detail: "runs inline code that wren does not analyse" },

  // resource exhaustion
  { id: "stress", commands: ["stress", "stress-ng"], risk: "moderate", category: "resource exhaustion", detail: "loads the CPU, memory or disk on purpose" },
  { id: "fallocate", commands: ["fallocate"], risk: "moderate", category: "resource exhaustion", detail: "allocates disk space" },
  { id: "endless-stream", commands: ["cat", "pv"], args: ["/dev/zero", "/dev/urandom", "/dev/random"], risk: "moderate", category: "resource exhaustion", detail: "reads an endless stream" },

  // network exposure
  // Unpacking an archive into / or a system folder writes system files, as `cp x /etc/…` does; into
  // home it replaces start-up files and keys (~/.bashrc, ~/.ssh/authorized_keys) where the tool
  // overwrites what is there: tar by default (not with -k, --keep-old-files, --skip-old-files), unzip
  // with -o, 7z with -y or -aoa (not with -aos, -aou, -aot). Where it keeps what is there or asks
  // first, it still adds files (EXTRACT_BESIDE). tar's old-style key (`tar xzf`) is read as `-xzf`.
  { id: "extract-over", commands: TAR, flags: TAR_EXTRACT, noFlags: TAR_KEEP, targets: { values: ["-C", "--directory"], risk: EXTRACT_OVER }, category: "system configuration", detail: "unpacks files over {target}" },
  { id: "extract-beside", commands: TAR, flags: TAR_EXTRACT, targets: { values: ["-C", "--directory"], risk: EXTRACT_BESIDE }, category: "system configuration", detail: "unpacks files over {target}" },
  { id: "unzip-over", commands: ["unzip"], flags: ["-o"], targets: { values: ["-d"], risk: EXTRACT_OVER }, category: "system configuration", detail: "unpacks files over {target}" },
  { id: "unzip-beside", commands: ["unzip"], targets: { values: ["-d"], risk: EXTRACT_BESIDE }, category: "system configuration", detail: "unpacks files over {target}" },
  { id: "7z-over", commands: SEVEN_ZIP, args: ["-y", "-aoa"], noArgPrefixes: ["-aos", "-aou", "-aot"], targets: { values: ["-o"], risk: EXTRACT_OVER }, category: "system configuration", detail: "unpacks files over {target}" },
  { id: "7z-beside", commands: SEVEN_ZIP, targets: { values: ["-o"], risk: EXTRACT_BESIDE }, category: "system configuration", detail: "unpacks files over {target}" },
  // A key or credential file handed to a network tool leaves the machine: curl's `-d @FILE`,
  // `-F name=@FILE` and `-T FILE`, wget's `--post-file`, scp to a host; or its contents piped or
  // redirected into one, or put in its arguments by a substitution; so does a dump of the
  // environment (`env | nc …`, `curl -d @/proc/self/environ …`). Public keys are made to be shared.
  { id: "upload-credentials", commands: ["curl"], targets: { values: ["-d", "--data", "--data-binary", "--data-ascii", "--data-urlencode", "--json", "-F", "--form", "--form-string"], pattern: "^(?:[^=@<]*=)?[@<]([^;]+)", except: PUBLIC_KEY, risk: CREDENTIALS }, category: "network exposure", detail: "sends {target} over the network" },
  { id: "upload-credentials-file", commands: ["curl"], targets: { values: ["-T", "--upload-file"], except: PUBLIC_KEY, risk: CREDENTIALS }, category: "network exposure", detail: "sends {target} over the network" },
  { id: "post-credentials", commands: ["wget"], targets: { values: ["--post-file", "--body-file"], except: PUBLIC_KEY, risk: CREDENTIALS }, category: "network exposure", detail: "sends {target} over the network" },
  { id: "copy-credentials-remote", commands: ["scp", "sftp"], argPattern: "^[A-Za-z0-9._@-]+:", targets: { sources: true, skip: ["-i", "-F", "-P", "-o", "-c", "-l", "-S", "-J", "-D", "-X", "-b"], except: PUBLIC_KEY, risk: CREDENTIALS }, category: "network exposure", detail: "copies {target} to another machine" },
  { id: "rsync-credentials-remote", commands: ["rsync"], argPattern: "^[A-Za-z0-9._@-]+:", targets: { sources: true, skip: RSYNC_VALUE_OPTIONS, except: PUBLIC_KEY, risk: CREDENTIALS }, category: "network exposure", detail: "copies {target} to another machine" },
  // Cloud storage and sharing CLIs: what comes before the remote place is uploaded (a download into
  // ~/.ssh sends nothing); a gist, a snippet, a release asset or a croc/wormhole/ffsend transfer is sent.
  { id: "upload-credentials-aws-s3", commands: ["aws"], argSets: [["s3"], ["cp", "mv", "sync"]], targets: { uploadTo: "^s3://", skip: AWS_S3_VALUE_OPTIONS, except: PUBLIC_KEY, risk: CREDENTIALS }, category: "network exposure", detail: UPLOAD_CLOUD },
  { id: "upload-credentials-aws-s3api", commands: ["aws"], argSets: [["s3api"], ["put-object", "upload-part"]], targets: { values: ["--body"], except: PUBLIC_KEY, risk: CREDENTIALS }, category: "network exposure", detail: UPLOAD_CLOUD },
  { id: "upload-credentials-s3cmd", commands: ["s3cmd"], subcommand: ["put", "sync", "cp", "mv"], targets: { uploadTo: "^s3://", except: PUBLIC_KEY, risk: CREDENTIALS }, category: "network exposure", detail: UPLOAD_CLOUD },
  // MinIO's `ALIAS/BUCKET` reads as a relative path: a key copied to one is taken as uploaded.
  { id: "upload-credentials-mc", commands: ["mc"], subcommand: ["cp", "mv", "mirror", "put"], targets: { uploadTo: "^[A-Za-z0-9_-]+/", except: PUBLIC_KEY, risk: CREDENTIALS }, category: "network exposure", detail: UPLOAD_CLOUD },
  { id: "upload-credentials-gsutil", commands: ["gsutil"], args: ["cp", "mv", "rsync"], targets: { uploadTo: "^(gs|s3)://", skip: ["-h", "-o", "-u", "-i"], except: PUBLIC_KEY, risk: CREDENTIALS }, category: "network exposure", detail: UPLOAD_CLOUD },
  { id: "upload-credentials-gcloud", commands: ["gcloud"], argSets: [["storage"], ["cp", "mv", "rsync"]], targets: { uploadTo: "^(gs|s3)://", skip: ["--project", "--account", "--configuration"], except: PUBLIC_KEY, risk: CREDENTIALS }, category: "network exposure", detail: UPLOAD_CLOUD },
  { id: "upload-credentials-az", commands: ["az"], argSets: [["storage"], ["upload", "upload-batch", "sync", "copy"]], targets: { values: ["-f", "--file", "-s", "--source"], except: PUBLIC_KEY, risk: CREDENTIALS }, category: "network exposure", detail: UPLOAD_CLOUD },
  { id: "upload-credentials-azcopy", commands: ["azcopy"], subcommand: ["copy", "cp", "sync"], targets: { uploadTo: "^https?://", except: PUBLIC_KEY, risk: CREDENTIALS }, category: "network exposure", detail: UPLOAD_CLOUD },
  // rclone's remotes: `NAME:path` (two characters or more: `C:` is a drive) and `:backend:path`.
  { id: "upload-credentials-rclone", commands: ["rclone"], subcommand: ["copy", "copyto", "sync", "move", "moveto", "bisync"], targets: { uploadTo: "^(:[A-Za-z0-9_-]+[,:]|[A-Za-z0-9_.][A-Za-z0-9_. -]*[A-Za-z0-9_.-]:)", skip: RCLONE_VALUE_OPTIONS, except: PUBLIC_KEY, risk: CREDENTIALS }, category: "network exposure", detail: UPLOAD_CLOUD },
  // A secret gist is still readable by anyone with its URL.
  { id: "upload-credentials-gist", commands: ["gh"], subcommand: ["gist"], action: ["create", "new"], targets: { skip: ["-d", "--desc", "-f", "--filename"], except: PUBLIC_KEY, risk: CREDENTIALS }, category: "network exposure", detail: UPLOAD_GIST },
  // `gh gist edit ID --add FILE`, and `gh gist edit ID [-f NAME] FILE`, whose FILE replaces a file's
  // content or, with `--add NAME`, is the new file's (cli/cli's edit.go: `opts.SourceFile = args[1]`).
  { id: "upload-credentials-gist-add", commands: ["gh"], subcommand: ["gist"], action: ["edit"], targets: { values: ["-a", "--add"], noOperand: true, skip: GIST_EDIT_VALUE_OPTIONS, skipOperands: 1, except: PUBLIC_KEY, risk: CREDENTIALS }, category: "network exposure", detail: UPLOAD_GIST },
  { id: "upload-credentials-gist-edit", commands: ["gh"], subcommand: ["gist"], action: ["edit"], targets: { skip: GIST_EDIT_VALUE_OPTIONS, skipOperands: 1, except: PUBLIC_KEY, risk: CREDENTIALS }, category: "network exposure", detail: UPLOAD_GIST },
  { id: "upload-credentials-snippet", commands: ["glab"], subcommand: ["snippet"], action: ["create", "new"], targets: { skip: ["-t", "--title", "-d", "--description", "-f", "--filename", "-v", "--visibility"], except: PUBLIC_KEY, risk: CREDENTIALS }, category: "network exposure", detail: "uploads {target} to a snippet on the repository host" },
  { id: "upload-credentials-release", commands: ["gh", "glab"], subcommand: ["release"], action: ["create", "upload"], targets: { skip: RELEASE_VALUE_OPTIONS, except: PUBLIC_KEY, risk: CREDENTIALS }, category: "network exposure", detail: "uploads {target} to a release on the repository host" },
  { id: "send-credentials-relay", commands: ["croc", "wormhole", "wormhole-rs"], args: ["send", "tx"], targets: { skip: ["--text", "--code", "--relay", "--relay6", "--pass", "--curve", "--ip", "--socks5", "--hash", "--ports", "--relay-url", "--transit-helper", "--appid", "--code-length"], except: PUBLIC_KEY, risk: CREDENTIALS }, category: "network exposure", detail: "sends {target} to whoever has the transfer code, through a relay on the internet" },
  { id: "upload-credentials-ffsend", commands: ["ffsend"], subcommand: ["upload", "up", "u"], targets: { skip: ["-d", "--downloads", "-e", "--expiry", "--host", "-n", "--name"], except: PUBLIC_KEY, risk: CREDENTIALS }, category: "network exposure", detail: "uploads {target} to a file-sharing service, for whoever has the link" },
  // Upload CLIs that send their standard input: a gist given `-` or, for `create`, no file; a cloud
  // copy from `-` (to `-` is a download to the standard output); rclone's rcat and MinIO's mc pipe.
  { id: "pipe-credentials-gist", commands: ["gh"], subcommand: ["gist"], action: ["create", "new"], targets: { fed: "stdin", stdinDash: "orNone", skip: ["-d", "--desc", "-f", "--filename"], except: PUBLIC_KEY, risk: CREDENTIALS }, category: "network exposure", detail: "uploads the contents of {target} to a gist, readable by anyone with its link" },
  { id: "pipe-credentials-gist-edit", commands: ["gh"], subcommand: ["gist"], action: ["edit"], targets: { fed: "stdin", stdinDash: "given", skip: GIST_EDIT_VALUE_OPTIONS, skipOperands: 1, except: PUBLIC_KEY, risk: CREDENTIALS }, category: "network exposure", detail: "uploads the contents of {target} to a gist, readable by anyone with its link" },
  // A key read into a gist's description by a substitution goes to the gist (`-d "$(cat KEY)"`); a file named by one is no file gh finds.
  { id: "argument-credentials-gist", commands: ["gh"], subcommand: ["gist"], action: ["create", "new", "edit"], flags: ["-d", "--desc"], targets: { fed: "arguments", except: PUBLIC_KEY, risk: CREDENTIALS }, category: "network exposure", detail: "uploads the contents of {target} to a gist, readable by anyone with its link" },
  { id: "pipe-credentials-aws-s3", commands: ["aws"], argSets: [["s3"], ["cp"]], targets: { fed: "stdin", stdinDash: "given", uploadTo: "^s3://", skip: AWS_S3_VALUE_OPTIONS, except: PUBLIC_KEY, risk: CREDENTIALS }, category: "network exposure", detail: "uploads the contents of {target} to cloud storage" },
  { id: "pipe-credentials-gsutil", commands: ["gsutil"], args: ["cp"], targets: { fed: "stdin", stdinDash: "given", uploadTo: "^(gs|s3)://", skip: ["-h", "-o", "-u", "-i"], except: PUBLIC_KEY, risk: CREDENTIALS }, category: "network exposure", detail: "uploads the contents of {target} to cloud storage" },
  { id: "pipe-credentials-gcloud", commands: ["gcloud"], argSets: [["storage"], ["cp"]], targets: { fed: "stdin", stdinDash: "given", uploadTo: "^(gs|s3)://", skip: ["--project", "--account", "--configuration"], except: PUBLIC_KEY, risk: CREDENTIALS }, category: "network exposure", detail: "uploads the contents of {target} to cloud storage" },
  { id: "pipe-credentials-rclone", commands: ["rclone"], subcommand: ["rcat"], targets: { fed: "stdin", except: PUBLIC_KEY, risk: CREDENTIALS }, category: "network exposure", detail: "uploads the contents of {target} to cloud storage" },
  { id: "pipe-credentials-mc", commands: ["mc"], subcommand: ["pipe"], targets: { fed: "stdin", except: PUBLIC_KEY, risk: CREDENTIALS }, category: "network exposure", detail: "uploads the contents of {target} to cloud storage" },
  { id: "pipe-credentials", commands: [...NETCAT, "socat", "telnet", "openssl", "websocat", "cryptcat", "ssh"], targets: { fed: "stdin", except: PUBLIC_KEY, risk: CREDENTIALS }, category: "network exposure", detail: "sends the contents of {target} over the network" },
  // curl sends its standard input only where told to: `-d @-`, `-F f=@-`, `-T -`.
  { id: "pipe-credentials-curl", commands: ["curl"], argPattern: "@(-|/dev/stdin)$|^(-|/dev/stdin)$", targets: { fed: "stdin", except: PUBLIC_KEY, risk: CREDENTIALS }, category: "network exposure", detail: "sends the contents of {target} over the network" },
  // httpie and xh send their standard input as the body unless `--ignore-stdin` (`-I`), and a file
  // named in an item: `@FILE` (the body), `field@FILE` (a form's file), `field=@FILE`, `field:=@FILE`.
  { id: "pipe-credentials-httpie", commands: HTTPIE_CLIENTS, noFlags: ["-I", "--ignore-stdin", "--offline"], targets: { fed: "stdin", except: PUBLIC_KEY, risk: CREDENTIALS }, category: "network exposure", detail: "sends the contents of {target} over the network" },
  // PowerShell's web cmdlets send what their pipeline gives them as -Body (`Get-Content F | irm …`,
  // `gci env: | irm …`), and the file -InFile names (see cmdlet-contents.ts).
  { id: "pipe-credentials-web-cmdlet", commands: ["invoke-webrequest", "invoke-restmethod"], targets: { fed: "stdin", except: PUBLIC_KEY, risk: CREDENTIALS }, category: "network exposure", detail: "sends the contents of {target} over the network" },
  { id: "upload-credentials-httpie", commands: HTTPIE_CLIENTS, noFlags: ["--offline"], targets: { pattern: "^(?:[^=:@/]*(?:=|:=)?)?@(.+)$", except: PUBLIC_KEY, risk: CREDENTIALS }, category: "network exposure", detail: "sends {target} over the network" },
  // `curl "https://x?k=$(cat F)"`, `dig $(base64 F).example.com`, `irm -Body (Get-Content F)`: the contents go out in the request.
  { id: "argument-credentials", commands: [...NETCAT, "curl", "wget", ...HTTPIE_CLIENTS, "invoke-webrequest", "invoke-restmethod", "aria2c", "socat", "telnet", "ssh", "scp", "sftp", "rsync", "dig", "nslookup", "host", "ping"], targets: { fed: "arguments", except: PUBLIC_KEY, risk: CREDENTIALS }, category: "network exposure", detail: "sends the contents of {target} over the network" },
  { id: "netcat-exec", commands: ["nc", "ncat", "netcat", "nc.traditional", "nc.openbsd"], flags: ["-e", "-c", "--exec", "--sh-exec", "--lua-exec"], risk: "critical", category: "network exposure", detail: "serves a shell over the network" },
  { id: "netcat-listen", commands: ["nc", "ncat", "netcat", "nc.traditional", "nc.openbsd"], flags: ["-l", "--listen"], risk: "moderate", category: "network exposure", detail: "listens for network connections" },
  { id: "socat-exec", commands: ["socat"], argPrefixes: ["exec:", "EXEC:", "system:", "SYSTEM:"], risk: "critical", category: "network exposure", detail: "connects a program to a socket" },
  { id: "http-server", commands: ["python", "python2", "python3"], args: ["http.server", "SimpleHTTPServer"], risk: "moderate", category: "network exposure", detail: "serves the current folder over HTTP" },
  { id: "tunnel", commands: ["ngrok", "cloudflared", "localtunnel", "lt"], risk: "moderate", category: "network exposure", detail: "exposes a local port to the internet" },
  { id: "ssh-remote-forward", commands: ["ssh"], flags: ["-R"], risk: "moderate", category: "network exposure", detail: "opens a reverse tunnel into this machine" },
  { id: "firewall-off", commands: ["ufw"], args: ["disable", "reset"], risk: "high", category: "network exposure", detail: "turns the firewall off" },
  { id: "iptables-flush", commands: ["iptables", "ip6tables", "nft"], flags: ["-F", "--flush", "-X", "-P", "--policy"], risk: "high", category: "network exposure", detail: "removes firewall rules" },
  { id: "nft-flush", commands: ["nft"], args: ["flush"], risk: "high", category: "network exposure", detail: "removes firewall rules" },
  { id: "firewalld-stop", commands: ["systemctl", "service"], args: ["firewalld", "ufw", "iptables", "nftables"], risk: "high", category: "network exposure", detail: "stops the firewall" },
  { id: "pf-off", commands: ["pfctl"], flags: ["-d"], risk: "high", category: "network exposure", detail: "turns the packet filter off" },
  { id: "netsh-firewall", commands: ["netsh"], args: ["off"], risk: "high", category: "network exposure", detail: "turns the Windows firewall off" },

  // system configuration
  // The first operand is the mode, owner, group or attributes (`targets.leading`), not a file.
  { id: "chmod-recursive-system", commands: ["chmod"], flags: ["-R", "--recursive"], targets: { skip: CHMOD_VALUE_OPTIONS, leading: { ...CHMOD_LEADING, modeLike: CHMOD_MODE_WORD }, risk: CHMOD_TREE }, category: "system configuration", detail: "changes ownership or permissions of everything under {target}" },
  { id: "chown-recursive-system", commands: ["chown", "chgrp"], flags: ["-R", "--recursive"], targets: { skip: CHMOD_VALUE_OPTIONS, leading: CHMOD_LEADING, risk: CHMOD_TREE }, category: "system configuration", detail: "changes ownership or permissions of everything under {target}" },
  { id: "chattr-recursive-system", commands: ["chattr"], flags: ["-R"], targets: { skip: CHATTR_VALUE_OPTIONS, leading: { modeLike: CHATTR_MODE_WORD }, risk: CHMOD_TREE }, category: "system configuration", detail: "changes ownership or permissions of everything under {target}" },
  { id: "setfacl-recursive-system", commands: ["setfacl"], flags: ["-R", "--recursive"], targets: { skip: SETFACL_VALUE_OPTIONS, risk: { root: "critical", system: "critical", home: "high", "home-sensitive": "high", unknown: "high", "home-sub": "moderate", outside: "moderate", cwd: "moderate", project: "moderate", temp: "moderate" } }, category: "system configuration", detail: "changes ownership or permissions of everything under {target}" },
  { id: "chmod-system", commands: ["chmod"], targets: { skip: CHMOD_VALUE_OPTIONS, leading: { ...CHMOD_LEADING, modeLike: CHMOD_MODE_WORD }, risk: CHMOD_FILE }, category: "system configuration", detail: "changes ownership or permissions of {target}" },
  { id: "chown-system", commands: ["chown", "chgrp"], targets: { skip: CHMOD_VALUE_OPTIONS, leading: CHMOD_LEADING, risk: CHMOD_FILE }, category: "system configuration", detail: "changes ownership or permissions of {target}" },
  { id: "chattr-system", commands: ["chattr"], targets: { skip: CHATTR_VALUE_OPTIONS, leading: { modeLike: CHATTR_MODE_WORD }, risk: CHMOD_FILE }, category: "system configuration", detail: "changes ownership or permissions of {target}" },
  { id: "chmod-world-writable", commands: ["chmod"], args: ["777", "666", "a+rwx", "a+w", "o+w", "ugo+rwx", "0777"], risk: "moderate", category: "system configuration", detail: "makes files writable by every user" },
  { id: "systemctl-change", commands: ["systemctl", "service", "launchctl", "rc-service", "sv"], subcommand: ["stop", "disable", "mask", "kill", "unload", "bootout", "remove", "restart", "isolate", "set-default"], risk: "moderate", category: "system configuration", detail: "stops or disables a system service" },
  { id: "kernel-modules", commands: ["insmod", "rmmod", "modprobe", "kextload", "kextunload"], risk: "high", category: "system configuration", detail: "loads or removes kernel modules" },
  // Kernel parameters take effect at once, with no undo, and can cut the network or crash the kernel.
  { id: "sysctl-write", commands: ["sysctl"], flags: ["-w", "-p", "--write", "--load", "--system"], risk: "high", category: "system configuration", detail: "changes kernel parameters" },
  { id: "sysctl-assign", commands: ["sysctl"], argPattern: "^[a-z0-9_.]+=", risk: "high", category: "system configuration", detail: "changes kernel parameters" },
  { id: "mount", commands: ["mount", "umount", "swapoff", "swapon"], risk: "moderate", category: "system configuration", detail: "changes mounted file systems or swap" },
  { id: "security-off", commands: ["setenforce", "csrutil", "spctl"], args: ["0", "disable", "--master-disable", "permissive"], risk: "critical", category: "system configuration", detail: "turns an operating-system security feature off" },
  { id: "bootloader", commands: ["grub-install", "update-grub", "grub-mkconfig", "efibootmgr", "bcdedit", "bootcfg", "nvram", "bless"], risk: "high", category: "system configuration", detail: "changes how the machine boots" },
  { id: "package-install", commands: ["apt", "apt-get", "aptitude", "yum", "dnf", "zypper", "pacman", "apk", "snap", "flatpak", "port", "emerge", "choco", "winget", "scoop"], noSubcommand: ["list", "show", "search", "policy", "info", "depends", "rdepends", "madison", "changelog", "-Q", "-Qi", "-Ql", "-Ss", "-Si", "check-update", "history", "repolist", "provides", "whatprovides", "--version", "-v", "help", "find", "files"], risk: "moderate", category: "system configuration", detail: "installs or removes system packages" },
  // With `config` (npm's `c`, `set`, `get`) the flag names the config written, with a listing (`ls`,
  // `root`, `outdated`) the packages read: they install nothing.
  { id: "package-global", commands: ["npm", "pnpm", "yarn", "gem", "cargo"], flags: ["-g", "--global"], noSubcommand: ["config", "c", "set", "get", "ls", "list", "ll", "la", "root", "prefix", "outdated"], risk: "moderate", category: "system configuration", detail: "installs packages for the whole system" },
  // Where packages are downloaded from: a registry or index set in the user's (or the system's)
  // config serves every later install in every project, as `echo registry=… >> ~/.npmrc` does. npm
  // writes the user's ~/.npmrc unless `--location=project` (`-L project`), pnpm and yarn 1 their
  // user config, pip the user's pip.conf (`--global`: the system's) unless `--site` (the virtual
  // environment's), yarn 2+ the project's .yarnrc.yml unless `-H` (`--home`). The registries' own
  // defaults change nothing. `go env -w` writes the user's go/env file: a GOPROXY, or settings that
  // drop the checksum checks (GOSUMDB=off, GONOSUMDB, GOINSECURE, GOFLAGS=-insecure), hold for
  // every module download. conda writes the user's ~/.condarc (`--system`: the system's) unless
  // `--env`, the active environment's; a channel given by URL is another server (by name, anaconda.org).
  // `gem sources --add` writes ~/.gemrc. git's `url.BASE.insteadOf` is read in git-config.ts.
  { id: "registry-user", commands: ["npm", "pnpm", "yarn"], subcommand: ["config", "c", "set"], args: ["set"], settings: OTHER_REGISTRY_SET, lastValue: { options: LOCATION, not: "^project$", orNone: true }, risk: "high", category: "system configuration", detail: "changes where packages are downloaded from for every project" },
  // `-g` (`--global`) writes the global config, whatever `--location` says.
  { id: "registry-global", commands: ["npm", "pnpm"], subcommand: ["config", "c", "set"], args: ["set"], flags: ["-g", "--global"], settings: OTHER_REGISTRY_SET, risk: "high", category: "system configuration", detail: "changes where packages are downloaded from for every project" },
  { id: "registry-project", commands: ["npm", "pnpm"], subcommand: ["config", "c", "set"], args: ["set"], noFlags: ["-g", "--global"], settings: OTHER_REGISTRY_SET, lastValue: { options: LOCATION, not: "^(user|global)$" }, risk: "moderate", category: "system configuration", detail: "changes where packages are downloaded from for this project" },
  { id: "yarn-registry-home", commands: ["yarn"], subcommand: ["config"], argSets: [["set"], ["-H", "--home"]], argPattern: YARN_REGISTRY_KEY, noArgPattern: DEFAULT_REGISTRY, risk: "high", category: "system configuration", detail: "changes where packages are downloaded from for every project" },
  { id: "yarn-registry-project", commands: ["yarn"], subcommand: ["config"], args: ["set"], argPattern: YARN_REGISTRY_KEY, noArgPattern: `^(-H|--home)$|${DEFAULT_REGISTRY}`, risk: "moderate", category: "system configuration", detail: "changes where packages are downloaded from for this project" },
  { id: "pip-index-user", commands: ["pip", "pip3"], subcommand: ["config"], args: ["set"], argPattern: PIP_INDEX_KEY, noFlags: ["--site"], noArgPattern: DEFAULT_REGISTRY, risk: "high", category: "system configuration", detail: "changes where packages are downloaded from for every project" },
  { id: "pip-index-user-module", commands: ["python", "python3"], argSets: [["-m"], ["pip"], ["config"], ["set"]], argPattern: PIP_INDEX_KEY, noFlags: ["--site"], noArgPattern: DEFAULT_REGISTRY, risk: "high", category: "system configuration", detail: "changes where packages are downloaded from for every project" },
  { id: "go-proxy-user", commands: ["go"], subcommand: ["env"], flags: ["-w"], argPattern: GO_PROXY_SET, risk: "high", category: "system configuration", detail: "changes where packages are downloaded from for every project" },
  { id: "go-unchecked-user", commands: ["go"], subcommand: ["env"], flags: ["-w"], argPattern: GO_UNCHECKED_SET, risk: "high", category: "system configuration", detail: "no longer checks the packages downloaded for every project against their published checksums" },
  { id: "conda-channel-user", commands: ["conda"], subcommand: ["config"], flags: CONDA_ADD_CHANNEL, args: ["channels"], argPattern: "://", noFlags: ["--env"], noArgPattern: CONDA_DEFAULT_CHANNEL, risk: "high", category: "system configuration", detail: "changes where packages are downloaded from for every project" },
  { id: "conda-channel-env", commands: ["conda"], subcommand: ["config"], allFlags: ["--env"], flags: CONDA_ADD_CHANNEL, args: ["channels"], argPattern: "://", noArgPattern: CONDA_DEFAULT_CHANNEL, risk: "moderate", category: "system configuration", detail: "changes where packages are downloaded from for this environment" },
  // conda's `channel_alias` is the server that every channel named without a URL comes from.
  { id: "conda-alias-user", commands: ["conda"], subcommand: ["config"], flags: ["--set"], args: ["channel_alias"], argPattern: "://", noFlags: ["--env"], noArgPattern: CONDA_DEFAULT_ALIAS, risk: "high", category: "system configuration", detail: "changes where packages are downloaded from for every project" },
  { id: "conda-alias-env", commands: ["conda"], subcommand: ["config"], allFlags: ["--env", "--set"], args: ["channel_alias"], argPattern: "://", noArgPattern: CONDA_DEFAULT_ALIAS, risk: "moderate", category: "system configuration", detail: "changes where packages are downloaded from for this environment" },
  { id: "gem-source-user", commands: ["gem"], subcommand: ["sources"], lastValue: { options: ["--add", "-a"], not: RUBYGEMS }, risk: "high", category: "system configuration", detail: "changes where packages are downloaded from for every project" },
  { id: "pip-index-site", commands: ["pip", "pip3", "python", "python3"], argSets: [["config"], ["set"], ["--site"]], argPattern: PIP_INDEX_KEY, noArgPattern: DEFAULT_REGISTRY, risk: "moderate", category: "system configuration", detail: "changes where packages are downloaded from for this environment" },
  { id: "user-accounts", commands: ["useradd", "userdel", "groupadd", "groupdel", "deluser", "chpasswd"], risk: "high", category: "system configuration", detail: "changes user accounts" },
  { id: "defaults-write", commands: ["defaults", "gsettings", "dconf", "reg", "regedit", "scutil", "hostnamectl", "timedatectl", "update-alternatives"], args: ["write", "delete", "set", "reset", "add", "import", "--set", "--install", "--remove"], risk: "moderate", category: "system configuration", detail: "changes system settings" },
  { id: "reg-hklm", commands: ["reg"], argPrefixes: ["HKLM", "hklm", "HKEY_LOCAL_MACHINE"], args: ["delete", "add"], risk: "high", category: "system configuration", detail: "changes machine-wide registry settings" },
  { id: "history-wipe", commands: ["history"], flags: ["-c"], risk: "moderate", category: "system configuration", detail: "clears the shell history" },
  // Writing, deleting or linking away the history files themselves is judged as writing start-up files (`SENSITIVE_HOME`).
  { id: "history-off", commands: ["set"], argSets: [["+o"], ["history"]], risk: "moderate", category: "system configuration", detail: HISTORY_OFF_DETAIL },
  { id: "history-off-powershell", commands: ["set-psreadlineoption"], args: ["SaveNothing"], risk: "moderate", category: "system configuration", detail: HISTORY_OFF_DETAIL },

  // version-control history
  // A push writes to a shared remote, where others fetch it (a secret pushed is out for good): never
  // safe. A trial run (`--dry-run`, `-n`) sends nothing.
  // A force or delete push has its own, more telling finding below.
  { id: "git-push", commands: ["git"], subcommand: ["push"], noFlags: [...DRY_RUN, "-f", "--force", "--mirror", "--force-with-lease", "--force-if-includes", "-d", "--delete", "--prune"], noArgPattern: "^[+:]", risk: "moderate", category: "version-control history", detail: "pushes commits to a remote" },
  { id: "hg-push", commands: ["hg"], subcommand: ["push"], risk: "moderate", category: "version-control history", detail: "pushes commits to a remote" },
  { id: "jj-push", commands: ["jj"], argSets: [["git"], ["push"]], noFlags: ["--dry-run"], risk: "moderate", category: "version-control history", detail: "pushes commits to a remote" },
  { id: "git-force-push", commands: ["git"], subcommand: ["push"], flags: ["-f", "--force", "--mirror"], noFlags: DRY_RUN, risk: "high", category: "version-control history", detail: "force-pushes, overwriting the remote history" },
  { id: "git-force-push-refspec", commands: ["git"], subcommand: ["push"], argPrefixes: ["+"], noFlags: DRY_RUN, risk: "high", category: "version-control history", detail: "force-pushes a ref (+refspec), overwriting the remote history" },
  { id: "git-force-with-lease", commands: ["git"], subcommand: ["push"], flags: ["--force-with-lease", "--force-if-includes"], noFlags: DRY_RUN, risk: "moderate", category: "version-control history", detail: "force-pushes with a lease, rewriting the remote branch" },
  { id: "git-push-delete", commands: ["git"], subcommand: ["push"], flags: ["-d", "--delete", "--prune"], noFlags: DRY_RUN, risk: "high", category: "version-control history", detail: "deletes branches or tags on the remote" },
  { id: "git-push-delete-refspec", commands: ["git"], subcommand: ["push"], argPrefixes: [":"], noFlags: DRY_RUN, risk: "high", category: "version-control history", detail: "deletes a branch on the remote (:refspec)" },
  { id: "git-reset-hard", commands: ["git"], subcommand: ["reset"], flags: ["--hard", "--merge", "--keep"], risk: "high", category: "version-control history", detail: "discards commits and uncommitted changes" },
  { id: "git-clean", commands: ["git"], subcommand: ["clean"], flags: ["-f", "--force"], risk: "high", category: "data loss", detail: "deletes untracked files for good" },
  { id: "git-checkout-discard", commands: ["git"], subcommand: ["checkout", "restore"], args: [".", "--", "--worktree", "-W"], noFlags: ["-b", "-B", "--staged"], risk: "moderate", category: "data loss", detail: "discards uncommitted changes" },
  // `git checkout -f`/`git switch --discard-changes` throw away every uncommitted change; `git restore
  // PATH` restores the working tree (its default) unless only --staged is asked for.
  { id: "git-checkout-force", commands: ["git"], subcommand: ["checkout", "switch"], flags: ["-f", "--force", "--discard-changes"], risk: "moderate", category: "data loss", detail: "discards uncommitted changes" },
  { id: "git-restore-worktree", commands: ["git"], subcommand: ["restore"], noFlags: ["--staged", "-S"], risk: "moderate", category: "data loss", detail: "discards uncommitted changes" },
  { id: "git-restore-both", commands: ["git"], subcommand: ["restore"], flags: ["--worktree", "-W"], risk: "moderate", category: "data loss", detail: "discards uncommitted changes" },
  { id: "git-rewrite", commands: ["git"], subcommand: ["filter-branch", "filter-repo", "replace"], risk: "high", category: "version-control history", detail: "rewrites the repository's history" },
  { id: "git-reflog-expire", commands: ["git"], subcommand: ["reflog", "gc", "prune"], args: ["expire", "--prune=now", "--expire=now", "--expire-unreachable=now", "--aggressive"], risk: "high", category: "version-control history", detail: "drops unreachable commits for good" },
  { id: "git-update-ref-delete", commands: ["git"], subcommand: ["update-ref"], flags: ["-d"], risk: "high", category: "version-control history", detail: "deletes a ref directly" },
  { id: "git-branch-delete", commands: ["git"], subcommand: ["branch", "tag"], flags: ["-D", "-d", "--delete"], risk: "moderate", category: "version-control history", detail: "deletes branches or tags" },
  // `git rm -f` removes tracked files even with changes not committed (without -f git refuses those).
  { id: "git-rm-force", commands: ["git"], subcommand: ["rm"], flags: ["-f", "--force"], noFlags: ["--cached", "-n", "--dry-run"], risk: "moderate", category: "data loss", detail: "removes tracked files with their uncommitted changes" },
  // `git worktree remove --force` deletes a worktree with its changes and untracked files, as `git clean -f` does.
  { id: "git-worktree-remove-force", commands: ["git"], subcommand: ["worktree"], args: ["remove"], flags: ["-f", "--force"], risk: "high", category: "data loss", detail: "deletes a worktree with its uncommitted changes and untracked files" },
  { id: "git-stash-drop", commands: ["git"], subcommand: ["stash"], args: ["drop", "clear"], risk: "moderate", category: "data loss", detail: "drops stashed changes" },
  { id: "git-rebase", commands: ["git"], subcommand: ["rebase"], noFlags: ["--abort", "--continue", "--skip"], risk: "moderate", category: "version-control history", detail: "rewrites commits of the branch" },
  { id: "git-amend", commands: ["git"], subcommand: ["commit"], flags: ["--amend"], risk: "moderate", category: "version-control history", detail: "rewrites the last commit" },
  { id: "hg-strip", commands: ["hg"], subcommand: ["strip", "rollback", "histedit"], risk: "high", category: "version-control history", detail: "removes commits from history" },

  // PowerShell cmdlets (names are lowercase, aliases already expanded)
  { id: "ps-remove-recursive-system", commands: ["remove-item"], params: ["recurse"], targets: { risk: DESTROY_ROOT }, category: "system destruction", detail: "deletes {target} recursively" },
  { id: "ps-remove-git-history", commands: ["remove-item"], params: ["recurse"], targets: { pattern: GIT_HISTORY, names: [".git"], risk: GIT_HISTORY_LOSS }, category: "version-control history", detail: GIT_HISTORY_DETAIL },
  { id: "ps-remove-recursive-data", commands: ["remove-item"], params: ["recurse"], targets: { risk: RECURSIVE_DATA }, category: "data loss", detail: "deletes {target} recursively" },
  { id: "ps-remove-file", commands: ["remove-item"], noParams: ["recurse"], targets: { risk: { ...FILE_DATA, system: "critical", root: "critical" } }, category: "data loss", detail: "deletes {target}" },
  { id: "ps-format", commands: ["format-volume", "clear-disk", "initialize-disk", "remove-partition", "format"], risk: "critical", category: "system destruction", detail: "erases a disk or volume" },
  { id: "ps-power", commands: ["stop-computer", "restart-computer"], risk: "critical", category: "system configuration", detail: "shuts down or restarts the machine" },
  { id: "ps-execution-policy", commands: ["set-executionpolicy"], risk: "moderate", category: "system configuration", detail: "changes which scripts PowerShell will run" },
  { id: "ps-execution-policy-open", commands: ["set-executionpolicy"], args: ["unrestricted", "bypass"], risk: "high", category: "system configuration", detail: "lets PowerShell run any script, signed or not" },
  { id: "ps-defender-off", commands: ["set-mppreference", "add-mppreference"], risk: "high", category: "system configuration", detail: "weakens Windows Defender" },
  { id: "ps-firewall-off", commands: ["set-netfirewallprofile", "disable-netfirewallrule"], risk: "high", category: "network exposure", detail: "turns firewall protection off" },
  { id: "ps-firewall-rule", commands: ["new-netfirewallrule"], risk: "moderate", category: "network exposure", detail: "opens the firewall" },
  { id: "ps-registry", commands: ["set-itemproperty", "new-itemproperty", "remove-itemproperty", "remove-item", "new-item", "set-item"], argPrefixes: ["HKLM:", "hklm:", "Registry::HKEY_LOCAL_MACHINE"], risk: "high", category: "system configuration", detail: "changes machine-wide registry settings" },
  { id: "ps-admin-user", commands: ["add-localgroupmember", "new-localuser", "enable-localuser"], risk: "high", category: "privilege escalation", detail: "creates or promotes a local account" },
  { id: "ps-runas", commands: ["start-process"], args: ["runas"], risk: "high", category: "privilege escalation", detail: "starts a process as administrator" },
  { id: "ps-stop-service", commands: ["stop-service", "set-service", "remove-service"], risk: "moderate", category: "system configuration", detail: "stops or reconfigures a service" },
  { id: "ps-stop-process", commands: ["stop-process"], risk: "moderate", category: "system configuration", detail: "stops processes" },
  // Set-Content, Add-Content, Out-File, Clear-Content and Tee-Object are judged by the file they write as a redirection is (`cmdletWrites`).
  { id: "ps-write-system", commands: ["move-item", "new-item"], targets: { risk: WRITE_SYSTEM }, category: "system configuration", detail: "writes to {target}" },
  // Copy-Item only reads its sources: `Copy-Item C:\Windows\win.ini .` writes nothing there.
  { id: "ps-copy-system", commands: ["copy-item"], targets: { last: true, risk: WRITE_SYSTEM }, category: "system configuration", detail: "writes to {target}" },
  { id: "ps-move-home", commands: ["move-item"], targets: { risk: { root: "critical", home: "critical" } }, category: "data loss", detail: "moves {target} away" },
  { id: "ps-remote", commands: ["invoke-command", "enter-pssession", "new-pssession"], params: ["computername", "session"], risk: "moderate", category: "remote code execution", detail: "runs commands on another computer" },
  ...DATA_TOOL_RULES,
  ...REMOTE_WRITE_RULES,
  ...SYSTEM_STATE_RULES,
];

/** Writing a well-known command's name in a PATH folder of home (`> ~/.local/bin/git`, `cp x ~/bin/ssh`). */
const PATH_COMMAND = { risk: "high", category: "system configuration", detail: "puts {target} on the PATH, where it runs instead of the command of that name in every later shell" } as const;

/** What writing to a path with a redirection means, by operator kind and path class. */
export const REDIRECT_RULES: Readonly<Record<"overwrite" | "append", Partial<Record<PathClass, { risk: Risk; category: Category; detail: string }>>>> = {
  overwrite: {
    device: { risk: "critical", category: "system destruction", detail: "overwrites the device {target}" },
    root: { risk: "critical", category: "system destruction", detail: "writes over {target}" },
    system: { risk: "critical", category: "system configuration", detail: "overwrites the system file {target}" },
    auth: { risk: "critical", category: "privilege escalation", detail: "overwrites {target}, which controls who may log in or use root" },
    kernel: { risk: "critical", category: "system configuration", detail: "writes to the kernel control file {target}" },
    "home-sensitive": { risk: "high", category: "system configuration", detail: "overwrites {target}" },
    home: { risk: "high", category: "data loss", detail: "writes over {target}" },
    "home-bin": PATH_COMMAND,
    "home-sub": { risk: "moderate", category: "data loss", detail: "overwrites {target}" },
    outside: { risk: "moderate", category: "data loss", detail: "overwrites {target}" },
    unknown: { risk: "moderate", category: "data loss", detail: "writes to a file named at run time" },
  },
  append: {
    device: { risk: "critical", category: "system destruction", detail: "writes to the device {target}" },
    system: { risk: "high", category: "system configuration", detail: "appends to the system file {target}" },
    auth: { risk: "critical", category: "privilege escalation", detail: "changes who may log in or use root ({target})" },
    kernel: { risk: "critical", category: "system configuration", detail: "writes to the kernel control file {target}" },
    root: { risk: "high", category: "system configuration", detail: "appends to {target}" },
    // Shell start-up files run what is appended in every new shell; keys and credentials grant access.
    "home-sensitive": { risk: "high", category: "system configuration", detail: "appends to {target}" },
    "home-bin": PATH_COMMAND,
  },
};

export const DOWNLOADERS: ReadonlySet<string> = new Set([
  "curl", "wget", "fetch", "http", "https", "aria2c", "lwp-request", "GET",
  "invoke-webrequest", "invoke-restmethod", "start-bitstransfer",
]);

/** Programs that run code read from standard input or a file argument. */
export const INTERPRETERS: ReadonlySet<string> = new Set([
  ...SHELLS, "python", "python2", "python3", "perl", "ruby", "node", "php", "deno", "bun", "lua",
  "pwsh", "powershell", "powershell.exe", "pwsh.exe", "osascript", "source", ".",
]);

export const POSIX_SHELLS: ReadonlySet<string> = new Set(SHELLS);

/**
 * Wrappers run the command that follows them. `valueOptions` take a value, so the command starts
 * after them; `risk` is a finding for the wrapper itself.
 */
export interface Wrapper {
  valueOptions?: readonly string[];
  /**
   * Every long option, for a program that reads them with GNU getopt_long, which takes an
   * abbreviation of exactly one of them for that option (`env --un x` is `env --unset x`).
   */
  longOptions?: readonly string[];
  /** Leading operands that are not the command (timeout's duration, nice's -n value). */
  skipOperands?: number;
  /** Skips `NAME=value` words (env). */
  assignments?: boolean;
  category?: Category;
  risk?: Risk;
  detail?: string;
}

/** xargs's options that take the next word as their value (`-i`, `-l`, `-e` and `--replace` take theirs only joined: `-i{}`). */
export const XARGS_VALUE_OPTIONS: readonly string[] = ["-I", "-n", "-P", "-L", "-s", "-d", "-E", "-a", "--arg-file", "--delimiter", "--max-args", "--max-procs", "--max-chars", "--process-slot-var"];

/** GNU xargs's long options, each of which it also takes cut short while that names only it. */
export const XARGS_LONG_OPTIONS: readonly string[] = [
  "--null", "--arg-file", "--delimiter", "--eof", "--replace", "--max-lines", "--max-args", "--open-tty", "--interactive",
  "--no-run-if-empty", "--max-chars", "--verbose", "--show-limits", "--exit", "--max-procs", "--process-slot-var", "--version", "--help",
];

/** How xargs's options are read to find its command (see {@link Wrapper}). */
export const XARGS_WRAPPER: Wrapper = { valueOptions: XARGS_VALUE_OPTIONS, longOptions: XARGS_LONG_OPTIONS };

/** GNU env's long options (`--split-string`'s value is read as the command, as `-S`'s is). */
export const ENV_LONG_OPTIONS: readonly string[] = [
  "--ignore-environment", "--null", "--unset", "--chdir", "--split-string", "--block-signal", "--default-signal", "--ignore-signal",
  "--list-signal-handling", "--debug", "--help", "--version",
];

export const WRAPPERS: Readonly<Record<string, Wrapper>> = {
  sudo: { valueOptions: SUDO_OPTIONS.value, longOptions: SUDO_OPTIONS.long, assignments: true, category: "privilege escalation", risk: "moderate", detail: "runs as root with sudo" },
  doas: { valueOptions: ["-u", "-C"], category: "privilege escalation", risk: "moderate", detail: "runs as root with doas" },
  pkexec: { valueOptions: ["--user"], category: "privilege escalation", risk: "moderate", detail: "runs as root with pkexec" },
  run0: { valueOptions: ["--user", "-u"], category: "privilege escalation", risk: "moderate", detail: "runs as root with run0" },
  env: { valueOptions: ["-u", "--unset", "-C", "--chdir"], longOptions: ENV_LONG_OPTIONS, assignments: true },
  nice: { valueOptions: ["-n", "--adjustment"], longOptions: ["--adjustment", "--help", "--version"] },
  ionice: { valueOptions: IONICE_OPTIONS.value, longOptions: IONICE_OPTIONS.long },
  timeout: { valueOptions: ["-s", "-k", "--signal", "--kill-after"], longOptions: ["--foreground", "--kill-after", "--preserve-status", "--signal", "--verbose", "--help", "--version"], skipOperands: 1 },
  nohup: {},
  // bash's `coproc cmd args` runs the command alongside the shell.
  coproc: {},
  time: { valueOptions: ["-f", "-o", "--format", "--output"] },
  stdbuf: { valueOptions: ["-i", "-o", "-e", "--input", "--output", "--error"], longOptions: ["--input", "--output", "--error", "--help", "--version"] },
  command: {},
  builtin: {},
  exec: { valueOptions: ["-a"] },
  chroot: { skipOperands: 1, category: "privilege escalation", risk: "moderate", detail: "changes the root directory" },
  unbuffer: {},
  caffeinate: {},
  strace: { valueOptions: STRACE_OPTIONS.value, longOptions: STRACE_OPTIONS.long },
  ltrace: { valueOptions: ["-e", "-o", "-p"] },
  "flock": { skipOperands: 1 },
  setsid: {},
  noglob: {},
  busybox: {},
  "toybox": {},
  "systemd-run": { valueOptions: SYSTEMD_RUN_OPTIONS.value, longOptions: SYSTEMD_RUN_OPTIONS.long },
  nocorrect: {},
  torsocks: {},
  proxychains: {},
  taskset: { skipOperands: 1 },
  chrt: { valueOptions: CHRT_OPTIONS.value, longOptions: CHRT_OPTIONS.long, skipOperands: 1 },
  unshare: { valueOptions: UNSHARE_OPTIONS.value, longOptions: UNSHARE_OPTIONS.long },
  firejail: {},
  "xvfb-run": { valueOptions: ["-n", "--server-num", "-s", "--server-args", "-f", "--auth-file", "-e", "--error-file", "-p", "--xauth-protocol", "-w", "--wait"] },
  fakeroot: { valueOptions: ["-l", "--lib", "--faked", "-s", "-i", "-b"] },
  valgrind: {},
  "dbus-run-session": {},
  catchsegv: {},
  screen: { valueOptions: ["-S", "-c", "-e", "-h", "-p", "-T", "-t", "-Logfile"] },
  cpulimit: { valueOptions: ["-l", "--limit", "-p", "--pid", "-e", "--exe"] },
  nsenter: { valueOptions: NSENTER_OPTIONS.value, longOptions: NSENTER_OPTIONS.long, category: "privilege escalation", risk: "moderate", detail: "runs in another process's namespaces with nsenter" },
  setpriv: { valueOptions: SETPRIV_OPTIONS.value, longOptions: SETPRIV_OPTIONS.long, category: "privilege escalation", risk: "moderate", detail: "runs with other user ids or capabilities with setpriv" },
  // `runuser -u USER -- CMD`; `runuser USER -c 'CMD'` is read as `su -c` is.
  runuser: { valueOptions: RUNUSER_OPTIONS.value, longOptions: RUNUSER_OPTIONS.long, category: "privilege escalation", risk: "moderate", detail: "runs as another user with runuser" },
};

/** Options that take a value before a program's subcommand (so `git -C dir push` finds `push`). */
export const GLOBAL_VALUE_OPTIONS: Readonly<Record<string, readonly string[]>> = {
  git: ["-C", "-c", "--git-dir", "--work-tree", "--namespace", "--exec-path"],
  systemctl: ["-H", "-M", "--host", "--machine", "-t", "--type", "-p", "--property"],
  docker: ["-H", "--host", "--context", "-c", "--config", "-l", "--log-level"],
  kubectl: ["-n", "--namespace", "--context", "--kubeconfig", "--cluster", "--user", "-s", "--server", "--as"],
  oc: ["-n", "--namespace", "--context", "--kubeconfig", "--cluster", "--user", "-s", "--server", "--as"],
  helm: ["-n", "--namespace", "--kube-context", "--kubeconfig"],
  pulumi: ["-s", "--stack", "-C", "--cwd"],
  gh: ["-R", "--repo", "--hostname"],
  glab: ["-R", "--repo"],
  npm: ["-w", "--workspace", "--prefix", "--registry", "--userconfig", "--cache", "--loglevel"],
  pnpm: ["-C", "--dir", "-F", "--filter", "--reporter", "--registry"],
  yarn: ["--cwd"],
  bun: ["--cwd"],
};

/**
 * Windows programs whose verb is read in any case (`SC DELETE x`), after an operand that is not it:
 * sc.exe's `\\server` (`\server` once bash has read the backslashes).
 */
export const WINDOWS_VERBS: Readonly<Record<string, { before: RegExp }>> = { sc: { before: /^\\/ } };

/**
 * Windows programs the rules name, read in every shell as Windows runs them: in any case and with or
 * without `.exe` or `.com` (`SC.EXE`, `sc.exe` and `Sc` are sc from Git Bash; WSL needs the `.exe`).
 * Only names no POSIX program has, or whose POSIX program the same rules fit (Samba's `net`).
 */
export const WINDOWS_PROGRAMS: ReadonlySet<string> = new Set([
  "sc", "reg", "regedit", "net", "netsh", "bcdedit", "bootcfg", "vssadmin", "wmic", "wbadmin", "icacls", "cacls",
  "takeown", "cipher", "sdelete", "sdelete64", "taskkill", "diskpart", "format", "cmd", "powershell", "schtasks",
]);

/** PowerShell aliases, to lowercase cmdlet names. */
export const POWERSHELL_ALIASES: Readonly<Record<string, string>> = {
  rm: "remove-item", del: "remove-item", erase: "remove-item", rd: "remove-item", rmdir: "remove-item", ri: "remove-item",
  iex: "invoke-expression", iwr: "invoke-webrequest", irm: "invoke-restmethod", curl: "invoke-webrequest", wget: "invoke-webrequest",
  saps: "start-process", start: "start-process", sc: "set-content", ac: "add-content", ni: "new-item", mv: "move-item",
  move: "move-item", mi: "move-item", cp: "copy-item", copy: "copy-item", cpi: "copy-item", kill: "stop-process",
  spps: "stop-process", icm: "invoke-command", "%": "foreach-object", foreach: "foreach-object", "?": "where-object",
  where: "where-object", echo: "write-output", write: "write-output", cat: "get-content", gc: "get-content",
  type: "get-content", ls: "get-childitem", dir: "get-childitem", gci: "get-childitem", sp: "set-itemproperty",
  spsv: "stop-service", sasv: "start-service", ipmo: "import-module", sal: "set-alias", ise: "powershell_ise",
  ii: "invoke-item", gi: "get-item", clc: "clear-content",
};
