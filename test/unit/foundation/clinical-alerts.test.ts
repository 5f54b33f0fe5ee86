/**
 * The alert kind registry (shared/clinical-alerts.ts) and the record words
 * (shared/record-words.ts): every kind the catalog allows is described, reaches roles that may
 * read alerts, and reads as words whatever its details hold; every field label names a real
 * column; values read as people read them.
 */
import { describe, expect, it } from 'vitest';
import { findSyncedTable } from '../../../shared/catalog';
import { CLINICAL_ALERT_KINDS } from '../../../shared/catalog/records';
import {
  ALERT_KINDS,
  alertKindOfPushCode,
  isForRole,
  type AlertLookup,
} from '../../../shared/clinical-alerts';
import {
  calendarDay,
  describeChange,
  fieldWords,
  humanise,
  RECORD_WORDS,
  valueWords,
  waitedFor,
} from '../../../shared/record-words';
import { roleHasPermission } from '../../../shared/roles';

const nothingFound: AlertLookup = {
  patient: () => null,
  bed: () => null,
  stay: () => null,
  drug: () => null,
  dose: () => null,
  person: () => null,
  appointment: () => null,
  stockItem: () => null,
};

const everythingFound: AlertLookup = {
  patient: () => 'HUGHES, Margaret (NGH-000001)',
  bed: () => 'Bed A-02 (Medical Ward A)',
  stay: () => ({ patient: 'HUGHES, Margaret (NGH-000001)', bed: 'A-02' }),
  drug: () => 'Amoxicillin 500 mg oral, three times daily',
  dose: () => ({ at: '2026-01-05T08:04:00.000Z', by: 'Nina Patel', status: 'given' }),
  person: () => 'Nina Patel',
  appointment: () => 'Dr Dana Okafor with TANAKA, Mei at 5 Jan 10:30',
  stockItem: () => 'Paracetamol 500 mg tablets (Pharmacy A1)',
};

