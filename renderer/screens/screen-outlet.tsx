import { Center, Loader, Text } from '@mantine/core';
import { lazy, Suspense } from 'react';
import type { ScreenId } from '../stores/nav-store';
import { AdminScreen } from './admin/admin-screen';
import { AlertsScreen } from './alerts/alerts-screen';
import { AccessReportScreen } from './audit/access-report-screen';
import { BreakGlassReviewScreen } from './audit/break-glass-review-screen';
import { DevicesScreen } from './devices/devices-screen';
import { InventoryScreen } from './inventory/inventory-screen';
import { LabQueueScreen } from './lab/lab-queue-screen';
import { PatientMergeScreen } from './merge/patient-merge-screen';
import { ActivePrescriptionsScreen } from './pharmacy/active-prescriptions-screen';
import { SyncScreen } from './sync/sync-screen';
import { ReceptionScreen } from './reception/reception-screen';
import { WardBoardScreen } from './ward/ward-board-screen';

// The chart pulls in the charting library; load it when a chart is first opened.
const PatientChartScreen = lazy(() => import('./chart/patient-chart-screen'));

export function ScreenOutlet({ screen }: { screen: ScreenId | null }) {
  return (
    <Suspense
      fallback={
        <Center h={200}>
          <Loader aria-label="Loading" />
        </Center>
      }
    >
      {renderScreen(screen)}
    </Suspense>
  );
}

function renderScreen(screen: ScreenId | null) {
  switch (screen) {
    case 'ward':
      return <WardBoardScreen />;
    case 'alerts':
      return <AlertsScreen />;
    case 'reception':
      return <ReceptionScreen />;
    case 'lab':
      return <LabQueueScreen />;
    case 'pharmacy':
      return <ActivePrescriptionsScreen />;
    case 'inventory':
      return <InventoryScreen />;
    case 'admin':
      return <AdminScreen />;
    case 'sync':
      return <SyncScreen />;
    case 'devices':
      return <DevicesScreen />;
    case 'chart':
      return <PatientChartScreen />;
    case 'merge':
      return <PatientMergeScreen />;
    case 'access':
      return <AccessReportScreen />;
    case 'break-glass':
      return <BreakGlassReviewScreen />;
    default:
      return (
        <Text>
          Your account has no screens on this workstation. Ask an administrator for access.
        </Text>
      );
  }
}
