import { afterAll, beforeAll, describe } from 'vitest';
import { lambdaNode } from './node24.ts';
import { startDeployedEnvironment, type DeployedEnvironment } from './deployed-environment.ts';

/**
 * A describe block over one deployed environment, started before its tests and stopped after.
 * Without Lambda's Node 24 (no package for this platform, or not installed) the block is skipped
 * and its name says why, so a skip is never mistaken for a pass.
 *
 * @example
 * deployedSuite('Discord /ask', (env) => { it('answers', async () => { await env().fn.interactions.invoke(e); }); });
 */
export function deployedSuite(name: string, tests: (env: () => DeployedEnvironment) => void): void {
  const node = lambdaNode();
  if ('missing' in node) {
    console.warn(`test/deployed: "${name}" is skipped: ${node.missing}`);
    describe.skip(`${name} — skipped: ${node.missing}`, () => tests(() => undefined as never));
    return;
  }
  describe(`${name} (bundles on Node ${node.version})`, () => {
    let deployed: DeployedEnvironment | undefined;
    beforeAll(async () => {
      const started = await startDeployedEnvironment('dev');
      if ('skip' in started) throw new Error(started.skip);
      deployed = started;
    }, 300_000);
    afterAll(async () => {
      await deployed?.stop();
    }, 60_000);
    tests(() => {
      if (!deployed) throw new Error('the deployed environment did not start; see the error in beforeAll');
      return deployed;
    });
  });
}
