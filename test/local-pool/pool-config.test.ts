// The pool settings setup scripts write through Cognito's API, over HTTP with the AWS SDK: the classic
// hosted UI's branding (Set/GetUICustomization) and what the hosted UI's pages then show (the pool's
// CSS, a client's own instead, the logo the pool serves, no way out of <style>); risk configuration;
// log delivery; auth events and their feedback, with threat protection off (refused as Cognito does)
// and on (the pool's sign-ins as SignIn events).
import {
  AdminListUserAuthEventsCommand,
  AdminUpdateAuthEventFeedbackCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  CreateUserPoolDomainCommand,
  DeleteUserPoolClientCommand,
  DescribeRiskConfigurationCommand,
  GetLogDeliveryConfigurationCommand,
  GetUICustomizationCommand,
  InitiateAuthCommand,
  SetLogDeliveryConfigurationCommand,
  SetRiskConfigurationCommand,
  SetUICustomizationCommand,
  UpdateAuthEventFeedbackCommand,
  type CreateUserPoolClientCommandInput,
  type SetRiskConfigurationCommandInput,
} from '@aws-sdk/client-cognito-identity-provider';
import { createUser, failure, rawCall, startPool, type PoolHarness } from './support.js';
import { TINY_JPEG, TINY_PNG, hostedUiClient, pkce } from './hosted-ui-support.js';
import { launchChromium } from '../support/browser.js';

const CALLBACK = 'http://localhost:3000/callback';
const DOMAIN = 'branding-test';
const PASSWORD = 'Passw0rd!branding';
const PNG = TINY_PNG;
const JPEG = TINY_JPEG;

let h: PoolHarness;
let poolId: string;
let webClient: string;
let otherClient: string;
let base: string;

const oauthClient = (name: string): CreateUserPoolClientCommandInput => ({
  ...hostedUiClient(poolId, name, CALLBACK),
  ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
});

beforeAll(async () => {
  h = await startPool();
  poolId = (await h.sdk.send(new CreateUserPoolCommand({ PoolName: 'branding' }))).UserPool!.Id!;
  await h.sdk.send(new CreateUserPoolDomainCommand({ UserPoolId: poolId, Domain: DOMAIN }));
  webClient = (await h.sdk.send(new CreateUserPoolClientCommand(oauthClient('web')))).UserPoolClient!.ClientId!;
  otherClient = (await h.sdk.send(new CreateUserPoolClientCommand(oauthClient('other')))).UserPoolClient!.ClientId!;
  base = `${h.pool.url}/_domain/${DOMAIN}`;
}, 60_000);
afterAll(() => h?.close());

async function loginPage(clientId: string): Promise<{ html: string; headers: Headers }> {
  const query = new URLSearchParams({ response_type: 'code', client_id: clientId, redirect_uri: CALLBACK, scope: 'openid', code_challenge: pkce().challenge, code_challenge_method: 'S256' });
  const answer = await fetch(`${base}/login?${query}`, { redirect: 'manual' });
  expect(answer.status).toBe(200);
  return { html: await answer.text(), headers: answer.headers };
}

/** The body of the page's branding <style> element, or undefined. */
const brandingCss = (html: string): string | undefined => /<style id="ui-customization">([\s\S]*?)<\/style>/.exec(html)?.[1];

