/**
 * Names the document being edited while it has unsaved changes (localStorage, UNSAVED_KEY), so that
 * after a crash the reopened window can tell the clerk which document's typing was lost
 * (main.ts, recoveredNotice). Cleared as soon as the changes are saved or left.
 */
import { onBeforeUnmount, watch, type Ref } from 'vue'
import { UNSAVED_KEY } from '@shared/channels'

function put(name: string | null): void {
  try {
    if (name) localStorage.setItem(UNSAVED_KEY, name)
    else localStorage.removeItem(UNSAVED_KEY)
  } catch { /* no storage: the general message after a crash */ }
}

/** Keeps the marker while `unsaved` is true, naming `title`. */
export function useUnsavedMarker(unsaved: Ref<boolean>, title: Ref<string>): void {
  watch([unsaved, title], ([u, t]) => put(u ? t : null), { immediate: true })
  onBeforeUnmount(() => put(null))
}
