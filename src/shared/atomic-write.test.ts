import { chmod, lstat, mkdir, mkdtemp, readdir, readFile, rm, stat, symlink, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { renameRetrying, renameRetryingSync, writeFileAtomic, writeFileAtomicSync } from "./atomic-write.js";

const posix = process.platform !== "win32";

describe.each([
  ["writeFileAtomic", writeFileAtomic],
  ["writeFileAtomicSync", async (file: string, text: string, options?: { mode?: number }) => writeFileAtomicSync(file, text, options)],
] as const)("%s", (_name, write) => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), "wren-atomic-write-"));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("writes the whole text, creating the folder, and leaves only the file", async () => {
    const file = path.join(dir, "a", "b", "config.toml");
    const text = "x = 1\n".repeat(50_000);
    await write(file, text);
    expect(await readFile(file, "utf8")).toBe(text);
    await write(file, "y = 2\n");
    expect(await readFile(file, "utf8")).toBe("y = 2\n");
    expect(await readdir(path.dirname(file))).toEqual(["config.toml"]);
  });

  it.runIf(posix)("keeps the mode of the file it replaces, or sets the one asked for", async () => {
    const file = path.join(dir, "wren.toml");
    await writeFile(file, "old\n");
    // Group-writable: a umask of 022 would take that bit away from a new file.
    await chmod(file, 0o660);
    await write(file, "new\n");
    expect((await stat(file)).mode & 0o777).toBe(0o660);
    await write(file, "newer\n", { mode: 0o600 });
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    const fresh = path.join(dir, "fresh.toml");
    await write(fresh, "secret\n", { mode: 0o600 });
    expect((await stat(fresh)).mode & 0o777).toBe(0o600);
  });

  it.runIf(posix)("writes through a link, keeping the link", async () => {
    const real = path.join(dir, "dotfiles", "config.toml");
    await mkdir(path.dirname(real));
    await writeFile(real, "old\n");
    const link = path.join(dir, "config.toml");
    await symlink(real, link);
    await write(link, "new\n");
    expect((await lstat(link)).isSymbolicLink()).toBe(true);
    expect(await readFile(real, "utf8")).toBe("new\n");
    expect(await readdir(path.dirname(real))).toEqual(["config.toml"]);
  });

  it("fails without leaving a temporary file when the folder is a file", async () => {
    await writeFile(path.join(dir, "wren"), "a file\n");
    await expect(write(path.join(dir, "wren", "config.toml"), "x = 1\n")).rejects.toThrow();
    expect(await readdir(dir)).toEqual(["wren"]);
  });

  it("fails without leaving a temporary file when the rename fails", async () => {
    // The target is a folder: the temporary file is written, then cannot replace it.
    const target = path.join(dir, "config.toml");
    await mkdir(path.join(target, "inside"), { recursive: true });
    await expect(write(target, "x = 1\n")).rejects.toThrow();
    expect(await readdir(dir)).toEqual(["config.toml"]);
  });
});

describe("bytes", () => {
  it("are written as they are, by both versions", async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), "wren-atomic-write-"));
    try {
      // Not UTF-8: a text encoding on the way would change them.
      const bytes = Buffer.from([0x77, 0x72, 0x65, 0x6e, 0x0a, 0x00, 0xff, 0xfe, 0x80]);
      await writeFileAtomic(path.join(dir, "a.bin"), bytes);
      writeFileAtomicSync(path.join(dir, "b.bin"), bytes);
      expect(await readFile(path.join(dir, "a.bin"))).toEqual(bytes);
      expect(await readFile(path.join(dir, "b.bin"))).toEqual(bytes);
      expect((await readdir(dir)).sort()).toEqual(["a.bin", "b.bin"]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe("writeFileAtomic's check before the rename", () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), "wren-atomic-write-"));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("sees the whole text in the temporary file, and a refusal leaves the target as it was", async () => {
    const file = path.join(dir, "config.toml");
    await writeFile(file, "old\n");
    let seen = "";
    const refusal = new Error("refused");
    const check = async (temporary: string): Promise<void> => {
      seen = await readFile(temporary, "utf8");
      expect(path.dirname(temporary)).toBe(dir);
      throw refusal;
    };
    await expect(writeFileAtomic(file, "new\n", { beforeRename: check })).rejects.toBe(refusal);
    expect(seen).toBe("new\n");
    expect(await readFile(file, "utf8")).toBe("old\n");
    expect(await readdir(dir)).toEqual(["config.toml"]);
  });
});

describe("a rename Windows refuses for a moment (another process has the file open: antivirus, an indexer, an editor)", () => {
  const refusing = (times: number, code = "EPERM") => {
    let calls = 0;
    const rename = (): void => {
      calls++;
      if (calls <= times) throw Object.assign(new Error(`${code}: operation not permitted, rename`), { code });
    };
    return { rename, calls: () => calls };
  };

  it("is tried again on Windows, by both versions, until it succeeds", async () => {
    for (const code of ["EPERM", "EACCES", "EBUSY"]) {
      const a = refusing(2, code);
      await renameRetrying(async () => a.rename(), "t", "f", "win32", [1, 1, 1]);
      expect(a.calls()).toBe(3);
      const s = refusing(2, code);
      renameRetryingSync(s.rename, "t", "f", "win32", [1, 1, 1]);
      expect(s.calls()).toBe(3);
    }
  });

  it("gives up after its waits, with the last error", async () => {
    const a = refusing(10);
    await expect(renameRetrying(async () => a.rename(), "t", "f", "win32", [1, 1])).rejects.toMatchObject({ code: "EPERM" });
    expect(a.calls()).toBe(3);
    const s = refusing(10);
    expect(() => renameRetryingSync(s.rename, "t", "f", "win32", [1, 1])).toThrow("EPERM");
    expect(s.calls()).toBe(3);
  });

  it("is not tried again elsewhere, nor for another error", async () => {
    const a = refusing(1);
    await expect(renameRetrying(async () => a.rename(), "t", "f", "linux", [1, 1])).rejects.toMatchObject({ code: "EPERM" });
    expect(a.calls()).toBe(1);
    const b = refusing(1, "ENOENT");
    expect(() => renameRetryingSync(b.rename, "t", "f", "win32", [1, 1])).toThrow("ENOENT");
    expect(b.calls()).toBe(1);
  });
});
