/** The reception desk's view: which day and doctor the appointment list shows, which patient is picked. */
import dayjs from 'dayjs';
import { create } from 'zustand';

export interface PickedPatient {
  id: string;
  mrn: string;
  name: string;
}

interface ReceptionState {
  day: string;
  doctorId: string | null;
  picked: PickedPatient | null;
  setDay: (day: string) => void;
  setDoctor: (doctorId: string | null) => void;
  pick: (patient: PickedPatient | null) => void;
}

const today = () => dayjs().format('YYYY-MM-DD');

export const useReceptionStore = create<ReceptionState>()((set) => ({
  day: today(),
  doctorId: null,
  picked: null,
  setDay: (day) => {
    set({ day });
  },
  setDoctor: (doctorId) => {
    set({ doctorId });
  },
  pick: (picked) => {
    set({ picked });
  },
}));

export function resetReceptionStore(): void {
  useReceptionStore.setState({ day: today(), doctorId: null, picked: null });
}
