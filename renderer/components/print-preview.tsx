/**
 * A printed document shown before it goes to paper (issue 17). The HTML comes from main's print
 * procedures (shared/print/*), built from the replica; it is drawn inside a shadow root so its
 * page styles stay out of the app's, and printed with the browser's print (the app's print dialog
 * offers "Save as PDF"). Main's HTML carries no script, and the app's CSP would refuse one.
 */
import { Button, Group, Modal, Stack, Text } from '@mantine/core';
import { useCallback } from 'react';

export interface PrintedDocument {
  title: string;
  html: string;
}

// Only what lies between <body> and </body>, with the document's own <style>: a shadow root takes
// markup, not a whole document.
function shadowMarkup(html: string): string {
  const styles = [...html.matchAll(/<style>[\s\S]*?<\/style>/g)].map((match) => match[0]);
  const body = /<body>([\s\S]*)<\/body>/.exec(html)?.[1] ?? '';
  // On screen the last-sync footer sits under the sheet, not fixed to the window.
  return `${styles.join('')}<style>.sync-footer { position: static; }</style>${body}`;
}

export function PrintPreview({
  document: printed,
  onClose,
}: {
  document: PrintedDocument;
  onClose: () => void;
}) {
  // A callback ref: the modal mounts its body after opening, so the sheet is filled when it exists.
  const host = useCallback(
    (element: HTMLDivElement | null) => {
      if (!element) return;
      const root = element.shadowRoot ?? element.attachShadow({ mode: 'open' });
      root.innerHTML = shadowMarkup(printed.html);
    },
    [printed.html],
  );
  return (
    <Modal opened onClose={onClose} title={printed.title} size="80rem">
      <Stack gap="sm">
        <Text size="sm">
          Printed from this workstation’s copy of the records; it works without the network.
        </Text>
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            Done
          </Button>
          <Button
            onClick={() => {
              window.print();
            }}
          >
            Print
          </Button>
        </Group>
        <div
          ref={host}
          className="print-sheet"
          data-testid="print-preview"
          data-title={printed.title}
          style={{ background: '#fff', color: '#000', padding: 8, border: '1px solid #ccc' }}
        />
      </Stack>
    </Modal>
  );
}
