/** Lab reports for the attachment tests: a PDF of a given size, attached by the doctor. */
import { randomBytes } from 'node:crypto';
import { attachFile } from '../../main/services/attachments';
import { orderLabTest } from '../../main/services/lab-tests';
import { stableId } from '../../shared/reference-data';
import type { TestWorkstation } from './workstation';

/** A PDF by its first bytes (the rest random, so no two are alike). */
export function reportPdf(bytes: number): Buffer {
  return Buffer.concat([Buffer.from('%PDF-1.7\n'), randomBytes(bytes - 9)]);
}

/** A lab test ordered for the demo's first stay, and `report` attached to it, by the doctor. */
export function attachReport(
  station: TestWorkstation,
  report: Buffer,
  test: { code: string; name: string; fileName: string },
) {
  const doctor = { ...station.as('doctor@hass.example'), db: station.db };
  const ordered = orderLabTest(doctor, {
    visitId: stableId('visit', 'NGH/1'),
    testCode: test.code,
    testName: test.name,
  });
  const attached = attachFile(doctor, {
    labTestId: ordered.id,
    fileName: test.fileName,
    contentBase64: report.toString('base64'),
  });
  return { ...attached, labTestId: ordered.id };
}
