import os from "node:os";
import path from "node:path";

/**
 * The only place that knows wren's directories. Everything honours XDG base directories on Linux,
 * the platform's conventions elsewhere, and `WREN_HOME` (one folder for everything, handy for tests
 * and portable installs).
 */
export interface WrenPaths {
  /** User config file: `$XDG_CONFIG_HOME/wren/config.toml`. */
  configFile: string;
  configDir: string;
  /** Downloaded models and their manifest. */
  modelsDir: string;
  /** Daemon pid/lock files, sockets, logs. */
  stateDir: string;
  cacheDir: string;
  dataDir: string;
}

export type Env = Readonly<Record<string, string | undefined>>;

/** WREN_MODELS_DIR, absolute: one relative to the folder wren runs in names the same place for the daemon, which runs in its own. */
function modelsDirOf(env: Env): string | undefined {
  const dir = env["WREN_MODELS_DIR"];
  return dir ? path.resolve(dir) : undefined;
}

/** An XDG base directory: empty or relative, it is ignored, as the XDG Base Directory spec says. */
function xdg(dir: string | undefined): string | undefined {
  return dir && path.isAbsolute(dir) ? dir : undefined;
}

export function resolvePaths(env: Env = process.env, home: string = os.homedir()): WrenPaths {
  const wrenHome = env["WREN_HOME"];
  if (wrenHome) {
    const root = path.resolve(wrenHome);
    return {
      configDir: root,
      configFile: path.join(root, "config.toml"),
      modelsDir: modelsDirOf(env) ?? path.join(root, "models"),
      stateDir: path.join(root, "state"),
      cacheDir: path.join(root, "cache"),
      dataDir: path.join(root, "data"),
    };
  }
  const platform = process.platform;
  let configBase: string;
  let dataBase: string;
  let stateBase: string;
  let cacheBase: string;
  if (platform === "win32") {
    const appData = env["APPDATA"] ?? path.join(home, "AppData", "Roaming");
    const local = env["LOCALAPPDATA"] ?? path.join(home, "AppData", "Local");
    configBase = appData;
    dataBase = local;
    stateBase = local;
    cacheBase = local;
  } else {
    configBase = xdg(env["XDG_CONFIG_HOME"]) ?? path.join(home, ".config");
    dataBase = xdg(env["XDG_DATA_HOME"]) ?? path.join(home, ".local", "share");
    stateBase = xdg(env["XDG_STATE_HOME"]) ?? path.join(home, ".local", "state");
    cacheBase = xdg(env["XDG_CACHE_HOME"]) ?? path.join(home, ".cache");
  }
  const configDir = path.join(configBase, "wren");
  const dataDir = path.join(dataBase, "wren");
  return {
    configDir,
    configFile: path.join(configDir, "config.toml"),
    modelsDir: modelsDirOf(env) ?? path.join(dataDir, "models"),
    stateDir: path.join(stateBase, "wren"),
    cacheDir: path.join(cacheBase, "wren"),
    dataDir,
  };
}

/** Expands a leading `~` to the home directory. */
export function expandHome(p: string, home: string = os.homedir()): string {
  if (p === "~") return home;
  if (p.startsWith("~/") || p.startsWith("~\\")) return path.join(home, p.slice(2));
  return p;
}
