/**
 * The extra actions an alert kind offers on its card (shared/clinical-alerts.ts `actions`), by id:
 * the duplicate-patient card opens the merge screen with both records beside Acknowledge.
 */
import type { ComponentType } from 'react';
import type { AlertActionId } from '../../../shared/clinical-alerts';
import { CompareAndMergeButton } from '../merge/compare-and-merge-button';
import type { AlertView } from './use-alerts';

export type AlertActionComponent = ComponentType<{ alert: AlertView }>;

export const ALERT_ACTIONS: Readonly<Record<AlertActionId, AlertActionComponent>> = {
  compare_and_merge: ({ alert }) =>
    alert.patient && alert.otherPatientId ? (
      <CompareAndMergeButton patientIds={[alert.patient.id, alert.otherPatientId]} />
    ) : null,
};

export function AlertActions({ alert }: { alert: AlertView }) {
  return alert.actions.map((id) => {
    const Action = ALERT_ACTIONS[id];
    return <Action key={id} alert={alert} />;
  });
}
