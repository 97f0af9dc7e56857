import type { User } from './store';

const FIRST_NAMES = ['Ada', 'Grace', 'Alan', 'Edsger', 'Barbara', 'Donald', 'Frances', 'Ken', 'Radia', 'Tim'];

/** `user-001` … `user-100`: the ids the traffic generator uses, so recommendations find a history. */
export const SEED_USERS: readonly User[] = Array.from({ length: 100 }, (_, index) => ({
  id: seedUserId(index),
  name: `${FIRST_NAMES[index % FIRST_NAMES.length]} ${String.fromCharCode(65 + (index % 26))}.`,
  plan: index % 4 === 0 ? 'plus' : 'free',
}));

export function seedUserId(index: number): string {
  return `user-${String(index + 1).padStart(3, '0')}`;
}