describe('SetUICustomization / GetUICustomization', () => {
  it('needs a domain on the pool, as Cognito does', async () => {
    const bare = (await h.sdk.send(new CreateUserPoolCommand({ PoolName: 'no domain' }))).UserPool!.Id!;
    const error = await failure(h.sdk.send(new SetUICustomizationCommand({ UserPoolId: bare, ClientId: 'ALL', CSS: '.label-customizable{color:red}' })));
    expect(error).toEqual({ name: 'InvalidParameterException', message: 'There has to be an existing domain associated with this user pool' });
  });

  it('stores the pool-wide branding (ALL) and describes it; a client without its own gets the pool\'s', async () => {
    const css = '.label-customizable { font-weight: 400; }\n.submitButton-customizable:hover { color: #123456; }';
    const set = (await h.sdk.send(new SetUICustomizationCommand({ UserPoolId: poolId, ClientId: 'ALL', CSS: css, ImageFile: PNG }))).UICustomization!;
    expect(set).toMatchObject({ UserPoolId: poolId, ClientId: 'ALL', CSS: css });
    expect(set.CSSVersion).toMatch(/^\w+$/);
    expect(set.ImageUrl).toMatch(new RegExp(`^${h.pool.url}/${poolId}/_ui-customization/ALL/logo\\?v=\\d+$`));
    expect(set.CreationDate).toBeInstanceOf(Date);
    expect(set.LastModifiedDate).toBeInstanceOf(Date);

    const got = (await h.sdk.send(new GetUICustomizationCommand({ UserPoolId: poolId }))).UICustomization!;
    expect(got).toEqual(set);
    const inherited = (await h.sdk.send(new GetUICustomizationCommand({ UserPoolId: poolId, ClientId: otherClient }))).UICustomization!;
    expect(inherited).toEqual(set);
  });

  it('refuses CSS outside the customizable classes, at-rules, stray text and images that are not PNG or JPEG', async () => {
    const refused = async (input: { CSS?: string; ImageFile?: Uint8Array }) =>
      failure(h.sdk.send(new SetUICustomizationCommand({ UserPoolId: poolId, ClientId: 'ALL', ...input })));
    const other = await refused({ CSS: '.label-customizable{color:red} .not-a-class{color:blue}' });
    expect(other.name).toBe('InvalidParameterException');
    expect(other.message).toContain('".not-a-class" is not one of the customizable classes');
    expect((await refused({ CSS: 'body { color: red }' })).message).toContain('"body" is not one of the customizable classes');
    expect((await refused({ CSS: '@import url(https://evil.example/x.css); .label-customizable{color:red}' })).message).toContain('@import');
    expect((await refused({ CSS: '@media (min-width: 1px) { .label-customizable { color: red } }' })).name).toBe('InvalidParameterException');
    expect((await refused({ CSS: '.label-customizable{color:red}</style><script>alert(1)</script>' })).message).toMatch(/is not a rule/);
    expect((await refused({ CSS: '.label-customizable{color:red}', ImageFile: Buffer.from('GIF89a not allowed') })).message).toContain('PNG or JPEG');
    // The pool's branding is as it was.
    expect((await h.sdk.send(new GetUICustomizationCommand({ UserPoolId: poolId }))).UICustomization!.CSS).toContain('font-weight: 400');
  });

  it('names unknown pools and clients as Cognito does', async () => {
    expect((await failure(h.sdk.send(new SetUICustomizationCommand({ UserPoolId: 'us-east-1_nothere', CSS: '' })))).name).toBe('ResourceNotFoundException');
    const client = await failure(h.sdk.send(new GetUICustomizationCommand({ UserPoolId: poolId, ClientId: 'nosuchclient' })));
    expect(client).toEqual({ name: 'ResourceNotFoundException', message: 'User pool client nosuchclient does not exist.' });
  });

  it("puts the pool's CSS and logo on the hosted UI's pages, and a client's own branding overrides it", async () => {
    const poolPage = await loginPage(webClient);
    expect(brandingCss(poolPage.html)).toContain('.label-customizable { font-weight: 400; }');
    expect(poolPage.html).toMatch(/<label for="field-username" class="label-customizable">/);
    const logo = /<img class="logo-customizable" id="logo" src="([^"]+)"/.exec(poolPage.html)?.[1];
    expect(logo?.replace(/&amp;/g, '&')).toMatch(new RegExp(`^/${poolId}/_ui-customization/ALL/logo\\?v=\\d+$`));
    // The page's policy lets it load the logo from its own origin, and still no script.
    const csp = poolPage.headers.get('content-security-policy')!;
    expect(csp).toContain("img-src data: 'self'");
    expect(csp).toContain("default-src 'none'");
    expect(csp).not.toContain('script-src');

    await h.sdk.send(new SetUICustomizationCommand({ UserPoolId: poolId, ClientId: webClient, CSS: '.banner-customizable { background-color: #abcdef; }', ImageFile: JPEG }));
    const own = await loginPage(webClient);
    expect(brandingCss(own.html)).toBe('.banner-customizable { background-color: #abcdef; }');
    expect(own.html).toContain(`/${poolId}/_ui-customization/${webClient}/logo?v=`);
    // The other client still has the pool's.
    expect(brandingCss((await loginPage(otherClient)).html)).toContain('font-weight: 400');
  });

  it('serves the logo at ImageUrl with its content type', async () => {
    const pool = (await h.sdk.send(new GetUICustomizationCommand({ UserPoolId: poolId }))).UICustomization!;
    const png = await fetch(pool.ImageUrl!);
    expect(png.status).toBe(200);
    expect(png.headers.get('content-type')).toBe('image/png');
    expect(Buffer.from(await png.arrayBuffer()).equals(PNG)).toBe(true);

    const client = (await h.sdk.send(new GetUICustomizationCommand({ UserPoolId: poolId, ClientId: webClient }))).UICustomization!;
    expect(client.ClientId).toBe(webClient);
    const jpeg = await fetch(client.ImageUrl!);
    expect(jpeg.headers.get('content-type')).toBe('image/jpeg');
    expect(Buffer.from(await jpeg.arrayBuffer()).equals(JPEG)).toBe(true);
    expect((await fetch(`${h.pool.url}/${poolId}/_ui-customization/${otherClient}/logo`)).status).toBe(404);
  });

  it('goes with its app client: a deleted client\'s logo is no longer served', async () => {
    const gone = (await h.sdk.send(new CreateUserPoolClientCommand(oauthClient('gone')))).UserPoolClient!.ClientId!;
    const own = (await h.sdk.send(new SetUICustomizationCommand({ UserPoolId: poolId, ClientId: gone, CSS: '.label-customizable { color: red; }', ImageFile: PNG }))).UICustomization!;
    expect((await fetch(own.ImageUrl!)).status).toBe(200);
    await h.sdk.send(new DeleteUserPoolClientCommand({ UserPoolId: poolId, ClientId: gone }));
    expect((await fetch(own.ImageUrl!)).status).toBe(404);
  });

  it('keeps CSS that spells </style><script> inside a value from leaving the <style> element', async () => {
    const css = '.legalText-customizable { font-family: "</style><script>alert(1)</script><style>"; }';
    await h.sdk.send(new SetUICustomizationCommand({ UserPoolId: poolId, ClientId: otherClient, CSS: css }));
    const { html } = await loginPage(otherClient);
    expect(html).not.toMatch(/<script/i);
    const body = brandingCss(html)!;
    expect(body).toContain('\\3c /style>\\3c script>alert(1)');
    expect(body).not.toContain('<');
    // The element closes where the pool closes it: right before </head>.
    expect(html).toMatch(/<style id="ui-customization">[^<]*<\/style><\/head>/);
    // Set without ImageFile: the client's logo is gone (CSS and logo are set together).
    expect((await h.sdk.send(new GetUICustomizationCommand({ UserPoolId: poolId, ClientId: otherClient }))).UICustomization!.ImageUrl).toBeUndefined();
  });
});

