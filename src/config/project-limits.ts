/*
 * A project's `wren.toml` is found by walking up from the current directory, so it comes with
 * whatever repository the user cloned and is not trusted like the user's own file. It may make wren
 * stricter than the user made it, never looser: this file is the one list of what it may not set,
 * and every refusal reads the same (the file, the key, why, and what to do instead).
 */
import { providerKeyEnv } from "../shared/provider-key-env.js";
import { envVarName } from "./env-layer.js";
import { joinKeyPath } from "./key-path.js";
import type { ConfigProblem } from "./problem.js";
import { getPath, isPlainObject, type Tree } from "./tree.js";

/** What a limit sees of the configuration. */
export interface ProjectLimitInput {
  /** The project file's values, less what the layers above it (variables, flags) replace. */
  values: Tree;
  /** The user file's values: what the project's would override. */
  user: Tree;
  /**
   * What this run's variables and flags set: the user's own, as their file is. None for `wren config
   * validate`, which judges a file as a run without them would.
   */
  run?: readonly Tree[];
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
const providerKeys: Limit = ({ values, user }) => {
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
    // A server of the repository's choosing is refused as such (`providerServers`), key or not.
    const field = DESTINATION_KEYS.find((k) => entry[k] !== undefined && !serverChanged(name, k, entry, user));
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

/** The keys that decide which server a provider's requests go to. */
const SERVER_KEYS = ["baseURL", "replicas"] as const;

/**
 * A provider the project defines, or re-points, and names in its teachers or routes would get the
 * user's prompts and the files the assistant reads, with cloud use allowed, at a server the
 * repository chose: a provider's `baseURL` and `replicas` must be what the user's file gives (a
 * preset's own address, when the entry names none, is fine).
 */
const providerServers: Limit = ({ values, user }) => {
  const providers = getPath(values, ["router", "providers"]);
  if (!isPlainObject(providers)) return [];
  return Object.entries(providers).flatMap(([name, entry]): Refusal[] => {
    if (!isPlainObject(entry)) return [];
    return SERVER_KEYS.filter((field) => serverChanged(name, field, entry, user))
      .map((field) => ["router", "providers", name, field])
      .map((keyPath) => ({
        keyPath,
        what: `choose the server ${name} sends requests to (its ${keyPath.at(-1) ?? ""} is not your user config file's): named as a teacher or in a route, it would get your prompts and the files the assistant reads, at a server this repository chose, without wren asking you first`,
        move: `its [router.providers.${name}]`,
        instead: "set WREN_ROUTER_PROVIDERS (as JSON) for this run",
      }));
  });
};

/** Whether the project's entry for `name` sets `field` (a server key) to other than the user's file does. */
function serverChanged(name: string, field: string, entry: Tree, user: Tree): boolean {
  if (!(SERVER_KEYS as readonly string[]).includes(field) || entry[field] === undefined) return false;
  const own = getPath(user, ["router", "providers", name]);
  return !sameValue(entry[field], isPlainObject(own) ? own[field] : undefined);
}

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

/**
 * A number the project may only raise (`stricter = "higher"`) or only lower, from what the user's
 * file (or the default) gives.
 */
function bound(keyPath: readonly string[], stricter: "higher" | "lower", why: string): Limit {
  return ({ values, user, defaultOf }) => {
    const value = getPath(values, keyPath);
    const own = getPath(user, keyPath);
    const baseline = typeof own === "number" ? own : defaultOf(keyPath);
    if (typeof value !== "number" || typeof baseline !== "number") return [];
    if (stricter === "higher" ? value >= baseline : value <= baseline) return [];
    return [{ keyPath, what: `set ${keyPath.at(-1) ?? ""} = ${value}, ${stricter === "higher" ? "lower" : "higher"} than ${baseline}: ${why}` }];
  };
}

/**
 * A key the project may set only to the value the user's file (or the default) already gives it;
 * `same` says whether two values written in two files name the same thing (default: equal).
 */
function unchanged(keyPath: readonly string[], what: string, instead: string, same: (a: unknown, b: unknown) => boolean = (a, b) => a === b): Limit {
  return ({ values, user, defaultOf }) => {
    const value = getPath(values, keyPath);
    if (value === undefined) return [];
    const own = getPath(user, keyPath);
    return same(value, own === undefined ? defaultOf(keyPath) : own) ? [] : [{ keyPath, what, instead }];
  };
}

/** A path two files write alike names the same folder only when it is not relative to the file. */
const samePlace = (a: unknown, b: unknown): boolean => a === b && typeof a === "string" && /^(~([/\\]|$)|\/|[A-Za-z]:[/\\])/.test(a);

/** Two values as two files write them: the same when equal, lists and tables included. */
const sameValue = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

/**
 * `[peers]`, every key of it: whether wren announces the user's server to the LAN, looks for peers
 * there and sends them a key, which key, on which interface, under which name. The project may only
 * repeat what the user's file (or the default) gives.
 */
const peers: Limit = ({ values, user, defaultOf }) => {
  const table = getPath(values, ["peers"]);
  if (!isPlainObject(table)) return [];
  return Object.keys(table)
    .map((key) => ["peers", key])
    .filter((keyPath) => {
      const own = getPath(user, keyPath);
      return !sameValue(getPath(values, keyPath), own === undefined ? defaultOf(keyPath) : own);
    })
    .map((keyPath) => ({
      keyPath,
      what: `set ${joinKeyPath(keyPath)} other than your user config file (or the default) does: wren's LAN peers are yours to choose (whether your server is announced to the LAN, whether wren looks for peers there and sends them your peers key, which key, and on which network)`,
      instead: `${keyPath[1] === "advertise" ? "pass --advertise or " : ""}set ${envVarName(keyPath)} for this run`,
    }));
};

/** `wren serve` reads the config of the folder it runs in, a project's included (the daemon reads none). */
const SERVER = "wren's server (`wren serve` run in this project)";
const isLoopbackHost = (host: unknown): boolean => typeof host === "string" && (host === "localhost" || /^127(\.\d{1,3}){3}$/.test(host) || host === "::1" || host === "[::1]");

/**
 * Who may reach wren's server, and what its clients may do: the project may repeat what the user's
 * file (or the default) gives, or, for `server.host`, choose an address on this machine and, for
 * `server.allowPull`, refuse pulls; never open it further.
 */
function serverAccess(key: string, what: string, instead: string, allowed: (value: unknown) => boolean = () => false): Limit {
  const keyPath = ["server", key];
  return ({ values, user, defaultOf }) => {
    const value = getPath(values, keyPath);
    if (value === undefined || allowed(value)) return [];
    const own = getPath(user, keyPath);
    return sameValue(value, own === undefined ? defaultOf(keyPath) : own) ? [] : [{ keyPath, what, instead }];
  };
}

/** A spend limit as the project file and the user's file write it (`router.budgets[]`). */
interface Budget {
  usd: number;
  period: unknown;
  provider?: unknown;
  key?: unknown;
}

const budgetsOf = (tree: Tree): Budget[] => {
  const list = getPath(tree, ["router", "budgets"]);
  return Array.isArray(list) ? list.filter((b): b is Budget => isPlainObject(b) && typeof b["usd"] === "number") : [];
};
/** `day:openai`, `month:*@ci`: as wren names a budget (the router's `budgetName`). */
const budgetName = (b: Budget): string => `${String(b.period)}:${typeof b.provider === "string" ? b.provider : "*"}${typeof b.key === "string" ? `@${b.key}` : ""}`;
const sameScope = (a: Budget, b: Budget): boolean => a.period === b.period && a.provider === b.provider && a.key === b.key;

/**
 * The project's `router.budgets` replaces the user's list whole. Spend counts against every budget
 * that applies, so a budget the project adds only holds more back, except one of a client key's own,
 * which takes the place of a `key = "*"` budget for that key: each of the user's budgets must still be
 * there, at most as large, and a key's own budget no larger than the user's `*` one it replaces.
 */
const budgets: Limit = ({ values, user }) => {
  if (getPath(values, ["router", "budgets"]) === undefined) return [];
  const project = budgetsOf(values);
  const own = budgetsOf(user);
  const looser = own.flatMap((mine) => {
    const theirs = project.find((b) => sameScope(b, mine));
    if (theirs === undefined) return [`drops ${budgetName(mine)} ($${mine.usd})`];
    return theirs.usd > mine.usd ? [`raises ${budgetName(mine)} from $${mine.usd} to $${theirs.usd}`] : [];
  });
  for (const theirs of project) {
    if (typeof theirs.key !== "string" || theirs.key === "*" || own.some((mine) => sameScope(mine, theirs))) continue;
    const each = own.find((mine) => mine.key === "*" && mine.period === theirs.period && mine.provider === theirs.provider);
    if (each !== undefined && theirs.usd > each.usd) looser.push(`gives ${budgetName(theirs)} $${theirs.usd} in place of ${budgetName(each)}'s $${each.usd}`);
  }
  if (looser.length === 0) return [];
  return [
    {
      keyPath: ["router", "budgets"],
      what: `loosen the spending budgets your user config file sets (it ${looser.join(", ")}): wren would spend more on your keys than you allowed. It may keep, lower or add budgets`,
    },
  ];
};

/**
 * Cost, and so budgets, count only priced spend: a model without a price costs nothing. The project
 * may price what the user's file leaves unpriced (spend then counts for more, never less), not
 * re-price a model the user's file prices, by its own name or its provider's `provider:*`.
 */
const prices: Limit = ({ values, user }) => {
  const theirs = getPath(values, ["router", "prices"]);
  const mine = getPath(user, ["router", "prices"]);
  if (!isPlainObject(theirs) || !isPlainObject(mine)) return [];
  return Object.keys(theirs)
    .filter((name) => {
      const colon = name.indexOf(":");
      return mine[name] !== undefined || (colon > 0 && mine[`${name.slice(0, colon)}:*`] !== undefined);
    })
    .map((name) => ({
      keyPath: ["router", "prices", name],
      what: `change the price your user config file gives ${name}: cost totals and budgets count what your keys spend at your prices`,
      move: `its [router.prices."${name}"]`,
      instead: "leave the entry out here",
    }));
};

/** How the model loader reads a reference (`models/ref.ts`): `hf:…` and URLs are downloaded when absent. */
const DOWNLOADED_REF = /^(hf:|https?:\/\/)/i;
const PATH_REF = /^(\/|\.\.?[/\\]|~|[A-Za-z]:[/\\])/;

/**
 * Why a model reference may not come from a project file, if it may not. A reference wren would
 * download (`hf:…`, a URL) fetches a file of the repository's choosing onto the user's disk; a path
 * opens a file of its choosing, so it must name a `.gguf` file (what wren loads; its header is
 * checked before anything else is read). Names (the store's, Ollama's, LM Studio's, an alias, a
 * catalog entry, which wren downloads on its own when nothing is configured) are fine.
 */
function refusedRef(ref: unknown, where: string): Omit<Refusal, "keyPath"> | undefined {
  if (typeof ref !== "string") return undefined;
  const text = ref.trim();
  if (DOWNLOADED_REF.test(text)) {
    return {
      what: `name${where} a model wren would download (an \`hf:\` or URL reference): running wren here would fetch a file this repository chose onto your disk`,
      instead: "run `wren pull` on it yourself and name the downloaded .gguf file here by its path",
    };
  }
  if (PATH_REF.test(text) && !text.toLowerCase().endsWith(".gguf")) {
    return { what: `name${where} a file that is not a .gguf file as a model: wren would open a file this repository chose`, instead: "name a .gguf file here" };
  }
  return undefined;
}

/** `models.default`, `models.aliases.*`, `cmd.model` and `[[server.models]]`'s `ref` and `draft`. */
const modelRefs: Limit = ({ values }) => {
  const refusal = (keyPath: readonly string[], ref: unknown, where = ""): Refusal[] => {
    const refused = refusedRef(ref, where);
    return refused === undefined ? [] : [{ keyPath, ...refused }];
  };
  const aliases = getPath(values, ["models", "aliases"]);
  const served = getPath(values, ["server", "models"]);
  return [
    ...refusal(["models", "default"], getPath(values, ["models", "default"])),
    ...(isPlainObject(aliases) ? Object.entries(aliases).flatMap(([name, ref]) => refusal(["models", "aliases", name], ref)) : []),
    ...refusal(["cmd", "model"], getPath(values, ["cmd", "model"])),
    ...(Array.isArray(served)
      ? served.flatMap((entry, i) =>
          isPlainObject(entry) ? (["ref", "draft"] as const).flatMap((field) => refusal(["server", "models"], entry[field], ` (as ${field} of the ${ordinal(i + 1)} [[server.models]])`)) : [],
        )
      : []),
  ];
};

/** `provider:model` or `provider/model`, as the router reads a target (the registry's `parseModelRef`). */
const TARGET = /^([a-z0-9][a-z0-9_-]*)[:/](.+)$/i;
/** `provider:model` only: `cmd.model` goes through the router only in this form (`isRoutedModelName`). */
const COLON_TARGET = /^([a-z0-9][a-z0-9_-]*):(.+)$/i;

/** A target as the project file writes it, and where. */
interface NamedTarget {
  keyPath: readonly string[];
  provider: string;
  /** `provider:model`, the provider in lower case, as the router names it. */
  target: string;
}

function namedTarget(keyPath: readonly string[], ref: unknown, form: RegExp = TARGET): NamedTarget[] {
  const match = typeof ref === "string" ? form.exec(ref.trim()) : null;
  if (!match) return [];
  const provider = match[1]!.toLowerCase();
  return [{ keyPath, provider, target: `${provider}:${match[2]!}` }];
}

/** The targets of a route as config writes it (a string, or a node whose children are routes). */
function routeTargets(keyPath: readonly string[], route: unknown): NamedTarget[] {
  if (typeof route === "string") return namedTarget(keyPath, route);
  if (!isPlainObject(route)) return [];
  const children: unknown[] = [];
  if (route["type"] === "target") return namedTarget(keyPath, route["target"]);
  if (Array.isArray(route["targets"])) children.push(...route["targets"].map((t: unknown) => (route["type"] === "loadbalance" && isPlainObject(t) ? t["route"] : t)));
  if (Array.isArray(route["branches"])) children.push(...route["branches"].map((b: unknown) => (isPlainObject(b) ? b["then"] : undefined)));
  if (route["otherwise"] !== undefined) children.push(route["otherwise"]);
  return children.flatMap((child) => routeTargets(keyPath, child));
}

/**
 * Every router target a file names: the teachers, the routes, the safety rules' routes, and
 * `cmd.model` and `agent.compactionModel` when they name a target rather than a route (or `auto`).
 */
function targetsOf(tree: Tree, routeNames: ReadonlySet<string>): NamedTarget[] {
  const teachers = getPath(tree, ["router", "teachers"]);
  const routes = getPath(tree, ["router", "routes"]);
  const safety = getPath(tree, ["router", "safety"]);
  const model = (keyPath: readonly string[], form: RegExp): NamedTarget[] => {
    const ref = getPath(tree, keyPath);
    return typeof ref === "string" && routeNames.has(ref) ? [] : namedTarget(keyPath, ref, form);
  };
  return [
    ...(Array.isArray(teachers) ? teachers.flatMap((t) => namedTarget(["router", "teachers"], t)) : []),
    ...(isPlainObject(routes) ? Object.entries(routes).flatMap(([name, route]) => routeTargets(["router", "routes", name], route)) : []),
    ...(Array.isArray(safety) ? safety.flatMap((rule) => (isPlainObject(rule) ? routeTargets(["router", "safety"], rule["route"]) : [])) : []),
    ...model(["cmd", "model"], COLON_TARGET),
    ...model(["agent", "compactionModel"], TARGET),
  ];
}

const keysOf = (table: unknown): string[] => (isPlainObject(table) ? Object.keys(table) : []);

/**
 * For one run: the variable that replaces the project's key (a flag such as `--model` does not:
 * the project file is read, and refused, all the same).
 */
function forOneRun(keyPath: readonly string[], target: string): string {
  switch (joinKeyPath(keyPath.slice(0, 2))) {
    case "router.teachers":
      return `set WREN_ROUTER_TEACHERS=${target} for this run`;
    case "cmd.model":
      return `set WREN_CMD_MODEL=${target} for this run`;
    case "agent.compactionModel":
      return `set WREN_AGENT_COMPACTION_MODEL=${target} for this run`;
    default:
      return `set ${envVarName(keyPath.slice(0, 2))} (as JSON) for this run`;
  }
}

/**
 * A provider whose API key comes from the user's environment (`OPENAI_API_KEY`, …) needs no entry
 * to be called, and with cloud use allowed nothing asks first: a target the project names would
 * get the user's prompts and files, on the user's key (and, unpriced, counted by no budget). The
 * project may name such a target only where the key sent is its own (its entry for the provider
 * has an `apiKey`) or the user's file, or a variable or flag of the run, already names the provider
 * (as a target, or with a provider entry).
 * `local:`, peers and providers that take no key from the environment (Ollama, LM Studio, vLLM,
 * llama.cpp, a provider the project defines) are not held back; the `wren` preset is, since
 * another wren answers `provider:model` itself, on its own user's keys.
 */
const envKeyTargets: Limit = ({ values, user, run = [] }) => {
  const theirs = getPath(values, ["router", "providers"]);
  const yours = [user, ...run];
  const routeNames = new Set([values, ...yours].flatMap((tree) => keysOf(getPath(tree, ["router", "routes"]))));
  const chosen = new Set(yours.flatMap((tree) => [...targetsOf(tree, routeNames).map((t) => t.provider), ...keysOf(getPath(tree, ["router", "providers"])).map((name) => name.toLowerCase())]));
  const seen = new Set<string>();
  return targetsOf(values, routeNames).flatMap(({ keyPath, provider, target }): Refusal[] => {
    const entry = isPlainObject(theirs) ? theirs[provider] : undefined;
    const own = isPlainObject(entry) ? entry : {};
    const variable = typeof own["apiKeyEnv"] === "string" ? own["apiKeyEnv"] : providerKeyEnv(provider);
    const where = `${joinKeyPath(keyPath)} ${target}`;
    if (variable === undefined || own["apiKey"] !== undefined || chosen.has(provider) || seen.has(where)) return [];
    seen.add(where);
    return [
      {
        keyPath,
        what: `send requests to ${target}: ${provider} takes its API key from your environment (${variable}), and your user config file does not name ${provider}, so wren would send your prompts and files to a provider you did not choose, on your key`,
        instead: `${forOneRun(keyPath, target)}, or give [router.providers.${provider}] its own \`apiKey\` here`,
      },
    ];
  });
};

const ordinal = (n: number): string => `${n}${n % 10 === 1 && n % 100 !== 11 ? "st" : n % 10 === 2 && n % 100 !== 12 ? "nd" : n % 10 === 3 && n % 100 !== 13 ? "rd" : "th"}`;

const never = () => false;
/** Everything a project file may not loosen. */
const LIMITS: readonly Limit[] = [
  providerKeys,
  envKeyTargets,
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
  providerServers,
  providerCloud,
  mcpServers,
  only(["train", "command"], never, "choose the program `wren train run` runs on your machine"),
  only(["train", "python"], never, "choose the Python interpreter `wren train run` runs on your machine"),
  only(["train", "collectTeacher"], (on) => on === false, "make wren keep your prompts and the teachers' answers for training"),
  budgets,
  bound(["router", "reserveOutputTokens"], "higher", "a request that sets no output limit would hold less of a budget than it may spend"),
  prices,
  modelRefs,
  peers,
  serverAccess(
    "host",
    `make ${SERVER} listen beyond this machine (a host that is not loopback nor your user config file's)`,
    "pass --host or set WREN_SERVER_HOST for this run",
    isLoopbackHost,
  ),
  serverAccess("apiKey", `choose the key that lets clients into ${SERVER}: anyone holding this repository's key would get in`, "pass --api-key or set WREN_SERVER_API_KEY for this run"),
  serverAccess("keys", `choose the client keys that let clients into ${SERVER}: anyone holding one of this repository's keys would get in`, "set WREN_SERVER_KEYS (as JSON) for this run"),
  serverAccess("cors", `let web pages from origins this repository chose call ${SERVER} (CORS)`, "pass --cors or set WREN_SERVER_CORS for this run"),
  serverAccess(
    "allowPull",
    `let clients of ${SERVER} make wren download models into your store (Ollama's /api/pull) where your user config file does not (by default only while it listens on loopback)`,
    "set WREN_SERVER_ALLOW_PULL=true for this run",
    (allow) => allow === false,
  ),
  unchanged(
    ["state", "redis"],
    "choose the Redis server wren keeps its shared state on: your rate limits, budgets' spend, circuit breakers and the router's decision log would be kept on, and read back from, a server this repository chose",
    "set WREN_STATE_REDIS for this run",
  ),
  unchanged(
    ["state", "keyPrefix"],
    "move wren's keys on your Redis server to another prefix: your budgets' spend and rate limits would be counted again from nothing",
    "set WREN_STATE_KEY_PREFIX for this run",
  ),
  unchanged(
    ["models", "dir"],
    "choose where wren stores the models it downloads: `wren pull` and other downloads would write to a folder this repository chose, and wren would load models from there",
    "set WREN_MODELS_DIR for this run",
    samePlace,
  ),
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
