import os from "node:os";
import path from "node:path";
import type { DatasetMessage } from "./chat-format.js";
import { redactEnvFile, redactSecrets } from "./redact.js";

/** What was taken out of one example. */
export interface Redactions {
  secrets: number;
  outsideFiles: number;
}

/** Argument names through which wren's tools (and most MCP tools) name a file. */
const PATH_KEYS = ["path", "file", "filePath", "file_path", "filename", "target"];

function pathsOf(args: string): string[] {
  try {
    const parsed = JSON.parse(args) as unknown;
    if (typeof parsed !== "object" || parsed === null) return [];
    return PATH_KEYS.flatMap((k) => {
      const v = (parsed as Record<string, unknown>)[k];
      return typeof v === "string" ? [v] : [];
    });
  } catch {
    return [];
  }
}

function outside(file: string, projectRoot: string): boolean {
  const resolved = path.resolve(projectRoot, file.startsWith("~") ? path.join(os.homedir(), file.slice(1)) : file);
  const relative = path.relative(projectRoot, resolved);
  return relative === ".." || relative.startsWith(`..${path.sep}`) || path.isAbsolute(relative);
}

const isEnvFile = (file: string): boolean => /^\.env(\..*)?$/.test(path.basename(file));

/**
 * Secrets out of every message, `.env` values out of what a tool read from one, and the contents of
 * files outside `projectRoot` out of the tool results that carried them (and the call's own text).
 */
export function redactExample(messages: DatasetMessage[], projectRoot: string): { messages: DatasetMessage[]; redactions: Redactions } {
  const counts: Redactions = { secrets: 0, outsideFiles: 0 };
  const files = new Map<string, string[]>();
  for (const m of messages) if (m.role === "assistant") for (const c of m.tool_calls ?? []) files.set(c.id, pathsOf(c.function.arguments));
  const secret = (text: string): string => {
    const r = redactSecrets(text);
    counts.secrets += r.count;
    return r.text;
  };
  const out = messages.map((m): DatasetMessage => {
    if (m.role !== "tool") {
      const content = secret(m.content);
      if (m.role === "assistant" && m.tool_calls) {
        return { ...m, content, tool_calls: m.tool_calls.map((c) => ({ ...c, function: { ...c.function, arguments: secret(c.function.arguments) } })) };
      }
      return { ...m, content };
    }
    const paths = files.get(m.tool_call_id) ?? [];
    if (paths.some((p) => outside(p, projectRoot))) {
      counts.outsideFiles++;
      return { ...m, content: "[REDACTED: a file outside the project]" };
    }
    let content = m.content;
    if (paths.some(isEnvFile)) {
      const r = redactEnvFile(content);
      counts.secrets += r.count;
      content = r.text;
    }
    return { ...m, content: secret(content) };
  });
  return { messages: out, redactions: counts };
}
