// Runs the stand-in OpenID provider in a process of its own (oidc-provider is ESM-only, which jest's
// module system does not load): options as JSON in argv[2]; prints {"issuer": ...} once it listens.
import { startStandInProvider, type StandInOptions } from '../../src/cli/stand-in-provider.js';

const options = JSON.parse(process.argv[2] ?? '{}') as StandInOptions;
const provider = await startStandInProvider({ ...options, log: (line) => process.stderr.write(`${line}\n`) });
process.stdout.write(`${JSON.stringify({ issuer: provider.issuer })}\n`);
const stop = () => void provider.close().then(() => process.exit(0));
process.on('SIGTERM', stop);
process.stdin.on('end', stop);
process.stdin.resume();
