import path from "node:path";
import type { Word } from "./ir.js";
import { RUN_TIME } from "./ir.js";
import { forkContext, skipOptions, type Ctx } from "./evaluate-context.js";
import { shortLetters, splitOption } from "./option-walk.js";
import { classifyPath, expandTilde, type ContainerMount, type PathContext } from "./paths.js";
import { GLOBAL_VALUE_OPTIONS } from "./rules.js";
import type { Finding } from "./types.js";

/** The container engines whose `run`, `exec` and `compose run` are read here (docker's command line, which the others copy). */
const ENGINES = new Set(["docker", "podman", "nerdctl", "finch"]);

/**
 * The options of `docker run` (and podman's, nerdctl's) that take a value: docker's flag parser
 * reads options up to the first operand, the image, so these decide which word that is.
 */
const RUN_VALUE_OPTIONS = [
  "-a", "--attach", "--add-host", "--annotation", "--blkio-weight", "--blkio-weight-device", "--cap-add", "--cap-drop",
  "--cgroup-parent", "--cgroupns", "--cidfile", "--cpu-period", "--cpu-quota", "--cpu-rt-period", "--cpu-rt-runtime",
  "-c", "--cpu-shares", "--cpus", "--cpuset-cpus", "--cpuset-mems", "--detach-keys", "--device", "--device-cgroup-rule",
  "--device-read-bps", "--device-read-iops", "--device-write-bps", "--device-write-iops", "--dns", "--dns-option",
  "--dns-opt", "--dns-search", "--domainname", "--entrypoint", "-e", "--env", "--env-file", "--expose", "--gpus",
  "--group-add", "--health-cmd", "--health-interval", "--health-retries", "--health-start-period",
  "--health-start-interval", "--health-timeout", "-h", "--hostname", "--ip", "--ip6", "--ipc", "--isolation",
  "--kernel-memory", "-l", "--label", "--label-file", "--link", "--link-local-ip", "--log-driver", "--log-opt",
  "--mac-address", "-m", "--memory", "--memory-reservation", "--memory-swap", "--memory-swappiness", "--mount",
  "--name", "--network", "--net", "--network-alias", "--net-alias", "--oom-score-adj", "--pid", "--pids-limit",
  "--platform", "-p", "--publish", "--pull", "--restart", "--runtime", "--security-opt", "--shm-size",
  "--stop-signal", "--stop-timeout", "--storage-opt", "--sysctl", "--tmpfs", "-u", "--user", "--ulimit", "--userns",
  "--uts", "-v", "--volume", "--volume-driver", "--volumes-from", "-w", "--workdir",
  // podman's own
  "--arch", "--os", "--variant", "--pod", "--pod-id-file", "--secret", "--uidmap", "--gidmap", "--subuidname",
  "--subgidname", "--hostuser", "--passwd-entry", "--group-entry", "--sdnotify", "--tz", "--umask", "--requires",
  "--preserve-fds", "--pidfile", "--conmon-pidfile", "--chrootdirs", "--personality", "--seccomp-policy",
  "--decryption-key", "--authfile", "--cert-dir", "--creds", "--env-merge", "--image-volume", "--init-path",
  "--log-level", "--retry", "--retry-delay", "--timeout", "--unsetenv",
];
/** `docker exec`'s (kubectl's `-c`, `-n` are read the same way). */
const EXEC_VALUE_OPTIONS = ["-u", "--user", "-w", "--workdir", "-e", "--env", "--env-file", "--detach-keys", "-c", "--container", "-n", "--namespace"];
/** `docker compose run`'s, and compose's own before `run`. */
const COMPOSE_RUN_VALUE_OPTIONS = ["--cap-add", "--cap-drop", "--entrypoint", "-e", "--env", "--env-from-file", "-l", "--label", "--name", "-p", "--publish", "--pull", "-u", "--user", "-v", "--volume", "-w", "--workdir"];
const COMPOSE_VALUE_OPTIONS = ["-f", "--file", "-p", "--project-name", "--project-directory", "--env-file", "--profile", "--ansi", "--progress", "--parallel"];

/** What a `run` line's options say: its mounts, working directory, entrypoint, environment and user. */
interface RunOptions {
  mounts: ContainerMount[];
  /** Read-only mounts: read through, never written (`-v ~/.ssh:/k:ro`). */
  readOnly: ContainerMount[];
  unknownTarget: boolean;
  workdir?: Word;
  entrypoint?: Word;
  env: Map<string, string>;
  user: boolean;
}

