import { defineRule } from '../src/engine/define-rule.js';
import { formatDuration } from '../src/model/duration.js';
import { settingSpan } from '../src/model/setting.js';
import { whereFrom } from '../src/model/values.js';

export default defineRule({
  id: 'long-running-process-holds-idle-connection',
  summary: 'A long-running process keeps a database connection across waits longer than the server lets it idle',
  severity: 'warning',
  tags: ['process', 'server', 'timeouts'],
  status: { kind: 'stable', since: '0.1.0' },
  options: {
    marginSeconds: {
      type: 'integer',
      description: 'How much shorter than `wait_timeout` a wait must be to count as safe.',
      default: 5,
      minimum: 0,
    },
  },
  docs: {
    whatItDoes:
      'Finds Django management commands that loop and wait (`time.sleep`) between rounds that use the database, ' +
      'and never renew their connection (`django.db.close_old_connections()`, `connection.close()`, ' +
      '`connections.close_all()`). It compares the wait with the `wait_timeout` of the MySQL or MariaDB server the ' +
      "project's Django settings connect to. A wait of a known length at least `marginSeconds` under the limit is " +
      'not reported; a wait whose length is not known here is a note.',
    whyIsThisBad:
      'Django closes or checks a connection only when a request starts or ends. A command that keeps running never ' +
      'reaches those points, so `CONN_MAX_AGE` (even 0) and `CONN_HEALTH_CHECKS` do nothing there: after a wait ' +
      'longer than `wait_timeout` the server has closed the session and the next query fails with "MySQL server has ' +
      'gone away" (2006), 2013 or 4031. Celery workers, django-q and RQ reported the same failure (django.md, field reports).',
    example: {
      'shop/settings.py': 'DATABASES = {"default": {"ENGINE": "django.db.backends.mysql", "HOST": "db", "NAME": "shop"}}\n',
      'db/my.cnf': '[mysqld]\nwait_timeout = 600\n',
      'shop/orders/management/commands/expire_orders.py':
        'import time\n\nfrom django.core.management.base import BaseCommand\n\nfrom shop.orders.models import Order\n\n\n' +
        'class Command(BaseCommand):\n    def handle(self, *args, **options):\n        while True:\n' +
        '            Order.objects.filter(expired=True).delete()\n            time.sleep(3600)\n',
    },
    useInstead: {
      'shop/settings.py': 'DATABASES = {"default": {"ENGINE": "django.db.backends.mysql", "HOST": "db", "NAME": "shop"}}\n',
      'db/my.cnf': '[mysqld]\nwait_timeout = 600\n',
      'shop/orders/management/commands/expire_orders.py':
        'import time\n\nfrom django.core.management.base import BaseCommand\nfrom django.db import close_old_connections\n\n' +
        'from shop.orders.models import Order\n\n\nclass Command(BaseCommand):\n    def handle(self, *args, **options):\n' +
        '        while True:\n            close_old_connections()\n            Order.objects.filter(expired=True).delete()\n' +
        '            time.sleep(3600)\n',
    },
    knownLimits:
      'Only management commands (`<app>/management/commands/*.py`) with a `while` loop that sleeps are read. A wait on ' +
      'something else (a queue, a socket) is not seen, nor a renewal made in another module the loop calls. The ' +
      'command is assumed to use every Django alias of the project.',
    references: [
      'connlint knowledge: django.md ("Long-running processes": CONN_MAX_AGE and CONN_HEALTH_CHECKS run only at request start and end; close_old_connections())',
      'connlint knowledge: mysql-server.md (wait_timeout)',
      'Django docs, persistent connections: https://docs.djangoproject.com/en/stable/ref/databases/#persistent-connections',
    ],
  },
  messages: {
    waitsTooLong: (d: { name: string; wait: string; waitText: string; limit: string; limitWhere: string }) =>
      `The ${d.name} loops and waits ${d.wait} (${d.waitText}) between rounds that use the database, longer than ` +
      `wait_timeout ${d.limit} (${d.limitWhere}), and never renews its connection: Django checks a connection only when a ` +
      'request starts or ends, so CONN_MAX_AGE and CONN_HEALTH_CHECKS never run here and the next query after the wait ' +
      'fails ("MySQL server has gone away"). Call django.db.close_old_connections() at the start of each round.',
    waitUnknown: (d: { name: string; waitText: string; limit: string; limitWhere: string }) =>
      `The ${d.name} loops and waits (${d.waitText}, a length not known here) between rounds that use the database, and ` +
      `never renews its connection: if a wait outlasts wait_timeout ${d.limit} (${d.limitWhere}), the next query fails ` +
      '("MySQL server has gone away"), since Django checks a connection only when a request starts or ends. Call ' +
      'django.db.close_old_connections() at the start of each round.',
  },
  check({ model, options, report }) {
    const margin = Number(options.marginSeconds) * 1000;
    for (const holder of model.holders) {
      if (holder.refresh || !holder.wait) continue;
      // The tightest server limit among the pools the process holds.
      const limits = model.paths
        .filter((p) => holder.pools.includes(p.pool.id) && p.verdict.serverLimit?.ms !== undefined)
        .map((p) => p.verdict.serverLimit as NonNullable<typeof p.verdict.serverLimit>)
        .sort((a, b) => (a.ms as number) - (b.ms as number));
      const limit = limits[0];
      if (!limit || limit.ms === undefined) continue;
      const limitAt = settingSpan(limit.setting);
      const related = limitAt ? [{ span: limitAt, message: `wait_timeout is ${formatDuration(limit.ms)}` }] : [];
      const common = {
        name: holder.name,
        waitText: holder.wait.text,
        limit: formatDuration(limit.ms),
        limitWhere: whereFrom(limit.setting),
      };
      if (holder.wait.ms === undefined) {
        report({ messageId: 'waitUnknown', data: common, at: holder.wait.span, related, severity: 'note', key: `${holder.id}/wait` });
        continue;
      }
      if (holder.wait.ms < limit.ms - margin) continue;
      report({
        messageId: 'waitsTooLong',
        data: { ...common, wait: formatDuration(holder.wait.ms) },
        at: holder.wait.span,
        related,
        key: `${holder.id}/wait`,
      });
    }
  },
});
