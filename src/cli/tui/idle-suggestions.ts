import { execFile } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { z } from "zod";

/** The package scripts worth suggesting, in the order a person most often wants them. */
const SCRIPTS = ["test", "build", "lint", "typecheck", "check"];

const packageJson = z.object({ scripts: z.record(z.string(), z.string()).optional() }).passthrough();

/** Files changed in the working tree (`git status --porcelain`), or none without git. */
function changedFiles(root: string): Promise<string[]> {
  return new Promise((resolve) => {
    execFile("git", ["status", "--porcelain", "--untracked-files=no"], { cwd: root, timeout: 5_000, windowsHide: true }, (error, stdout) => {
      if (error) return resolve([]);
      resolve(
        stdout
          .split("\n")
          .map((line) => line.slice(3).trim())
          .filter(Boolean)
          // A rename reads "old -> new": the new name is the file that exists.
          .map((name) => name.split(" -> ").at(-1) ?? name),
      );
    });
  });
}

function scripts(root: string): string[] {
  try {
    const parsed = packageJson.safeParse(JSON.parse(readFileSync(path.join(root, "package.json"), "utf8")));
    return parsed.success ? Object.keys(parsed.data.scripts ?? {}) : [];
  } catch {
    return [];
  }
}

/**
 * Prompts the empty prompt may suggest (dim; Tab takes one), drawn from the project: the files
 * changed in the working tree, its package scripts, its README. Most specific first; none when the
 * folder offers nothing.
 */
export async function idleSuggestions(root: string): Promise<string[]> {
  const out: string[] = [];
  const changed = await changedFiles(root);
  if (changed.length === 1) out.push(`Review my changes to @${changed[0]}`);
  else if (changed.length > 1) out.push(`Review my uncommitted changes (${changed.length} files) and point out problems`);
  const available = scripts(root);
  for (const name of SCRIPTS) {
    if (!available.includes(name)) continue;
    out.push(name === "test" ? "Run npm test and fix what fails" : `Run npm run ${name} and fix what it reports`);
    break;
  }
  const readme = ["README.md", "README", "readme.md"].find((f) => existsSync(path.join(root, f)));
  if (readme) out.push(`Explain what this project does (start from @${readme})`);
  return out;
}
