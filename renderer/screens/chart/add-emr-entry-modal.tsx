/** A doctor's entry in the stay's EMR record: a kind and one or more headed sections. */
import { Button, Group, Modal, Paper, Select, Stack, Textarea, TextInput } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { FormActions } from '../../components/form-actions';
import { notifyFailure, notifySaved } from '../../components/notify';
import { useTRPC } from '../../trpc/client';
import { EMR_KIND_LABELS, type EmrKind } from './emr-kinds';
import { useRefreshChart } from './use-chart';

interface SectionDraft {
  heading: string;
  text: string;
}

export function AddEntryModal({ visitId, onClose }: { visitId: string; onClose: () => void }) {
  const trpc = useTRPC();
  const refresh = useRefreshChart();
  const [kind, setKind] = useState<EmrKind>('assessment');
  const [sections, setSections] = useState<SectionDraft[]>([{ heading: 'Note', text: '' }]);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const add = useMutation(
    trpc.emr.add.mutationOptions({
      onSuccess: async () => {
        notifySaved('Added to the EMR record.');
        onClose();
        await refresh();
      },
      onError: notifyFailure,
    }),
  );
  const change = (index: number, patch: Partial<SectionDraft>) => {
    setSections((current) =>
      current.map((section, i) => (i === index ? { ...section, ...patch } : section)),
    );
  };
  return (
    <Modal opened onClose={onClose} title="Add to the EMR record" size="lg">
      <form
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          const found = validateSections(sections);
          setErrors(found);
          if (Object.keys(found).length === 0) add.mutate({ visitId, kind, sections });
        }}
      >
        <Stack>
          <Select
            label="Kind of entry"
            allowDeselect={false}
            data={Object.entries(EMR_KIND_LABELS).map(([value, label]) => ({ value, label }))}
            value={kind}
            onChange={(value) => {
              if (value) setKind(value as EmrKind);
            }}
          />
          {sections.map((section, index) => (
            <Paper withBorder p="xs" key={index}>
              <Stack gap="xs">
                <Group align="flex-end" gap="xs">
                  <TextInput
                    label={`Heading of section ${String(index + 1)}`}
                    withAsterisk
                    flex={1}
                    value={section.heading}
                    error={errors[`${String(index)}.heading`]}
                    onChange={(event) => {
                      change(index, { heading: event.currentTarget.value });
                    }}
                  />
                  {sections.length > 1 ? (
                    <Button
                      variant="subtle"
                      color="red"
                      onClick={() => {
                        setSections((current) => current.filter((_, i) => i !== index));
                      }}
                    >
                      Remove
                    </Button>
                  ) : null}
                </Group>
                <Textarea
                  label={`Text of section ${String(index + 1)}`}
                  withAsterisk
                  autosize
                  minRows={3}
                  data-autofocus={index === 0 ? true : undefined}
                  value={section.text}
                  error={errors[`${String(index)}.text`]}
                  onChange={(event) => {
                    change(index, { text: event.currentTarget.value });
                  }}
                />
              </Stack>
            </Paper>
          ))}
          {sections.length < 20 ? (
            <Group>
              <Button
                variant="default"
                onClick={() => {
                  setSections((current) => [...current, { heading: '', text: '' }]);
                }}
              >
                Add a section
              </Button>
            </Group>
          ) : null}
          <FormActions
            onCancel={onClose}
            loading={add.isPending}
            submitLabel="Save to the record"
          />
        </Stack>
      </form>
    </Modal>
  );
}

/** The service refuses the same things; checking here puts the sentence next to the field. */
function validateSections(sections: readonly SectionDraft[]): Record<string, string> {
  const errors: Record<string, string> = {};
  const seen = new Set<string>();
  sections.forEach((section, index) => {
    const heading = section.heading.trim().toLowerCase();
    if (heading === '') errors[`${String(index)}.heading`] = 'Required';
    else if (seen.has(heading))
      errors[`${String(index)}.heading`] = 'Give each section its own heading';
    seen.add(heading);
    if (section.text.trim() === '') errors[`${String(index)}.text`] = 'Required';
  });
  return errors;
}
