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

/**
 * Free memory, sampled every few seconds, and the resident memory of the daemon when `viaDaemon`
 * (it holds the model's weights and contexts, not this process).
 */
export function useMemory(viaDaemon: boolean): MemoryInfo {
  const [memory, setMemory] = useState<MemoryInfo>(() => sample(undefined));
  useEffect(() => {
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
  }, [viaDaemon]);
  return memory;
}
