import { Box, Text } from "ink";
import { createElement as h, useEffect, useState, type ReactElement } from "react";
import { formatBytes } from "../../../models/bytes.js";
import type { DownloadProgress } from "../../../models/download.js";
import { pullModel } from "../../../models/pull.js";
import { toWrenError } from "../../../shared/errors.js";
import { useKeys } from "./use-keys.js";
import { theme } from "./palette.js";

export interface PullStepProps {
  model: string;
  modelsDir: string;
  token: string | undefined;
  /** Aborted when the person presses Esc: the download stops and resumes on the next pull. */
  signal: AbortSignal;
  onDone: () => void;
  onBack: () => void;
}

const BAR_WIDTH = 30;

/** A progress bar: filled cells for the share received, the percentage and the bytes. */
export function progressLine(progress: DownloadProgress | undefined): string {
  if (!progress) return `${"░".repeat(BAR_WIDTH)}   0%`;
  const fraction = progress.total ? Math.min(progress.received / progress.total, 1) : progress.done ? 1 : 0;
  const filled = Math.round(fraction * BAR_WIDTH);
  const size = progress.total === null ? formatBytes(progress.received) : `${formatBytes(progress.received)}/${formatBytes(progress.total)}`;
  return `${"█".repeat(filled)}${"░".repeat(BAR_WIDTH - filled)} ${String(Math.floor(fraction * 100)).padStart(3)}% ${size}${progress.verifying ? " (checking SHA-256)" : ""}`;
}

interface PullState {
  phase: "pulling" | "done" | "failed";
  progress?: DownloadProgress;
  message?: string;
}

/** Pulls the chosen model into the store with wren's own pull (resume, lock, checksum), drawing its progress. */
export function PullStep({ model, modelsDir, token, signal, onDone, onBack }: PullStepProps): ReactElement {
  const [state, setState] = useState<PullState>({ phase: "pulling" });
  const [attempt, setAttempt] = useState(0);
  useEffect(() => {
    let live = true;
    setState({ phase: "pulling" });
    pullModel(model, { modelsDir, token, signal, onProgress: (progress) => {
        if (live) setState({ phase: "pulling", progress });
      }, }).then(
      (result) => {
        const message = result.downloaded ? `Pulled ${model} (${formatBytes(result.entry.size)}).` : `${model} is already in the store.`;
        const full = { file: model, received: result.entry.size, total: result.entry.size, resumedFrom: 0, done: true };
        if (live) setState({ phase: "done", progress: full, message });
      },
      (error: unknown) => {
        if (live && !signal.aborted) setState({ phase: "failed", message: toWrenError(error).toLine() });
      },
    );
    return () => {
      live = false;
    };
  }, [model, modelsDir, token, signal, attempt]);
  useKeys((input, key) => {
    if (state.phase === "pulling") return;
    if (key.return) onDone();
    else if (input === "b") onBack();
    else if (input === "r" && state.phase === "failed") setAttempt((n) => n + 1);
  });
  return h(
    Box,
    { flexDirection: "column" },
    h(Text, { bold: true }, `Downloading ${model}`),
    state.phase === "failed" ? null : h(Text, null, progressLine(state.progress)),
    state.phase === "done" ? h(Text, { color: theme.success }, state.message) : null,
    state.phase === "failed" ? h(Text, { color: theme.danger }, state.message) : null,
    state.phase === "done" ? h(Text, { color: theme.dim }, "Enter continue · b back · Esc cancel") : null,
    state.phase === "failed"
      ? h(Text, { color: theme.dim }, "r retry · Enter keep it as the default anyway (pulled on first use) · b back · Esc cancel")
      : null,
  );
}
