// The vault that keeps passwords and SRP values between two Cognito calls, out of the chart's context.
import { SecretVault } from '../../src/runtime/secret-vault.js';

describe('SecretVault', () => {
  it('gives each value its own opaque reference, also across many (the random part comes from a refilled pool)', () => {
    const vault = new SecretVault<number>();
    const refs = Array.from({ length: 500 }, (_, i) => vault.put(i, 60_000));
    expect(new Set(refs).size).toBe(500);
    const suffixes = refs.map((ref) => /^secret-\d+-([0-9a-f]{12})$/.exec(ref)?.[1]);
    expect(suffixes.every((suffix) => suffix !== undefined)).toBe(true);
    // 12 random hex digits each: 500 of them repeat none (a pool handed out twice would)
    expect(new Set(suffixes).size).toBe(500);
    refs.forEach((ref, i) => expect(vault.take(ref)).toBe(i));
    vault.clear();
  });

  it('hands a value out once, and not after its time', () => {
    jest.useFakeTimers();
    try {
      const vault = new SecretVault<string>();
      const kept = vault.put('password', 1_000);
      const expiring = vault.put('other', 1_000);
      expect(vault.peek(kept)).toBe('password');
      expect(vault.take(kept)).toBe('password');
      expect(vault.take(kept)).toBeUndefined();
      jest.advanceTimersByTime(1_001);
      expect(vault.take(expiring)).toBeUndefined();
      expect(vault.size).toBe(0);
    } finally {
      jest.useRealTimers();
    }
  });
});
