// The built example apps (docs/examples/*/dist, made by `npm run examples`, which `npm test` runs first), opened
// from file:// in Debian's Chromium against the local pool: sign-in, errors, SMS code, new password, TOTP QR, sign-out,
// the sign-up form and the confirmation screen. Every screen reached is also checked for accessibility: no serious or
// critical axe-core violation, every field labelled, no sideways scrolling at phone (390 px) or desktop width; errors
// are announced (role=alert) and the first sign-in is typed with the keyboard alone.
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Browser } from 'playwright-core';
import { startLocalPool, type SeedDocument } from '../../src/local-pool/index.js';
import { horizontalOverflow, seriousAxeViolations, unlabelledFields } from '../support/accessibility-checks.js';
import { launchChromium } from '../support/browser.js';

const root = resolve(__dirname, '../..');
const seed = JSON.parse(readFileSync(resolve(root, 'seeds/demo.json'), 'utf8')) as SeedDocument;
const frameworks = ['react', 'vue', 'svelte'] as const;
const demoClient = seed.pools.find((p) => p.id === 'us-east-1_authchart')!.clients![0]!;
const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1280, height: 720 };

describe('example apps in Chromium against the local pool', () => {
  let browser: Browser;
  beforeAll(async () => {
    for (const fw of frameworks) {
      if (!existsSync(resolve(root, `docs/examples/${fw}/dist/main.js`))) throw new Error('docs/examples/*/dist missing: run `npm run examples` first');
    }
    browser = await launchChromium();
  });
  afterAll(() => browser?.close());

  it.each(frameworks)('%s', async (fw) => {
    const pool = await startLocalPool({ port: 0, seed });
    const page = await browser.newPage();
    const pageErrors: string[] = [];
    page.on('pageerror', (error) => pageErrors.push(String(error)));
    try {
      // The examples are configured for http://127.0.0.1:9229 (npm start); this pool is on a free port.
      await page.route('http://127.0.0.1:9229/**', (route) => route.continue({ url: route.request().url().replace('http://127.0.0.1:9229', pool.url) }));
      await page.goto(`file://${resolve(root, `docs/examples/${fw}/index.html`)}`);
      const signIn = async (username: string, password: string) => {
        await page.fill('input[name=username]', username);
        await page.fill('input[name=password]', password);
        await page.click('button:has-text("Sign in")');
      };
      const see = (selector: string) => page.waitForSelector(selector, { timeout: 10_000 });
      /** The screen as it is now: axe-core at phone width, labels, and no sideways scroll at phone and desktop width. */
      const checkScreen = async (screen: string) => {
        await page.setViewportSize(PHONE);
        expect({ screen, phoneOverflow: await horizontalOverflow(page) }).toEqual({ screen, phoneOverflow: 0 });
        expect({ screen, axe: await seriousAxeViolations(page) }).toEqual({ screen, axe: [] });
        expect({ screen, unlabelled: await unlabelledFields(page) }).toEqual({ screen, unlabelled: [] });
        await page.setViewportSize(DESKTOP);
        expect({ screen, desktopOverflow: await horizontalOverflow(page) }).toEqual({ screen, desktopOverflow: 0 });
      };

      // signIn -> signedIn (SRP) with the keyboard only: Tab to each field, Enter submits
      await see('input[name=username]');
      // phones lay the page out at their own width only when it says so
      expect(await page.getAttribute('meta[name=viewport]', 'content')).toMatch(/width=device-width/);
      await checkScreen('sign-in');
      await page.keyboard.press('Tab');
      expect(await page.evaluate(() => document.activeElement?.getAttribute('name'))).toBe('username');
      await page.keyboard.type('alice');
      await page.keyboard.press('Tab');
      expect(await page.evaluate(() => document.activeElement?.getAttribute('name'))).toBe('password');
      await page.keyboard.type('Passw0rd!demo');
      await page.keyboard.press('Enter');
      await see('text=Signed in as alice@example.com');
      await checkScreen('signed in');
      // her devices (ListDevices; this pool tracks none, so the list is empty and nothing is remembered)
      await page.click('button:has-text("Show my devices")');
      for (let i = 0; i < 200 && !pool.requests.some((r) => r.target.endsWith('.ListDevices')); i++) await new Promise((r) => setTimeout(r, 25));
      expect(pool.requests.filter((r) => r.target.endsWith('.ListDevices')).map((r) => r.outcome)).toEqual(['ok']);
      await see('text=Is this browser remembered?');
      // an attribute added and removed again (UpdateUserAttributes, DeleteUserAttributes)
      await page.click('button:has-text("Show my attributes")');
      await see('dt:has-text("email")');
      await page.selectOption('select[name=attribute]', 'nickname');
      await page.fill('input[name=value]', 'ally');
      await page.click('button:has-text("Update")');
      await see('dt:has-text("nickname")');
      await checkScreen('signed in, attributes');
      await page.click('button[aria-label="Remove nickname"]');
      await page.waitForSelector('dt:has-text("nickname")', { state: 'detached', timeout: 10_000 });
      expect(pool.requests.filter((r) => r.target.endsWith('.DeleteUserAttributes')).map((r) => r.outcome)).toEqual(['ok']);
      // TOTP setup for the signed-in user (QR code) and cancel, sign-out
      await page.click('button:has-text("Add an authenticator app")');
      await see('.qr svg');
      await checkScreen('authenticator app set-up');
      await page.click('button:has-text("Cancel")');
      await see('text=Signed in as');
      await page.click('button:has-text("Sign out")');
      await see('input[name=username]');

      // a wrong password: the error, announced (role=alert), still on the sign-in form
      await signIn('alice', 'wrong-password');
      await see('[role=alert] >> text=IncorrectUsernameOrPassword');
      await checkScreen('sign-in, wrong password');

      // the sign-up form (no request until it is submitted), cancel
      await page.click('button:has-text("Create an account")');
      await see('input[name=email]');
      await see('input[name=phone_number]');
      await checkScreen('sign-up');
      await page.click('button:has-text("Cancel")');
      await see('button:has-text("Sign in")');

      // confirmSignUp from a sign-in: asks for a code (a resend), cancel
      await signIn('uma', 'Passw0rd!demo');
      await see('text=is not confirmed yet');
      await see('input[name=code]');
      await checkScreen('confirm sign-up');
      await page.click('button:has-text("Cancel")');

      // SMS code from the pool's outbox (a wrong one first)
      await signIn('sam', 'Passw0rd!demo');
      await see('text=We sent a code by text message');
      await checkScreen('SMS code');
      await page.fill('input[name=code]', '000000');
      await page.click('button:has-text("Confirm")');
      await see('[role=alert] >> text=CodeMismatch');
      await checkScreen('SMS code, wrong code');
      await page.fill('input[name=code]', pool.outbox({ username: 'sam' }).at(-1)!.code!);
      await page.click('button:has-text("Confirm")');
      await see('text=Signed in as');
      await page.click('button:has-text("Sign out")');

      // NEW_PASSWORD_REQUIRED with the missing required attribute
      await signIn('nina', 'Temp0rary!demo');
      await see('input[name=newPassword]');
      await checkScreen('new password');
      await page.fill('input[name=newPassword]', 'N3w-Passw0rd!demo');
      await page.fill('input[name=name]', 'Nina Example');
      await page.click('button:has-text("Set password")');
      await see('text=Signed in as nina@example.com');
      await page.click('button:has-text("Sign out")');
      await see('input[name=username]');

      // "Continue with Google": the page navigates to the hosted UI's authorize endpoint, answered here with a blank
      // page (from file:// nothing could come back)
      const authorizeUrl = new Promise<URL>((resolveUrl) => {
        void page.route(
          (url) => url.origin === 'http://127.0.0.1:9229' && url.pathname === '/_domain/authchart-demo/oauth2/authorize',
          (held) => {
            resolveUrl(new URL(held.request().url()));
            return held.fulfill({ contentType: 'text/html', body: '<!doctype html><title>hosted UI</title>' });
          },
        );
      });
      await page.click('button:has-text("Continue with Google")');
      const authorize = await authorizeUrl;
      const params = Object.fromEntries(authorize.searchParams);
      expect(params).toEqual({
        client_id: demoClient.id,
        response_type: 'code',
        redirect_uri: `http://127.0.0.1:8000/${fw}/`,
        scope: 'openid email profile',
        state: expect.stringMatching(/^[\w-]{20,}$/),
        nonce: expect.stringMatching(/^[\w-]{20,}$/),
        code_challenge: expect.stringMatching(/^[\w-]{43}$/),
        code_challenge_method: 'S256',
        identity_provider: 'Google',
      });
      expect(demoClient.settings?.['CallbackURLs']).toContain(params['redirect_uri']);
      expect(params['state']).not.toBe(params['nonce']);
      // the pool takes the same request (without the provider, which would need the stand-in Google): to its sign-in page
      authorize.searchParams.delete('identity_provider');
      const answer = await fetch(authorize.toString().replace('http://127.0.0.1:9229', pool.url), { redirect: 'manual' });
      expect({ status: answer.status, location: answer.headers.get('location')?.split('?')[0] }).toEqual({ status: 302, location: `${pool.url}/_domain/authchart-demo/login` });
      expect(pageErrors).toEqual([]);
    } finally {
      await page.close();
      await pool.close();
    }
  }, 90_000);
});
