// The remembered device's key at sign-in, with the fake port: it rides on the first factor; "Device does not exist."
// drops it and repeats the call once without it; any other missing resource (a wrong app client) is reported as it
// is and keeps the device.
import { waitFor } from 'xstate';
import { createAuth } from '../../src/runtime/create-auth.js';
import { DeviceStore } from '../../src/session/device-store.js';
import { MemoryStorage } from '../../src/session/storage.js';
import { cognitoError, createFakePort, fakeTokens } from '../../src/testing/fake-port.js';

const ids = { userPoolId: 'us-east-1_fakepool1', clientId: 'fakeclient' };
const DEVICE = { deviceKey: 'us-east-1_0f1e2d3c-aaaa-bbbb-cccc-123456789abc', deviceGroupKey: '-group', devicePassword: 'c2VjcmV0' };

async function signInWith(replies: unknown[]) {
  const storage = new MemoryStorage();
  const devices = new DeviceStore(storage, ids.clientId);
  await devices.save('dana', DEVICE);
  const port = createFakePort({ initiateAuth: replies as never }, ids);
  const auth = createAuth({ ...ids, port, storage, authFlow: 'USER_PASSWORD_AUTH' });
  await waitFor(auth.actor, (s) => s.matches('signedOut'));
  auth.actor.send({ type: 'signIn.submit', username: 'dana', password: 'Passw0rd!strong' });
  const done = await waitFor(auth.actor, (s) => s.matches('signedIn') || s.matches('signedOut') || s.matches('failed'));
  auth.stop();
  const sent = port.callsOf('initiateAuth').map((c) => (c.request as { parameters: Record<string, string> }).parameters['DEVICE_KEY'] ?? null);
  return { state: done.value, error: done.context.error, sent, kept: await devices.load('dana') };
}

it('sends the remembered device key with the password', async () => {
  const result = await signInWith([{ challengeParameters: {}, tokens: fakeTokens({ username: 'dana' }) }]);
  expect(result).toMatchObject({ state: { signedIn: expect.anything() }, sent: [DEVICE.deviceKey], kept: DEVICE });
});

it('"Device does not exist.": the key is forgotten and the sign-in repeated once without it', async () => {
  const result = await signInWith([cognitoError('ResourceNotFoundException', 'Device does not exist.'), { challengeParameters: {}, tokens: fakeTokens({ username: 'dana' }) }]);
  expect(result).toMatchObject({ state: { signedIn: expect.anything() }, sent: [DEVICE.deviceKey, null], kept: null });
});

it('another missing resource (the app client) is reported once, and the device is kept', async () => {
  const result = await signInWith([cognitoError('ResourceNotFoundException', 'User pool client fakeclient does not exist.')]);
  expect(result).toMatchObject({ state: 'failed', error: { code: 'ResourceNotFound' }, sent: [DEVICE.deviceKey], kept: DEVICE });
});
