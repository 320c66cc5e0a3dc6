import os from "node:os";
import path from "node:path";
import picomatch from "picomatch";
import type { Word } from "./ir.js";

/**
 * What a path argument points at, from the point of view of harm:
 * - `root`: `/` (or a drive root), or everything under it (`/*`)
 * - `home`: the home directory itself, its whole contents, a folder that holds it (`/home`), or
 *   another user's home beside it (`/home/bob`, what `~bob` expands to)
 * - `home-sensitive`: keys, credentials and shell start-up files in home
 * - `home-history`: shell histories in home; rules without a `home-history` entry treat it as
 *   `home-sensitive` (`ln -sf /dev/null ~/.bash_history` silently stops the record of what was run),
 *   but reading one is an everyday read
 * - `home-config`: package managers' config files in home (pip.conf, uv.toml, .yarnrc, .condarc,
 *   .gemrc, cargo's config): a registry set there serves every later install, as one in ~/.npmrc
 *   does, and they may hold index passwords and tokens. Rules without a `home-config` entry treat
 *   it as `home-sensitive`, but reading one is an everyday read
 * - `home-bin`: a file in a folder of home that users put on their PATH (`~/.local/bin`, `~/bin`,
 *   `~/.cargo/bin`, …) named as a well-known command (`~/.local/bin/git`): it runs instead of that
 *   command in every later shell. Rules without a `home-bin` entry treat it as `home-sub`
 * - `home-sub`: anything else in home that is outside the working directory
 * - `auth`: who may log in or use root (`/etc/passwd`, `/etc/shadow`, `/etc/sudoers`); rules without an
 *   `auth` entry treat it as `system`
 * - `kernel`: the running kernel's control files (`/proc/sys/…`, `/proc/sysrq-trigger`, `/sys/…`);
 *   rules without a `kernel` entry treat it as `system`
 * - `environ`: a process's environment (`/proc/self/environ`, `/proc/PID/environ`), and what a dump
 *   of the environment prints (`env`, `printenv`, `export -p`; `data-flow.ts`): every variable, API
 *   keys and tokens among them; rules without an `environ` entry treat it as `system`
 * - `secrets`: never given by {@link classifyPath}: a project's environment file (`.env`,
 *   `.env.production`; `secret-files.ts`) wherever it is, and what a command that prints a credential
 *   prints (`gh auth token`; `printed-credentials.ts`). A rule that names it judges such a word as
 *   it (sending one away, as a key in ~/.ssh); any other rule judges the file by where it is
 * - `system`: operating-system folders (`/etc`, `/usr`, `C:\Windows`, …) and top-level folders
 * - `device`: block devices and kernel memory (`/dev/sda`, `/dev/mem`)
 * - `null`: harmless devices (`/dev/null`, `/dev/stdout`, …)
 * - `cwd`: the working directory itself or all of its contents (`.`, `*`)
 * - `project`: something inside the working directory
 * - `temp`: inside `/tmp` or `/var/tmp`; on Windows inside `C:\Windows\Temp`, a user's
 *   `AppData\Local\Temp` (`%TEMP%`, `$env:TMP`), or `C:\Temp` or `C:\tmp` on any drive
 * - `outside`: anywhere else
 * - `container`: a container's own file, under none of its bind mounts (`docker run alpine rm -rf /`):
 *   a throwaway copy of the image, so no rule has an entry for it (see {@link ContainerView})
 * - `unknown`: the path depends on a run-time value (or is relative to a working directory that does)
 * - `none`: the empty path (`rm -rf ""`, `x=; rm -rf "$x"`), which names no file: the command reports
 *   an error and touches nothing, so no rule has an entry for it
 */
export type PathClass =
  | "root"
  | "home"
  | "home-sensitive"
  | "home-history"
  | "home-config"
  | "home-bin"
  | "home-sub"
  | "system"
  | "auth"
  | "kernel"
  | "environ"
  | "secrets"
  | "device"
  | "null"
  | "cwd"
  | "project"
  | "temp"
  | "outside"
  | "container"
  | "unknown"
  | "none";

