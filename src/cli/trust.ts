import { createInterface } from "node:readline/promises";
import { forgetProjectRules, listTrustedProjects, projectTrustState, trustProjectRules } from "../runtime/project-trust.js";
import { WrenError } from "../shared/errors.js";
import type { TrustFlags } from "./commands/trust.js";
import { reportError } from "./report-error.js";

async function confirm(question: string): Promise<boolean> {
  const rl = createInterface({ input: process.stdin, output: process.stderr, terminal: false });
  try {
    return /^\s*y(es)?\s*$/i.test(await rl.question(question));
  } finally {
    rl.close();
  }
}

/** `wren trust [DIR] [--yes | --list | --forget]`; returns the exit status. */
export async function runTrust(dir: string | undefined, flags: TrustFlags): Promise<number> {
  const out = (text: string) => void process.stdout.write(`${text}\n`);
  try {
    if (flags.list) {
      const projects = await listTrustedProjects({});
      if (flags.json) out(JSON.stringify(projects));
      else if (projects.length === 0) out("You have accepted no project's rules. In a project, wren trust shows its rules and accepts them.");
      else for (const p of projects) out(`${p.project}\n${p.allow.map((rule) => `  allow ${rule}`).join("\n")}`);
      return 0;
    }
    const where = { cwd: dir ?? process.cwd() };
    if (flags.forget) {
      const state = await projectTrustState(where);
      const forgot = await forgetProjectRules(where);
      out(forgot ? `Took back the rules you accepted for ${state.projectRoot}: its .wren/settings.toml allows nothing until you accept them again.` : `You had accepted no rules for ${state.projectRoot}.`);
      return 0;
    }
    const state = await projectTrustState(where);
    if (state.unaccepted.length === 0) {
      out(
        state.accepted.length === 0
          ? `${state.settingsFile} holds no allow rules: there is nothing to accept.`
          : `You have accepted every allow rule of ${state.settingsFile} already: ${state.accepted.join(", ")}.`,
      );
      return 0;
    }
    const n = state.unaccepted.length;
    const listing = `${state.settingsFile} allows without asking:\n${state.unaccepted.map((rule) => `  allow ${rule}`).join("\n")}`;
    if (!flags.yes) {
      if (!process.stdin.isTTY) {
        throw new WrenError("bad_request", `${listing}\nThere is no terminal to ask whether you accept ${n === 1 ? "it" : "them"}, so nothing was accepted.`, {
          hint: "Read the rules, then run wren trust --yes to accept them.",
        });
      }
      process.stderr.write(`${listing}\n`);
      if (!(await confirm(`Accept ${n === 1 ? "this rule" : `these ${n} rules`} for ${state.projectRoot}? A repository writes its own settings: accept only what you would allow yourself. [y/N] `))) {
        out("Nothing was accepted.");
        return 1;
      }
    }
    const added = await trustProjectRules(where, state.unaccepted);
    out(`Accepted for ${state.projectRoot}: ${added.join(", ")}. A rule the file gains later waits for wren trust again.`);
    return 0;
  } catch (error) {
    return reportError(error);
  }
}