/**
 * `docker run … IMAGE CMD`, `docker exec … CONTAINER CMD`, `docker compose run … SERVICE CMD`:
 * the command runs inside a container and is judged as a line there. A new container (`run`) sees
 * the host only through its bind mounts (see `ContainerView` in `paths.ts`); an existing one (`exec`,
 * and compose's services, whose mounts live in the compose file) is judged as a local line, since
 * what it destroys there is just as gone. The rules then see docker's own words only, up to the
 * image or container, so the command's `rm` is not `docker rm`. Returns whether it read the line.
 */
export function runInContainer(name: string, args: Word[], ctx: Ctx): boolean {
  if (ENGINES.has(name)) return runEngine(name, args, ctx);
  if (name === "kubectl" || name === "oc") kubectlExec(args, ctx);
  return false;
}

function runEngine(name: string, args: Word[], ctx: Ctx): boolean {
  let rest = skipOptions(args, GLOBAL_VALUE_OPTIONS.docker ?? []);
  let sub = rest[0];
  if (sub && !sub.dynamic && sub.text === "container") {
    rest = rest.slice(1);
    sub = rest[0];
  }
  if (!sub || sub.dynamic) return false;
  let kind: "run" | "exec" | "compose";
  let valueOptions: readonly string[];
  if (sub.text === "run") [kind, valueOptions] = ["run", RUN_VALUE_OPTIONS];
  else if (sub.text === "exec") [kind, valueOptions] = ["exec", EXEC_VALUE_OPTIONS];
  else if (sub.text === "compose") {
    rest = skipOptions(rest.slice(1), COMPOSE_VALUE_OPTIONS);
    if (rest[0]?.dynamic !== false || rest[0].text !== "run") return false;
    [kind, valueOptions] = ["compose", COMPOSE_RUN_VALUE_OPTIONS];
  } else return false;
  const { options, operand, command } = splitRun(rest.slice(1), valueOptions);
  // Docker's own words, for its rules: up to the image, container or service.
  const own = args.slice(0, args.length - command.length);
  if (operand === undefined) return false;
  const read = readOptions(options, ctx.paths);
  // `--entrypoint X` runs X with the command as its arguments; `--entrypoint ""` the image's own.
  const entry = read.entrypoint && (read.entrypoint.dynamic || read.entrypoint.text !== "") ? read.entrypoint : undefined;
  // A `--` after the image or container (`docker exec web -- rm x`): judged as the command after it, the worse reading.
  const given = command[0]?.dynamic === false && command[0].text === "--" ? command.slice(1) : command;
  const inner = entry ? [entry, ...given] : given;
  if (kind === "run") {
    ctx.findings.push(...mountFindings(read, ctx.paths));
    if (inner.length > 0) judgeInContainer(inner, read, ctx);
  } else if (inner.length > 0) {
    ctx.ops.runArgv(inner, { kind: "cmd", argv: inner, redirects: [] }, [], { ...ctx, paths: { ...ctx.paths, cwdUnknown: true } });
  }
  ctx.ops.applyRules({ name, args: own, powershell: false }, ctx);
  return true;
}

/** `kubectl exec POD -- CMD`: the command after `--` runs in the pod. */
function kubectlExec(args: Word[], ctx: Ctx): void {
  const sub = args.findIndex((w) => !w.dynamic && !w.text.startsWith("-"));
  if (args[sub]?.text !== "exec") return;
  const rest = args.slice(sub + 1);
  const dashes = rest.findIndex((w) => w.text === "--");
  const inner = dashes >= 0 ? rest.slice(dashes + 1) : [];
  if (inner.length > 0) ctx.ops.runArgv(inner, { kind: "cmd", argv: inner, redirects: [] }, [], { ...ctx, paths: { ...ctx.paths, cwdUnknown: true } });
}

/**
 * The words after `run` read as docker's flag parser reads them: options (`-v X`, `--volume=X`,
 * `-itd`, `-dp 80:80`, `-wX`) up to the first operand, the image; the rest is the command.
 */
function splitRun(words: Word[], valueOptions: readonly string[]): { options: [string, Word | undefined][]; operand?: Word; command: Word[] } {
  const letters = shortLetters(valueOptions);
  const options: [string, Word | undefined][] = [];
  for (let i = 0; i < words.length; i++) {
    const w = words[i];
    if (!w) break;
    if (w.text === "--" && !w.dynamic) return { options, operand: words[i + 1], command: words.slice(i + 2) };
    if (w.dynamic || !w.text.startsWith("-") || w.text === "-") return { options, operand: w, command: words.slice(i + 1) };
    const [option, value] = splitOption(w.text, letters);
    if (!valueOptions.includes(option)) continue;
    if (value !== undefined) options.push([option, { ...w, text: value }]);
    else options.push([option, words[++i]]);
  }
  return { options, command: [] };
}

