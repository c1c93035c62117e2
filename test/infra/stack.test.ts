import { describe } from 'vitest';
import { alarmChecks } from './checks/alarms.ts';
import { dashboardChecks } from './checks/dashboard.ts';
import { functionChecks } from './checks/functions.ts';
import { ingressChecks } from './checks/ingress.ts';
import { liveChecks } from './checks/live.ts';
import { nagChecks } from './checks/nag.ts';
import { permissionChecks } from './checks/permissions.ts';
import { queueChecks } from './checks/queue.ts';
import { scheduleChecks, schedulerChecks } from './checks/schedules.ts';
import { synthesize } from './synth.ts';

// One synth per environment for all the template and cdk-nag checks: synth is the slow part.
describe.each(['dev', 'prod'])('the %s stack', (env) => {
  const synth = () => synthesize(env);
  functionChecks(synth);
  permissionChecks(synth);
  ingressChecks(synth);
  liveChecks(synth);
  queueChecks(synth);
  scheduleChecks(synth);
  schedulerChecks(synth);
  alarmChecks(synth);
  dashboardChecks(synth);
  nagChecks(synth);
});
