// `npm start`'s prestart: builds only when a source changed since the last build (or there is none).
import { execSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { inputsHash, STAMP } from './build-inputs.mjs';

const built = existsSync(STAMP) ? readFileSync(STAMP, 'utf8').trim() : null;
if (built === inputsHash()) {
  process.stdout.write('[build] up to date (dist/ was built from these sources)\n');
} else {
  process.stdout.write(built === null ? '[build] no build yet: building\n' : '[build] sources changed since the last build: rebuilding\n');
  execSync('npm run -s build', { stdio: 'inherit' });
}