export interface PathContext {
  /** Absolute; a drive path (`C:\\work`) after PowerShell changed to one. */
  cwd: string;
  home: string;
  /** An earlier `cd` went somewhere only known at run time: relative paths are `unknown`. */
  cwdUnknown?: boolean;
  /**
   * A `cd` (`pushd`, `popd`) on the line left the shell here, away from where its text is parsed as
   * starting: text run from here (`cd / && bash -c 'rm -rf $PWD'`, `eval '…'`) leaves `$PWD` and `~+`
   * to the evaluator (see `workdir.ts`).
   */
  moved?: boolean;
  /** The folder whose files are "the project" (`cwd`/`project` classes). Default: `cwd`; a `cd` keeps it. */
  project?: string;
  /** Paths are a container's (`docker run … IMAGE CMD`): `cwd` and `home` are the container's, its mounts lead to the host's. */
  container?: ContainerView;
}

/** A bind mount: the container sees the host's folder `source` (undefined: only known at run time) at `target`. */
export interface ContainerMount {
  target: string;
  source?: string;
}

/**
 * How a command run in a container reaches the host's files: only through its bind mounts. A path
 * under a mount's `target` is the same path under its `source`, judged on the host; a folder that
 * holds mounts reaches them all (`rm -rf /` with `-v $HOME:/h` empties home); any other path is the
 * container's own (`container`).
 */
export interface ContainerView {
  mounts: readonly ContainerMount[];
  /** A mount whose container side is only known at run time: any path may be one. */
  unknownTarget?: boolean;
  /** The host's paths, where mounted paths are judged. */
  host: PathContext;
  /** Run as another user than root (`-u USER`): that user's home in the user database is only known at run time. */
  user?: boolean;
}

/** The class a rule falls back to when it has no entry for `cls` (auth, kernel and environment files are system files, histories start-up files, package managers' configs ~/.npmrc's kind, commands on the PATH other files in home). */
export function fallbackClass(cls: PathClass): PathClass | undefined {
  if (cls === "home-bin") return "home-sub";
  if (cls === "home-history" || cls === "home-config") return "home-sensitive";
  return cls === "auth" || cls === "kernel" || cls === "environ" ? "system" : undefined;
}

const SYSTEM_DIRS = [
  "/etc", "/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32", "/boot", "/var", "/opt",
  "/sys", "/proc", "/dev", "/root", "/srv", "/snap", "/System", "/Library", "/Applications",
  "/private", "/cores", "/Volumes", "/mnt", "/media", "/run", "/nix", "/efi",
];
const AUTH_FILES = ["/etc/passwd", "/etc/shadow", "/etc/group", "/etc/gshadow", "/etc/sudoers", "/etc/sudoers.d", "/etc/pam.d", "/etc/security", "/etc/ssh/sshd_config", "/root/.ssh"];
/** Folders no project lives in: a working directory inside one does not make its files "the project". */
const CORE_SYSTEM = ["/etc", "/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32", "/boot", "/sys", "/proc", "/dev", "/root", "/System", "/efi", "/var/lib", "/var/log", "/var/spool", "/var/cache"];
const KERNEL_FILES = ["/proc/sys", "/proc/sysrq-trigger", "/sys"];
/** A process's environment: `/proc/self/environ`, `/proc/PID/environ` (a `*` for PID: every process's), a thread's (`/proc/PID/task/TID/environ`). */
const ENVIRON_FILE = /^\/proc\/(self|thread-self|\d+|\*)(\/task\/\d+)?\/environ$/;
const HARMLESS_DEVICES = new Set([
  "/dev/null", "/dev/zero", "/dev/stdout", "/dev/stderr", "/dev/stdin", "/dev/tty", "/dev/random",
  "/dev/urandom", "/dev/full",
]);
/** Keys, credentials and shell start-up files, relative to home: reading or writing them always asks. */
export const SENSITIVE_HOME = [
  ".ssh", ".gnupg", ".aws", ".kube", ".docker", ".config/gcloud", ".netrc", ".bashrc", ".bash_profile",
  ".profile", ".zshrc", ".zprofile", ".zshenv", ".bash_login", ".config/fish", ".npmrc", ".pypirc",
  ".gitconfig", ".git-credentials", ".cargo/credentials.toml", ".cargo/credentials", ".gem/credentials",
  // Other CLIs' tokens and passwords (gh, hub, glab, s3cmd, rclone, az, Terraform's credentials
  // file and CLI config's `credentials` blocks, doctl, flyctl, Vault, PostgreSQL, MySQL and its
  // obfuscated login paths, boto's and gsutil's keys), password stores and keyrings, and browser
  // profiles (saved passwords, session cookies).
  ".config/gh/hosts.yml", ".config/hub", ".config/glab-cli/config.yml", ".s3cfg", ".config/rclone/rclone.conf",
  ".azure", ".terraform.d/credentials.tfrc.json", ".terraformrc", ".config/doctl/config.yaml", ".fly/config.yml", ".vault-token",
  ".pgpass", ".my.cnf", ".mylogin.cnf", ".boto", ".password-store", ".local/share/keyrings", ".mozilla", ".config/google-chrome", ".config/chromium",
];
/**
 * Package managers' config files, relative to home, where ~/.npmrc's settings live for the others:
 * pip's (and on Windows `AppData\Roaming\pip`), uv's, yarn 1's and 2+'s, pnpm's, bun's, conda's,
 * RubyGems' and cargo's.
 */
