/**
 * The chart's viewer of an opened attachment (issue 17): a PDF's pages drawn by pdf.js on a
 * canvas with a text layer over them (so the report's words can be selected and are in the page
 * for assistive technology), or an image fitted to the dialog. Nothing is framed or handed to a
 * plugin: the renderer's content policy keeps `frame-src` and `object-src 'none'`.
 * Keys: ←/→ and PageUp/PageDown turn pages, Home/End go to the first/last, + and − zoom, 0 fits
 * the width; Escape closes the dialog.
 */
import { Alert, Button, Group, Loader, Modal, Stack, Text } from '@mantine/core';
import { useElementSize } from '@mantine/hooks';
import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import { bytesOf } from '../../components/file-bytes';
import type { RouterOutputs } from '../../trpc/types';
import type { PDFDocumentProxy } from './pdf-document';

export type OpenedAttachment = RouterOutputs['attachments']['open'];

const ZOOM_STEP = 1.25;
const MIN_SCALE = 0.25;
const MAX_SCALE = 5;

/** A one-page lab report is a few kilobytes: "0.0 MB" would read as empty. */
export const sizeOf = (bytes: number) =>
  bytes < 1024 * 1024
    ? `${String(Math.max(1, Math.round(bytes / 1024)))} KB`
    : `${(bytes / (1024 * 1024)).toFixed(1)} MB`;

export function AttachmentViewer({
  attachment,
  onClose,
}: {
  attachment: OpenedAttachment;
  onClose: () => void;
}) {
  const dataUrl = `data:${attachment.mediaType};base64,${attachment.contentBase64}`;
  const isPdf = attachment.mediaType === 'application/pdf';
  return (
    <Modal opened size="xl" title={attachment.fileName} onClose={onClose}>
      <Stack gap="sm">
        {isPdf ? (
          <PdfViewer fileName={attachment.fileName} contentBase64={attachment.contentBase64} />
        ) : (
          <ImageViewer fileName={attachment.fileName} src={dataUrl} />
        )}
        <Group gap="sm">
          <Button
            component="a"
            size="xs"
            variant="default"
            href={dataUrl}
            download={attachment.fileName}
          >
            Save a copy
          </Button>
          <Text size="sm" c="dimmed">
            {isPdf ? 'PDF report' : 'Image'}, {sizeOf(attachment.byteSize)}.
          </Text>
        </Group>
      </Stack>
    </Modal>
  );
}

function ImageViewer({ fileName, src }: { fileName: string; src: string }) {
  const [fit, setFit] = useState(true);
  return (
    <Stack gap="xs">
      <Group gap="xs">
        <Button
          size="xs"
          variant="default"
          aria-pressed={fit}
          onClick={() => {
            setFit(!fit);
          }}
        >
          {fit ? 'Actual size' : 'Fit to window'}
        </Button>
      </Group>
      <div className="attachment-frame" data-testid="image-viewer">
        <img
          alt={fileName}
          src={src}
          style={
            fit
              ? { maxWidth: '100%', maxHeight: '70vh', objectFit: 'contain' }
              : { maxWidth: 'none' }
          }
        />
      </div>
    </Stack>
  );
}

type Zoom = 'fit-width' | number;

