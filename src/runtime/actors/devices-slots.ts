// The device actors' slots, their code loaded when one first runs (after a sign-in that brings a new device, or
// when the user manages devices): most page loads never need it, so it stays out of the first load.
import { lazyChunk } from '../lazy-chunk.js';
import type { ActorBody } from './shared.js';
import type { ActorDeps, SharedHelpers } from './shared.js';
import type { deviceActors as DeviceActors } from './devices.js';

type Family = ReturnType<typeof DeviceActors>;

export function lazyDeviceActors(deps: ActorDeps, shared: SharedHelpers): Family {
  const family = lazyChunk(() => import('./devices.js').then((chunk) => chunk.deviceActors(deps, shared)));
  const slot =
    <K extends keyof Family>(name: K): Family[K] =>
    ((args: Parameters<ActorBody<unknown>>[0]) => family().then((loaded) => (loaded[name] as ActorBody<unknown>)(args))) as Family[K];
  return { confirmDevice: slot('confirmDevice'), listDevices: slot('listDevices'), rememberDevice: slot('rememberDevice'), forgetDevice: slot('forgetDevice') };
}
