import { compose } from './compose.js';
import type { Format } from './format.js';
import { javaProperties } from './java-properties.js';
import { jsConfig } from './js-config.js';
import { mysqlOptionFile } from './mysql-option-file.js';
import { prisma } from './prisma.js';
import { python } from './python.js';
import { sqlalchemyIni } from './sqlalchemy-ini.js';
import { springBoot } from './spring-boot.js';
import { sysctl } from './sysctl.js';

/**
 * Every format connlint reads, in the order a file is offered to them (the first that claims it reads
 * it). Adding a format: one module in this folder, one line here, fixtures (README, "Adding a format").
 */
export const FORMATS: readonly Format[] = [
  mysqlOptionFile,
  sysctl,
  compose,
  springBoot,
  javaProperties,
  python,
  sqlalchemyIni,
  prisma,
  jsConfig,
];

/** Names of templates of a known format (`my.cnf.j2`): listed, never read, since their text is not what the program reads. */
export const TEMPLATE_SUFFIX = /\.(?:j2|jinja2?|tmpl|tpl|erb|template|mustache|hbs)$/i;