const PACKAGE_CONFIG_HOME = [
  ".config/pip", ".pip", "AppData/Roaming/pip", ".config/uv", ".yarnrc", ".yarnrc.yml", ".config/pnpm/rc", ".bunfig.toml",
  ".condarc", ".conda/.condarc", ".conda/condarc", ".config/conda", ".gemrc", ".cargo/config.toml", ".cargo/config",
];
/**
 * Shell histories, relative to home (fish's is under `.local/share/fish`, PSReadLine's under
 * `.local/share/powershell` and, in a Windows home, `AppData\Roaming\Microsoft\Windows\PowerShell`).
 */
const HISTORY_HOME = [
  ".bash_history", ".zsh_history", ".zhistory", ".sh_history", ".history", ".local/share/fish/fish_history",
  ".local/share/powershell/PSReadLine", "AppData/Roaming/Microsoft/Windows/PowerShell/PSReadLine",
];
/** Folders of home, relative to it, that installers and users put on their PATH. */
const PATH_FOLDERS_HOME = [".local/bin", "bin", ".cargo/bin", "go/bin", ".npm-global/bin", ".deno/bin", ".bun/bin", ".yarn/bin", ".volta/bin", ".local/share/pnpm"];
/**
 * Commands users and agents run by name, whose name a file in a PATH folder of home takes over
 * (`home-bin`); a builtin (`cd`) is not looked up on the PATH.
 */
export const SHADOWED_COMMANDS: ReadonlySet<string> = new Set([
  "sudo", "su", "doas", "ssh", "scp", "sftp", "ssh-agent", "ssh-add", "gpg", "git", "gh", "ls", "cat", "cp", "mv",
  "rm", "sh", "bash", "zsh", "fish", "env", "python", "python3", "pip", "pip3", "uv", "node", "npm", "npx", "pnpm",
  "yarn", "bun", "deno", "cargo", "rustc", "rustup", "go", "make", "curl", "wget", "docker", "kubectl", "code",
  "vim", "vi", "nano", "less", "grep", "find", "sed", "awk", "tar", "aws", "gcloud", "az", "terraform",
]);
/** Whether `rel` (relative to a home) is a well-known command's name in a PATH folder there. */
function shadowsCommand(rel: string): boolean {
  return SHADOWED_COMMANDS.has(path.posix.basename(rel)) && PATH_FOLDERS_HOME.includes(path.posix.dirname(rel));
}
/** A Windows user's temporary folder (`%TEMP%`), relative to their home. */
export const WINDOWS_HOME_TEMP = "AppData\\Local\\Temp";
const WINDOWS_SYSTEM = ["windows", "program files", "program files (x86)", "programdata", "boot", "recovery", "system volume information"];

