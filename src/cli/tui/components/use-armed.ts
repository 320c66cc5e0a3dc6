import { useEffect } from "react";
import { useCurrent } from "./use-current.js";

/**
 * How long a dialog that can run something ignores keys after it appears. A key already on its way
 * when the dialog was drawn (typed for the prompt: the end of a sentence, its Enter) reaches the
 * dialog, not the prompt; no one reads a dialog and answers it quicker than this. Firefox waits a
 * second before its install and download dialogs take a click, for the same reason.
 */
export const DIALOG_GRACE_MS = 600;

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
