// The AWS SDK v3 Cognito client with the commands authchart's SDK transport sends (the same list,
// src/cognito/sdk-commands.ts, which is only re-exports of the SDK) and nothing of authchart: the baseline of the SDK
// transport's budget (sdk.ts, everything it loads, may be at most this + 35 KB gzip).
import * as sdk from '../../src/cognito/sdk-commands.js';

const client = new sdk.CognitoIdentityProviderClient({ region: 'us-east-1' });
// Every command, as a port that can send any of them keeps them.
const commands = Object.entries(sdk).filter(([name]) => name.endsWith('Command')) as Array<[string, new (input: object) => never]>;
for (const [, Command] of commands) await client.send(new Command({}));
