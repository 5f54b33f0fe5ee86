/**
 * Printing (issue 17). Each procedure builds the document from the replica, records who printed
 * what in the audit trail, and answers the HTML: the renderer shows and prints it, the desktop
 * app saves it as PDF through Electron (main/app/print-to-pdf.ts).
 */
import { z } from 'zod';
import { IdSchema } from '../../../shared/schemas/common';
import { downtimePackTitle, renderDowntimePackHtml } from '../../../shared/print/downtime-pack';
import { localUtcOffsetMinutes } from '../../../shared/print/print-html';
import { renderWristbandHtml } from '../../../shared/print/wristband';
import { refuseOutsideWard } from '../../services/break-glass';
import { gatherDowntimePack } from '../../services/downtime-pack';
import { gatherWristband } from '../../services/print-wristband';
import { auditRead } from '../../services/write-path';
import { reauthProcedure, router } from '../trpc';

export const printRouter = router({
  downtimePack: reauthProcedure('mar:read', 'print')
    .input(z.object({ wardId: IdSchema }))
    .mutation(({ ctx, input }) => {
      refuseOutsideWard(ctx.db, ctx.actor, input.wardId);
      const now = ctx.clock.now();
      const pack = gatherDowntimePack(ctx.db, {
        wardId: input.wardId,
        now,
        utcOffsetMinutes: localUtcOffsetMinutes(now),
      });
      auditRead(ctx, {
        action: 'print.downtime_pack',
        entity: 'wards',
        entityId: input.wardId,
        details: { patients: pack.patients.length, doses: pack.doses.length },
      });
      return {
        title: downtimePackTitle(pack),
        html: renderDowntimePackHtml(pack),
        patients: pack.patients.length,
        doses: pack.doses.length,
      };
    }),
  wristband: reauthProcedure('patients:read', 'print')
    .input(z.object({ patientId: IdSchema, labels: z.number().int().min(0).max(24).default(6) }))
    .mutation(({ ctx, input }) => {
      const now = ctx.clock.now();
      const print = gatherWristband(ctx.db, {
        patientId: input.patientId,
        labels: input.labels,
        now,
        utcOffsetMinutes: localUtcOffsetMinutes(now),
      });
      auditRead(ctx, {
        action: 'print.wristband',
        entity: 'patients',
        entityId: input.patientId,
        patientId: input.patientId,
        details: { labels: input.labels },
      });
      return { title: `Wristband ${print.patient.mrn}`, html: renderWristbandHtml(print) };
    }),
});
