import { skippedPathRule } from '../src/engine/skipped-path-rule.js';

export default skippedPathRule('file-too-large', 'A file a format would read is larger than 4 MiB, so it was not read', 'warning', {
  whatItDoes:
    'Reports a file whose name a format reads (an option file, a sysctl file, a properties file) that is larger than 4 MiB. ' +
    'It is not read, so nothing in it is checked.',
  whyIsThisBad:
    'No real configuration file comes near that size: such a file is usually generated data or a dump that happens to share ' +
    "a configuration file's name. Reading it would make every run slow; skipping it silently would hide a real file.",
  exampleNote: 'A 4 MiB example does not fit in these docs; test/discover covers it with a 5 MiB file.',
  knownLimits: 'The limit is fixed at 4 MiB. Exclude the path in connlint.config.yaml (`exclude`) when the file is not configuration.',
  references: ['connlint knowledge: README.md (static, total, fast)'],
});
