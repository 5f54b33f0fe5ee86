/**
 * Every kind of clinical alert, reviewed like shared/roles.ts: its title, what the person reading
 * it should do, whose Alerts inbox lists it, which push answers come with it, what its `details`
 * hold and how to say them in words. The server raises alerts (a synced `clinical_alerts` row,
 * server/sync/clinical-checks.ts); every workstation of the hospital pulls them and shows them
 * through this table: the Alerts inbox, the bed card, the chart's banner, and at once to the
 * person whose change raised one. A new kind is a value of `CLINICAL_ALERT_KINDS` (the catalog)
 * and an entry here; the type refuses a kind without one.
 *
 * `details` is free JSON on the wire, written by the server. Each entry's schema says what the
 * server puts there; every member is optional, so an alert from an older or newer server still
 * reads as well as it can.
 */
import { z } from 'zod';
import type { ClinicalAlertKind } from './catalog/records';
import type { ReasonCode, WarningCode } from './protocol';
import { clockTime, dayAndTime, describeChange, fieldWords, recordNoun } from './record-words';
import type { Role } from './roles';

/**
 * Extra buttons an alert card offers besides Acknowledge, by id. The renderer maps each id to its
 * component (renderer/screens/alerts/alert-actions.tsx); patient merge adds `compare_and_merge`.
 */
export const ALERT_ACTION_IDS = ['compare_and_merge'] as const;
export type AlertActionId = (typeof ALERT_ACTION_IDS)[number];

/** What the workstation finds in its replica for the ids an alert names (main/services). */
export interface AlertLookup {
  /** "HUGHES, Margaret (NGH-000001)". */
  patient(patientId: string | undefined): string | null;
  /** "Bed A-02 (Medical Ward A)". */
  bed(bedId: string | undefined): string | null;
  /** The patient and bed of a stay. */
  stay(visitId: string | undefined): { patient: string | null; bed: string | null } | null;
  /** "Amoxicillin 500 mg oral, three times daily". */
  drug(prescriptionId: string | undefined): string | null;
  /** A charted dose: when, by whom, given / held / refused. */
  dose(
    administrationId: string | undefined,
  ): { at: string; by: string | null; status: string } | null;
  /** A member of staff's full name. */
  person(userId: string | undefined): string | null;
  /** "Dr Dana Okafor with TANAKA, Mei at 23 Nov 10:30". */
  appointment(appointmentId: string | undefined): string | null;
  /** "Paracetamol 500 mg tablets (Pharmacy A1)". */
  stockItem(itemId: string | undefined): string | null;
}

export interface AlertFact {
  label: string;
  value: string;
}

/** An alert in words. */
export interface AlertWords {
  /** One or two sentences anyone on the ward understands. */
  summary: string;
  /** The same, told to the person whose change raised it, at once. */
  notice: string;
  /** Labelled facts for the card: drug, times, who, where. */
  facts: AlertFact[];
  /** Another patient record the alert names, beside its own (a possible duplicate). */
  otherPatientId?: string;
}

/** What every alert's details carry besides its own (server/sync/plan.ts raiseAlert). */
const RaisedBy = z.object({
  /** The change that raised it, and the workstation it came from. */
  mutationId: z.string(),
  deviceId: z.string(),
  deviceName: z.string(),
});

interface KindDeclaration<S extends z.ZodType> {
  title: string;
  /** What to do about it, in one or two sentences. */
  whatToDo: string;
  /** Whose Alerts inbox lists it; super administrators see every kind. */
  audience: readonly Role[];
  /** `act_now`: the patient may be at risk (red); `sort_out`: the record needs someone (orange). */
  urgency: 'act_now' | 'sort_out';
  /** Push answer codes (warnings, conflict reasons) that come with this alert. */
  pushCodes: readonly (WarningCode | ReasonCode | 'slot_taken' | 'negative_stock')[];
  details: S;
  describe: (details: z.output<S>, lookup: AlertLookup) => AlertWords;
  actions?: readonly AlertActionId[];
}

export interface AlertKind {
  kind: ClinicalAlertKind;
  title: string;
  whatToDo: string;
  audience: readonly Role[];
  urgency: 'act_now' | 'sort_out';
  pushCodes: readonly string[];
  actions: readonly AlertActionId[];
  /** The alert's details (raw JSON from the row) in words. */
  words: (details: unknown, lookup: AlertLookup) => AlertWords;
}

