/** Which two patient records the merge screen compares. UI state only. */
import { create } from 'zustand';
import { useNavStore } from './nav-store';

interface MergeState {
  /** The record the comparison started from, and the other one (null until chosen). */
  first: string | null;
  second: string | null;
  choose: (first: string | null, second: string | null) => void;
}

const initial = { first: null, second: null } satisfies Partial<MergeState>;

export const useMergeStore = create<MergeState>()((set) => ({
  ...initial,
  choose: (first, second) => {
    set({ first, second });
  },
}));

/**
 * Opens the merge screen on two patient records (a possible-duplicate alert), or on one, where
 * the person then searches for the other (patient search).
 */
export function openPatientMerge(first: string, second: string | null = null): void {
  useMergeStore.getState().choose(first, second);
  useNavStore.getState().open('merge');
}

export function resetMergeStore(): void {
  useMergeStore.setState(initial);
}
