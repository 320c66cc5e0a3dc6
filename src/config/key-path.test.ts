import { describe, expect, it } from "vitest";
import { WrenError } from "../shared/errors.js";
import { joinKeyPath, parseKeyPath } from "./key-path.js";

describe("key paths as TOML dotted keys", () => {
  it("reads bare keys, and quoted ones holding dots as one key", () => {
    expect(parseKeyPath("engine.gpu")).toEqual(["engine", "gpu"]);
    expect(parseKeyPath('router.prices."openai:gpt-4.1".input')).toEqual(["router", "prices", "openai:gpt-4.1", "input"]);
    expect(parseKeyPath("models.aliases.'qwen2.5-coder'")).toEqual(["models", "aliases", "qwen2.5-coder"]);
    expect(parseKeyPath('router.providers . "my.proxy" . apiKey')).toEqual(["router", "providers", "my.proxy", "apiKey"]);
    expect(parseKeyPath('a."say \\"hi\\"".b')).toEqual(["a", 'say "hi"', "b"]);
  });

  it("writes what it reads back: quoted only where a name is not a bare key", () => {
    const keyPath = ["router", "prices", "openai:gpt-4.1", "input"];
    expect(joinKeyPath(keyPath)).toBe('router.prices."openai:gpt-4.1".input');
    expect(joinKeyPath(["models", "aliases", "tiny"])).toBe("models.aliases.tiny");
    expect(parseKeyPath(joinKeyPath(["a", 'x."y"\\z']))).toEqual(["a", 'x."y"\\z']);
  });

  it("an unterminated quote, an empty key or a stray character is an error saying where", () => {
    const error = (text: string) => {
      try {
        parseKeyPath(text);
      } catch (e) {
        expect(e).toBeInstanceOf(WrenError);
        return (e as WrenError).message;
      }
      throw new Error(`${text} was read`);
    };
    expect(error('router.prices."openai:gpt-4.1')).toBe('The key "router.prices.\\"openai:gpt-4.1" has an unterminated quote (") at character 15.');
    expect(error("models.aliases.'qwen")).toContain("unterminated quote (')");
    expect(error('a."b\\"')).toContain("unterminated quote");
    expect(error("engine..gpu")).toContain('has "." where a key should be at character 8');
    expect(error("engine.")).toContain("ends without a key");
    expect(error('a."b"c')).toContain('has "c" where a dot should be');
  });
});