function alertKind<S extends z.ZodType>(
  kind: ClinicalAlertKind,
  declaration: KindDeclaration<S>,
): AlertKind {
  const { details, describe, actions, ...rest } = declaration;
  return {
    kind,
    ...rest,
    actions: actions ?? [],
    words(raw, lookup) {
      const parsed = details.safeParse(raw);
      // Every member is optional: an empty object always parses, and reads as well as it can.
      const value = parsed.success ? parsed.data : details.parse({});
      return describe(value, lookup);
    },
  };
}

const optionalId = z.string().optional();
const optionalTime = z.string().optional();
const on = (deviceName: string | undefined) => (deviceName ? ` on ${deviceName}` : '');
const by = (name: string | null | undefined) => (name ? ` by ${name}` : '');
const fact = (label: string, value: string | null | undefined): AlertFact[] =>
  value ? [{ label, value }] : [];

const DoubleDose = RaisedBy.extend({
  prescriptionId: z.string(),
  scheduledFor: z.string(),
  /** The dose charted second, whose push raised the alert. */
  administrationId: z.string(),
  /** The dose already on the server, and the workstation it was charted on. */
  earlierAdministrationId: z.string(),
  earlierDeviceName: z.string(),
}).partial();

const BedClash = RaisedBy.extend({
  bedId: z.string(),
  /** The stay that holds the bed. */
  heldByVisitId: z.string(),
}).partial();

const DuplicatePatient = RaisedBy.extend({
  /** The patient already registered with the same name, date of birth and sex. */
  matchingPatientId: z.string(),
}).partial();

const LateEntry = RaisedBy.extend({
  /** The synced table of the entry and its id. */
  table: z.string(),
  entryId: z.string(),
  /** When the entry says it happened, and when the stay was discharged. */
  enteredAt: optionalTime,
  dischargedAt: optionalTime,
}).partial();

const RefusedChange = RaisedBy.extend({
  table: z.string(),
  rowId: z.string(),
  op: z.enum(['insert', 'update', 'delete']),
  /** The server's reason (a REJECT_CODES value and its sentence). */
  reasonCode: z.string(),
  reasonMessage: z.string(),
  /** The fields the refused change set, and when the person made it. */
  fields: z.array(z.string()),
  madeAt: optionalTime,
}).partial();

const ClockSkew = RaisedBy.extend({ clockSkewMs: z.number() }).partial();

/** Raised by the server's appointment overlap check (issue 13, slot taken). */
const SlotTaken = RaisedBy.extend({
  /** The booking kept as a conflict (the later one) and the one it overlaps. */
  appointmentId: optionalId,
  otherAppointmentId: optionalId,
  doctorId: optionalId,
  scheduledAt: optionalTime,
}).partial();

/** Raised when stock movements take an item below zero (issue 13, stock as movements). */
const NegativeStock = RaisedBy.extend({
  /** The stock item and the movement that took it below zero (server/sync/negative-stock.ts). */
  itemId: optionalId,
  movementId: optionalId,
  /** The movement's change of stock (negative: taken out). */
  quantity: z.number(),
  /** What the item's movements add up to after it (below zero). */
  onHand: z.number(),
}).partial();

