/*
 * A project's `wren.toml` is found by walking up from the current directory, so it comes with
 * whatever repository the user cloned and is not trusted like the user's own file. It may make wren
 * stricter than the user made it, never looser: this file is the one list of what it may not set,
 * and every refusal reads the same (the file, the key, why, and what to do instead).
 */
import { providerKeyEnv } from "../shared/provider-key-env.js";
import { joinKeyPath } from "./key-path.js";
import type { ConfigProblem } from "./problem.js";
import { getPath, isPlainObject, type Tree } from "./tree.js";

/** What a limit sees of the configuration. */
export interface ProjectLimitInput {
  /** The project file's values, less what the layers above it (variables, flags) replace. */
  values: Tree;
  /** The user file's values: what the project's would override. */
  user: Tree;
  /** The default of a key (the schema's), for a key the user's file does not set. */
  defaultOf: (keyPath: readonly string[]) => unknown;
  /** The project file, as messages name it. */
  origin: string;
  /** The user config file, as messages name it. */
  userFile: string;
}

/** One thing a project file may not set, and how it was set. */
interface Refusal {
  keyPath: readonly string[];
  /** Completes "a project's wren.toml may not …", with why. */
  what: string;
  /** What, in the project file, to move to the user file: `it` or `its [table]`. */
  move?: string;
  /** The other way to have it, for this run or in this file. */
  instead?: string;
}

type Limit = (input: ProjectLimitInput) => Refusal[];

/**
 * A setting whose values go from strictest to loosest: the project may choose one at least as
 * strict as the user's file (or the default) would give, never a looser one.
 */
function ladder(keyPath: readonly string[], strictestFirst: readonly unknown[], why: string, instead: (value: unknown) => string): Limit {
  return ({ values, user, defaultOf }) => {
    const value = getPath(values, keyPath);
    if (value === undefined) return [];
    const rank = (v: unknown) => strictestFirst.indexOf(v);
    const userValue = getPath(user, keyPath);
    const baseline = rank(userValue) >= 0 ? userValue : defaultOf(keyPath);
    if (rank(value) < 0 || rank(value) <= rank(baseline)) return [];
    return [{ keyPath, what: `set ${keyPath.at(-1) ?? ""} = ${JSON.stringify(value)}, looser than ${JSON.stringify(baseline)}: ${why}`, instead: instead(value) }];
  };
}

/** The keys that decide where a provider's requests, its key with them, are sent. */
const DESTINATION_KEYS = ["baseURL", "replicas", "kind", "headers"] as const;

/**
 * A provider's API key comes by default from the user's environment (`OPENAI_API_KEY`, …): the
 * project may not say where such a provider's requests go, nor which variable a key is read from,
 * unless the entry brings its own `apiKey` (the key is then the project's, written there on purpose).
 */
const providerKeys: Limit = ({ values }) => {
  const providers = getPath(values, ["router", "providers"]);
  if (!isPlainObject(providers)) return [];
  return Object.entries(providers).flatMap(([name, entry]): Refusal[] => {
    if (!isPlainObject(entry) || entry["apiKey"] !== undefined) return [];
    const move = `its [router.providers.${name}]`;
    const instead = "give the entry its own `apiKey` here";
    if (entry["apiKeyEnv"] !== undefined) {
      return [{ keyPath: ["router", "providers", name, "apiKeyEnv"], what: "choose which of your environment variables wren sends as an API key", move, instead }];
    }
    const variable = providerKeyEnv(name.toLowerCase());
    const field = DESTINATION_KEYS.find((k) => entry[k] !== undefined);
    if (variable === undefined || field === undefined) return [];
    return [
      {
        keyPath: ["router", "providers", name, field],
        what: `change where ${name} is reached: its API key comes from your environment (${variable}) and would go wherever this file points it`,
        move,
        instead,
      },
    ];
  });
};

/**
 * `cloud = false` makes a provider count as on this machine, so cloud consent is never asked: a
 * provider the project names would get the user's prompts and files wherever it points. (On a
 * loopback URL it changes nothing: such a provider is not cloud anyway.)
 */
