import { skippedPathRule } from '../src/engine/skipped-path-rule.js';

export default skippedPathRule('unreadable-path', 'A folder or configuration file cannot be read, so nothing in it was checked', 'error', {
  whatItDoes:
    'Reports a folder connlint could not list, or a file whose name a format reads that it could not open (no permission, ' +
    'an I/O error). Everything else is still checked; findings that would come from the unreadable part are missing.',
  whyIsThisBad:
    'A linter that skips what it cannot read in silence says "no problems" about files it never saw. Run connlint as a ' +
    'user that can read the repository, or exclude the path in connlint.config.yaml (`exclude`) if it is not configuration.',
  exampleNote:
    'File permissions cannot be written as example files. `chmod 000 sub` in a repository and run connlint as a normal user ' +
    '(test/real-world.test.ts runs it as uid 65534).',
  knownLimits:
    'Run as root, every file is readable, so this rule never fires there. A folder skipped by `exclude` or a built-in skip ' +
    '(.git, node_modules) is never reported.',
  references: ['connlint knowledge: README.md (static, total: any input gives a diagnostic with a location)'],
});
