/**
 * Register a patient under the next MRN this workstation holds (works offline). Before saving,
 * patients with the same date of birth and surname are shown: a second record for the same
 * person splits their history, so the receptionist confirms it is someone else.
 */
import {
  ActionIcon,
  Alert,
  Button,
  Group,
  Modal,
  Select,
  SimpleGrid,
  Stack,
  Text,
  TextInput,
} from '@mantine/core';
import { DateInput } from '@mantine/dates';
import { useForm } from '@mantine/form';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { AllergySchema, PatientFieldsSchema, SEXES } from '../../../shared/schemas/patients';
import { notifyFailure, notifySaved } from '../../components/notify';
import { formatDate, patientName } from '../../components/format';
import { zodValidate } from '../../forms/zod-form';
import { useTRPC } from '../../trpc/client';
import type { RouterOutputs } from '../../trpc/types';
import { FormActions } from '../../components/form-actions';

const RegistrationSchema = PatientFieldsSchema.omit({ mrn: true, mergedIntoId: true });
const SEVERITIES = ['mild', 'moderate', 'severe'] as const;

interface AllergyRow {
  substance: string;
  reaction: string;
  severity: string | null;
}

interface FormValues {
  firstName: string;
  lastName: string;
  dateOfBirth: string | null;
  sex: string | null;
  phone: string;
  email: string;
  address: string;
  emergencyContactName: string;
  emergencyContactPhone: string;
  allergies: AllergyRow[];
}

const nullIfBlank = (value: string) => (value.trim() === '' ? null : value.trim());

function toInput(values: FormValues) {
  return {
    firstName: values.firstName,
    lastName: values.lastName,
    dateOfBirth: values.dateOfBirth ?? '',
    sex: values.sex as (typeof SEXES)[number],
    phone: nullIfBlank(values.phone),
    email: nullIfBlank(values.email),
    address: nullIfBlank(values.address),
    emergencyContactName: nullIfBlank(values.emergencyContactName),
    emergencyContactPhone: nullIfBlank(values.emergencyContactPhone),
    allergies: values.allergies.map((row) =>
      AllergySchema.parse({
        substance: row.substance,
        ...(row.reaction.trim() ? { reaction: row.reaction } : {}),
        ...(row.severity ? { severity: row.severity } : {}),
      }),
    ),
  };
}

type Match = RouterOutputs['patients']['search'][number];

