import { loadConfig, locateConfigFiles } from "../../config/index.js";
import { WrenError } from "../../shared/errors.js";
import { readUserConfig, writeUserConfig } from "./config-file.js";
import { applyDraft, draftFromValues, type SetupDraft } from "./draft.js";

export interface SetupOptions {
  /** Never touch the network (`--offline`): keys are kept unchecked, with a note. */
  offline?: boolean;
}

export interface SetupResult {
  /** False when the person cancelled: nothing was written. */
  written: boolean;
  /** The user config file, written or not. */
  path: string;
  /** True when Ctrl+C ended the wizard (Esc is a cancel the wizard answers itself). */
  interrupted?: boolean;
}

/**
 * True when wren has no config to go by: neither a user config file nor a project `wren.toml`.
 * The assistant's first start (`wren` with no arguments) offers {@link runSetup} then.
 */
export function needsSetup(env: NodeJS.ProcessEnv = process.env, cwd: string = process.cwd()): boolean {
  const { user, project } = locateConfigFiles({ env, cwd });
  return !user?.exists && project === undefined;
}

/**
 * The first-run wizard in the terminal: local model or proxy-only, the model (previewed and
 * pulled), cloud providers and their keys, the cloud policy, MCP servers. Starts from the user
 * config file's current values and writes it back only when the person confirms.
 */
export async function runSetup(options: SetupOptions = {}): Promise<SetupResult> {
  if (!process.stdin.isTTY || !process.stdout.isTTY) {
    throw new WrenError("bad_request", "wren setup asks its questions in a terminal, and this is not one.", {
      hint: "Run `wren setup` in a terminal, or write the config file yourself (`wren config path` says where, `wren config schema` what it holds).",
    });
  }
  const file = await readUserConfig();
  const { config } = await loadConfig({});
  const [{ render }, { createElement }, { Wizard }] = await Promise.all([import("ink"), import("react"), import("./components/wizard.js")]);
  const cancel = new AbortController();
  let chosen: SetupDraft | undefined;
  // Esc and the last step call onFinish; Ctrl+C makes Ink leave on its own, without calling it.
  let answered = false;
  const instance = render(
    createElement(Wizard, {
      initial: draftFromValues(file.values),
      configPath: file.path,
      editing: file.exists,
      modelsDir: config.models.dir,
      token: config.models.token,
      offline: options.offline === true || config.router.offline,
      cancel,
      onFinish: (draft) => {
        answered = true;
        chosen = draft;
        instance.unmount();
      },
    }),
    { patchConsole: false },
  );
  await instance.waitUntilExit();
  cancel.abort();
  if (chosen === undefined) return { written: false, path: file.path, interrupted: !answered };
  await writeUserConfig(file.path, applyDraft(file.values, chosen));
  return { written: true, path: file.path };
}
