/**
 * The extra actions an alert kind offers on its card (shared/clinical-alerts.ts `actions`), by id.
 * `compare_and_merge` belongs to patient merge (issue 13): its component goes here in place of
 * null, and the duplicate-patient card shows it beside Acknowledge.
 */
import type { ComponentType } from 'react';
import type { AlertActionId } from '../../../shared/clinical-alerts';
import type { AlertView } from './use-alerts';

export type AlertActionComponent = ComponentType<{ alert: AlertView }>;

export const ALERT_ACTIONS: Readonly<Record<AlertActionId, AlertActionComponent | null>> = {
  compare_and_merge: null,
};

export function AlertActions({ alert }: { alert: AlertView }) {
  return alert.actions.map((id) => {
    const Action = ALERT_ACTIONS[id];
    return Action ? <Action key={id} alert={alert} /> : null;
  });
}
