// Runs cognito-local (an independent Cognito emulator) through its public API with a synchronous logger:
// the package's own bin buffers its log lines, so a test waiting for "listening" would hang. Run with cwd = a data dir.
const { writeSync, mkdirSync, writeFileSync } = require('node:fs');
const { createDefaultServer } = require('cognito-local');

mkdirSync('.cognito', { recursive: true });
writeFileSync('.cognito/config.json', JSON.stringify({ UserPoolDefaults: { UsernameAttributes: [] } }));

const line = (level) => (...args) => {
  const text = args.map((a) => (typeof a === 'string' ? a : JSON.stringify(a))).join(' ');
  writeSync(2, `[cognito-local ${level}] ${text}\n`);
};
const logger = { info: line('info'), debug: () => {}, warn: line('warn'), error: line('error'), trace: () => {}, fatal: line('fatal'), child: () => logger };

createDefaultServer(logger)
  .then((server) => server.start())
  .then((server) => writeSync(1, `LISTENING ${server.address().port}\n`))
  .catch((error) => {
    writeSync(2, `${error.stack ?? error}\n`);
    process.exit(1);
  });
