// Starts a local pool for a test file and configures it through Cognito's own admin API, over HTTP.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  AdminCreateUserCommand,
  AdminSetUserPasswordCommand,
  type CognitoIdentityProviderClient,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  type CreateUserPoolClientCommandInput,
} from '@aws-sdk/client-cognito-identity-provider';
import { adminClient } from './sdk.js';
import { premadeSigningKeyPairs } from './signing-keys.js';
import { ManualClock, startLocalPool, type LocalPool, type LocalPoolOptions } from '../../src/local-pool/index.js';

export interface TestPool {
  readonly pool: LocalPool;
  readonly clock: ManualClock;
  readonly admin: CognitoIdentityProviderClient;
  readonly dataFile: string;
  readonly userPoolId: string;
  /** Restart the server on the same SQLite file. */
  restart(): Promise<TestPool>;
  createClient(overrides?: Partial<CreateUserPoolClientCommandInput>): Promise<{ clientId: string; clientSecret?: string }>;
  createUser(username: string, password: string, options?: { attributes?: Record<string, string>; temporary?: boolean }): Promise<void>;
  close(): Promise<void>;
}

export async function startTestPool(options: { poolName?: string; poolProperties?: Record<string, unknown> } & Partial<LocalPoolOptions> = {}): Promise<TestPool> {
  const dir = mkdtempSync(join(tmpdir(), 'authchart-test-'));
  const dataFile = join(dir, 'pool.sqlite');
  const clock = new ManualClock(Date.now());
  const { poolName, poolProperties, ...poolOptions } = options;
  const pool = await startLocalPool({ port: 0, dataFile, clock, signingKeyPairs: premadeSigningKeyPairs, localApi: true, ...poolOptions });
  const admin = adminClient(pool.url);
  const created = await admin.send(new CreateUserPoolCommand({ PoolName: poolName ?? 'test', ...poolProperties }));
  const userPoolId = created.UserPool!.Id!;
  return wrap({ pool, clock, admin, dataFile, userPoolId, dir, poolOptions });
}

function wrap(state: { pool: LocalPool; clock: ManualClock; admin: CognitoIdentityProviderClient; dataFile: string; userPoolId: string; dir: string; poolOptions: Partial<LocalPoolOptions> }): TestPool {
  const { pool, clock, admin, dataFile, userPoolId, dir } = state;
  return {
    pool,
    clock,
    admin,
    dataFile,
    userPoolId,
    async restart() {
      await pool.close();
      const next = await startLocalPool({ localApi: true, ...state.poolOptions, port: 0, dataFile, clock });
      return wrap({ ...state, pool: next, admin: adminClient(next.url) });
    },
    async createClient(overrides = {}) {
      const out = await admin.send(
        new CreateUserPoolClientCommand({
          UserPoolId: userPoolId,
          ClientName: 'web',
          ExplicitAuthFlows: ['ALLOW_USER_SRP_AUTH', 'ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
          ...overrides,
        }),
      );
      const client = out.UserPoolClient!;
      return { clientId: client.ClientId!, ...(client.ClientSecret ? { clientSecret: client.ClientSecret } : {}) };
    },
    async createUser(username, password, { attributes = {}, temporary = false } = {}) {
      await admin.send(
        new AdminCreateUserCommand({
          UserPoolId: userPoolId,
          Username: username,
          TemporaryPassword: password,
          MessageAction: 'SUPPRESS',
          UserAttributes: Object.entries(attributes).map(([Name, Value]) => ({ Name, Value })),
        }),
      );
      if (!temporary) {
        await admin.send(new AdminSetUserPasswordCommand({ UserPoolId: userPoolId, Username: username, Password: password, Permanent: true }));
      }
    },
    async close() {
      await pool.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
