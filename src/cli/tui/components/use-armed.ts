import { Text } from "ink";
import { createContext, createElement as h, useContext, useEffect, type ReactElement } from "react";
import { useTheme } from "./theme.js";
import { useCurrent } from "./use-current.js";

/**
 * How long a dialog that can run something ignores keys after it appears. A key already on its way
 * when the dialog was drawn (typed for the prompt: the end of a sentence, its Enter) reaches the
 * dialog, not the prompt; no one reads a dialog and answers it quicker than this. Firefox waits a
 * second before its install and download dialogs take a click, for the same reason.
 */
export const DIALOG_GRACE_MS = 600;

/** What a dialog shows, where it names its keys, while it does not take them yet. */
export const DIALOG_WAIT_TEXT = "… a moment: keys typed now are ignored";

const GraceContext = createContext(DIALOG_GRACE_MS);

/** The grace the dialogs below it use (`agent.dialogGraceMs`); {@link DIALOG_GRACE_MS} without one. */
export const DialogGraceProvider = GraceContext.Provider;

/**
 * False for the dialog grace (`agent.dialogGraceMs`, {@link DIALOG_GRACE_MS} by default) after the
 * component mounts, then true: the value to draw with, and a ref for key handlers (which may run
 * before the render that follows the change). A grace of 0 is armed from the start.
 */
export function useArmed(): [boolean, { readonly current: boolean }] {
  const ms = useContext(GraceContext);
  const [armed, setArmed, armedRef] = useCurrent(ms <= 0);
  useEffect(() => {
    if (ms <= 0) return;
    const timer = setTimeout(() => setArmed(true), ms);
    return () => clearTimeout(timer);
  }, [ms]);
  return [armed, armedRef];
}

/**
 * A dialog's dim line of keys once it takes them; until then, that keys typed now are ignored, so
 * one dropped in the grace window is not dropped without a sign. One line either way: the dialog
 * keeps its height when it arms.
 */
export function KeysHint({ armed, keys }: { armed: boolean; keys: string }): ReactElement {
  const theme = useTheme();
  return h(Text, { color: theme.dim }, armed ? keys : DIALOG_WAIT_TEXT);
}