const RAW = /undefined|null|NaN|\[object|\{|[0-9a-f]{8}-[0-9a-f]{4}-/;

describe('the alert kind registry', () => {
  it('describes every kind the catalog allows, under its own name', () => {
    expect(Object.keys(ALERT_KINDS).sort()).toEqual([...CLINICAL_ALERT_KINDS].sort());
    for (const [kind, entry] of Object.entries(ALERT_KINDS)) expect(entry.kind).toBe(kind);
  });

  it('lists each kind in the inboxes of roles that may read and acknowledge alerts', () => {
    for (const entry of Object.values(ALERT_KINDS)) {
      expect(entry.audience.length, entry.kind).toBeGreaterThan(0);
      for (const role of entry.audience) {
        expect(roleHasPermission(role, 'clinical_alerts:read'), `${entry.kind}: ${role}`).toBe(
          true,
        );
        expect(
          roleHasPermission(role, 'clinical_alerts:acknowledge'),
          `${entry.kind}: ${role}`,
        ).toBe(true);
      }
      expect(isForRole(entry, 'super_admin')).toBe(true);
    }
    expect(isForRole(ALERT_KINDS.possible_double_dose, 'reception')).toBe(false);
    expect(isForRole(ALERT_KINDS.slot_taken, 'reception')).toBe(true);
  });

  it('maps each push code to one kind at most', () => {
    const codes = Object.values(ALERT_KINDS).flatMap((entry) => entry.pushCodes);
    expect(new Set(codes).size).toBe(codes.length);
    expect(alertKindOfPushCode('possible_double_dose')?.kind).toBe('possible_double_dose');
    expect(alertKindOfPushCode('bed_unavailable')?.kind).toBe('bed_conflict');
    expect(alertKindOfPushCode('sequence_gap')).toBeNull();
  });

  it('reads every kind as words, with its details missing, garbled or complete', () => {
    const garbled = {
      prescriptionId: 42,
      scheduledFor: ['x'],
      bedId: { a: 1 },
      quantity: 'lots',
      fields: 'heartRate',
    };
    for (const entry of Object.values(ALERT_KINDS)) {
      for (const [details, lookup] of [
        [{}, nothingFound],
        [garbled, nothingFound],
        [null, nothingFound],
        [
          {
            prescriptionId: 'p',
            scheduledFor: '2026-01-05T08:00:00.000Z',
            administrationId: 'a',
            earlierAdministrationId: 'b',
            earlierDeviceName: 'Ward A workstation',
            deviceName: 'Ward B workstation',
            table: 'vitals',
            op: 'insert',
            fields: ['heartRate', 'spo2'],
            reasonMessage: 'Refused.',
            madeAt: '2026-01-05T08:00:00.000Z',
            clockSkewMs: 600_000,
            quantity: -4,
            onHand: -1,
          },
          everythingFound,
        ],
      ] as const) {
        const words = entry.words(details, lookup);
        for (const text of [words.summary, words.notice, ...words.facts.map((f) => f.value)]) {
          expect(text, `${entry.kind}: ${text}`).not.toMatch(RAW);
          expect(text.length).toBeGreaterThan(0);
        }
      }
    }
  });

  it('tells the second nurse who charted the dose first, when and where', () => {
    const words = ALERT_KINDS.possible_double_dose.words(
      { earlierDeviceName: 'Ward A workstation', scheduledFor: '2026-01-05T08:00:00.000Z' },
      everythingFound,
    );
    const at = new Date('2026-01-05T08:04:00.000Z');
    const clock = `${String(at.getHours()).padStart(2, '0')}:${String(at.getMinutes()).padStart(2, '0')}`;
    expect(words.notice).toContain(
      `was also charted at ${clock} by Nina Patel on Ward A workstation`,
    );
  });
});

describe('record words', () => {
  it('labels only columns the catalog has (or the sync columns)', () => {
    for (const [table, words] of Object.entries(RECORD_WORDS)) {
      const entry = findSyncedTable(table);
      expect(entry, table).toBeDefined();
      for (const field of Object.keys(words.fields))
        expect(Object.keys(entry?.columns ?? {}), `${table}.${field}`).toContain(field);
    }
  });

  it('reads a field without a label from its name, and changes as what they did', () => {
    expect(humanise('dateOfBirth')).toBe('Date of birth');
    expect(humanise('emergency_contact_phone')).toBe('Emergency contact phone');
    expect(fieldWords('patients', 'phone').label).toBe('Phone');
    expect(fieldWords('vitals', 'spo2')).toEqual({ label: 'SpO₂', unit: '%' });
    expect(describeChange('vitals', 'insert')).toBe('Vital signs recorded');
    expect(describeChange('patients', 'update')).toBe('Patient details changed');
    expect(describeChange('appointments', 'delete')).toBe('Appointment removed');
  });

  it('reads values as people read them: units, days, choices, lists, references by name', () => {
    const nameOf = (table: string, id: string) => (table === 'users' ? `user ${id}` : null);
    expect(valueWords('vitals', 'heartRate', 128, nameOf)).toBe('128 /min');
    expect(valueWords('vitals', 'temperatureC', 38.2, nameOf)).toBe('38.2 °C');
    expect(valueWords('patients', 'dateOfBirth', '1948-03-14', nameOf)).toBe('14 Mar 1948');
    expect(calendarDay('2026-11-23')).toBe('23 Nov 2026');
    expect(valueWords('lab_tests', 'status', 'in_progress', nameOf)).toBe('in progress');
    expect(valueWords('users', 'active', true, nameOf)).toBe('Yes');
    expect(valueWords('vitals', 'recordedBy', 'abc', nameOf)).toBe('user abc');
    expect(valueWords('visits', 'bedId', 'gone', nameOf)).toBe('a record not on this workstation');
    expect(valueWords('visits', 'bedId', null, nameOf)).toBe('none');
    expect(valueWords('patients', 'phone', null, nameOf)).toBe('(empty)');
    expect(
      valueWords(
        'patients',
        'allergies',
        [
          { substance: 'Penicillin', reaction: 'Rash', severity: 'moderate' },
          { substance: 'Latex' },
        ],
        nameOf,
      ),
    ).toBe('Penicillin (Rash, moderate); Latex');
    expect(
      valueWords('vitals', 'abnormal', [{ sign: 'heartRate', direction: 'high' }], nameOf),
    ).toBe('heart rate high');
    expect(valueWords('emr_local', 'body', { presentingComplaint: 'Cough' }, nameOf)).toBe(
      'Presenting complaint: Cough',
    );
    const at = valueWords('vitals', 'recordedAt', '2026-11-23T08:04:00.000Z', nameOf);
    expect(at).toMatch(/^\d{1,2} (Nov|Dec) \d{2}:\d{2}$/);
  });

  it('says how long something has waited', () => {
    expect(waitedFor(20_000)).toBe('under a minute');
    expect(waitedFor(5 * 60_000)).toBe('5 min');
    expect(waitedFor(125 * 60_000)).toBe('2 h 5 min');
    expect(waitedFor(3 * 24 * 3_600_000)).toBe('3 days');
  });

  it('reads stock below zero from the details the server writes', () => {
    // server/sync/negative-stock.ts: { itemId, movementId, kind, quantity, onHand }.
    const words = ALERT_KINDS.negative_stock.words(
      { itemId: 'i', movementId: 'm', kind: 'dispensed', quantity: -3, onHand: -1 },
      everythingFound,
    );
    expect(words.summary).toBe(
      'Paracetamol 500 mg tablets (Pharmacy A1) adds up to -1 on hand after 3 taken out.',
    );
    expect(words.facts).toContainEqual({ label: 'On hand', value: '-1' });
  });

  it('names the other record of a possible duplicate, for compare and merge', () => {
    const words = ALERT_KINDS.possible_duplicate_patient.words(
      { matchingPatientId: 'other-record' },
      everythingFound,
    );
    expect(words.otherPatientId).toBe('other-record');
    expect(ALERT_KINDS.possible_duplicate_patient.actions).toEqual(['compare_and_merge']);
  });
});