function readOptions(options: [string, Word | undefined][], host: PathContext): RunOptions {
  const read: RunOptions = { mounts: [], readOnly: [], unknownTarget: false, env: new Map(), user: false };
  for (const [option, value] of options) {
    if (!value) continue;
    if (option === "-v" || option === "--volume") volume(value, host, read);
    else if (option === "--mount") bindMount(value, host, read);
    else if (option === "-w" || option === "--workdir") read.workdir = value;
    else if (option === "--entrypoint") read.entrypoint = value;
    else if (option === "-u" || option === "--user") read.user = true;
    else if ((option === "-e" || option === "--env") && !value.dynamic) {
      const m = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/s.exec(value.text);
      if (m?.[1] !== undefined && m[2] !== undefined) read.env.set(m[1], m[2]);
    }
  }
  return read;
}

/** `-v HOST:CTR[:OPTS]` (a named volume's `NAME:CTR` and an anonymous `CTR` are not the host's folders). */
function volume(value: Word, host: PathContext, read: RunOptions): void {
  // A Windows drive path's `C:` is no separator.
  const drive = /^[A-Za-z]:[\\/]/.test(value.text) ? 2 : 0;
  const at = value.text.indexOf(":", drive);
  if (at < 0) return;
  const [target = "", ...opts] = value.text.slice(at + 1).split(":");
  const source = value.text.slice(0, at);
  const readOnly = (opts[0] ?? "").split(",").some((o) => o === "ro" || o === "readonly");
  addMount(source, target, readOnly, host, read);
}

/** `--mount type=bind,source=HOST,target=CTR[,readonly]` (`src`, `dst`, `destination`; `ro`, `readonly=true`). */
function bindMount(value: Word, host: PathContext, read: RunOptions): void {
  const fields = new Map(value.text.split(",").map((f) => {
    const eq = f.indexOf("=");
    return eq < 0 ? [f.trim().toLowerCase(), "true"] : [f.slice(0, eq).trim().toLowerCase(), f.slice(eq + 1)];
  }));
  if (fields.get("type") !== "bind") return;
  const source = fields.get("source") ?? fields.get("src");
  const target = fields.get("target") ?? fields.get("dst") ?? fields.get("destination");
  if (source === undefined || target === undefined) return;
  const flag = fields.get("readonly") ?? fields.get("ro");
  addMount(source, target, flag !== undefined && !/^(false|0)$/i.test(flag), host, read);
}

