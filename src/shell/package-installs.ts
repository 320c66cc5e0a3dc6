import type { Word } from "./ir.js";
import type { Invocation } from "./match-rule.js";
import { DEFAULT_REGISTRY } from "./rules.js";
import type { Finding } from "./types.js";
import { splitLong, splitShort, walkOptions } from "./option-walk.js";

/**
 * Where `pip install` (`pip3`, `python -m pip`, `uv pip`; `pipx install` and `uv tool install`
 * install with it; `pip download` and `pip wheel` build as it does) takes packages from: an sdist's build runs
 * its setup.py, so one from a URL, a version-control repository or another index than PyPI runs
 * code no registry vouches for, as `npx` does. Its operands, `-r`/`--requirement` and
 * `-e`/`--editable` (uv's `--from`, `--with`) name packages or files of them; `-i`/`--index-url`, `--extra-index-url` and
 * `-f`/`--find-links` (uv's `--index`, `--default-index`) other servers; `-c`/`--constraint` only
 * pins versions, so a remote one is no source. npm's, cargo's and gem's
 * sources are rules in rules.ts.
 */

/** A requirement's source after an optional `name @ ` (PEP 508) or `name[extra] @ `. */
const REQUIREMENT_NAME = /^([A-Za-z0-9][\w.-]*(\[[^\]]*\])?\s*@\s*)?/;
const SOURCES: readonly [RegExp, string][] = [
  [/^git\+/, "a git repository"],
  [/^(hg|svn|bzr)\+/, "a version-control repository"],
  [/^(https?|ftp):\/\//, "a URL"],
];

/** Options whose value names packages or a file of them: a source when it is remote. */
const SOURCE_OPTIONS = ["-r", "--requirement", "-e", "--editable", "--from", "--with", "--with-editable", "--with-requirements"];
/** Options whose value is an index or a page of links. */
const INDEX_OPTIONS = ["-i", "--index-url", "--extra-index-url", "-f", "--find-links", "--index", "--default-index"];
/** Other options that take the next word. */
const VALUE_OPTIONS = [
  "-c", "--constraint", "-t", "--target", "--prefix", "--root", "--src", "--cache-dir", "--log", "--proxy", "--cert",
  "--client-cert", "--trusted-host", "--python", "-p", "--platform", "--implementation", "--abi", "--python-version",
  "--upgrade-strategy", "--progress-bar", "--report", "-C", "--config-settings", "--global-option", "--exists-action",
  "--retries", "--timeout", "--keyring-provider", "--only-binary", "--no-binary", "--index-strategy", "--resolution",
];
const SHORT_WITH_VALUE = "rieftcCp";

/** pip's subcommands that build what they fetch: `download` and `wheel` build an sdist as `install` does. */
const BUILDS = ["install", "download", "wheel"];
const PIP_NAMES = new Set(["pip", "pip3"]);
const PYTHON = /^python(3(\.\d+)?)?$/;

function finding(source: string, subcommand: string): Finding {
  const detail = subcommand === "install"
    ? `installs and builds a package from ${source} (its install scripts run)`
    : `builds a package from ${source} (its build scripts run)`;
  return { category: "remote code execution", risk: "moderate", detail };
}

function requirementSource(text: string): string | undefined {
  const spec = text.replace(REQUIREMENT_NAME, "");
  return SOURCES.find(([re]) => re.test(spec))?.[1];
}

/** The index named by an option, when it is another server than PyPI (a local folder of wheels is the user's own). */
function otherIndex(text: string): boolean {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(text) && !/^file:/i.test(text) && !new RegExp(DEFAULT_REGISTRY).test(text);
}

/** pip's arguments after `install` (`download`, `wheel`), or undefined when the invocation builds nothing with pip. */
function installArgs(inv: Invocation): { subcommand: string; args: Word[] } | undefined {
  let args = inv.args;
  if (PYTHON.test(inv.name)) {
    const m = args.findIndex((w) => !w.dynamic && w.text === "-m");
    if (m < 0 || args[m + 1]?.text !== "pip") return undefined;
    args = args.slice(m + 2);
  } else if (inv.name === "uv") {
    const at = args.findIndex((w) => w.dynamic || !w.text.startsWith("-"));
    if (at < 0 || (args[at]?.text !== "pip" && args[at]?.text !== "tool")) return undefined;
    args = args.slice(at + 1);
  } else if (!PIP_NAMES.has(inv.name) && inv.name !== "pipx") return undefined;
  for (let i = 0; i < args.length; i++) {
    const w = args[i];
    if (!w || w.dynamic) return undefined;
    if (!w.text.startsWith("-")) return BUILDS.includes(w.text) ? { subcommand: w.text, args: args.slice(i + 1) } : undefined;
    if (VALUE_OPTIONS.includes(w.text)) i++;
  }
  return undefined;
}

/** The finding for a `pip install` (`download`, `wheel`) from a URL, a repository or another index, if it is one. */
export function pipInstallSource(inv: Invocation): Finding | undefined {
  const { subcommand, args } = installArgs(inv) ?? {};
  if (!subcommand || !args) return undefined;
  let found: string | undefined;
  const operands = walkOptions(args, (text, next) => {
    let option: string | undefined;
    let value: string | undefined;
    if (text.startsWith("--")) [option, value] = splitLong(text);
    else ({ option, value } = splitShort(text, SHORT_WITH_VALUE));
    if (option === undefined) return false;
    const takesNext = value === undefined && (SOURCE_OPTIONS.includes(option) || INDEX_OPTIONS.includes(option) || VALUE_OPTIONS.includes(option));
    const given = value ?? (takesNext && next && !next.dynamic ? next.text : undefined);
    if (given !== undefined && found === undefined) {
      if (SOURCE_OPTIONS.includes(option)) found = requirementSource(given);
      else if (INDEX_OPTIONS.includes(option) && otherIndex(given)) found = "a package index other than PyPI";
    }
    return takesNext;
  });
  found ??= operands.map((w) => (w.dynamic ? undefined : requirementSource(w.text))).find((source) => source !== undefined);
  return found === undefined ? undefined : finding(found, subcommand);
}
