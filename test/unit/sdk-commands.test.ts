// The SDK transport loads only the commands in src/cognito/sdk-commands.ts: each operation the port sends must be there.
import * as commands from '../../src/cognito/sdk-commands.js';
import { WIRE_OPERATIONS } from '../../src/cognito/wire.js';

describe('the SDK commands the SDK transport loads', () => {
  const operations = [...new Set(Object.values(WIRE_OPERATIONS).map((entry) => entry.operation))].sort();

  it.each(operations)('%s has its command', (operation) => {
    expect(typeof (commands as Record<string, unknown>)[`${operation}Command`]).toBe('function');
  });

  it('holds the client and no command the port does not send', () => {
    const names = Object.keys(commands).sort();
    expect(names).toEqual(['CognitoIdentityProviderClient', ...operations.map((operation) => `${operation}Command`)].sort());
  });
});
