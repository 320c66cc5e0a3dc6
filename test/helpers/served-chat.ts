import { defaultConfig } from "../../src/config/index.js";
import type { ServedModelSpec } from "../../src/runtime/serve-host.js";
import { startServer, type RunningServer } from "../../src/runtime/serve.js";
import { startScriptedTeacher, type ScriptedTeacher, type TeacherScript } from "./fake-upstreams/scripted-teacher.js";
import { sharedModels } from "./shared-models.js";

/** The teacher model the router of {@link serveChatWithTeacher} escalates to. */
export const TEACHER_MODEL = "openai:gpt-4o-mini";

/** Options of {@link serveChatWithTeacher}. */
export interface ServedChatOptions {
  /** Context size of the served chat model (default 512). */
  contextSize?: number;
  /** Models served after the chat model (which is always first, as `chat`). */
  extraModels?: ServedModelSpec[];
  /** Aliases of the chat model. */
  aliases?: string[];
  /** The server's client API key, when the test checks authentication. */
  apiKey?: string;
}

/** A running `wren serve` and its teacher stand-in; `close()` stops both. */
export interface ServedChat {
  server: RunningServer;
  teacher: ScriptedTeacher;
  close(): Promise<void>;
}

/**
 * `wren serve` on the shared chat model (id `chat`), whose router escalates to a scripted teacher
 * stand-in reached as the `openai` provider ({@link TEACHER_MODEL}), with cloud use allowed.
 */
export async function serveChatWithTeacher(script: TeacherScript, options: ServedChatOptions = {}): Promise<ServedChat> {
  const teacher = await startScriptedTeacher(script);
  try {
    const server = await startServer({
      models: [{ path: sharedModels.chat, id: "chat", aliases: options.aliases, contextSize: options.contextSize ?? 512, sequences: 2 }, ...(options.extraModels ?? [])],
      host: "127.0.0.1",
      port: 0,
      gpu: "cpu",
      threads: 1,
      preload: true,
      apiKey: options.apiKey,
      env: { OPENAI_API_KEY: "sk-test" },
      router: defaultConfig({ env: {} }, {
        router: { healthIntervalMs: 0, cloud: "allow", teachers: [TEACHER_MODEL], providers: { openai: { baseURL: teacher.url, cloud: true } } },
      }).router,
    });
    return {
      server,
      teacher,
      async close() {
        await server.close();
        await teacher.close();
      },
    };
  } catch (error) {
    await teacher.close();
    throw error;
  }
}
