/** The pharmacy list's allergy hint: containment either way, ignoring case; a hint, not a check. */
import { describe, expect, it } from 'vitest';
import { allergyClashes } from '../../../main/services/pharmacy';

describe('allergy clash hint', () => {
  it('marks a drug whose name contains the allergy, or the reverse, whatever the case', () => {
    expect(allergyClashes('Ibuprofen 400 mg tablets', [{ substance: 'ibuprofen' }])).toEqual([
      'ibuprofen',
    ]);
    expect(allergyClashes('Penicillin', [{ substance: 'Penicillin V and penicillin G' }])).toEqual([
      'Penicillin V and penicillin G',
    ]);
    expect(
      allergyClashes(' CODEINE ', [{ substance: 'Latex' }, { substance: ' codeine' }]),
    ).toEqual([' codeine']);
  });

  it('misses related drugs and never flags on empty text', () => {
    expect(allergyClashes('Amoxicillin', [{ substance: 'Penicillin' }])).toEqual([]);
    expect(allergyClashes('Paracetamol', [{ substance: '  ' }])).toEqual([]);
    expect(allergyClashes('  ', [{ substance: 'Latex' }])).toEqual([]);
  });
});
