import { and, asc, eq, isNull } from 'drizzle-orm';
import { z } from 'zod';
import { attachments } from '../../../db/local/schema';
import { IdSchema } from '../../../shared/schemas/common';
import { attachFile, AttachFileInput } from '../../services/attachments';
import { openAttachment, OpenAttachmentInput } from '../../sync/attachment-fetch';
import { permissionProcedure, router } from '../trpc';

/** Lab reports and images of a stay: attach, list, open (fetched from the server when needed). */
export const attachmentsRouter = router({
  attach: permissionProcedure('attachments:add')
    .input(AttachFileInput)
    .mutation(({ ctx, input }) => attachFile(ctx, input)),
  listForVisit: permissionProcedure('attachments:read')
    .input(z.object({ visitId: IdSchema }))
    .query(({ ctx, input }) =>
      ctx.db
        .select()
        .from(attachments)
        .where(and(eq(attachments.visitId, input.visitId), isNull(attachments.deletedAt)))
        .orderBy(asc(attachments.createdAt))
        .all(),
    ),
  open: permissionProcedure('attachments:read')
    .input(OpenAttachmentInput)
    .mutation(({ ctx, input }) => openAttachment(ctx, ctx.sync?.transport() ?? null, input)),
});
