import type { Format } from './format.js';

/* Stub: the compose format is being written (issue 16). It claims no file yet. */
export const compose: Format = {
  id: 'compose',
  name: 'compose',
  matchesName: () => false,
  encoding: 'utf8',
  claim: () => ({ notRead: 'not supported yet' }),
  async load() {
    return { contribute: () => ({}) };
  },
};
