/** Which screen is showing and what it is about. UI state only: server data lives in the query cache. */
import { create } from 'zustand';

export type ScreenId = 'ward' | 'chart' | 'reception' | 'lab' | 'pharmacy' | 'inventory' | 'admin' | 'sync';

interface NavState {
  screen: ScreenId | null;
  /** The visit whose chart is open. */
  visitId: string | null;
  wardId: string | null;
  open: (screen: ScreenId) => void;
  openChart: (visitId: string) => void;
  chooseWard: (wardId: string | null) => void;
}

const initial = { screen: null, visitId: null, wardId: null } satisfies Partial<NavState>;

export const useNavStore = create<NavState>()((set) => ({
  ...initial,
  open: (screen) => { set({ screen }); },
  openChart: (visitId) => { set({ screen: 'chart', visitId }); },
  chooseWard: (wardId) => { set({ wardId }); },
}));

export function resetNavStore(): void {
  useNavStore.setState(initial);
}
