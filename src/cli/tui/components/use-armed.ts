import { Text } from "ink";
import { createElement as h, useEffect, type ReactElement } from "react";
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

/**
 * False for {@link DIALOG_GRACE_MS} after the component mounts, then true: the value to draw with,
 * and a ref for key handlers (which may run before the render that follows the change).
 */
export function useArmed(ms = DIALOG_GRACE_MS): [boolean, { readonly current: boolean }] {
  const [armed, setArmed, armedRef] = useCurrent(false);
  useEffect(() => {
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