function addMount(sourceText: string, targetText: string, readOnly: boolean, host: PathContext, read: RunOptions): void {
  if (targetText.includes(RUN_TIME)) {
    read.unknownTarget = true;
    return;
  }
  let source: string | undefined;
  // bash expands `~` before a `:` too (`-v ~:/h` is `-v /home/ada:/h`); docker never does, so a `~` it gets is no volume name either.
  const tilde = expandTilde(sourceText, host);
  if (tilde === null || sourceText.includes(RUN_TIME) || sourceText === "") source = undefined;
  else if (tilde !== undefined) source = tilde;
  else if (sourceText.startsWith("/") || /^[A-Za-z]:[\\/]/.test(sourceText)) source = sourceText;
  else if (sourceText === "." || sourceText === ".." || /^\.\.?\//.test(sourceText)) source = host.cwdUnknown ? undefined : path.posix.resolve(host.cwd, sourceText);
  else return;
  const mount = { target: path.posix.resolve("/", targetText), ...(source === undefined ? {} : { source }) };
  (readOnly ? read.readOnly : read.mounts).push(mount);
}

const HOME_MOUNTED: Finding = { category: "data loss", risk: "moderate", detail: "mounts the home folder into a container, writable" };
const SYSTEM_MOUNTED: Finding = { category: "privilege escalation", risk: "high", detail: "mounts host system paths into a container" };

/** What the mounts give the container, whatever it runs: the whole home writable, or the host's root, `/etc`, devices or a container engine's socket. */
function mountFindings(read: RunOptions, host: PathContext): Finding[] {
  const found = new Set<Finding>();
  for (const m of [...read.mounts, ...read.readOnly]) {
    if (m.source === undefined) continue;
    const cls = classifyPath(m.source, host);
    const socket = /(^|\/)(docker|podman|containerd)\.sock$/.test(m.source);
    if (socket || ["root", "auth", "kernel", "device"].includes(cls) || /^\/etc(\/|$)/.test(m.source)) found.add(SYSTEM_MOUNTED);
    else if (cls === "home" && read.mounts.includes(m)) found.add(HOME_MOUNTED);
  }
  return [...found];
}

/**
 * Judges a new container's command with its paths mapped through the mounts. Read-only mounts are
 * left out of that reading (nothing is written through them) and given a second one, of which only
 * what is sent away counts (`cat /k/id_rsa | nc …`).
 */
function judgeInContainer(inner: Word[], read: RunOptions, ctx: Ctx): void {
  const found: Finding[] = [];
  evaluateIn(inner, read, read.mounts, found, ctx);
  if (read.readOnly.length > 0) {
    const reads: Finding[] = [];
    evaluateIn(inner, read, [...read.mounts, ...read.readOnly], reads, ctx);
    found.push(...reads.filter((f) => f.category === "network exposure"));
  }
  const all = [...read.mounts, ...read.readOnly];
  ctx.findings.push(...found.map((f) => withMounts(f, all)));
}

function evaluateIn(inner: Word[], read: RunOptions, mounts: ContainerMount[], findings: Finding[], ctx: Ctx): void {
  const workdir = read.workdir && !read.workdir.dynamic && read.workdir.text.startsWith("/") ? read.workdir.text : undefined;
  const paths: PathContext = {
    cwd: workdir ?? "/",
    ...(workdir ? {} : { cwdUnknown: true }),
    home: "/root",
    container: { mounts, ...(read.unknownTarget ? { unknownTarget: true } : {}), ...(read.user ? { user: true } : {}), host: ctx.paths },
  };
  // The container's environment: what `-e` sets, and root's home unless another user runs it.
  const vars = new Map(read.env);
  if (!vars.has("HOME") && !read.user) vars.set("HOME", "/root");
  // Its lines' `$PWD` and `~+`: `-w DIR`, or else the image's WORKDIR, only known at run time. With
  // nothing of the host mounted every path is the container's own, so docker's default `/` stands for it.
  const mounted = mounts.length > 0 || read.unknownTarget;
  const cwd = workdir ?? (mounted ? undefined : "/");
  const inside: Ctx = {
    ...forkContext(ctx),
    // Its lines' `~` is the container's home, not the host user's; `$PWD` its working directory, not
    // the host's. A shell whose HOME is unset (`env -i sh -c …`, see run-shell.ts) reads `~` as root's home.
    parse: (text, shell, homeFromVars, place, cwdChanged) =>
      ctx.parse(text, shell, homeFromVars, { home: paths.home, ...(cwd === undefined ? {} : { cwd }), ...(place?.homeUnset ? { homeUnset: true } : {}) }, cwdChanged),
    findings,
    paths,
    shell: "sh",
    depth: ctx.depth + 1,
    vars,
    maybe: new Map(),
    exported: { names: new Set(vars.keys()), all: false },
    aliases: new Map(),
    lineAliases: new Map(),
    functions: new Set(),
    defined: new Set(),
    bodies: new Map(),
    dirs: [],
    scopes: [],
    homeFromVars: true,
    cmdLine: false,
  };
  delete inside.elsewhere;
  ctx.ops.runArgv(inner, { kind: "cmd", argv: inner, redirects: [] }, [], inside);
}

/**
 * A finding that names a mounted path says where that is on the host (`/h is /home/ada`), and one
 * about a folder that holds mounts which they are (`rm -rf /` with `-v $HOME:/h`: `/ holds /h`).
 */
function withMounts(finding: Finding, mounts: readonly ContainerMount[]): Finding {
  const host = (m: ContainerMount): string => m.source ?? "a folder only known at run time";
  const named = mounts.filter((m) => m.target !== "/" && new RegExp(`(^|[\\s'"])${escape(m.target)}(?=$|[/\\s'"])`).test(finding.detail));
  if (named.length > 0) return { ...finding, detail: `${finding.detail} (in the container, ${named.map((m) => `${m.target} is ${host(m)}`).join(", ")})` };
  const subject = finding.subject?.startsWith("/") ? path.posix.resolve(finding.subject.replace(/\/[^/]*[*?[][^/]*$/, "") || "/") : undefined;
  const held = subject === undefined ? [] : mounts.filter((m) => m.target === subject || m.target.startsWith(subject === "/" ? "/" : `${subject}/`));
  if (held.length === 0) return finding;
  return { ...finding, detail: `${finding.detail} (in the container, ${subject} holds ${held.map((m) => `${m.target}, which is ${host(m)}`).join(", and ")})` };
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
