import type { Finding } from "./types.js";

/** What a database client reads: SQL, Redis commands or MongoDB shell code. */
export type StoreLanguage = "sql" | "redis" | "mongo";

/**
 * Judges the statements a database client is given (`psql -c`, `mysql -e`, text on its standard
 * input). Read only as far as the first words of each statement and whether it has a WHERE, which
 * is what decides how much it destroys; anything else is left alone (a SELECT is safe).
 */
export function judgeStatements(text: string, language: StoreLanguage): Finding[] {
  if (language === "redis") return judgeRedis(text);
  if (language === "mongo") return judgeMongo(text);
  return splitStatements(text).flatMap(judgeSql);
}

/** Splits on `;` outside quotes and comments. */
export function splitStatements(text: string): string[] {
  const out: string[] = [];
  let current = "";
  let quote: string | undefined;
  for (let i = 0; i < text.length; i++) {
    const c = text[i] ?? "";
    if (quote) {
      current += c;
      if (c === quote) quote = undefined;
      continue;
    }
    if (c === "-" && text[i + 1] === "-") {
      const end = text.indexOf("\n", i);
      i = end < 0 ? text.length : end;
      current += " ";
      continue;
    }
    if (c === "/" && text[i + 1] === "*") {
      const end = text.indexOf("*/", i + 2);
      i = end < 0 ? text.length : end + 1;
      current += " ";
      continue;
    }
    if (c === "'" || c === '"' || c === "`") quote = c;
    if (c === ";") {
      out.push(current);
      current = "";
    } else current += c;
  }
  out.push(current);
  return out.map((s) => s.trim()).filter((s) => s.length > 0);
}

/** Quoted names and strings blanked, so that a WHERE inside a string is not a WHERE. */
function bare(statement: string): string {
  return statement.replace(/'(?:[^']|'')*'/g, "''").toUpperCase().replace(/\s+/g, " ");
}

function finding(risk: Finding["risk"], detail: string, category: Finding["category"] = "data loss"): Finding {
  return { category, risk, detail };
}

function judgeSql(statement: string): Finding[] {
  const s = bare(statement);
  const hasWhere = / WHERE /.test(` ${s} `);
  let m: RegExpExecArray | null;
  if ((m = /^DROP (DATABASE|SCHEMA|KEYSPACE)\b/.exec(s))) return [finding("critical", `drops a whole ${m[1]?.toLowerCase()} (${firstLine(statement)})`)];
  if (/^DROP (OWNED|ALL)\b/.test(s)) return [finding("critical", `drops everything a role owns (${firstLine(statement)})`)];
  if ((m = /^DROP (TEMPORARY |TEMP )?(TABLE|COLLECTION|MATERIALIZED VIEW)\b/.exec(s))) return [finding(m[1] ? "moderate" : "high", `drops a table (${firstLine(statement)})`)];
  if (/^DROP (USER|ROLE|LOGIN)\b/.test(s)) return [finding("high", `drops a database account (${firstLine(statement)})`, "privilege escalation")];
  if (/^DROP (VIEW|INDEX|FUNCTION|PROCEDURE|TRIGGER|SEQUENCE|TYPE|EXTENSION)\b/.test(s)) return [finding("moderate", `drops a database object (${firstLine(statement)})`)];
  if (/^TRUNCATE\b/.test(s)) return [finding("high", `empties a table (${firstLine(statement)})`)];
  if (/^DELETE\b/.test(s)) return [finding(hasWhere ? "moderate" : "high", hasWhere ? `deletes rows (${firstLine(statement)})` : `deletes every row of a table (${firstLine(statement)})`)];
  if (/^UPDATE\b/.test(s)) return [finding(hasWhere ? "moderate" : "high", hasWhere ? `changes rows (${firstLine(statement)})` : `changes every row of a table (${firstLine(statement)})`)];
  if (/^ALTER TABLE\b.* DROP\b/.test(s)) return [finding("high", `drops a column or constraint (${firstLine(statement)})`)];
  if (/^(ALTER|CREATE) (USER|ROLE|LOGIN)\b.*\b(PASSWORD|SUPERUSER|IDENTIFIED)\b/.test(s) || /^SET PASSWORD\b/.test(s)) {
    return [finding("high", `sets a database account's password or powers (${firstLine(statement)})`, "privilege escalation")];
  }
  if (/^GRANT\b.*\b(ALL|SUPERUSER|SUPER)\b/.test(s)) return [finding("high", `grants full rights on the database (${firstLine(statement)})`, "privilege escalation")];
  if (/^(FLUSHALL|FLUSHDB)\b/.test(s)) return judgeRedis(statement);
  if (/^(SHUTDOWN|KILL)\b/.test(s)) return [finding("high", `stops the database server or a session (${firstLine(statement)})`, "system configuration")];
  if (/^(INSERT|REPLACE|MERGE|CREATE|ALTER|RENAME|COPY|LOAD|REINDEX|VACUUM|CLUSTER|GRANT|REVOKE)\b/.test(s)) {
    return [finding("moderate", `changes the database (${firstLine(statement)})`)];
  }
  return [];
}

function judgeRedis(text: string): Finding[] {
  const out: Finding[] = [];
  for (const line of text.split(/\r?\n/)) {
    const words = line.trim().split(/\s+/);
    const verb = (words[0] ?? "").toUpperCase();
    const arg = (words[1] ?? "").toUpperCase();
    if (verb === "FLUSHALL" || verb === "FLUSHDB") out.push(finding("critical", `erases every key of the store (${verb})`));
    else if (verb === "SHUTDOWN" || (verb === "DEBUG" && ["SEGFAULT", "CRASH-AND-RECOVER", "RESTART"].includes(arg))) out.push(finding("high", `stops the store (${verb})`, "system configuration"));
    else if (verb === "CONFIG" && arg === "SET") out.push(finding("high", "changes the store's configuration (CONFIG SET)", "system configuration"));
    else if (["DEL", "UNLINK", "SCRIPT", "SWAPDB"].includes(verb) || (verb === "CLUSTER" && arg === "RESET")) out.push(finding("moderate", `deletes keys (${verb})`));
  }
  return out;
}

function judgeMongo(code: string): Finding[] {
  const out: Finding[] = [];
  if (/\.dropDatabase\s*\(/.test(code)) out.push(finding("critical", "drops a whole database (dropDatabase)"));
  if (/\.drop\s*\(\s*\)/.test(code)) out.push(finding("high", "drops a collection"));
  if (/\.(deleteMany|remove)\s*\(\s*(\{\s*\})?\s*\)/.test(code)) out.push(finding("high", "deletes every document of a collection"));
  else if (/\.(deleteMany|deleteOne|remove|findOneAndDelete)\s*\(/.test(code)) out.push(finding("moderate", "deletes documents"));
  if (/\.(updateMany)\s*\(\s*\{\s*\}/.test(code)) out.push(finding("high", "changes every document of a collection"));
  if (/\.(dropUser|dropAllUsersFromDatabase|dropRole)\s*\(/.test(code)) out.push(finding("high", "drops database accounts", "privilege escalation"));
  if (/\.shutdownServer\s*\(/.test(code)) out.push(finding("high", "stops the database server", "system configuration"));
  return out;
}

function firstLine(statement: string): string {
  const line = statement.trim().split(/\r?\n/)[0] ?? "";
  return line.length > 60 ? `${line.slice(0, 57)}…` : line;
}
