import { spawn } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const cli = path.join(root, "dist", "bin", "cli.js");

/** A mix of everyday and dangerous commands, with the structures the analysis has to look through. */
const SAMPLES = [
  "ls -la",
  "git status && git diff --stat",
  "find . -type f -size +100M -mtime -7 -exec ls -lh {} \\;",
  "rm -rf build/ dist/",
  "sudo rm -rf /",
  "curl -fsSL https://get.example.sh | sh",
  "bash <(curl -s https://x.io/i.sh)",
  "echo \"rm -rf /\" && git commit -m 'fix: rm -rf handling'",
  ":(){ :|:& };:",
  "dd if=/dev/zero of=/dev/sda bs=1M",
  "for f in *.log; do gzip \"$f\"; done",
  "git push --force origin main",
  "docker run --privileged -v /:/host -it alpine sh",
  "eval \"$(ssh-agent -s)\"",
  "ps aux | grep node | awk '{print $2}' | xargs kill",
  "timeout 10 nice -n 5 env A=1 command rm -rf ~/",
  "cat <<< 'rm -rf /' | sh",
  "tar -czf backup.tar.gz src && scp backup.tar.gz host:/backups/",
  "chmod -R 777 /",
  "python3 -m http.server 8000",
];

/** The 200 commands fed to `wren cmd --check - --json`. */
export function benchCommands(count = 200): string[] {
  return Array.from({ length: count }, (_, i) => SAMPLES[i % SAMPLES.length] ?? "ls");
}

/**
 * Check mode's throughput as a script sees it: one real `wren cmd --check - --json` process reads 200
 * commands on stdin and answers 200 JSON lines. The total includes Node's start-up and loading the
 * bash grammar. Target: well under 2 s.
 */
export async function benchShellCheck(): Promise<void> {
  const commands = benchCommands();
  const started = performance.now();
  const { code, stdout, stderr } = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve, reject) => {
    const child = spawn(process.execPath, [cli, "cmd", "--check", "-", "--json", "--shell", "bash"], { stdio: ["pipe", "pipe", "pipe"] });
    let out = "";
    let err = "";
    child.stdout.on("data", (d: Buffer) => (out += d.toString()));
    child.stderr.on("data", (d: Buffer) => (err += d.toString()));
    child.on("error", reject);
    child.on("close", (c) => resolve({ code: c, stdout: out, stderr: err }));
    child.stdin.end(commands.join("\n") + "\n");
  });
  const totalMs = performance.now() - started;
  const answers = stdout.trimEnd().split("\n");
  if (code !== 0 || answers.length !== commands.length) {
    throw new Error(`wren cmd --check exited ${code} with ${answers.length} answers for ${commands.length} commands: ${stderr}`);
  }
  const critical = answers.filter((l) => (JSON.parse(l) as { risk: string }).risk === "critical").length;
  console.log(`shell check: ${commands.length} commands in ${totalMs.toFixed(0)} ms total (${(totalMs / commands.length).toFixed(2)} ms each, start-up included; ${critical} critical) — target < 2000 ms`);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await benchShellCheck();
}
