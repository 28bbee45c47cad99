// Runs the boto3 scripts of this folder and the AWS CLI against a local pool, with a clean AWS environment:
// dummy keys, the pool's region, no config or credentials file, no retries, no instance metadata.
import { execFile } from 'node:child_process';
import { join } from 'node:path';

const SCRIPTS = __dirname;
const TIMEOUT_MS = 20_000;

export interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function run(file: string, args: string[], env: NodeJS.ProcessEnv): Promise<Run> {
  return new Promise((resolve, reject) => {
    execFile(file, args, { env, timeout: TIMEOUT_MS, maxBuffer: 8 * 1024 * 1024, cwd: SCRIPTS }, (error, stdout, stderr) => {
      if (error && typeof error.code !== 'number') return reject(new Error(`${file} ${args.join(' ')}: ${error.message}\n${stderr}`));
      resolve({ code: error ? Number(error.code) : 0, stdout, stderr });
    });
  });
}

/** The caller's environment without any AWS_* setting, plus what points the clients at the pool. */
export function awsEnvironment(poolUrl: string, region: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) if (!name.startsWith('AWS_')) env[name] = value;
  return {
    ...env,
    POOL_URL: poolUrl,
    AWS_ACCESS_KEY_ID: 'AKIDLOCALPOOLTEST',
    AWS_SECRET_ACCESS_KEY: 'local-pool-test-secret',
    AWS_DEFAULT_REGION: region,
    AWS_CONFIG_FILE: '/dev/null',
    AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_MAX_ATTEMPTS: '1',
    AWS_PAGER: '',
    PYTHONDONTWRITEBYTECODE: '1',
  };
}

async function firstWorking(candidates: string[], probe: string[]): Promise<string | undefined> {
  for (const candidate of candidates) {
    try {
      if ((await run(candidate, probe, process.env)).code === 0) return candidate;
    } catch {
      // not installed there
    }
  }
  return undefined;
}

const PYTHON_MISSING =
  'No python3 with boto3 found (tried $PYTHON, python3, /usr/bin/python3). The boto3 interop tests need one: ' +
  'on Debian `apt-get install python3-boto3`, elsewhere `pip install boto3`, or point PYTHON at such a python.';
const AWS_CLI_MISSING =
  'No AWS CLI found (tried $AWS_CLI, aws). The CLI interop tests need one: on Debian `apt-get install awscli`, ' +
  'elsewhere see https://docs.aws.amazon.com/cli/, or point AWS_CLI at the binary.';

let python: Promise<string | undefined> | undefined;
let awsCli: Promise<string | undefined> | undefined;

/** The first of $PYTHON, python3, /usr/bin/python3 that imports boto3; throws how to install one otherwise. */
export async function boto3Python(): Promise<string> {
  python ??= firstWorking([process.env['PYTHON'], 'python3', '/usr/bin/python3'].filter((p): p is string => !!p), ['-c', 'import boto3']);
  const found = await python;
  if (!found) throw new Error(PYTHON_MISSING);
  return found;
}

/** $AWS_CLI or `aws`, if it answers --version; throws how to install it otherwise. */
export async function awsCliBinary(): Promise<string> {
  awsCli ??= firstWorking([process.env['AWS_CLI'], 'aws'].filter((p): p is string => !!p), ['--version']);
  const found = await awsCli;
  if (!found) throw new Error(AWS_CLI_MISSING);
  return found;
}

/** Runs `<script>.py` with its arguments as one JSON document; returns the JSON it prints, or throws with its stderr. */
export async function boto3Script<T>(script: string, args: unknown, env: NodeJS.ProcessEnv): Promise<T> {
  const result = await run(await boto3Python(), [join(SCRIPTS, `${script}.py`), JSON.stringify(args)], env);
  if (result.code !== 0) throw new Error(`${script}.py exited with ${result.code}:\n${result.stderr}`);
  return JSON.parse(result.stdout) as T;
}

/** `aws cognito-idp <args> --endpoint-url <pool> --output json`; the exit code is the caller's to check. */
export async function awsCognito(args: string[], env: NodeJS.ProcessEnv): Promise<Run> {
  return run(await awsCliBinary(), ['cognito-idp', ...args, '--endpoint-url', env['POOL_URL']!, '--output', 'json'], env);
}
