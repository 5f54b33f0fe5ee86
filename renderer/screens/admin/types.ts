import type { RouterOutputs } from '../../trpc/types';

export type StaffList = RouterOutputs['staff']['list'];
export type StaffMember = StaffList['staff'][number];
export type RolesAnswer = RouterOutputs['staff']['roles'];
