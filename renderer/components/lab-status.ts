export const LAB_STATUS_COLOURS: Record<string, string> = {
  pending: 'gray',
  accepted: 'blue',
  in_progress: 'yellow',
  completed: 'green',
  cancelled: 'dark',
};
