// The remembered device's secret in the token storage: per user, outliving sign-out, dropped when unreadable or
// forgotten, and kept apart from the token entries.
import { DeviceStore } from '../../src/session/device-store.js';
import { MemoryStorage } from '../../src/session/storage.js';
import { fakeTokens } from '../../src/testing/fake-port.js';
import { TokenStore, toStoredTokens } from '../../src/session/tokens.js';

const secret = { deviceKey: 'us-east-1_5f2c1b8e-0000-4000-8000-000000000001', deviceGroupKey: '-a1B2c3D4', devicePassword: 'cGFzc3dvcmQ=' };

describe('DeviceStore', () => {
  it('keeps one device per canonical user name, under its own key', async () => {
    const storage = new MemoryStorage();
    const devices = new DeviceStore(storage, 'client1');
    await devices.save('sub-alice', secret);
    expect(await devices.load('sub-alice')).toEqual(secret);
    expect(await devices.load('sub-bob')).toBeNull();
    expect(JSON.parse(storage.getItem('authchart.client1.device.sub-alice')!)).toEqual(secret);
    // another app client does not see it
    expect(await new DeviceStore(storage, 'client2').load('sub-alice')).toBeNull();
  });

  it('outlives clearing the tokens (sign-out)', async () => {
    const storage = new MemoryStorage();
    const devices = new DeviceStore(storage, 'client1');
    const tokens = new TokenStore(storage, 'client1');
    await tokens.save(toStoredTokens(fakeTokens({ username: 'alice' }), Date.now(), {}));
    await devices.save('alice', secret);
    await tokens.clear();
    expect(await tokens.load()).toBeNull();
    expect(await devices.load('alice')).toEqual(secret);
  });

  it('drops an entry it cannot read', async () => {
    const storage = new MemoryStorage();
    const devices = new DeviceStore(storage, 'client1');
    for (const text of ['{', 'null', '{"deviceKey":"k","deviceGroupKey":"g"}', '{"deviceKey":"","deviceGroupKey":"g","devicePassword":"p"}']) {
      storage.setItem(devices.keyOf('alice'), text);
      expect(await devices.load('alice')).toBeNull();
      expect(storage.getItem(devices.keyOf('alice'))).toBeNull();
    }
  });

  it('forgets only the device named, when one is named', async () => {
    const storage = new MemoryStorage();
    const devices = new DeviceStore(storage, 'client1');
    await devices.save('alice', secret);
    await devices.forget('alice', 'us-east-1_other');
    expect(await devices.load('alice')).toEqual(secret);
    await devices.forget('alice', secret.deviceKey);
    expect(await devices.load('alice')).toBeNull();
    await devices.save('alice', secret);
    await devices.forget('alice');
    expect(await devices.load('alice')).toBeNull();
  });

  it('stores names that are not key-safe without mixing them up', async () => {
    const devices = new DeviceStore(new MemoryStorage(), 'c');
    await devices.save('a.b', secret);
    expect(await devices.load('a%2Eb')).toBeNull();
    expect(await devices.load('a.b')).toEqual(secret);
  });
});
