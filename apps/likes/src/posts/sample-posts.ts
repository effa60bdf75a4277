/** A user who writes posts. */
export interface SampleUser {
  username: string;
  display_name: string;
}

/** A post as `--init` seeds it. */
export interface SamplePost {
  id: number;
  author: string;
  text: string;
  created_at: string;
}

/** The seed's users (John and chris appear in its httpie examples) and a few more. */
export const SAMPLE_USERS: readonly SampleUser[] = [
  'John',
  'chris',
  'ana',
  'bilal',
  'chen',
  'dana',
  'emeka',
  'fatima',
  'giulia',
  'hiro',
  'ingrid',
  'jamal',
].map((username) => ({ username, display_name: username[0].toUpperCase() + username.slice(1) }));

const OPENINGS = ['Just', 'Finally', 'Today I', 'Honestly,', 'Hot take:', 'Reminder:', 'Fun fact:', 'Why'];
const VERBS = ['shipped', 'tried', 'deleted', 'refactored', 'benchmarked', 'documented', 'broke', 'fixed'];
const THINGS = [
  'the cache layer',
  'a Redis sorted set',
  'my side project',
  'the HAProxy config',
  'a flaky test',
  'the coffee machine',
  'an SQLite index',
  'the whole weekend',
];
const ENDINGS = ['and it was fine.', 'again.', '— worth it.', 'before lunch.', 'on a Friday.', '#chirp'];

const EPOCH_MS = Date.UTC(2024, 0, 1);

/** A small seeded PRNG (mulberry32): the same seed gives the same posts on every machine. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Post `id`'s deterministic content: the same id always gives the same author, text and time. */
export function samplePost(id: number): SamplePost {
  const random = mulberry32(id * 2654435761);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)];
  return {
    id,
    author: pick(SAMPLE_USERS).username,
    text: `${pick(OPENINGS)} ${pick(VERBS)} ${pick(THINGS)} ${pick(ENDINGS)}`,
    created_at: new Date(EPOCH_MS + id * 60_000).toISOString(),
  };
}
