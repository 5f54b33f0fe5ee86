/** Dates and names the same way on every screen. */
import dayjs from 'dayjs';
import relativeTime from 'dayjs/plugin/relativeTime';

dayjs.extend(relativeTime);

export function patientName(patient: { firstName: string; lastName: string }): string {
  return `${patient.lastName.toUpperCase()}, ${patient.firstName}`;
}

export function ageInYears(dateOfBirth: string, now = new Date()): number {
  return dayjs(now).diff(dayjs(dateOfBirth), 'year');
}

/** Day 1 is the day of admission, as wards count. */
export function dayOfStay(admittedAt: string, now = new Date()): number {
  return dayjs(now).startOf('day').diff(dayjs(admittedAt).startOf('day'), 'day') + 1;
}

export function formatDateTime(iso: string): string {
  return dayjs(iso).format('D MMM HH:mm');
}

export function formatDate(iso: string): string {
  return dayjs(iso).format('D MMM YYYY');
}

export function fromNow(iso: string): string {
  return dayjs(iso).fromNow();
}
