/** Which screen is showing and what it is about. UI state only: server data lives in the query cache. */
import { create } from 'zustand';

export type ScreenId =
  | 'ward'
  | 'alerts'
  | 'chart'
  | 'reception'
  | 'lab'
  | 'pharmacy'
  | 'inventory'
  | 'admin'
  | 'sync'
  | 'devices'
  | 'merge'
  | 'access'
  | 'break-glass';

interface NavState {
  screen: ScreenId | null;
  /** The patient whose chart is open, and the visit it shows (null: their current or latest). */
  patientId: string | null;
  visitId: string | null;
  wardId: string | null;
  open: (screen: ScreenId) => void;
  openChart: (patientId: string, visitId?: string | null) => void;
  chooseWard: (wardId: string | null) => void;
}

const initial = {
  screen: null,
  patientId: null,
  visitId: null,
  wardId: null,
} satisfies Partial<NavState>;

export const useNavStore = create<NavState>()((set) => ({
  ...initial,
  open: (screen) => {
    set({ screen });
  },
  openChart: (patientId, visitId = null) => {
    set({ screen: 'chart', patientId, visitId });
  },
  chooseWard: (wardId) => {
    set({ wardId });
  },
}));

export function resetNavStore(): void {
  useNavStore.setState(initial);
}
