// Managed login branding styles and terms documents over HTTP with the AWS SDK: each operation's round
// trip and errors, one style per client, what a ManagedLoginVersion 2 domain's pages take from them (the
// style's FORM_LOGO and PAGE_BACKGROUND served by the pool, the terms links on sign-up), and that the
// rows go with their client.
import {
  CreateManagedLoginBrandingCommand,
  CreateTermsCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  CreateUserPoolDomainCommand,
  DeleteManagedLoginBrandingCommand,
  DeleteTermsCommand,
  DeleteUserPoolClientCommand,
  DescribeManagedLoginBrandingByClientCommand,
  DescribeManagedLoginBrandingCommand,
  DescribeTermsByClientCommand,
  DescribeTermsCommand,
  ListTermsCommand,
  UpdateManagedLoginBrandingCommand,
  UpdateTermsCommand,
  UpdateUserPoolDomainCommand,
  type CreateUserPoolClientCommandInput,
} from '@aws-sdk/client-cognito-identity-provider';
import { failure, startPool, type PoolHarness } from './support.js';
import { TINY_JPEG, TINY_PNG, hostedUiClient, pkce } from './hosted-ui-support.js';

const CALLBACK = 'http://localhost:3000/callback';
const DOMAIN = 'managed-login-test';
const PNG = TINY_PNG;
const JPEG = TINY_JPEG;

let h: PoolHarness;
let poolId: string;
let web: string;
let other: string;
let base: string;

const oauthClient = (name: string): CreateUserPoolClientCommandInput => hostedUiClient(poolId, name, CALLBACK);
const newClient = async (name: string) => (await h.sdk.send(new CreateUserPoolClientCommand(oauthClient(name)))).UserPoolClient!.ClientId!;

beforeAll(async () => {
  h = await startPool();
  poolId = (await h.sdk.send(new CreateUserPoolCommand({ PoolName: 'managed login' }))).UserPool!.Id!;
  await h.sdk.send(new CreateUserPoolDomainCommand({ UserPoolId: poolId, Domain: DOMAIN, ManagedLoginVersion: 2 }));
  web = await newClient('web');
  other = await newClient('other');
  base = `${h.pool.url}/_domain/${DOMAIN}`;
}, 60_000);
afterAll(() => h?.close());

async function hostedAnswer(path: '/login' | '/signup', clientId: string, extra: Record<string, string> = {}): Promise<Response> {
  const query = new URLSearchParams({ response_type: 'code', client_id: clientId, redirect_uri: CALLBACK, scope: 'openid', code_challenge: pkce().challenge, code_challenge_method: 'S256', ...extra });
  const answer = await fetch(`${base}${path}?${query}`, { redirect: 'manual' });
  expect(answer.status).toBe(200);
  return answer;
}
const hostedPage = async (path: '/login' | '/signup', clientId: string, extra: Record<string, string> = {}): Promise<string> => (await hostedAnswer(path, clientId, extra)).text();

const logoSrc = (html: string) => /<img class="logo-customizable" id="logo" src="([^"]+)"/.exec(html)?.[1]?.replace(/&amp;/g, '&');
const backgroundUrl = (html: string) => /<style id="managed-login">[^<]*url\("([^"]+)"\)/.exec(html)?.[1];