describe('the branded page in Chromium', () => {
  it('applies the CSS, shows the logo under the page\'s policy, and the CSS runs nothing', async () => {
    const css = '.banner-customizable { background-color: rgb(1, 2, 3); }\n.legalText-customizable { font-family: "</style><script>window.injected = 1</script><img src=x onerror=window.injected=2>"; }';
    await h.sdk.send(new SetUICustomizationCommand({ UserPoolId: poolId, ClientId: webClient, CSS: css, ImageFile: PNG }));
    const browser = await launchChromium();
    try {
      const page = await browser.newPage();
      const violations: string[] = [];
      page.on('console', (message) => violations.push(message.text()));
      const query = new URLSearchParams({ response_type: 'code', client_id: webClient, redirect_uri: CALLBACK, scope: 'openid', code_challenge: pkce().challenge, code_challenge_method: 'S256' });
      await page.goto(`${base}/login?${query}`);
      const seen = await page.evaluate(() => {
        const logo = document.querySelector<HTMLImageElement>('img.logo-customizable')!;
        return {
          banner: getComputedStyle(document.querySelector('.banner-customizable')!).backgroundColor,
          logoLoaded: logo.complete && logo.naturalWidth === 1,
          scripts: document.scripts.length,
          images: document.images.length,
          injected: (window as unknown as { injected?: number }).injected ?? null,
          styles: document.querySelectorAll('style').length,
        };
      });
      expect(seen).toEqual({ banner: 'rgb(1, 2, 3)', logoLoaded: true, scripts: 0, images: 1, injected: null, styles: 2 });
      expect(violations.filter((text) => /Content Security Policy/.test(text))).toEqual([]);
    } finally {
      await browser.close();
    }
  }, 60_000);
});

