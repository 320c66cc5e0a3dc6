import { parse } from "smol-toml";
import { describe, expect, it } from "vitest";
import { WrenError } from "../shared/errors.js";
import { inlineToml, setTomlKey, unsetTomlKey } from "./toml-edit.js";

const FILE = `# wren config: keep this comment
[engine]
gpu = "cpu"   # no GPU on this box
contextSize = 4096

# the server, for the team
[server]
port = 8080
cors = [
  "http://localhost:3000", # the app
  "http://localhost:5173",
]

[models.aliases]
tiny = "hf:org/tiny:Q8_0"
`;

function refused(run: () => unknown): WrenError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(WrenError);
    expect((error as WrenError).code).toBe("unsupported");
    return error as WrenError;
  }
  throw new Error("the edit was made");
}

describe("setting one key in a TOML file's text", () => {
  it("replaces the value on the key's line, and keeps comments, spacing and order", () => {
    const next = setTomlKey(FILE, ["engine", "gpu"], "vulkan");
    expect(next).toBe(FILE.replace('gpu = "cpu"   #', 'gpu = "vulkan"   #'));
    expect(setTomlKey(FILE, ["server", "port"], 9000)).toBe(FILE.replace("port = 8080", "port = 9000"));
  });

  it("replaces a value that spans lines, comments inside it and all", () => {
    const next = setTomlKey(FILE, ["server", "cors"], ["https://example.com"]);
    expect(next).toContain('[server]\nport = 8080\ncors = ["https://example.com"]\n\n[models.aliases]');
    expect(next.startsWith(FILE.slice(0, FILE.indexOf("cors")))).toBe(true);
  });

  it("adds a key to the end of its table, before the blank line and comment of the next one", () => {
    const next = setTomlKey(FILE, ["engine", "threads"], 2);
    expect(next).toBe(FILE.replace("contextSize = 4096\n", "contextSize = 4096\nthreads = 2\n"));
  });

  it("adds a table the file lacks after the tables of its section, or at the end", () => {
    const logging = setTomlKey(FILE, ["logging", "level"], "debug");
    expect(logging).toBe(`${FILE}\n[logging]\nlevel = "debug"\n`);
    const engineSub = setTomlKey(FILE, ["models", "dir"], "~/models");
    expect(engineSub).toBe(`${FILE}\n[models]\ndir = "~/models"\n`);
    const noNewline = setTomlKey('[engine]\ngpu = "cpu"', ["server", "port"], 1);
    expect(noNewline).toBe('[engine]\ngpu = "cpu"\n\n[server]\nport = 1\n');
    expect(setTomlKey("", ["server", "port"], 1)).toBe("[server]\nport = 1\n");
  });

  it("puts a new table beside its section's tables, not after unrelated ones", () => {
    const text = '[models]\ndefault = "tiny"\n\n[server]\nport = 1\n';
    expect(setTomlKey(text, ["models", "aliases", "tiny"], "./tiny.gguf")).toBe(
      '[models]\ndefault = "tiny"\n\n[models.aliases]\ntiny = "./tiny.gguf"\n\n[server]\nport = 1\n',
    );
  });

  it("quotes keys that hold dots and escapes strings, and reads back what it wrote", () => {
    const prices = setTomlKey("[router]\n", ["router", "prices", "openai:gpt-4.1", "input"], 2.5);
    expect(prices).toBe('[router]\n\n[router.prices."openai:gpt-4.1"]\ninput = 2.5\n');
    const tricky = 'say "hi" \\ then\ttab\nnewline \u007f';
    const next = setTomlKey(FILE, ["models", "aliases", "qwen2.5-coder"], tricky);
    expect(next).toContain('"qwen2.5-coder" = "say \\"hi\\" \\\\ then\\ttab\\nnewline \\u007F"\n');
    expect((parse(next) as { models: { aliases: Record<string, string> } }).models.aliases["qwen2.5-coder"]).toBe(tricky);
  });

  it("writes booleans, numbers, lists and tables as TOML", () => {
    expect(inlineToml(true)).toBe("true");
    expect(inlineToml(-1.5)).toBe("-1.5");
    expect(inlineToml(["a", 1, false])).toBe('["a", 1, false]');
    expect(inlineToml({ a: "b", "c.d": [1] })).toBe('{ a = "b", "c.d" = [1] }');
    expect(setTomlKey("[server]\nport = 1\n", ["server", "cors"], [])).toBe("[server]\nport = 1\ncors = []\n");
    expect(() => inlineToml(null)).toThrow(/TOML has no way to write null/);
  });

  it("writes a table value as a table, and replaces one the file writes key by key", () => {
    const aliases = setTomlKey('[engine]\ngpu = "cpu"\n', ["models", "aliases"], { tiny: "a", "b.c": "d" });
    expect(aliases).toBe('[engine]\ngpu = "cpu"\n\n[models.aliases]\ntiny = "a"\n"b.c" = "d"\n');
    const replaced = setTomlKey(FILE, ["models", "aliases"], { small: "s" });
    expect(replaced).toBe(FILE.replace('tiny = "hf:org/tiny:Q8_0"', 'small = "s"'));
  });

  it("writes a list of tables as [[…]] tables, and replaces the ones there", () => {
    const text = '[server]\nport = 1\n\n[[server.models]]\nid = "a"\nref = "a.gguf"\n\n[[server.models]]\nid = "b"\nref = "b.gguf"\n\n# logging\n[logging]\nlevel = "info"\n';
    const next = setTomlKey(text, ["server", "models"], [{ id: "c", ref: "c.gguf" }]);
    expect(next).toBe('[server]\nport = 1\n\n[[server.models]]\nid = "c"\nref = "c.gguf"\n\n# logging\n[logging]\nlevel = "info"\n');
  });

  it("adds beside dotted keys that make up the key's table, where a new [table] would be invalid", () => {
    const text = 'engine.gpu = "cpu" # top-level dotted keys\n\n[server]\nport = 1\n';
    expect(setTomlKey(text, ["engine", "contextSize"], 2048)).toBe(
      'engine.gpu = "cpu" # top-level dotted keys\nengine.contextSize = 2048\n\n[server]\nport = 1\n',
    );
    const inTable = '[router]\n  prices."a:b".input = 1\n';
    expect(setTomlKey(inTable, ["router", "prices", "a:b", "output"], 2)).toBe('[router]\n  prices."a:b".input = 1\n  prices."a:b".output = 2\n');
  });

  it("refuses a key inside an inline table or a list of tables, naming the line", () => {
    const inline = '[models]\naliases = { tiny = "a" }\n';
    const error = refused(() => setTomlKey(inline, ["models", "aliases", "small"], "b", "wren.toml"));
    expect(error.message).toBe("wren cannot change models.aliases.small in wren.toml: it is inside models.aliases, which line 2 writes as one inline value. The file is unchanged.");
    expect(error.hint).toContain("wren config set models.aliases JSON");
    // The whole inline table can be set: its value is replaced in place.
    expect(setTomlKey(inline, ["models", "aliases"], { small: "b" })).toBe('[models]\naliases = { small = "b" }\n');
    refused(() => setTomlKey('[[server.models]]\nid = "a"\n', ["server", "models", "id"], "b"));
  });

  it("refuses a file that is not valid TOML, or one it cannot follow", () => {
    expect(refused(() => setTomlKey("[engine\n", ["engine", "gpu"], "cpu")).message).toContain("it is not valid TOML (line 1)");
    // A date-time with a space is valid TOML the scanner does not read.
    refused(() => setTomlKey("[x]\nwhen = 1979-05-27 07:32:00Z\n", ["engine", "gpu"], "cpu"));
  });

  it("keeps Windows line breaks", () => {
    const text = '[engine]\r\ngpu = "cpu"\r\n\r\n[server]\r\nport = 1\r\n';
    expect(setTomlKey(text, ["engine", "gpu"], "auto")).toBe(text.replace('"cpu"', '"auto"'));
    expect(setTomlKey(text, ["engine", "threads"], 1)).toBe('[engine]\r\ngpu = "cpu"\r\nthreads = 1\n\r\n[server]\r\nport = 1\r\n');
  });
});

