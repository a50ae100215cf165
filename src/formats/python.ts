import type { Format } from './format.js';

/* Stub: Python settings (SQLAlchemy, Flask-SQLAlchemy, Django) are being written (issue 17). It claims no file yet. */
export const python: Format = {
  id: 'python',
  name: 'Python settings',
  matchesName: () => false,
  encoding: 'utf8',
  claim: () => ({ notRead: 'not supported yet' }),
  async load() {
    return { contribute: () => ({}) };
  },
};