export function RegisterPatientModal({
  onClose,
  onRegistered,
}: {
  onClose: () => void;
  onRegistered: (patient: { id: string; mrn: string; name: string }) => void;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [duplicates, setDuplicates] = useState<Match[] | null>(null);
  const form = useForm<FormValues>({
    mode: 'controlled',
    initialValues: {
      firstName: '',
      lastName: '',
      dateOfBirth: null,
      sex: null,
      phone: '',
      email: '',
      address: '',
      emergencyContactName: '',
      emergencyContactPhone: '',
      allergies: [],
    },
  });
  const register = useMutation(
    trpc.patients.register.mutationOptions({
      onSuccess: async (patient) => {
        notifySaved(`Registered ${patientName(patient)} as ${patient.mrn}.`);
        await queryClient.invalidateQueries({ queryKey: trpc.patients.search.queryKey() });
        onClose();
        onRegistered({ id: patient.id, mrn: patient.mrn, name: patientName(patient) });
      },
      onError: notifyFailure,
    }),
  );

  const validate = (values: FormValues) => {
    const errors = zodValidate(RegistrationSchema)({ ...toInputLoose(values) });
    form.setErrors(errors);
    return Object.keys(errors).length === 0;
  };

  const submit = async (values: FormValues, confirmed: boolean) => {
    if (!validate(values)) return;
    const input = toInput(values);
    if (!confirmed) {
      const sameBirthday = await queryClient.query(
        trpc.patients.search.queryOptions({ query: input.dateOfBirth }),
      );
      const matches = sameBirthday.filter(
        (p) => p.lastName.trim().toLowerCase() === input.lastName.trim().toLowerCase(),
      );
      if (matches.length > 0) {
        setDuplicates(matches);
        return;
      }
    }
    register.mutate(input);
  };

  return (
    <Modal opened onClose={onClose} title="Register a patient" size="xl">
      <form
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          void submit(form.getValues(), false);
        }}
      >
        <Stack gap="sm">
          <SimpleGrid cols={3} spacing="sm">
            <TextInput
              label="First name"
              withAsterisk
              data-autofocus
              {...form.getInputProps('firstName')}
            />
            <TextInput label="Last name" withAsterisk {...form.getInputProps('lastName')} />
            <DateInput
              label="Date of birth"
              withAsterisk
              valueFormat="YYYY-MM-DD"
              placeholder="YYYY-MM-DD"
              maxDate={new Date()}
              defaultLevel="decade"
              {...form.getInputProps('dateOfBirth')}
            />
            <Select label="Sex" withAsterisk data={[...SEXES]} {...form.getInputProps('sex')} />
            <TextInput label="Phone" {...form.getInputProps('phone')} />
            <TextInput label="Email" type="email" {...form.getInputProps('email')} />
            <TextInput label="Address" {...form.getInputProps('address')} />
            <TextInput label="Emergency contact" {...form.getInputProps('emergencyContactName')} />
            <TextInput
              label="Emergency contact phone"
              {...form.getInputProps('emergencyContactPhone')}
            />
          </SimpleGrid>
          <div>
            <Group justify="space-between">
              <Text fw={600} size="sm">
                Allergies
              </Text>
              <Button
                size="compact-sm"
                variant="light"
                onClick={() => {
                  form.insertListItem('allergies', { substance: '', reaction: '', severity: null });
                }}
              >
                Add allergy
              </Button>
            </Group>
            {form.getValues().allergies.length === 0 ? (
              <Text size="sm" c="dimmed">
                None known.
              </Text>
            ) : null}
            {form.getValues().allergies.map((_, index) => (
              <Group key={index} gap="sm" align="flex-end" mt={4}>
                <TextInput
                  label="Substance"
                  withAsterisk
                  {...form.getInputProps(`allergies.${String(index)}.substance`)}
                />
                <TextInput
                  label="Reaction"
                  {...form.getInputProps(`allergies.${String(index)}.reaction`)}
                />
                <Select
                  label="Severity"
                  data={[...SEVERITIES]}
                  clearable
                  {...form.getInputProps(`allergies.${String(index)}.severity`)}
                />
                <ActionIcon
                  variant="subtle"
                  color="red"
                  aria-label="Remove this allergy"
                  onClick={() => {
                    form.removeListItem('allergies', index);
                  }}
                  mb={4}
                >
                  ×
                </ActionIcon>
              </Group>
            ))}
          </div>
          {duplicates ? (
            <Alert color="orange" title="Possibly already registered" role="alert">
              <Text size="sm">
                {duplicates
                  .map((p) => `${patientName(p)}, born ${formatDate(p.dateOfBirth)} (${p.mrn})`)
                  .join('; ')}
                . A second record for the same person splits their history.
              </Text>
              <Group mt="xs">
                <Button
                  size="xs"
                  color="orange"
                  onClick={() => void submit(form.getValues(), true)}
                  loading={register.isPending}
                >
                  It is someone else: register
                </Button>
              </Group>
            </Alert>
          ) : null}
          <FormActions onCancel={onClose} loading={register.isPending} submitLabel="Register" />
        </Stack>
      </form>
    </Modal>
  );
}

/** Like toInput but never throws, so every field's problem is shown at once. */
function toInputLoose(values: FormValues) {
  return {
    ...values,
    dateOfBirth: values.dateOfBirth ?? undefined,
    sex: values.sex ?? undefined,
    phone: nullIfBlank(values.phone),
    email: nullIfBlank(values.email),
    address: nullIfBlank(values.address),
    emergencyContactName: nullIfBlank(values.emergencyContactName),
    emergencyContactPhone: nullIfBlank(values.emergencyContactPhone),
    allergies: values.allergies.map((row) => ({
      substance: row.substance,
      ...(row.reaction.trim() ? { reaction: row.reaction } : {}),
      ...(row.severity ? { severity: row.severity } : {}),
    })),
  };
}
