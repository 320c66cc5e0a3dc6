import path from "node:path";

/** ripgrep's `--type` names models use most, with the file extensions each covers. */
const TYPES: Record<string, readonly string[]> = {
  c: ["c", "h"],
  cpp: ["cpp", "cc", "cxx", "hpp", "hh", "hxx", "h", "inl"],
  cs: ["cs", "csx"],
  css: ["css", "scss", "sass", "less"],
  go: ["go"],
  html: ["html", "htm", "xhtml"],
  java: ["java"],
  js: ["js", "jsx", "mjs", "cjs", "vue"],
  json: ["json", "jsonc", "json5"],
  kotlin: ["kt", "kts"],
  lua: ["lua"],
  md: ["md", "markdown", "mdx"],
  php: ["php", "phtml"],
  py: ["py", "pyi"],
  rb: ["rb", "gemspec", "rake"],
  rust: ["rs"],
  sh: ["sh", "bash", "zsh", "fish"],
  sql: ["sql"],
  swift: ["swift"],
  toml: ["toml"],
  ts: ["ts", "tsx", "mts", "cts"],
  yaml: ["yaml", "yml"],
};
const ALIASES: Record<string, string> = { markdown: "md", python: "py", ruby: "rb", rs: "rust", typescript: "ts", javascript: "js", yml: "yaml", kt: "kotlin" };

/** The known type names, for a hint. */
export const GREP_TYPE_NAMES = Object.keys(TYPES);

/** A test for a file path, or undefined when the type is unknown. */
export function fileTypeFilter(type: string): ((file: string) => boolean) | undefined {
  const key = type.toLowerCase();
  const extensions = TYPES[ALIASES[key] ?? key];
  if (!extensions) return undefined;
  const set = new Set(extensions);
  return (file) => set.has(path.extname(file).slice(1).toLowerCase());
}
