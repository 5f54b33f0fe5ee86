import { expect, test } from 'vitest';
import { describeImportProblems, planWardBedImport } from '../../../shared/ward-bed-import';

const HEADER = 'ward_code,ward_name,floor,bed_number,bed_status';
const none = { wards: [], bedNumbers: [] };

test('a good file becomes new wards and beds, a line without a bed number a ward alone', () => {
  const result = planWardBedImport(
    [
      HEADER,
      'ICU,Intensive care,2,ICU-01,available',
      'ICU,Intensive care,2,ICU-02,maintenance',
      'DAY,Day unit,0,,',
      '"MAT","Maternity, east",3,MAT-1,',
    ].join('\n'),
    none,
  );
  expect(result).toEqual({
    ok: true,
    plan: {
      wards: [
        { code: 'ICU', name: 'Intensive care', floor: 2 },
        { code: 'DAY', name: 'Day unit', floor: 0 },
        { code: 'MAT', name: 'Maternity, east', floor: 3 },
      ],
      beds: [
        { wardCode: 'ICU', number: 'ICU-01', floor: 2, status: 'available' },
        { wardCode: 'ICU', number: 'ICU-02', floor: 2, status: 'maintenance' },
        { wardCode: 'MAT', number: 'MAT-1', floor: 3, status: 'available' },
      ],
    },
  });
});

test('every problem is named with its line number, and nothing is planned', () => {
  const result = planWardBedImport(
    [
      HEADER,
      'ICU,Intensive care,2,ICU-01,available',
      'icu lower,Intensive care,2,ICU-02,',
      'ICU,Intensive care,3,ICU-03,',
      'ICU,Intensive care,2,ICU-01,',
      'GEN,General,2,B7,occupied',
      'GEN,General,two,B8,',
      'OLD,Old ward,1,B9,',
    ].join('\n'),
    { wards: [{ code: 'OLD', name: 'Old ward', floor: 1 }], bedNumbers: ['B9'] },
  );
  expect(result.ok).toBe(false);
  if (result.ok) return;
  expect(result.problems.map((problem) => problem.line)).toEqual([3, 4, 5, 6, 7, 8]);
  const text = describeImportProblems(result.problems);
  expect(text).toContain('line 3: ward code:');
  expect(text).toContain('line 4: Ward ICU is "Intensive care" on floor 2 in line 2');
  expect(text).toContain('line 5: Bed ICU-01 is already on line 2');
  expect(text).toContain('line 6: bed status: Use available, maintenance, reserved');
  expect(text).toContain('line 7: floor:');
  expect(text).toContain('line 8: Bed B9 already exists in this hospital.');
});

test('a file without the expected header, or unreadable CSV, is refused as a whole', () => {
  const noHeader = planWardBedImport('ICU,Intensive care,2,ICU-01,available\n', none);
  expect(noHeader).toMatchObject({ ok: false, problems: [{ line: 1 }] });
  const badQuote = planWardBedImport(`${HEADER}\nICU,"Intensive care,2,ICU-01,\n`, none);
  expect(badQuote.ok).toBe(false);
  const empty = planWardBedImport(`${HEADER}\n`, none);
  expect(empty).toMatchObject({ ok: false, problems: [{ line: 0 }] });
});
