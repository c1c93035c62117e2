import { describe, expect, it } from 'vitest';
import { alarmChecks } from './checks/alarms.ts';
import { dashboardChecks } from './checks/dashboard.ts';
import { functionChecks } from './checks/functions.ts';
import { ingressChecks } from './checks/ingress.ts';
import { liveChecks } from './checks/live.ts';
import { nagChecks } from './checks/nag.ts';
import { permissionChecks } from './checks/permissions.ts';
import { queueChecks } from './checks/queue.ts';
import { scheduleChecks, schedulerChecks } from './checks/schedules.ts';
import { cdkContext, synthesize } from './synth.ts';

// One synth per environment for all the template and cdk-nag checks: synth is the slow part.
describe.each(['dev', 'prod'])('the %s stack', (env) => {
  const synth = () => synthesize(env);

  // Its feature flags change the template, and so what cdk-nag finds: test what `cdk synth` makes.
  it("synthesizes with cdk.json's context, as `cdk synth` does", async () => {
    const { stack } = await synth();
    for (const [key, value] of Object.entries(cdkContext({}))) {
      expect(stack.node.tryGetContext(key), key).toEqual(value);
    }
  });

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
