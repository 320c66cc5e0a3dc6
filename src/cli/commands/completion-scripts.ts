import type { Shell } from "./completion.js";
import type { CompletionNode, CompletionWord } from "./completion-tree.js";


const posixQuote = (text: string): string => `'${text.replace(/'/g, `'\\''`)}'`;
const fishQuote = (text: string): string => `'${text.replace(/\\/g, "\\\\").replace(/'/g, "\\'")}'`;
const psQuote = (text: string): string => `'${text.replace(/'/g, "''")}'`;
const firstLine = (text: string): string => text.split("\n")[0] ?? "";
const names = (words: readonly CompletionWord[]): string => words.map((w) => w.name).join(" ");

/**
 * The loop, shared by bash and zsh, that walks the words before the cursor (`words[i]` for `i` from
 * `first` while below `end`), skips flags, and keeps in `cmdpath` the longest known command path.
 */
function posixPathLoop(nodes: readonly CompletionNode[], first: number, end: string, words: string): string {
  const paths = nodes.filter((n) => n.path !== "").map((n) => posixQuote(` ${n.path}`));
  return `for ((i = ${first}; i < ${end}; i++)); do
    w="\${${words}[i]}"
    [[ "$w" == -* ]] && continue
    case "$cmdpath $w" in
      ${paths.join("|")}) cmdpath="$cmdpath $w" ;;
    esac
  done`;
}

function bash(nodes: readonly CompletionNode[]): string {
  const arms = nodes.map((n) => `    ${posixQuote(n.path ? ` ${n.path}` : "")}) words=${posixQuote(names(n.words))}; flags=${posixQuote(names(n.flags))} ;;`);
  return `# wren completion for bash. Load it with: source <(wren completion bash)
_wren() {
  local cur="\${COMP_WORDS[COMP_CWORD]}" cmdpath="" w i words="" flags=""
  ${posixPathLoop(nodes, 1, "COMP_CWORD", "COMP_WORDS")}
  case "$cmdpath" in
${arms.join("\n")}
  esac
  if [[ "$cur" == -* ]]; then words="$flags"; fi
  COMPREPLY=($(compgen -W "$words" -- "$cur"))
}
complete -o default -F _wren wren
`;
}

function zsh(nodes: readonly CompletionNode[]): string {
  const entry = (w: CompletionWord): string => posixQuote(`${w.name.replace(/:/g, "\\:")}:${firstLine(w.description)}`);
  // `words` is zsh's own array of the command line, so the lists are words_ and flags_.
  const arms = nodes.map((n) => `    ${posixQuote(n.path ? ` ${n.path}` : "")}) words_=(${n.words.map(entry).join(" ")}); flags_=(${n.flags.map(entry).join(" ")}) ;;`);
  return `#compdef wren
# wren completion for zsh. Load it with: source <(wren completion zsh) (after compinit)
_wren() {
  local cmdpath="" w i
  local -a words_ flags_
  ${posixPathLoop(nodes, 2, "CURRENT", "words")}
  case "$cmdpath" in
${arms.join("\n")}
  esac
  if [[ "\${words[CURRENT]}" == -* ]]; then
    _describe -t flags 'wren flag' flags_
  else
    _describe -t commands 'wren command' words_
  fi
}
compdef _wren wren
`;
}

function fish(nodes: readonly CompletionNode[]): string {
  const lines = [
    "# wren completion for fish. Load it with: wren completion fish | source",
    "function __wren_path",
    "    set -l p root",
    "    for w in (commandline -opc)[2..-1]",
    "        string match -q -- '-*' $w; and continue",
    `        if contains -- "$p $w" ${nodes.filter((n) => n.path).map((n) => fishQuote(`root ${n.path}`)).join(" ")}`,
    '            set p "$p $w"',
    "        end",
    "    end",
    "    echo $p",
    "end",
    "function __wren_at",
    "    test (__wren_path) = $argv[1]",
    "end",
    "complete -c wren -f",
  ];
  for (const node of nodes) {
    const at = `-n ${fishQuote(`__wren_at ${posixQuote(node.path ? `root ${node.path}` : "root")}`)}`;
    for (const w of node.words) lines.push(`complete -c wren ${at} -a ${fishQuote(w.name)} -d ${fishQuote(firstLine(w.description))}`);
    for (const f of node.flags) {
      const flag = f.name.startsWith("--") ? `-l ${fishQuote(f.name.slice(2))}` : `-s ${fishQuote(f.name.slice(1))}`;
      lines.push(`complete -c wren ${at} ${flag} -d ${fishQuote(firstLine(f.description))}`);
    }
  }
  return `${lines.join("\n")}\n`;
}

function powershell(nodes: readonly CompletionNode[]): string {
  const table = nodes.map((n) => `    ${psQuote(n.path)} = @(${[...n.words, ...n.flags].map((w) => psQuote(w.name)).join(", ")})`);
  return `# wren completion for PowerShell. Load it with: wren completion powershell | Out-String | Invoke-Expression
Register-ArgumentCompleter -Native -CommandName wren -ScriptBlock {
  param($wordToComplete, $commandAst, $cursorPosition)
  $words = @{
${table.join("\n")}
  }
  $path = ''
  foreach ($element in ($commandAst.CommandElements | Select-Object -Skip 1)) {
    if ($element.Extent.EndOffset -ge $cursorPosition) { break }
    $w = $element.ToString()
    if ($w.StartsWith('-')) { continue }
    $candidate = ($path + ' ' + $w).Trim()
    if ($words.ContainsKey($candidate)) { $path = $candidate }
  }
  $words[$path] | Where-Object { $_ -like "$wordToComplete*" } | ForEach-Object {
    [System.Management.Automation.CompletionResult]::new($_, $_, 'ParameterValue', $_)
  }
}
`;
}

/** The completion script for `shell`, from the program's command tree. */
export function completionScript(shell: Shell, nodes: readonly CompletionNode[]): string {
  switch (shell) {
    case "bash":
      return bash(nodes);
    case "zsh":
      return zsh(nodes);
    case "fish":
      return fish(nodes);
    case "powershell":
      return powershell(nodes);
  }
}