describe("removing one key from a TOML file's text", () => {
  it("cuts the key's line and nothing else, comments included", () => {
    expect(unsetTomlKey(FILE, ["engine", "gpu"])).toBe(FILE.replace('gpu = "cpu"   # no GPU on this box\n', ""));
    expect(unsetTomlKey(FILE, ["server", "cors"])).toBe(FILE.replace(/cors = \[[\s\S]*?\]\n/, ""));
  });

  it("cuts a table and its sub-tables, leaving the comments and tables around them", () => {
    const next = unsetTomlKey(FILE, ["server"]);
    expect(next).toBe(FILE.replace(/\[server\][\s\S]*?\]\n/, ""));
    expect(next).toContain("# the server, for the team\n\n[models.aliases]");
    expect(unsetTomlKey(FILE, ["models", "aliases"])).toBe(FILE.replace(/\n\[models\.aliases\]\ntiny = .*\n/, ""));
    expect(unsetTomlKey(FILE, ["models"])).toBe(FILE.replace(/\n\[models\.aliases\]\ntiny = .*\n/, ""));
  });

  it("keeps a table whose last key goes, as an empty table", () => {
    expect(unsetTomlKey(FILE, ["models", "aliases", "tiny"])).toBe(FILE.replace('tiny = "hf:org/tiny:Q8_0"\n', ""));
  });

  it("says when the file does not set the key", () => {
    expect(unsetTomlKey(FILE, ["engine", "threads"])).toBeUndefined();
    expect(unsetTomlKey(FILE, ["logging", "level"])).toBeUndefined();
    expect(unsetTomlKey("", ["engine"])).toBeUndefined();
  });

  it("refuses a key inside an inline table", () => {
    refused(() => unsetTomlKey('[models]\naliases = { tiny = "a", small = "b" }\n', ["models", "aliases", "tiny"]));
  });
});
