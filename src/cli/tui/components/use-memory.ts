import os from "node:os";
import { useEffect, useState } from "react";
import type { MemoryInfo } from "../status-format.js";

/** How often the memory line is sampled: free memory moves slowly, and each sample redraws the live region. */
const SAMPLE_MS = 5000;

const sample = (daemonRssBytes: number | undefined): MemoryInfo => ({
  freeBytes: os.freemem(),
  totalBytes: os.totalmem(),
  ...(daemonRssBytes !== undefined ? { daemonRssBytes } : {}),
});

/** What the memory line follows. */
export interface MemorySource {
  /** The session is open (or failed to open): whether the daemon serves its model is known. */
  ready: boolean;
  /** The daemon serves the model: its resident memory is part of the line. */
  viaDaemon: boolean;
  /** Sampled again at once when it changes (the model load's phase: a loaded model grows the daemon). */
  moment?: string | undefined;
}

/**
 * Free memory, sampled every few seconds, and the resident memory of the daemon when it serves the
 * model (it holds the model's weights and contexts, not this process). Undefined until the session
 * is open and, through the daemon, until the daemon's status has been asked once: the first frames
 * stay those drawn before Ink, and the line comes as soon as it can say the whole.
 */
export function useMemory({ ready, viaDaemon, moment }: MemorySource): MemoryInfo | undefined {
  const [memory, setMemory] = useState<MemoryInfo | undefined>(undefined);
  useEffect(() => {
    if (!ready) return;
    let live = true;
    let daemonRss: number | undefined;
    const tick = async (): Promise<void> => {
      if (viaDaemon) {
        const { daemonStatus } = await import("../../../runtime/daemon.js");
        daemonRss = (await daemonStatus().catch(() => undefined))?.rssBytes ?? daemonRss;
      }
      if (live) setMemory(sample(daemonRss));
    };
    void tick();
    const timer = setInterval(() => void tick(), SAMPLE_MS);
    timer.unref();
    return () => {
      live = false;
      clearInterval(timer);
    };
  }, [ready, viaDaemon, moment]);
  return memory;
}
