// Intuit's Node client (npm intuit-oauth), unchanged, through the whole lifecycle against qbdesk's emulator.
// Usage: node intuit_node_client.js   (driven over stdin/stdout by test_intuit_node_client.py)
//
// Protocol, one JSON object per line:
//   in:  {"base_url", "client_id", "client_secret", "redirect_uri", "scopes"}   the emulator and the app
//   out: {"step": "authorize", "url": ...}                                         the address to consent at
//   in:  {"redirect": ...}                                                         where the consent page sent the browser
//   out: {"step": NAME, ...}  for each later step, then {"step": "done"}; {"step": "failed", ...} on an error.
//
// The client is pointed at the emulator through its public configuration only: setAuthorizeURLs() for the
// authorize, token, revoke and userinfo addresses, and its documented static properties jwks_uri and
// environment.sandbox (the base its makeApiCall puts before a relative address).
import { createInterface } from "node:readline";
import OAuthClient from "intuit-oauth";

const lines = createInterface({ input: process.stdin })[Symbol.asyncIterator]();

async function readMessage() {
  const { value, done } = await lines.next();
  if (done) throw new Error("stdin closed before the test answered");
  return JSON.parse(value);
}

function report(step, facts = {}) {
  process.stdout.write(JSON.stringify({ step, ...facts }) + "\n");
}

// What a caller sees of a failure: the client's own error fields, never a stack.
function failure(error) {
  return {
    message: error.message ?? String(error),
    error: error.error ?? null,
    code: error.code ?? null,
    intuit_tid: error.intuit_tid ?? error.intuitTid ?? null,
    status: error.authResponse?.response?.status ?? null,
  };
}

async function outcome(promise) {
  try {
    return { ok: true, value: await promise };
  } catch (error) {
    return { ok: false, ...failure(error) };
  }
}

async function main() {
  const setup = await readMessage();
  const base = setup.base_url;
  const client = new OAuthClient({
    clientId: setup.client_id,
    clientSecret: setup.client_secret,
    environment: "sandbox",
    redirectUri: setup.redirect_uri,
  });
  client.setAuthorizeURLs({
    authorizeEndpoint: `${base}/connect/oauth2`,
    tokenEndpoint: `${base}/oauth2/v1/tokens/bearer`,
    revokeEndpoint: `${base}/v2/oauth2/tokens/revoke`,
    userInfoEndpoint: `${base}/sandbox/v1/openid_connect/userinfo`,
  });
  OAuthClient.jwks_uri = `${base}/op/v1/jwks`;
  OAuthClient.environment.sandbox = `${base}/sandbox/`;

  const state = "interop-state-1";
  report("authorize", { url: client.authorizeUri({ scope: setup.scopes, state }) });
  const { redirect } = await readMessage();

  const created = await client.createToken(redirect);
  const token = client.getToken();
  report("token", {
    status: created.response.status,
    intuit_tid: created.getIntuitTid(),
    access_token: token.access_token,
    refresh_token: token.refresh_token,
    id_token: token.id_token,
    realm_id: token.realmId,
    state: client.token.state ?? null,
    access_token_valid: client.isAccessTokenValid(),
  });

  report("validate_id_token", await outcome(client.validateIdToken()));
  const genuine = client.token.id_token;
  const [header, claims, signature] = genuine.split(".");
  client.token.id_token = `${header}.${claims}.${signature.slice(0, -4)}AAAA`;
  report("validate_forged_id_token", await outcome(client.validateIdToken()));
  client.token.id_token = genuine;

  const userinfo = await outcome(client.getUserInfo().then((response) => response.json));
  report("userinfo", userinfo);

  const realm = token.realmId;
  const companyPath = `v3/company/${realm}/companyinfo/${realm}`;
  report("company_info", await outcome(client.makeApiCall({ url: companyPath }).then((r) => r.json)));

  await client.refresh();
  const refreshed = client.getToken();
  report("refresh", { access_token: refreshed.access_token, refresh_token: refreshed.refresh_token });
  report("company_info_after_refresh", await outcome(client.makeApiCall({ url: companyPath }).then((r) => r.json)));

  const before = client.getToken().getToken(); // a copy: revoke() clears the client's own token
  const revoked = await client.revoke();
  report("revoke", { status: revoked.response.status, cleared: client.getToken().refresh_token === "" });

  report("refresh_after_revoke", await outcome(client.refreshUsingToken(before.refresh_token).then(() => "refreshed")));
  client.setToken(before);
  report("company_info_after_revoke", await outcome(client.makeApiCall({ url: companyPath }).then((r) => r.json)));
  report("done");
}

main().then(
  () => process.exit(0),
  (error) => {
    report("failed", failure(error));
    process.exit(1);
  },
);