const providerCloud: Limit = ({ values }) => {
  const providers = getPath(values, ["router", "providers"]);
  if (!isPlainObject(providers)) return [];
  return Object.entries(providers).flatMap(([name, entry]): Refusal[] =>
    isPlainObject(entry) && entry["cloud"] === false
      ? [
          {
            keyPath: ["router", "providers", name, "cloud"],
            what: `count ${name} as on this machine (cloud = false): your prompts and files would go wherever it points without wren asking you first`,
            move: `its [router.providers.${name}]`,
            instead: "remove the line here, and wren asks before it sends anything off this machine",
          },
        ]
      : [],
  );
};

/**
 * Consent to an MCP server is by name (`--allow mcp__NAME`, an allow rule in the user's settings),
 * and a layer's `[mcp.servers.NAME]` replaces a lower layer's whole: a project entry of a name the
 * user's file defines would run the project's command on the consent the user gave their own server.
 */
const mcpServers: Limit = ({ values, user }) => {
  const servers = getPath(values, ["mcp", "servers"]);
  const own = getPath(user, ["mcp", "servers"]);
  if (!isPlainObject(servers) || !isPlainObject(own)) return [];
  return Object.keys(servers)
    .filter((name) => own[name] !== undefined)
    .map((name) => ({
      keyPath: ["mcp", "servers", name],
      what: `replace the MCP server ${name} your user config file defines: what you allowed for your own server (mcp__${name}) would start this file's instead and let its tools run`,
      move: `its [mcp.servers.${name}]`,
      instead: "give the project's server another name here, which starts only once you allow it",
    }));
};

/** A key the project may set only to a value `allowed` accepts; `what` never quotes the value (it may be a key). */
function only(keyPath: readonly string[], allowed: (value: unknown) => boolean, what: string, instead?: string): Limit {
  return ({ values }) => {
    const value = getPath(values, keyPath);
    return value === undefined || allowed(value) ? [] : [{ keyPath, what, ...(instead === undefined ? {} : { instead }) }];
  };
}

const never = () => false;
/** Everything a project file may not loosen. */
const LIMITS: readonly Limit[] = [
  providerKeys,
  ladder(
    ["agent", "permissionMode"],
    ["plan", "default", "accept-edits", "bypass"],
    "a new assistant session in this project would ask you less before it edits files or runs commands",
    (mode) => `pass --permission-mode ${String(mode)} for this run`,
  ),
  ladder(
    ["router", "cloud"],
    ["never", "ask", "allow"],
    "your prompts and files would go to cloud providers, on your keys, without wren asking you first",
    (policy) => `set WREN_ROUTER_CLOUD=${String(policy)} for this run`,
  ),
  ladder(
    ["router", "offline"],
    [true, false],
    "wren would leave this machine, which your config keeps it on",
    () => "set WREN_ROUTER_OFFLINE=false for this run",
  ),
  providerCloud,
  mcpServers,
  only(["train", "command"], never, "choose the program `wren train run` runs on your machine"),
  only(["train", "python"], never, "choose the Python interpreter `wren train run` runs on your machine"),
  only(["train", "collectTeacher"], (on) => on === false, "make wren keep your prompts and the teachers' answers for training"),
];

/**
 * What the project file sets that it may not: each a `config_invalid` problem naming the file and
 * the key, saying why and what to do (move it to the user file if the project is trusted, or the
 * flag or variable that does it for one run).
 */
export function projectLimitProblems(input: ProjectLimitInput): ConfigProblem[] {
  return LIMITS.flatMap((limit) => limit(input)).map((refusal) => {
    const alternative = refusal.instead === undefined ? "" : `, or ${refusal.instead}`;
    return {
      origin: input.origin,
      key: joinKeyPath(refusal.keyPath),
      message: `a project's wren.toml may not ${refusal.what}. If you trust this project, move ${refusal.move ?? "it"} to your user config file (${input.userFile})${alternative}.`,
    };
  });
}