describe('managed login branding', () => {
  let brandingId: string;

  it('creates a style of Cognito\'s defaults; one style per client', async () => {
    const created = (await h.sdk.send(new CreateManagedLoginBrandingCommand({ UserPoolId: poolId, ClientId: web, UseCognitoProvidedValues: true }))).ManagedLoginBranding!;
    brandingId = created.ManagedLoginBrandingId!;
    expect(brandingId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(created).toMatchObject({ UserPoolId: poolId, UseCognitoProvidedValues: true, Assets: [] });
    expect(created.Settings).toMatchObject({ components: expect.any(Object), categories: expect.any(Object) });
    expect(created.CreationDate).toBeInstanceOf(Date);

    const again = await failure(h.sdk.send(new CreateManagedLoginBrandingCommand({ UserPoolId: poolId, ClientId: web, Settings: {} })));
    expect(again.name).toBe('ManagedLoginBrandingExistsException');
  });

  it('refuses what the model refuses', async () => {
    const both = await failure(h.sdk.send(new CreateManagedLoginBrandingCommand({ UserPoolId: poolId, ClientId: other, UseCognitoProvidedValues: true, Settings: { a: 1 } })));
    expect(both).toEqual({ name: 'InvalidParameterException', message: 'When UseCognitoProvidedValues is true, Settings and Assets must be omitted.' });
    const asset = (Category: string, Extension: string, Bytes: Uint8Array) => ({ Category, ColorMode: 'LIGHT', Extension, Bytes }) as never;
    for (const [assets, message] of [
      [[asset('FORM_LOGO', 'PNG', JPEG)], 'Asset 1: the Bytes are not a PNG file.'],
      [[asset('FAVICON_ICO', 'PNG', PNG)], 'Asset 1: FAVICON_ICO must be a ICO file.'],
      [[asset('FORM_LOGO', 'PNG', PNG), asset('FORM_LOGO', 'PNG', PNG)], 'Assets has FORM_LOGO for ColorMode LIGHT more than once.'],
      [[asset('NOT_A_CATEGORY', 'PNG', PNG)], /Member must satisfy enum value set/],
      [[asset('FORM_LOGO', 'GIF', PNG)], /Member must satisfy enum value set/],
    ] as const) {
      const error = await failure(h.sdk.send(new CreateManagedLoginBrandingCommand({ UserPoolId: poolId, ClientId: other, Assets: assets as never })));
      expect(error.name).toBe('InvalidParameterException');
      expect(error.message).toMatch(message);
    }
    const noClient = await failure(h.sdk.send(new CreateManagedLoginBrandingCommand({ UserPoolId: poolId, ClientId: 'nosuchclient0000000000000', Settings: {} })));
    expect(noClient.name).toBe('ResourceNotFoundException');
    // None of the refused requests left a style behind.
    expect((await failure(h.sdk.send(new DescribeManagedLoginBrandingByClientCommand({ UserPoolId: poolId, ClientId: other })))).name).toBe('ResourceNotFoundException');
  });

  it('updates settings and assets, keeps what the request leaves out, and describes by id and by client', async () => {
    const settings = { components: { form: { borderRadius: 2 } }, custom: 'kept' };
    // UserPoolId is optional in the model: the style's id alone names it.
    await h.sdk.send(new UpdateManagedLoginBrandingCommand({ ManagedLoginBrandingId: brandingId, Settings: settings }));
    const updated = (
      await h.sdk.send(
        new UpdateManagedLoginBrandingCommand({
          UserPoolId: poolId,
          ManagedLoginBrandingId: brandingId,
          Assets: [
            { Category: 'FORM_LOGO', ColorMode: 'LIGHT', Extension: 'PNG', Bytes: PNG, ResourceId: 'logo 1' },
            { Category: 'PAGE_BACKGROUND', ColorMode: 'DYNAMIC', Extension: 'JPEG', Bytes: JPEG },
          ],
        }),
      )
    ).ManagedLoginBranding!;
    expect(updated.UseCognitoProvidedValues).toBe(false);
    expect(updated.Settings).toEqual(settings);
    expect(updated.Assets!.map((a) => [a.Category, a.ColorMode, a.Extension, a.ResourceId, Buffer.from(a.Bytes!).equals(a.Category === 'FORM_LOGO' ? PNG : JPEG)])).toEqual([
      ['FORM_LOGO', 'LIGHT', 'PNG', 'logo 1', true],
      ['PAGE_BACKGROUND', 'DYNAMIC', 'JPEG', undefined, true],
    ]);

    const byId = (await h.sdk.send(new DescribeManagedLoginBrandingCommand({ UserPoolId: poolId, ManagedLoginBrandingId: brandingId }))).ManagedLoginBranding!;
    const byClient = (await h.sdk.send(new DescribeManagedLoginBrandingByClientCommand({ UserPoolId: poolId, ClientId: web }))).ManagedLoginBranding!;
    expect(byClient).toEqual(byId);
    expect(byId.Settings).toEqual(settings);
    const merged = (await h.sdk.send(new DescribeManagedLoginBrandingCommand({ UserPoolId: poolId, ManagedLoginBrandingId: brandingId, ReturnMergedResources: true }))).ManagedLoginBranding!;
    const mergedSettings = merged.Settings as { custom: string; categories: unknown; components: { form: { borderRadius: number; logo: unknown }; primaryButton: unknown } };
    expect(mergedSettings.custom).toBe('kept');
    expect(mergedSettings.components.form.borderRadius).toBe(2);
    expect(mergedSettings.components.form.logo).toBeDefined();
    expect(mergedSettings.components.primaryButton).toBeDefined();
    expect(mergedSettings.categories).toBeDefined();

    const unknownId = '00000000-0000-4000-8000-000000000000';
    expect((await failure(h.sdk.send(new DescribeManagedLoginBrandingCommand({ UserPoolId: poolId, ManagedLoginBrandingId: unknownId })))).name).toBe('ResourceNotFoundException');
    expect((await failure(h.sdk.send(new UpdateManagedLoginBrandingCommand({ UserPoolId: poolId, ManagedLoginBrandingId: unknownId, Settings: {} })))).name).toBe('ResourceNotFoundException');
    expect((await failure(h.sdk.send(new DescribeManagedLoginBrandingCommand({ UserPoolId: poolId, ManagedLoginBrandingId: 'not-a-uuid' })))).name).toBe('InvalidParameterException');
  });

  it('shows the style\'s logo and background on the version 2 domain\'s pages, served by the pool with their types', async () => {
    const html = await hostedPage('/login', web);
    const logo = logoSrc(html);
    expect(logo).toMatch(new RegExp(`^/${poolId}/_managed-login/${brandingId}/FORM_LOGO/LIGHT\\?v=\\d+$`));
    const image = await fetch(`${h.pool.url}${logo}`);
    expect(image.status).toBe(200);
    expect(image.headers.get('content-type')).toBe('image/png');
    expect(image.headers.get('x-content-type-options')).toBe('nosniff');
    expect(image.headers.get('content-security-policy')).toContain('sandbox');
    expect(Buffer.from(await image.arrayBuffer()).equals(PNG)).toBe(true);

    const background = backgroundUrl(html);
    expect(background).toMatch(new RegExp(`^/${poolId}/_managed-login/${brandingId}/PAGE_BACKGROUND/DYNAMIC\\?v=\\d+$`));
    const jpeg = await fetch(`${h.pool.url}${background}`);
    expect(jpeg.headers.get('content-type')).toBe('image/jpeg');
    expect(Buffer.from(await jpeg.arrayBuffer()).equals(JPEG)).toBe(true);

    // The page's policy is unchanged: images from its own origin only, no script.
    const page = await hostedAnswer('/login', web);
    expect(page.headers.get('content-security-policy')).toContain("img-src data: 'self'");
    expect(page.headers.get('content-security-policy')).not.toContain('script-src');
    // A client without a style shows none; an asset the style lacks is 404.
    expect(logoSrc(await hostedPage('/login', other))).toBeUndefined();
    expect((await fetch(`${h.pool.url}/${poolId}/_managed-login/${brandingId}/FORM_LOGO/DARK`)).status).toBe(404);
  });

  it('UseCognitoProvidedValues on update drops the style\'s own settings and assets', async () => {
    const reset = (await h.sdk.send(new UpdateManagedLoginBrandingCommand({ UserPoolId: poolId, ManagedLoginBrandingId: brandingId, UseCognitoProvidedValues: true }))).ManagedLoginBranding!;
    expect(reset.UseCognitoProvidedValues).toBe(true);
    expect(reset.Assets).toEqual([]);
    expect(reset.Settings).not.toHaveProperty('custom');
    expect(logoSrc(await hostedPage('/login', web))).toBeUndefined();
  });

  it('deletes a style; then it is not found', async () => {
    await h.sdk.send(new DeleteManagedLoginBrandingCommand({ UserPoolId: poolId, ManagedLoginBrandingId: brandingId }));
    expect((await failure(h.sdk.send(new DescribeManagedLoginBrandingCommand({ UserPoolId: poolId, ManagedLoginBrandingId: brandingId })))).name).toBe('ResourceNotFoundException');
    expect((await failure(h.sdk.send(new DeleteManagedLoginBrandingCommand({ UserPoolId: poolId, ManagedLoginBrandingId: brandingId })))).name).toBe('ResourceNotFoundException');
    // The client may have a new one.
    const fresh = (await h.sdk.send(new CreateManagedLoginBrandingCommand({ UserPoolId: poolId, ClientId: web, Settings: { x: 1 } }))).ManagedLoginBranding!;
    expect(fresh.ManagedLoginBrandingId).not.toBe(brandingId);
  });
});

describe('terms documents', () => {
  const TERMS_URL = 'https://example.com/terms?a=1&b="2"';
  let termsId: string;
  let privacyId: string;

  it('creates a document per name and client; a second of the same name is TermsExistsException', async () => {
    const terms = (
      await h.sdk.send(new CreateTermsCommand({ UserPoolId: poolId, ClientId: web, TermsName: 'terms-of-use', TermsSource: 'LINK', Enforcement: 'NONE', Links: { 'cognito:default': TERMS_URL } }))
    ).Terms!;
    termsId = terms.TermsId!;
    expect(terms).toMatchObject({ UserPoolId: poolId, ClientId: web, TermsName: 'terms-of-use', TermsSource: 'LINK', Enforcement: 'NONE', Links: { 'cognito:default': TERMS_URL } });
    expect(terms.CreationDate).toBeInstanceOf(Date);
    const again = await failure(h.sdk.send(new CreateTermsCommand({ UserPoolId: poolId, ClientId: web, TermsName: 'terms-of-use', TermsSource: 'LINK', Enforcement: 'NONE', Links: { 'cognito:default': 'https://x.example' } })));
    expect(again.name).toBe('TermsExistsException');
  });

  it('refuses a javascript: link, an unknown language, a name of neither kind and other values', async () => {
    const create = (overrides: Record<string, unknown>) =>
      failure(h.sdk.send(new CreateTermsCommand({ UserPoolId: poolId, ClientId: web, TermsName: 'privacy-policy', TermsSource: 'LINK', Enforcement: 'NONE', Links: { 'cognito:default': 'https://p.example' }, ...overrides } as never)));
    expect(await create({ Links: { 'cognito:default': 'javascript:alert(1)' } })).toEqual({ name: 'InvalidParameterException', message: 'Links: the URL for cognito:default must be an http or https URL.' });
    expect((await create({ Links: { 'cognito:klingon': 'https://p.example' } })).name).toBe('InvalidParameterException');
    expect(await create({ TermsName: 'cookies' })).toEqual({ name: 'InvalidParameterException', message: 'TermsName must begin with terms-of-use or privacy-policy.' });
    expect((await create({ TermsSource: 'FILE' })).message).toMatch(/enum value set: \[LINK\]/);
    expect((await create({ Enforcement: 'STRICT' })).message).toMatch(/enum value set: \[NONE\]/);
    expect((await create({ Links: {} })).name).toBe('InvalidParameterException');
    expect((await create({ ClientId: 'nosuchclient0000000000000' })).name).toBe('ResourceNotFoundException');
    // The javascript: link cannot come in through UpdateTerms either.
    expect((await failure(h.sdk.send(new UpdateTermsCommand({ UserPoolId: poolId, TermsId: termsId, Links: { 'cognito:default': 'javascript:alert(1)' } })))).name).toBe('InvalidParameterException');
  });

  it('describes by id and by client and name, updates, and lists with paging', async () => {
    privacyId = (
      await h.sdk.send(new CreateTermsCommand({ UserPoolId: poolId, ClientId: web, TermsName: 'privacy-policy', TermsSource: 'LINK', Enforcement: 'NONE', Links: { 'cognito:default': 'https://example.com/privacy' } }))
    ).Terms!.TermsId!;
    await h.sdk.send(new CreateTermsCommand({ UserPoolId: poolId, ClientId: other, TermsName: 'terms-of-use', TermsSource: 'LINK', Enforcement: 'NONE', Links: { 'cognito:default': 'https://other.example/terms' } }));

    const byId = (await h.sdk.send(new DescribeTermsCommand({ UserPoolId: poolId, TermsId: termsId }))).Terms!;
    const byName = (await h.sdk.send(new DescribeTermsByClientCommand({ UserPoolId: poolId, ClientId: web, TermsName: 'terms-of-use' }))).Terms!;
    expect(byName).toEqual(byId);
    expect((await failure(h.sdk.send(new DescribeTermsByClientCommand({ UserPoolId: poolId, ClientId: other, TermsName: 'privacy-policy' })))).name).toBe('ResourceNotFoundException');

    const links = { 'cognito:default': TERMS_URL, 'cognito:spanish': 'https://example.com/es/terms' };
    const updated = (await h.sdk.send(new UpdateTermsCommand({ UserPoolId: poolId, TermsId: termsId, Links: links }))).Terms!;
    expect(updated).toMatchObject({ TermsName: 'terms-of-use', Links: links, TermsSource: 'LINK', Enforcement: 'NONE' });
    const rename = await failure(h.sdk.send(new UpdateTermsCommand({ UserPoolId: poolId, TermsId: termsId, TermsName: 'privacy-policy' })));
    expect(rename.name).toBe('TermsExistsException');

    const names: string[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const answer = await h.sdk.send(new ListTermsCommand({ UserPoolId: poolId, MaxResults: 2, NextToken: token }));
      pages += 1;
      names.push(...answer.Terms!.map((t) => `${t.TermsId}:${t.TermsName}:${t.Enforcement}`));
      token = answer.NextToken;
    } while (token);
    expect(pages).toBe(2);
    expect(names).toHaveLength(3);
    expect(names).toEqual(expect.arrayContaining([`${termsId}:terms-of-use:NONE`, `${privacyId}:privacy-policy:NONE`]));
    expect((await failure(h.sdk.send(new ListTermsCommand({ UserPoolId: poolId, MaxResults: 61 })))).name).toBe('InvalidParameterException');
  });

  it('shows both links on the client\'s sign-up page, escaped, in the page\'s language; none until both kinds exist', async () => {
    const html = await hostedPage('/signup', web);
    expect(html).toContain(`id="terms-of-use" href="https://example.com/terms?a=1&amp;b=&quot;2&quot;"`);
    expect(html).toContain('id="privacy-policy" href="https://example.com/privacy"');
    const spanish = await hostedPage('/signup', web, { lang: 'es' });
    expect(spanish).toContain('id="terms-of-use" href="https://example.com/es/terms"');
    expect(spanish).toContain('id="privacy-policy" href="https://example.com/privacy"');
    // The other client has terms of use only.
    expect(await hostedPage('/signup', other)).not.toContain('id="terms"');
  });

  it('a version 1 domain (the classic hosted UI) does not show the terms', async () => {
    await h.sdk.send(new UpdateUserPoolDomainCommand({ UserPoolId: poolId, Domain: DOMAIN, ManagedLoginVersion: 1 }));
    try {
      expect(await hostedPage('/signup', web)).not.toContain('id="terms"');
    } finally {
      await h.sdk.send(new UpdateUserPoolDomainCommand({ UserPoolId: poolId, Domain: DOMAIN, ManagedLoginVersion: 2 }));
    }
  });

  it('deletes a document; then it is not found and the sign-up page drops the links', async () => {
    await h.sdk.send(new DeleteTermsCommand({ UserPoolId: poolId, TermsId: privacyId }));
    expect((await failure(h.sdk.send(new DescribeTermsCommand({ UserPoolId: poolId, TermsId: privacyId })))).name).toBe('ResourceNotFoundException');
    expect((await failure(h.sdk.send(new DeleteTermsCommand({ UserPoolId: poolId, TermsId: privacyId })))).name).toBe('ResourceNotFoundException');
    expect(await hostedPage('/signup', web)).not.toContain('id="terms"');
  });
});

it('a deleted client takes its style and its terms with it', async () => {
  const gone = await newClient('gone');
  const style = (await h.sdk.send(new CreateManagedLoginBrandingCommand({ UserPoolId: poolId, ClientId: gone, Assets: [{ Category: 'FORM_LOGO', ColorMode: 'LIGHT', Extension: 'PNG', Bytes: PNG }] }))).ManagedLoginBranding!;
  const terms = (await h.sdk.send(new CreateTermsCommand({ UserPoolId: poolId, ClientId: gone, TermsName: 'terms-of-use', TermsSource: 'LINK', Enforcement: 'NONE', Links: { 'cognito:default': 'https://gone.example' } }))).Terms!;
  await h.sdk.send(new DeleteUserPoolClientCommand({ UserPoolId: poolId, ClientId: gone }));
  expect((await failure(h.sdk.send(new DescribeManagedLoginBrandingCommand({ UserPoolId: poolId, ManagedLoginBrandingId: style.ManagedLoginBrandingId! })))).name).toBe('ResourceNotFoundException');
  expect((await failure(h.sdk.send(new DescribeTermsCommand({ UserPoolId: poolId, TermsId: terms.TermsId! })))).name).toBe('ResourceNotFoundException');
  expect((await fetch(`${h.pool.url}/${poolId}/_managed-login/${style.ManagedLoginBrandingId}/FORM_LOGO/LIGHT`)).status).toBe(404);
});