function PdfViewer({ fileName, contentBase64 }: { fileName: string; contentBase64: string }) {
  const [doc, setDoc] = useState<PDFDocumentProxy | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const [pageNumber, setPageNumber] = useState(1);
  const [zoom, setZoom] = useState<Zoom>('fit-width');
  const [scale, setScale] = useState(1);
  const { ref: frameRef, width: frameWidth } = useElementSize<HTMLDivElement>();
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const textRef = useRef<HTMLDivElement>(null);

  useEffect(() => {
    let task: { destroy: () => Promise<void> } | null = null;
    let cancelled = false;
    import('./pdf-document')
      .then(({ loadPdf }) => {
        if (cancelled) return;
        const loading = loadPdf(bytesOf(contentBase64));
        task = loading;
        return loading.promise.then((loaded) => {
          if (!cancelled) setDoc(loaded);
        });
      })
      .catch(() => {
        if (!cancelled)
          setFailure(
            'This PDF could not be shown here. Save a copy and open it with the PDF reader of this computer.',
          );
      });
    return () => {
      cancelled = true;
      void task?.destroy();
    };
  }, [contentBase64]);

  const pageCount = doc?.numPages ?? 0;

  useEffect(() => {
    const canvas = canvasRef.current;
    const textLayer = textRef.current;
    if (!doc || !canvas || !textLayer || frameWidth === 0) return;
    let cancelled = false;
    let stop: (() => void) | null = null;
    void Promise.all([doc.getPage(pageNumber), import('./pdf-document')])
      .then(async ([page, { TextLayer }]) => {
        if (cancelled) return;
        const natural = page.getViewport({ scale: 1 });
        const wanted = zoom === 'fit-width' ? frameWidth / natural.width : zoom;
        const viewport = page.getViewport({ scale: wanted });
        const ratio = window.devicePixelRatio || 1;
        canvas.width = Math.floor(viewport.width * ratio);
        canvas.height = Math.floor(viewport.height * ratio);
        canvas.style.width = `${Math.floor(viewport.width)}px`;
        canvas.style.height = `${Math.floor(viewport.height)}px`;
        textLayer.replaceChildren();
        textLayer.style.setProperty('--total-scale-factor', String(wanted));
        const render = page.render({
          canvas,
          viewport,
          ...(ratio === 1 ? {} : { transform: [ratio, 0, 0, ratio, 0, 0] }),
        });
        const text = new TextLayer({
          textContentSource: page.streamTextContent(),
          container: textLayer,
          viewport,
        });
        stop = () => {
          render.cancel();
          text.cancel();
        };
        setScale(wanted);
        await Promise.all([render.promise, text.render()]);
      })
      .catch((error: unknown) => {
        // A render cancelled by the next page or zoom is not a failure.
        if (error instanceof Error && error.name === 'RenderingCancelledException') return;
        if (!cancelled)
          setFailure('This page of the PDF could not be drawn. Save a copy to read it.');
      });
    return () => {
      cancelled = true;
      stop?.();
    };
  }, [doc, pageNumber, zoom, frameWidth]);

  const go = (to: number) => {
    if (pageCount > 0) setPageNumber(Math.min(pageCount, Math.max(1, to)));
  };
  const zoomBy = (factor: number) => {
    setZoom(Math.min(MAX_SCALE, Math.max(MIN_SCALE, scale * factor)));
  };
  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const actions: Record<string, () => void> = {
      ArrowRight: () => {
        go(pageNumber + 1);
      },
      PageDown: () => {
        go(pageNumber + 1);
      },
      ArrowLeft: () => {
        go(pageNumber - 1);
      },
      PageUp: () => {
        go(pageNumber - 1);
      },
      Home: () => {
        go(1);
      },
      End: () => {
        go(pageCount);
      },
      '+': () => {
        zoomBy(ZOOM_STEP);
      },
      '=': () => {
        zoomBy(ZOOM_STEP);
      },
      '-': () => {
        zoomBy(1 / ZOOM_STEP);
      },
      '0': () => {
        setZoom('fit-width');
      },
    };
    const action = actions[event.key];
    if (!action) return;
    event.preventDefault();
    action();
  };

  if (failure) return <Alert color="red">{failure}</Alert>;
  return (
    <Stack gap="xs">
      <Group gap="xs" justify="space-between">
        <Group gap="xs">
          <Button
            size="xs"
            variant="default"
            disabled={pageNumber <= 1}
            onClick={() => {
              go(pageNumber - 1);
            }}
          >
            Previous page
          </Button>
          <Text size="sm" aria-live="polite" data-testid="pdf-page-status">
            {doc ? `Page ${pageNumber} of ${pageCount}` : 'Opening the PDF…'}
          </Text>
          <Button
            size="xs"
            variant="default"
            disabled={pageNumber >= pageCount}
            onClick={() => {
              go(pageNumber + 1);
            }}
          >
            Next page
          </Button>
        </Group>
        <Group gap="xs">
          <Button
            size="xs"
            variant="default"
            aria-label="Zoom out"
            disabled={!doc}
            onClick={() => {
              zoomBy(1 / ZOOM_STEP);
            }}
          >
            −
          </Button>
          <Text size="sm" w="4em" ta="center">
            {Math.round(scale * 100)}%
          </Text>
          <Button
            size="xs"
            variant="default"
            aria-label="Zoom in"
            disabled={!doc}
            onClick={() => {
              zoomBy(ZOOM_STEP);
            }}
          >
            +
          </Button>
          <Button
            size="xs"
            variant={zoom === 'fit-width' ? 'light' : 'default'}
            aria-pressed={zoom === 'fit-width'}
            disabled={!doc}
            onClick={() => {
              setZoom('fit-width');
            }}
          >
            Fit width
          </Button>
        </Group>
      </Group>
      <div
        ref={frameRef}
        className="attachment-frame"
        data-autofocus
        tabIndex={0}
        role="document"
        aria-label={`${fileName}, page ${pageNumber} of ${pageCount}. Left and right arrows turn pages.`}
        data-testid="pdf-viewer"
        onKeyDown={onKeyDown}
      >
        {doc ? null : <Loader size="sm" />}
        <div className="pdf-page">
          <canvas ref={canvasRef} data-testid="pdf-canvas" />
          <div ref={textRef} className="textLayer" data-testid="pdf-text" />
        </div>
      </div>
    </Stack>
  );
}
