import { skippedPathRule } from '../src/engine/skipped-path-rule.js';

export default skippedPathRule(
  'binary-file',
  'A file with the name of a configuration file holds binary data, so it was not read',
  'warning',
  {
    whatItDoes:
      'Reports a file whose name a format reads but whose bytes contain a NUL byte: a compiled or encrypted file (such as ' +
      '`.mylogin.cnf`), or text saved as UTF-16. It is not read.',
    whyIsThisBad:
      'The real program either cannot read such a file either (mysqld and sysctl read bytes, and a UTF-16 `my.ini` has a NUL ' +
      'after every letter) or reads it with its own decoder; connlint cannot check it, and says so rather than skipping it.',
    exampleNote: 'A NUL byte cannot be shown in these docs; test/discover covers it.',
    knownLimits: 'A UTF-16 file with a byte-order mark is reported too, although some Windows programs read it; save it as UTF-8.',
    references: ['connlint knowledge: mysql-option-files.md (the reader works on bytes)'],
  },
);