describe('threat protection off (no UserPoolAddOns)', () => {
  it('refuses the risk configuration and auth event operations with UserPoolAddOnNotEnabledException', async () => {
    await createUser(h.sdk, poolId, 'offuser', PASSWORD);
    const refusals = await Promise.all([
      h.sdk.send(new SetRiskConfigurationCommand({ UserPoolId: poolId, RiskExceptionConfiguration: { BlockedIPRangeList: ['192.0.2.0/24'] } })),
      h.sdk.send(new DescribeRiskConfigurationCommand({ UserPoolId: poolId })),
      h.sdk.send(new AdminListUserAuthEventsCommand({ UserPoolId: poolId, Username: 'offuser' })),
      h.sdk.send(new AdminUpdateAuthEventFeedbackCommand({ UserPoolId: poolId, Username: 'offuser', EventId: 'e1', FeedbackValue: 'Valid' })),
      h.sdk.send(new UpdateAuthEventFeedbackCommand({ UserPoolId: poolId, Username: 'offuser', EventId: 'e1', FeedbackToken: 'token', FeedbackValue: 'Invalid' })),
    ].map(failure));
    expect(refusals.map((r) => r.name)).toEqual(Array(5).fill('UserPoolAddOnNotEnabledException'));
  });
});

describe('who may call the feedback operations', () => {
  it('lets a local page call UpdateAuthEventFeedback (unsigned in Cognito), not AdminUpdateAuthEventFeedback', async () => {
    const page = 'http://localhost:3000';
    const body = JSON.stringify({ UserPoolId: poolId, Username: 'offuser', EventId: 'e1', FeedbackToken: 'token', FeedbackValue: 'Valid' });
    const user = await rawCall(h.pool.url, { target: 'AWSCognitoIdentityProviderService.UpdateAuthEventFeedback', body, headers: { Origin: page } });
    expect(user.status).toBe(400);
    expect((user.json as { __type: string }).__type).toBe('UserPoolAddOnNotEnabledException');
    expect(user.headers.get('access-control-allow-origin')).toBe(page);
    const admin = await rawCall(h.pool.url, { target: 'AWSCognitoIdentityProviderService.AdminUpdateAuthEventFeedback', body, headers: { Origin: page } });
    expect(admin.status).toBe(403);
  });
});