export const ALERT_KINDS: Readonly<Record<ClinicalAlertKind, AlertKind>> = {
  possible_double_dose: alertKind('possible_double_dose', {
    title: 'Possible double dose',
    whatToDo:
      'Check the patient now and tell the prescriber. If only one dose was really given, mark the wrong entry as entered in error in the MAR.',
    audience: ['nurse', 'doctor', 'pharmacist', 'manager'],
    urgency: 'act_now',
    pushCodes: ['possible_double_dose'],
    details: DoubleDose,
    describe(d, lookup) {
      const drug = lookup.drug(d.prescriptionId) ?? 'A medication';
      const due = d.scheduledFor ? clockTime(d.scheduledFor) : null;
      const earlier = lookup.dose(d.earlierAdministrationId);
      const later = lookup.dose(d.administrationId);
      const earlierWords = earlier
        ? `at ${clockTime(earlier.at)}${by(earlier.by)}${on(d.earlierDeviceName)}`
        : `on another workstation${on(d.earlierDeviceName).replace(' on ', ', ')}`;
      const laterWords = later
        ? `at ${clockTime(later.at)}${by(later.by)}${on(d.deviceName)}`
        : `again${on(d.deviceName)}`;
      const dose = `${drug}${due ? ` due ${due}` : ''}`;
      return {
        summary: `${dose} was charted as given twice: ${earlierWords}, and ${laterWords}.`,
        notice: `This dose (${dose}) was also charted ${earlierWords}.`,
        facts: [
          ...fact('Medication', lookup.drug(d.prescriptionId)),
          ...fact('Due', d.scheduledFor ? dayAndTime(d.scheduledFor) : null),
          ...fact(
            'First charted',
            earlier ? `${dayAndTime(earlier.at)}${by(earlier.by)}${on(d.earlierDeviceName)}` : null,
          ),
          ...fact(
            'Charted again',
            later ? `${dayAndTime(later.at)}${by(later.by)}${on(d.deviceName)}` : null,
          ),
        ],
      };
    },
  }),
  bed_conflict: alertKind('bed_conflict', {
    title: 'Bed clash',
    whatToDo:
      'Find where the patient admitted without a bed really is, and move them to a free bed from the chart’s Stay tab.',
    audience: ['nurse', 'doctor', 'reception', 'manager'],
    urgency: 'act_now',
    pushCodes: ['bed_unavailable'],
    details: BedClash,
    describe(d, lookup) {
      const bed = lookup.bed(d.bedId) ?? 'The bed';
      const holder = lookup.stay(d.heldByVisitId)?.patient ?? 'another patient';
      return {
        summary: `${bed} was given to two patients while workstations were offline. ${holder} keeps it; the later admission was kept without a bed.`,
        notice: `${bed} is already held by ${holder}. Your admission was kept without a bed: choose another bed.`,
        facts: [...fact('Bed', lookup.bed(d.bedId)), ...fact('Holds the bed', holder)],
      };
    },
  }),
  possible_duplicate_patient: alertKind('possible_duplicate_patient', {
    title: 'Possible duplicate patient',
    whatToDo:
      'Compare the two records. If they are the same person, merge them; otherwise acknowledge with a note saying how they differ.',
    audience: ['reception', 'nurse', 'doctor', 'manager'],
    urgency: 'sort_out',
    pushCodes: ['possible_duplicate_patient'],
    details: DuplicatePatient,
    actions: ['compare_and_merge'],
    describe(d, lookup) {
      const other = lookup.patient(d.matchingPatientId) ?? 'another patient';
      return {
        summary: `Registered${on(d.deviceName)} with the same name, date of birth and sex as ${other}.`,
        notice: `This patient has the same name, date of birth and sex as ${other}, already registered.`,
        facts: fact('Already registered', other),
        ...(d.matchingPatientId ? { otherPatientId: d.matchingPatientId } : {}),
      };
    },
  }),
  late_entry_after_discharge: alertKind('late_entry_after_discharge', {
    title: 'Entry after discharge',
    whatToDo:
      'Read the entry and check whether the discharge summary or follow-up still holds; it was added to the discharged stay’s record.',
    audience: ['doctor', 'nurse', 'manager'],
    urgency: 'sort_out',
    pushCodes: [],
    details: LateEntry,
    describe(d, _lookup) {
      const noun = d.table ? recordNoun(d.table) : 'an entry';
      const when = d.enteredAt ? ` from ${dayAndTime(d.enteredAt)}` : '';
      const discharged = d.dischargedAt ? ` (discharged ${dayAndTime(d.dischargedAt)})` : '';
      return {
        summary: `A ${noun} entry${when} reached the server${on(d.deviceName)} after the stay was discharged${discharged}.`,
        notice: `This ${noun} entry arrived after the stay was discharged${discharged}; it was added to the discharged stay’s record.`,
        facts: [
          ...fact('Entry', d.table ? describeChange(d.table, 'insert') : null),
          ...fact('Made', d.enteredAt ? dayAndTime(d.enteredAt) : null),
          ...fact('Discharged', d.dischargedAt ? dayAndTime(d.dischargedAt) : null),
        ],
      };
    },
  }),
  refused_clinical_change: alertKind('refused_clinical_change', {
    title: 'Clinical change refused',
    whatToDo:
      'The change is not in the hospital’s record. Ask the person who made it; record it again if it is still true, or correct what blocked it.',
    audience: ['nurse', 'doctor', 'pharmacist', 'manager'],
    urgency: 'act_now',
    pushCodes: [],
    details: RefusedChange,
    describe(d, _lookup) {
      const what = d.table && d.op ? describeChange(d.table, d.op) : 'A change';
      const fields = (d.table ? (d.fields ?? []) : [])
        .map((field) => fieldWords(d.table ?? '', field).label)
        .join(', ');
      const made = d.madeAt ? ` at ${dayAndTime(d.madeAt)}` : '';
      return {
        summary: `${what}${made}${on(d.deviceName)} was refused by the server: ${d.reasonMessage ?? 'no reason given'}.`,
        notice: `Your change (${what.toLowerCase()}) was refused by the server: ${d.reasonMessage ?? 'no reason given'}.`,
        facts: [
          ...fact('Change', what),
          ...fact('Fields', fields),
          ...fact('Made', d.madeAt ? dayAndTime(d.madeAt) : null),
          ...fact('Why', d.reasonMessage),
        ],
      };
    },
  }),
  clock_skew: alertKind('clock_skew', {
    title: 'Workstation clock wrong',
    whatToDo: 'Ask IT to set the workstation’s clock; times recorded on it may be off.',
    audience: ['manager'],
    urgency: 'sort_out',
    pushCodes: [],
    details: ClockSkew,
    describe(d) {
      const minutes =
        d.clockSkewMs === undefined ? null : Math.round(Math.abs(d.clockSkewMs) / 60_000);
      const off = minutes === null ? 'off' : `${String(minutes)} minutes off`;
      return {
        summary: `The clock of ${d.deviceName ?? 'a workstation'} is ${off}.`,
        notice: `This workstation’s clock is ${off}.`,
        facts: fact('Workstation', d.deviceName),
      };
    },
  }),
  slot_taken: alertKind('slot_taken', {
    title: 'Appointment slot taken twice',
    whatToDo: 'Move one of the two appointments and tell the patient.',
    audience: ['reception', 'doctor', 'manager'],
    urgency: 'sort_out',
    pushCodes: ['slot_taken'],
    details: SlotTaken,
    describe(d, lookup) {
      const mine = lookup.appointment(d.appointmentId) ?? 'An appointment';
      const other = lookup.appointment(d.otherAppointmentId) ?? 'another appointment';
      return {
        summary: `${mine} overlaps ${other}, booked on another desk while offline.`,
        notice: `This appointment overlaps ${other}. It was kept: move one of them.`,
        facts: [
          ...fact('Doctor', lookup.person(d.doctorId)),
          ...fact('Time', d.scheduledAt ? dayAndTime(d.scheduledAt) : null),
          ...fact('Overlaps', lookup.appointment(d.otherAppointmentId)),
        ],
      };
    },
  }),
  negative_stock: alertKind('negative_stock', {
    title: 'Stock below zero',
    whatToDo:
      'Count the item and record an adjustment with the reason; a dispensing may not have been recorded as received.',
    audience: ['pharmacist', 'nurse', 'manager'],
    urgency: 'sort_out',
    pushCodes: ['negative_stock'],
    details: NegativeStock,
    describe(d, lookup) {
      const item = lookup.stockItem(d.itemId) ?? 'A stock item';
      const onHand = d.onHand === undefined ? 'below zero' : String(d.onHand);
      const taken =
        d.quantity === undefined ? '' : ` after ${String(Math.abs(d.quantity))} taken out`;
      return {
        summary: `${item} adds up to ${onHand} on hand${taken}.`,
        notice: `After your change, ${item} adds up to ${onHand} on hand.`,
        facts: [...fact('Item', lookup.stockItem(d.itemId)), ...fact('On hand', onHand)],
      };
    },
  }),
};

/** The kind a push answer code (warning or conflict reason) comes with, if any. */
export function alertKindOfPushCode(code: string): AlertKind | null {
  return Object.values(ALERT_KINDS).find((kind) => kind.pushCodes.includes(code)) ?? null;
}

/** Whether a role's Alerts inbox lists this kind. */
export function isForRole(kind: AlertKind, role: Role): boolean {
  return role === 'super_admin' || kind.audience.includes(role);
}
