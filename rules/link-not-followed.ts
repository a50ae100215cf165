import { skippedPathRule } from '../src/engine/skipped-path-rule.js';

export default skippedPathRule('link-not-followed', 'A symbolic link to a configuration file was not followed', 'note', {
  whatItDoes:
    'Reports a symbolic link whose name a format reads when its target is absolute (`/etc/alternatives/my.cnf`) and no ' +
    '`mounts` entry in connlint.config.yaml maps it into the repository, when it points outside the scanned folder, or ' +
    'when it is a loop. connlint never looks an absolute target up on the machine it runs on, so the same repository ' +
    'gives the same result everywhere.',
  whyIsThisBad:
    'The file the link stands for is not checked. In an `/etc` snapshot the target usually lives in the same snapshot: map ' +
    'it with `mounts` (`/etc: etc`) so connlint reads it.',
  exampleNote:
    'Symbolic links cannot be written as example files; test/real-world (an /etc copy with absolute links) and test/discover cover it.',
  knownLimits:
    'Links to directories are not reported: their targets are walked under their own names when they are inside the scanned folder.',
  references: ['connlint knowledge: mysql-option-files.md ("Includes": absolute paths are resolved on the server machine)'],
});