describe('threat protection on (AdvancedSecurityMode ENFORCED)', () => {
  let securePool: string;
  let client: string;
  let second: string;

  beforeAll(async () => {
    securePool = (await h.sdk.send(new CreateUserPoolCommand({ PoolName: 'secure', UserPoolTier: 'PLUS', UserPoolAddOns: { AdvancedSecurityMode: 'ENFORCED' } }))).UserPool!.Id!;
    const make = async (name: string) =>
      (await h.sdk.send(new CreateUserPoolClientCommand({ UserPoolId: securePool, ClientName: name, ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'] }))).UserPoolClient!.ClientId!;
    client = await make('app');
    second = await make('second');
    await createUser(h.sdk, securePool, 'carol', PASSWORD);
  });

  const poolRisk: Omit<SetRiskConfigurationCommandInput, 'UserPoolId'> = {
    CompromisedCredentialsRiskConfiguration: { EventFilter: ['SIGN_IN', 'SIGN_UP'], Actions: { EventAction: 'BLOCK' } },
    AccountTakeoverRiskConfiguration: {
      NotifyConfiguration: { SourceArn: 'arn:aws:ses:us-east-1:123456789012:identity/no-reply@example.com', From: 'no-reply@example.com', BlockEmail: { Subject: 'Blocked', TextBody: 'We blocked a sign-in.' } },
      Actions: { HighAction: { Notify: true, EventAction: 'BLOCK' }, MediumAction: { Notify: false, EventAction: 'MFA_IF_CONFIGURED' } },
    },
    RiskExceptionConfiguration: { BlockedIPRangeList: ['192.0.2.0/24'], SkippedIPRangeList: ['2001:db8::/32'] },
  };

  it('stores the risk configuration per pool and per client; a client without its own describes the pool\'s', async () => {
    const set = (await h.sdk.send(new SetRiskConfigurationCommand({ UserPoolId: securePool, ...poolRisk }))).RiskConfiguration!;
    expect(set).toMatchObject({ UserPoolId: securePool, ...poolRisk });
    expect(set.ClientId).toBeUndefined();
    expect(set.LastModifiedDate).toBeInstanceOf(Date);
    expect((await h.sdk.send(new DescribeRiskConfigurationCommand({ UserPoolId: securePool }))).RiskConfiguration).toEqual(set);

    const own = { CompromisedCredentialsRiskConfiguration: { Actions: { EventAction: 'NO_ACTION' as const } } };
    await h.sdk.send(new SetRiskConfigurationCommand({ UserPoolId: securePool, ClientId: client, ...own }));
    const described = (await h.sdk.send(new DescribeRiskConfigurationCommand({ UserPoolId: securePool, ClientId: client }))).RiskConfiguration!;
    expect(described).toMatchObject({ UserPoolId: securePool, ClientId: client, ...own });
    expect(described.RiskExceptionConfiguration).toBeUndefined();
    const inherited = (await h.sdk.send(new DescribeRiskConfigurationCommand({ UserPoolId: securePool, ClientId: second }))).RiskConfiguration!;
    expect(inherited).toMatchObject({ UserPoolId: securePool, ...poolRisk });
    expect(inherited.ClientId).toBeUndefined();

    // Only the ids: the client inherits the pool's settings again.
    await h.sdk.send(new SetRiskConfigurationCommand({ UserPoolId: securePool, ClientId: client }));
    expect((await h.sdk.send(new DescribeRiskConfigurationCommand({ UserPoolId: securePool, ClientId: client }))).RiskConfiguration).toMatchObject(poolRisk);
  });

  it('refuses risk configurations Cognito refuses', async () => {
    const refused = async (input: Omit<SetRiskConfigurationCommandInput, 'UserPoolId'>) => failure(h.sdk.send(new SetRiskConfigurationCommand({ UserPoolId: securePool, ...input })));
    const badAction = await refused({ CompromisedCredentialsRiskConfiguration: { Actions: { EventAction: 'MAYBE' as 'BLOCK' } } });
    expect(badAction.name).toBe('InvalidParameterException');
    expect(badAction.message).toContain('Member must satisfy enum value set: [BLOCK, NO_ACTION]');
    expect((await refused({ RiskExceptionConfiguration: { BlockedIPRangeList: ['not-an-ip'] } })).message).toContain('not an IP range in CIDR notation');
    expect((await refused({ RiskExceptionConfiguration: { BlockedIPRangeList: ['10.0.0.0/33'] } })).name).toBe('InvalidParameterException');
    expect((await refused({ AccountTakeoverRiskConfiguration: { Actions: { LowAction: { Notify: true, EventAction: 'NO_ACTION' } } } })).message).toContain('NotifyConfiguration is required');
    expect((await refused({ AccountTakeoverRiskConfiguration: { NotifyConfiguration: { SourceArn: 'short' }, Actions: {} } })).name).toBe('InvalidParameterException');
    const unknownClient = await failure(h.sdk.send(new DescribeRiskConfigurationCommand({ UserPoolId: securePool, ClientId: 'nosuchclient' })));
    expect(unknownClient.name).toBe('ResourceNotFoundException');
    // Nothing refused was kept.
    expect((await h.sdk.send(new DescribeRiskConfigurationCommand({ UserPoolId: securePool }))).RiskConfiguration).toMatchObject(poolRisk);
  });

  it('lists the sign-ins as SignIn events (newest first) and keeps admin feedback', async () => {
    const signIn = (password: string) =>
      h.sdk.send(new InitiateAuthCommand({ ClientId: client, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: 'carol', PASSWORD: password } }));
    expect((await failure(signIn('Wrong!password1'))).name).toBe('NotAuthorizedException');
    expect((await signIn(PASSWORD)).AuthenticationResult?.AccessToken).toBeDefined();

    const listed = (await h.sdk.send(new AdminListUserAuthEventsCommand({ UserPoolId: securePool, Username: 'carol' }))).AuthEvents!;
    expect(listed.map((e) => [e.EventType, e.EventResponse])).toEqual([['SignIn', 'Pass'], ['SignIn', 'Fail']]);
    expect(listed[0]!.CreationDate).toBeInstanceOf(Date);
    expect(listed[0]!.EventRisk).toEqual({ RiskDecision: 'NoRisk', CompromisedCredentialsDetected: false });
    expect(listed[0]!.EventFeedback).toBeUndefined();

    const firstPage = await h.sdk.send(new AdminListUserAuthEventsCommand({ UserPoolId: securePool, Username: 'carol', MaxResults: 1 }));
    expect(firstPage.AuthEvents!.map((e) => e.EventId)).toEqual([listed[0]!.EventId]);
    const secondPage = await h.sdk.send(new AdminListUserAuthEventsCommand({ UserPoolId: securePool, Username: 'carol', MaxResults: 1, NextToken: firstPage.NextToken! }));
    expect(secondPage.AuthEvents!.map((e) => e.EventId)).toEqual([listed[1]!.EventId]);
    expect(secondPage.NextToken).toBeUndefined();
    // MaxResults 0 is the default page of 60 (the model says so), not an empty page with a NextToken to itself.
    const zero = await h.sdk.send(new AdminListUserAuthEventsCommand({ UserPoolId: securePool, Username: 'carol', MaxResults: 0 }));
    expect(zero.AuthEvents!.map((e) => e.EventId)).toEqual(listed.map((e) => e.EventId));
    expect(zero.NextToken).toBeUndefined();

    await h.sdk.send(new AdminUpdateAuthEventFeedbackCommand({ UserPoolId: securePool, Username: 'carol', EventId: listed[1]!.EventId!, FeedbackValue: 'Invalid' }));
    const after = (await h.sdk.send(new AdminListUserAuthEventsCommand({ UserPoolId: securePool, Username: 'carol' }))).AuthEvents!;
    expect(after[1]!.EventFeedback).toMatchObject({ FeedbackValue: 'Invalid', Provider: 'Admin' });
    expect(after[1]!.EventFeedback!.FeedbackDate).toBeInstanceOf(Date);
  });

  it('refuses feedback on events that are not the user\'s, and a feedback token the pool never gave', async () => {
    const [event] = (await h.sdk.send(new AdminListUserAuthEventsCommand({ UserPoolId: securePool, Username: 'carol' }))).AuthEvents!;
    const unknown = await failure(h.sdk.send(new AdminUpdateAuthEventFeedbackCommand({ UserPoolId: securePool, Username: 'carol', EventId: 'no-such-event', FeedbackValue: 'Valid' })));
    expect(unknown).toEqual({ name: 'ResourceNotFoundException', message: 'Auth event not found.' });
    const token = await failure(h.sdk.send(new UpdateAuthEventFeedbackCommand({ UserPoolId: securePool, Username: 'carol', EventId: event!.EventId!, FeedbackToken: 'bm90LWEtdG9rZW4', FeedbackValue: 'Valid' })));
    expect(token.name).toBe('ResourceNotFoundException');
    expect((await failure(h.sdk.send(new AdminListUserAuthEventsCommand({ UserPoolId: securePool, Username: 'nobody' })))).name).toBe('UserNotFoundException');
    const badValue = await failure(h.sdk.send(new AdminUpdateAuthEventFeedbackCommand({ UserPoolId: securePool, Username: 'carol', EventId: event!.EventId!, FeedbackValue: 'Maybe' as 'Valid' })));
    expect(badValue.message).toContain('Member must satisfy enum value set: [Valid, Invalid]');
  });
});

describe('SetLogDeliveryConfiguration / GetLogDeliveryConfiguration', () => {
  const cloudWatch = { LogGroupArn: 'arn:aws:logs:us-east-1:123456789012:log-group:/cognito/notifications' };

  it('stores and describes the configurations; none yet is an empty list', async () => {
    expect((await h.sdk.send(new GetLogDeliveryConfigurationCommand({ UserPoolId: poolId }))).LogDeliveryConfiguration).toEqual({ UserPoolId: poolId, LogConfigurations: [] });
    const input = [{ LogLevel: 'ERROR' as const, EventSource: 'userNotification' as const, CloudWatchLogsConfiguration: cloudWatch }];
    const set = (await h.sdk.send(new SetLogDeliveryConfigurationCommand({ UserPoolId: poolId, LogConfigurations: input }))).LogDeliveryConfiguration;
    expect(set).toEqual({ UserPoolId: poolId, LogConfigurations: input });
    expect((await h.sdk.send(new GetLogDeliveryConfigurationCommand({ UserPoolId: poolId }))).LogDeliveryConfiguration).toEqual(set);
  });

  it('refuses what Cognito refuses: auth events below PLUS, wrong levels, no or two destinations', async () => {
    const refused = (configurations: unknown[]) =>
      failure(h.sdk.send(new SetLogDeliveryConfigurationCommand({ UserPoolId: poolId, LogConfigurations: configurations as never })));
    const tier = await refused([{ LogLevel: 'INFO', EventSource: 'userAuthEvents', S3Configuration: { BucketArn: 'arn:aws:s3:::cognito-auth-events' } }]);
    expect(tier.name).toBe('FeatureUnavailableInTierException');
    expect((await refused([{ LogLevel: 'INFO', EventSource: 'userNotification', CloudWatchLogsConfiguration: cloudWatch }])).message).toContain('LogLevel ERROR');
    expect((await refused([{ LogLevel: 'ERROR', EventSource: 'userNotification' }])).message).toContain('exactly one destination');
    expect((await refused([{ LogLevel: 'ERROR', EventSource: 'userNotification', CloudWatchLogsConfiguration: cloudWatch, S3Configuration: { BucketArn: 'arn:aws:s3:::b-bucket-name' } }])).message).toContain(
      'exactly one destination',
    );
    expect((await refused([{ LogLevel: 'DEBUG', EventSource: 'userNotification', CloudWatchLogsConfiguration: cloudWatch }])).message).toContain('enum value set: [ERROR, INFO]');
    expect((await failure(h.sdk.send(new GetLogDeliveryConfigurationCommand({ UserPoolId: 'us-east-1_nothere' })))).name).toBe('ResourceNotFoundException');
    // The stored configuration is unchanged.
    expect((await h.sdk.send(new GetLogDeliveryConfigurationCommand({ UserPoolId: poolId }))).LogDeliveryConfiguration!.LogConfigurations).toHaveLength(1);
  });
});

describe('after a restart on the same data file', () => {
  it('keeps the branding (logo too) and the log delivery configuration', async () => {
    const before = (await h.sdk.send(new GetUICustomizationCommand({ UserPoolId: poolId, ClientId: webClient }))).UICustomization!;
    h = await h.restart();
    const after = (await h.sdk.send(new GetUICustomizationCommand({ UserPoolId: poolId, ClientId: webClient }))).UICustomization!;
    expect({ ...after, ImageUrl: undefined }).toEqual({ ...before, ImageUrl: undefined });
    const logo = await fetch(after.ImageUrl!);
    expect(Buffer.from(await logo.arrayBuffer()).equals(PNG)).toBe(true);
    expect((await h.sdk.send(new GetLogDeliveryConfigurationCommand({ UserPoolId: poolId }))).LogDeliveryConfiguration!.LogConfigurations).toHaveLength(1);
  });
});