/**
 * What a word beginning with `~` names, as bash and fish expand it: `~` and `~/…` are home, `~+` the
 * working directory, `~name` that user's home. wren does not read other users' homes: `~root` is
 * `/root`, any other name the folder of that name beside this home (`/home/name`, `/Users/name`).
 * Undefined when the text has no tilde prefix; null when it depends on run-time state (`~-`, `~2`,
 * `~+` where the working directory is only known at run time).
 */
export function expandTilde(text: string, ctx: PathContext): string | null | undefined {
  const m = /^~([^/]*)(\/.*)?$/s.exec(text);
  if (!m) return undefined;
  const prefix = m[1] ?? "";
  const rest = m[2] ?? "";
  if (prefix === "") return ctx.home + rest;
  if (prefix === "+") return ctx.cwdUnknown ? null : ctx.cwd + rest;
  if (/^[+-]?\d*$/.test(prefix)) return null;
  if (!/^[A-Za-z0-9._][A-Za-z0-9._-]*$/.test(prefix)) return undefined;
  const own = currentUser();
  if (own && prefix === own.name) return own.home + rest;
  return (prefix === "root" ? "/root" : path.posix.join(homesFolder(ctx.home), prefix)) + rest;
}

/** The user wren runs as and that user's home, as the system's user database says; undefined where it cannot say. */
export function currentUser(): { name: string; home: string } | undefined {
  try {
    const info = os.userInfo();
    return info.homedir ? { name: info.username, home: info.homedir } : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Each place another user's home (`~name`) may be, for rules that must not miss it: where
 * {@link expandTilde} places it, and the usual folders of homes (`/home`, `/Users`; `/root` and
 * `/var/root` for root). wren reads no other user's entry in the user database.
 */
export function otherUserHomes(name: string, home: string): string[] {
  const placed = expandTilde(`~${name}`, { cwd: home, home });
  const usual = name === "root" ? ["/root", "/var/root"] : [`/home/${name}`, `/Users/${name}`];
  return [...new Set([...(placed ? [placed] : []), ...usual])];
}

/** The folder that holds users' homes: the one holding this home, or `/home` when that is `/`, a system or a temporary folder. */
export function homesFolder(home: string): string {
  const parent = path.posix.dirname(path.posix.resolve(home));
  const odd = parent === "/" || [...SYSTEM_DIRS, "/tmp", "/var/tmp"].some((d) => isWithin(parent, d, "/"));
  return odd ? "/home" : parent;
}

function isWithin(child: string, parent: string, sep: string): boolean {
  return child === parent || child.startsWith(parent.endsWith(sep) ? parent : parent + sep);
}

/**
 * The destination of a copy or move as what it writes: given the temporary folder itself
 * (`cp x /tmp`), the files land inside it, which is no write to a system path.
 */
export function copyDestination(word: Word): Word {
  if (!word.dynamic && /^[A-Za-z]:[\\/]+(windows|users[\\/]+[^\\/]+[\\/]+appdata[\\/]+local)[\\/]+temp[\\/]*$/i.test(word.text)) {
    return { ...word, text: `${word.text.replace(/[\\/]+$/, "")}\\…` };
  }
  if (word.dynamic || !/^\/(var\/)?tmp\/*$/.test(word.text)) return word;
  return { ...word, text: `${word.text.replace(/\/+$/, "")}/…` };
}

/**
 * A cmdlet's path arguments as PowerShell's providers read them, whatever the quoting: `-Path` (and
 * a positional path) expands `*`, `?` and `[…]` even in `'/home/ada/*'`, and a leading `~` is home
 * even in `"~"` or a variable's value. `-LiteralPath` (`-LP`, `-PSPath`) takes its value as written
 * except for `~`.
 */
export function providerPaths(args: readonly Word[], home: string): Word[] {
  return args.map((w, i) => {
    if (w.dynamic || w.param || w.member) return w;
    const before = args[i - 1];
    const literal = before?.param === true && /^-(literalpath|lp|pspath)$/i.test(before.text);
    const text = /^~([\\/]|$)/.test(w.text) ? home + w.text.slice(1) : w.text;
    const glob = !literal && /[*?[]/.test(text);
    return text === w.text && glob === w.glob ? w : { ...w, text, glob };
  });
}

/** A bracket expression as the shell reads one: `[abc]`, `[a-z]`, `[!.]`, `[]a]`, `[[:alpha:]]`. */
const BRACKET = /\[[!^]?\]?(?:\[:[a-z]+:\]|[^\]])*\]/g;

/**
 * Whether the shell may expand a glob that names one file or folder (no `/`: `.git*`, `.gi?`,
 * `.[g]it`) to `name`: `*` and `?` (and a bracket expression) never match a leading dot, which only
 * a dot written there does (bash without dotglob, zsh). picomatch reads the glob; a bracket negated
 * with `!`, as the shell writes one, is given to it as `^`.
 */
export function globMayName(glob: string, name: string): boolean {
  return picomatch.isMatch(name, glob.replace(/\[!/g, "[^"), { dot: false, nobrace: true, noextglob: true, posix: true });
}

/** Classifies the path a word names, as seen from the working directory. */
export function classifyWord(word: Word, ctx: PathContext): PathClass {
  if (word.dynamic) return "unknown";
  return classifyPath(word.text, ctx, word.glob);
}

export function classifyPath(raw: string, ctx: PathContext, glob = false): PathClass {
  if (raw === "") return "none";
  if (ctx.container) return classifyInContainer(raw, ctx, ctx.container, glob);
  if (/^[A-Za-z]:([\\/]|$)/.test(raw) || raw.startsWith("\\\\")) return classifyWindows(raw, ctx, glob);
  let p = raw.includes("\\") ? raw.replace(/\\/g, "/") : raw;
  if (!p.startsWith("/")) {
    if (ctx.cwdUnknown) return "unknown";
    // The working directory is a drive path or a share: resolve the Windows way.
    if (isWindowsDir(ctx.cwd)) return /^(\$null|nul)$/i.test(raw) ? "null" : classifyWindows(path.win32.resolve(ctx.cwd, raw), ctx, glob);
  } else if (raw.startsWith("\\") && !ctx.cwdUnknown && isWindowsDir(ctx.cwd)) {
    // `\x` is on the working directory's drive.
    return classifyWindows(path.win32.resolve(ctx.cwd, raw), ctx, glob);
  }
  let contents = false;
  if (glob) {
    const base = path.posix.basename(p);
    // A bracket expression (`[[:alpha:]]`, `[!.]`, `[]a]`) is one character of many: with a `*`,
    // `[[:alpha:]]*` is as much of a folder as `*`, and `.[[:alpha:]]*` as `.*`.
    const classed = base.replace(BRACKET, "?");
    if (/^[*?]+$|^\.\*$|^\*\.\*$/.test(base) || (classed !== base && /^\.?[*?]*\*[*?]*$/.test(classed))) {
      contents = true;
      p = path.posix.dirname(p);
    }
  }
  const abs = path.posix.resolve(ctx.cwd, p);
  const home = path.posix.resolve(ctx.home);
  // Relative paths resolve against the working directory; what counts as the project stays the
  // folder the line started in (`cd build && rm -rf *` is still inside the project).
  const cwd = path.posix.resolve(ctx.project ?? ctx.cwd);
  if (HARMLESS_DEVICES.has(abs) || abs.startsWith("/dev/fd/")) return "null";
  if (abs.startsWith("/dev/")) return "device";
  if (abs === "/") return "root";
  if (abs === home || isWithin(home, abs, "/")) return "home";
  if (isWithin(abs, home, "/")) {
    const rel = path.posix.relative(home, abs);
    if (SENSITIVE_HOME.some((s) => isWithin(rel, s, "/"))) return "home-sensitive";
    if (HISTORY_HOME.some((s) => isWithin(rel, s, "/"))) return "home-history";
    if (PACKAGE_CONFIG_HOME.some((s) => isWithin(rel, s, "/"))) return "home-config";
    if (shadowsCommand(rel)) return "home-bin";
  }
  // After `cd /etc`, `./*` is system files, not "the project".
  const systemCwd = cwd === "/" || CORE_SYSTEM.some((d) => isWithin(cwd, d, "/"));
  if (abs === cwd && !systemCwd) return "cwd";
  if (isWithin(abs, cwd, "/") && !systemCwd) return contents && abs === cwd ? "cwd" : "project";
  if (isWithin(abs, "/tmp", "/") || isWithin(abs, "/var/tmp", "/")) return abs === "/tmp" || abs === "/var/tmp" ? "system" : "temp";
  // Another user's home (`~bob` is `/home/bob`) is a home too, and so are its keys and start-up files.
  const homes = homesFolder(home);
  if (path.posix.dirname(abs) === homes) return "home";
  if (isWithin(abs, homes, "/") && abs !== homes) {
    const rel = path.posix.relative(homes, abs).split("/").slice(1).join("/");
    if (SENSITIVE_HOME.some((s) => isWithin(rel, s, "/"))) return "home-sensitive";
    if (HISTORY_HOME.some((s) => isWithin(rel, s, "/"))) return "home-history";
    if (PACKAGE_CONFIG_HOME.some((s) => isWithin(rel, s, "/"))) return "home-config";
  }
  // The user's own home, even where it is a system folder (root's `/root`): its keys and start-up
  // files were judged above; the rest is theirs, as `/home/name/...` is.
  if (home !== "/" && isWithin(abs, home, "/")) return "home-sub";
  if (AUTH_FILES.some((d) => isWithin(abs, d, "/"))) return "auth";
  if (KERNEL_FILES.some((d) => isWithin(abs, d, "/"))) return "kernel";
  if (ENVIRON_FILE.test(abs)) return "environ";
  if (SYSTEM_DIRS.some((d) => isWithin(abs, d, "/"))) return "system";
  if (path.posix.dirname(abs) === "/") return "system";
  return "outside";
}

/** The classes a folder holding several mounts may reach, worst first: it is judged by the worst it reaches. */
const REACHED_ORDER: readonly PathClass[] = [
  "root", "device", "system", "auth", "kernel", "home", "home-sensitive", "home-history", "home-config", "home-bin", "unknown",
  "cwd", "home-sub", "project", "outside", "environ", "temp", "null", "none",
];

/** A path as a command in a container names it (see {@link ContainerView}). */
function classifyInContainer(raw: string, ctx: PathContext, view: ContainerView, glob: boolean): PathClass {
  const mounted = view.mounts.length > 0 || view.unknownTarget === true;
  if ((!raw.startsWith("/") && ctx.cwdUnknown) || view.unknownTarget) return mounted ? "unknown" : "container";
  const abs = path.posix.resolve(ctx.cwd, raw);
  const under = view.mounts.filter((m) => isWithin(abs, m.target, "/")).sort((a, b) => b.target.length - a.target.length)[0];
  if (under) {
    if (under.source === undefined) return "unknown";
    const rel = path.posix.relative(under.target, abs);
    return classifyPath(rel === "" ? under.source : `${under.source.replace(/\/+$/, "")}/${rel}`, view.host, glob);
  }
  // A folder that holds mounts (`/`, `/*` with `-v $HOME:/h`) reaches each of them whole.
  const folder = glob && /[*?[]/.test(path.posix.basename(abs)) ? path.posix.dirname(abs) : abs;
  const reached = view.mounts
    .filter((m) => isWithin(m.target, folder, "/"))
    .map((m) => (m.source === undefined ? "unknown" : classifyPath(m.source, view.host)));
  return REACHED_ORDER.find((cls) => reached.includes(cls)) ?? "container";
}

/** A drive path (`C:\work`) or a share (`\\server\share`): a Windows folder. */
function isWindowsDir(dir: string): boolean {
  return /^[A-Za-z]:|^\\\\/.test(dir);
}

/** A Windows path as compared: resolved, lower case (Windows' file names are case-insensitive), no trailing `\` but a root's. */
function windowsKey(p: string): string {
  const abs = path.win32.resolve(p).toLowerCase();
  return abs.length > path.win32.parse(abs).root.length ? abs.replace(/\\+$/, "") : abs;
}

/** Whether `rel` (relative to a home, `\` or `/` separated) is a key, credential, start-up file, history or package manager's config there. */
function homeFileClass(rel: string): PathClass | undefined {
  const r = rel.replace(/\\/g, "/");
  if (SENSITIVE_HOME.some((s) => isWithin(r, s.toLowerCase(), "/"))) return "home-sensitive";
  if (HISTORY_HOME.some((s) => isWithin(r, s.toLowerCase(), "/"))) return "home-history";
  if (PACKAGE_CONFIG_HOME.some((s) => isWithin(r, s.toLowerCase(), "/"))) return "home-config";
  return undefined;
}

/**
 * Whether a Windows path (as {@link windowsKey} gives it) is inside a temporary folder, as `/tmp/x`
 * is: `C:\Windows\Temp`, a user's `AppData\Local\Temp` under `C:\Users` or in this home, and
 * `C:\Temp` or `C:\tmp` on any drive, which any user may make and write to.
 * The folders themselves are not: emptying one is judged as before.
 */
function inWindowsTemp(abs: string, home: string | undefined): boolean {
  const temps = [/^[a-z]:\\windows\\temp\\./, /^[a-z]:\\users\\[^\\]+\\appdata\\local\\temp\\./, /^[a-z]:\\te?mp\\./];
  if (temps.some((t) => t.test(abs))) return true;
  return home !== undefined && abs.startsWith(`${home}\\${WINDOWS_HOME_TEMP.toLowerCase()}\\`);
}

/**
 * A drive path or share, compared with home and the project (when those are Windows folders) as
 * {@link classifyPath} compares POSIX paths, in any case.
 */
function classifyWindows(raw: string, ctx: PathContext, glob: boolean): PathClass {
  let p = raw.replace(/\//g, "\\");
  if (glob && /\\?\*$/.test(p)) p = p.replace(/\\?\*$/, "") || "\\";
  // `C:\Windows\..` is `C:\`.
  if (/^[A-Za-z]:\\/.test(p)) p = path.win32.normalize(p);
  const lower = p.toLowerCase();
  if (/^(\$null|nul)$/.test(lower)) return "null";
  if (/^\\\\\.\\physicaldrive/.test(lower) || /^\\\\\.\\[a-z]:$/.test(lower)) return "device";
  const drive = /^([a-z]):\\?(.*)$/.exec(lower);
  const rest = (drive?.[2] ?? "").replace(/\\+$/, "");
  if (drive && rest === "") return "root";
  if (lower === "\\") return "root";
  const abs = drive || lower.startsWith("\\\\") ? windowsKey(p) : undefined;
  const home = isWindowsDir(ctx.home) ? windowsKey(ctx.home) : undefined;
  const projectDir = ctx.project ?? ctx.cwd;
  const cwd = isWindowsDir(projectDir) ? windowsKey(projectDir) : undefined;
  if (abs && home) {
    if (abs === home || isWithin(home, abs, "\\")) return "home";
    if (isWithin(abs, home, "\\")) {
      const cls = homeFileClass(path.win32.relative(home, abs));
      if (cls) return cls;
    }
  }
  if (abs && cwd) {
    // A working directory at a drive's root or in C:\Windows is no project.
    const top = /^[a-z]:\\([^\\]*)/.exec(cwd)?.[1] ?? "";
    const systemCwd = /^[a-z]:\\$/.test(cwd) || WINDOWS_SYSTEM.includes(top);
    if (abs === cwd && !systemCwd) return "cwd";
    if (isWithin(abs, cwd, "\\") && !systemCwd) return "project";
  }
  if (abs && inWindowsTemp(abs, home)) return "temp";
  if (drive) {
    const parts = rest.split("\\");
    if (WINDOWS_SYSTEM.includes(parts[0] ?? "")) return "system";
    if (parts[0] === "users") {
      if (parts.length <= 2) return "home";
      return homeFileClass(parts.slice(2).join("/")) ?? "home-sub";
    }
  }
  if (abs && home && isWithin(abs, home, "\\")) return "home-sub";
  if (drive) return "outside";
  // Any other share: resolve it the POSIX way against the working directory.
  return classifyPath(raw.replace(/\\/g, "/"), ctx, glob);
}
