import { closeSync, openSync, readFileSync, statSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { defaultConfig, loadConfig } from "../config/index.js";
import { createServerLogger } from "./server-logger.js";

/** A stream that keeps what is written; `isTTY` as a terminal or a pipe would report it. */
function sink(isTTY: boolean): Writable & { isTTY: boolean; text: () => string } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer | string, _encoding, done) {
      chunks.push(chunk.toString());
      done();
    },
  });
  return Object.assign(stream, { isTTY, text: () => chunks.join("") });
}

const ESC = "\u001b[";

describe("the server's log lines", () => {
  it("pretty: one readable line with the time, level, message and fields, no epoch or pid", () => {
    const out = sink(false);
    createServerLogger({ level: "info", format: "pretty", stream: out, color: false }).info({ url: "http://127.0.0.1:11435", models: ["chat"] }, "listening");
    const line = out.text();
    expect(line).toMatch(/^\[\d{2}:\d{2}:\d{2}\.\d{3}\] INFO: listening \{"url":"http:\/\/127\.0\.0\.1:11435","models":\["chat"\]\}\n$/);
    expect(line).not.toContain("pid");
    expect(line).not.toContain(ESC);
  });

  it("pretty with colour colours the level", () => {
    const out = sink(true);
    createServerLogger({ level: "info", format: "pretty", stream: out, color: true }).warn("slow");
    expect(out.text()).toContain(`${ESC}33mWARN`);
  });

  it("json: one JSON record a line, as log collectors read it", () => {
    const out = sink(true);
    createServerLogger({ level: "info", format: "json", stream: out }).info({ status: 200 }, "request");
    const record = JSON.parse(out.text()) as Record<string, unknown>;
    expect(record).toMatchObject({ level: 30, msg: "request", status: 200 });
    expect(typeof record["time"]).toBe("number");
  });

  it("auto: pretty on a terminal, JSON into a pipe or file", () => {
    const terminal = sink(true);
    createServerLogger({ level: "info", format: "auto", stream: terminal, color: false }).info("listening");
    expect(terminal.text()).toMatch(/^\[[\d:.]+\] INFO: listening\n$/);
    const pipe = sink(false);
    createServerLogger({ level: "info", format: "auto", stream: pipe }).info("listening");
    expect(JSON.parse(pipe.text())).toMatchObject({ msg: "listening" });
  });

  it("logging.format is a config key (auto by default) that WREN_LOGGING_FORMAT and --log-format set", async () => {
    expect(defaultConfig({ env: {} }).logging.format).toBe("auto");
    const dir = await mkdtemp(path.join(os.tmpdir(), "wren-log-format-"));
    try {
      const where = { home: dir, cwd: dir };
      expect((await loadConfig({ ...where, env: { WREN_HOME: dir, WREN_LOGGING_FORMAT: "json" } })).config.logging.format).toBe("json");
      expect((await loadConfig({ ...where, env: { WREN_HOME: dir }, flags: { "logging.format": "pretty" } })).config.logging.format).toBe("pretty");
      await expect(loadConfig({ ...where, env: { WREN_HOME: dir }, flags: { "logging.format": "yaml" } })).rejects.toThrow(/log format/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe("the daemon's log file", () => {
  it("is copied to <file>.1 and emptied once past its size, however many requests are logged", async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), "wren-log-"));
    const file = path.join(dir, "daemon.log");
    // As the daemon's standard error is: the file opened for appending.
    const fd = openSync(file, "a");
    try {
      const maxBytes = 64 * 1024;
      const logger = createServerLogger({ level: "info", format: "json", file: { path: file, fd, maxBytes } });
      for (let i = 0; i < 5000; i += 1) logger.info({ reqId: `r${i}`, method: "GET", path: "/v1/models", status: 200, ms: 1 }, "request");
      await new Promise<void>((resolve) => logger.flush(() => resolve()));
      // Some 600 KB of records: the file holds the latest ones, the one before them is .1.
      expect(statSync(file).size).toBeLessThanOrEqual(maxBytes + maxBytes / 4 + 1024);
      expect(statSync(`${file}.1`).size).toBeGreaterThan(maxBytes);
      const last = readFileSync(file, "utf8").trim().split("\n").at(-1);
      expect(JSON.parse(last!)).toMatchObject({ reqId: "r4999", msg: "request" });
    } finally {
      closeSync(fd);
      await rm(dir, { recursive: true, force: true });
    }
  });
});
