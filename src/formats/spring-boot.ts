import type { Format } from './format.js';

/* Stub: the spring-boot format is being written (issue 16). It claims no file yet. */
export const springBoot: Format = {
  id: 'spring-boot',
  name: 'spring-boot',
  matchesName: () => false,
  encoding: 'utf8',
  claim: () => ({ notRead: 'not supported yet' }),
  async load() {
    return { contribute: () => ({}) };
  },
};
