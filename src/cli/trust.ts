import { stat } from "node:fs/promises";
import { createInterface } from "node:readline/promises";
import { forgetProjectRules, listTrustedProjects, projectTrustState, trustProjectMcpServers, trustProjectRules } from "../runtime/project-trust.js";
import { exitCodeOf, WrenError } from "../shared/errors.js";
import type { TrustFlags } from "./commands/trust.js";
import { reportError, withHintBelow } from "./report-error.js";
import { visibleText } from "../shared/visible-text.js";
import { describeWaitingServer } from "./waiting-mcp-server.js";

async function confirm(question: string): Promise<boolean> {
  const rl = createInterface({ input: process.stdin, output: process.stderr, terminal: false });
  try {
    return /^\s*y(es)?\s*$/i.test(await rl.question(question));
  } finally {
    rl.close();
  }
}

const count = (n: number, one: string, many: string = `${one}s`): string => `${n === 1 ? "this" : `these ${n}`} ${n === 1 ? one : many}`;

/** DIR as given, once it is known to be a folder: a typo would otherwise find nothing to accept, and say so. */
async function projectFolder(dir: string): Promise<string> {
  const found = await stat(dir).catch(() => undefined);
  if (found === undefined) throw new WrenError("bad_request", `${dir} does not exist.`, { hint: "Name a folder of the project, or run wren trust inside it." });
  if (!found.isDirectory()) throw new WrenError("bad_request", `${dir} is not a folder.`, { hint: "Name a folder of the project, or run wren trust inside it." });
  return dir;
}

/** What `wren trust --forget` took back, as the state before it says: the rules, the MCP servers, or both. */
function forgotten(state: { projectRoot: string; accepted: readonly string[]; acceptedMcpServers: readonly string[] }): string {
  const rules = state.accepted;
  const servers = state.acceptedMcpServers;
  if (rules.length > 0 && servers.length === 0) {
    return `Took back the allow rules you accepted for ${state.projectRoot} (${rules.join(", ")}): its .wren/settings.toml allows nothing until you accept them again.`;
  }
  if (servers.length > 0 && rules.length === 0) {
    return `Took back the MCP servers you accepted for ${state.projectRoot} (${servers.join(", ")}): they do not start until you accept them again.`;
  }
  return `Took back the rules you accepted for ${state.projectRoot}, and the MCP servers: its .wren/settings.toml allows nothing, and the servers it defines do not start, until you accept them again.`;
}

/** `wren trust [DIR] [--yes | --list | --forget]`; returns the exit status. */
export async function runTrust(dir: string | undefined, flags: TrustFlags): Promise<number> {
  const out = (text: string) => void process.stdout.write(`${text}\n`);
  try {
    if (flags.json && !flags.list) {
      // Refused, as an assistant option before a command's name is: dropped without a word, a
      // script would read text where it asked for JSON (and go on to accept the rules).
      throw new WrenError("bad_request", "--json goes with --list only: accepting a project's rules and --forget print text.", {
        hint: "Run wren trust --list --json for the projects you accepted, as JSON, or leave out --json.",
      });
    }
    if (flags.list) {
      const projects = await listTrustedProjects({});
      if (flags.json) out(JSON.stringify(projects));
      else if (projects.length === 0) out("You have accepted no project's rules or MCP servers. In a project, wren trust shows them and accepts them.");
      else for (const p of projects) out([p.project, ...p.allow.map((rule) => `  allow ${visibleText(rule, { oneLine: true })}`), ...p.mcpServers.map((name) => `  mcp server ${visibleText(name, { oneLine: true })}`)].join("\n"));
      return 0;
    }
    const where = { cwd: dir === undefined ? process.cwd() : await projectFolder(dir) };
    if (flags.forget) {
      const state = await projectTrustState(where);
      const forgot = await forgetProjectRules(where);
      out(forgot ? forgotten(state) : `You had accepted no rules or MCP servers for ${state.projectRoot}.`);
      return 0;
    }
    const state = await projectTrustState(where);
    const problem = state.projectConfigProblem;
    // The rest can be read and accepted; the file's servers wait until it loads.
    if (problem) process.stderr.write(withHintBelow(problem.error, `${problem.file} was not loaded, so the MCP servers it defines cannot be accepted until it loads: `));
    /**
     * Done: 0, or, when the project's wren.toml did not load, its error's status (2, as any command
     * reading the file exits), after the rest was shown and accepted, so that a script does not go on
     * as if all the project defines were accepted.
     */
    const done = (): number => {
      if (!problem) return 0;
      process.stderr.write(`wren: ${problem.file} did not load, so the MCP servers it defines were not accepted: fix it (wren config validate shows its problems) and run wren trust again.\n`);
      return exitCodeOf(problem.error);
    };
    const rules = state.unaccepted;
    const servers = state.unacceptedMcpServers;
    if (rules.length === 0 && servers.length === 0) {
      const accepted = [...state.accepted, ...state.acceptedMcpServers.map((name) => `mcp server ${name}`)];
      out(
        accepted.length > 0
          ? `You have accepted every allow rule and MCP server of ${state.projectRoot} already${problem ? ", but for those of its wren.toml, which did not load" : ""}: ${accepted.join(", ")}.`
          : problem
            ? `${state.settingsFile} holds no allow rules ${state.mcpJsonUsed ? "and the project's .mcp.json no MCP servers" : "(the project's .mcp.json is not used: mcp.projectFile = false)"}: there is nothing else to accept.`
            : `${state.settingsFile} holds no allow rules and the project defines no MCP servers: there is nothing to accept.`,
      );
      return done();
    }
    const listing = [
      ...(rules.length ? [`${state.settingsFile} allows without asking:`, ...rules.map((rule) => `  allow ${visibleText(rule, { oneLine: true })}`)] : []),
      ...(servers.length ? ["The project defines MCP servers that start only once you accept them:", ...servers.map((s) => `  ${describeWaitingServer(s)}`)] : []),
    ].join("\n");
    const what = [...(rules.length ? [count(rules.length, "rule")] : []), ...(servers.length ? [count(servers.length, "MCP server")] : [])].join(" and ");
    if (!flags.yes) {
      if (!process.stdin.isTTY) {
        throw new WrenError("bad_request", `${listing}\nThere is no terminal to ask whether you accept ${rules.length + servers.length === 1 ? "it" : "them"}, so nothing was accepted.`, {
          hint: "Read them, then run wren trust --yes to accept them.",
        });
      }
      process.stderr.write(`${listing}\n`);
      if (!(await confirm(`Accept ${what} for ${state.projectRoot}? A repository writes its own settings and servers: accept only what you would allow and run yourself. [y/N] `))) {
        out("Nothing was accepted.");
        return 1;
      }
    }
    const added = [...(await trustProjectRules(where, rules)), ...(await trustProjectMcpServers(where, servers)).map((name) => `mcp server ${name}`)];
    out(`Accepted for ${state.projectRoot}: ${added.join(", ")}. A rule the file gains later, or a server defined anew, waits for wren trust again.`);
    return done();
  } catch (error) {
    return reportError(error);
  }
}
