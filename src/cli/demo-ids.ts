// The ids in seeds/demo.json, so `authchart signin` works against `npm start` with no flags.
export const DEMO_USER_POOL_ID = 'us-east-1_authchart';
export const DEMO_CLIENT_ID = 'authchartdemoclient0000000';
