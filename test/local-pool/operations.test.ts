// The local pool answers every operation of the Cognito user-pools API: each command the installed AWS SDK client
// has is in the pool's registry. A newer SDK with a new operation fails here until the pool answers it.
import * as sdk from '@aws-sdk/client-cognito-identity-provider';
import { operations } from '../../src/local-pool/api/handlers/index.js';

const sdkOperations = Object.keys(sdk)
  .filter((name) => /^[A-Z][A-Za-z0-9]*Command$/.test(name) && name !== 'Command' && typeof (sdk as Record<string, unknown>)[name] === 'function')
  .map((name) => name.slice(0, -'Command'.length))
  .sort();

it('the SDK client has the operations this test expects to find (it reads them right)', () => {
  expect(sdkOperations).toEqual(expect.arrayContaining(['InitiateAuth', 'RespondToAuthChallenge', 'AdminCreateUser', 'CreateUserPool']));
  expect(sdkOperations.length).toBeGreaterThan(100);
});

it('every operation of the SDK client has a handler in the local pool', () => {
  expect(sdkOperations.filter((name) => !Object.hasOwn(operations, name))).toEqual([]);
});

it('every handler is an operation of the SDK client (no misspelt target)', () => {
  expect(Object.keys(operations).filter((name) => !sdkOperations.includes(name))).toEqual([]);
});
