import { App } from 'aws-cdk-lib';
import { CarrierError } from '#core/errors.ts';
import { addCarrierEnvironment } from '../lib/stacks/carrier-app.ts';

// The CDK app (cdk.json): `npx cdk synth -c env=dev` builds config/environments/dev.json.
const app = new App();
try {
  await addCarrierEnvironment(app);
} catch (error) {
  if (!(error instanceof CarrierError)) throw error;
  // A config mistake is one line per problem, naming the file and field; no stack trace.
  console.error(error.message);
  process.exit(1);
}
app.synth();
