// A real OpenID Connect provider for the single sign-on end-to-end test (panva's oidc-provider,
// certified by the OpenID Foundation), run by tests/accounts/test_single_sign_on.py as
//
//   node provider.mjs PORT CLIENT_ID CLIENT_SECRET REDIRECT_URI
//
// It signs ID tokens with an RS256 key made at start, requires PKCE (S256) of every client, and
// signs people in through its own development login form: whatever is typed as the login is the
// account's email address (verified). /other-jwks serves a different key under the same key id,
// for the test that an ID token's signature is checked. Prints "ready" once it listens.
import http from "node:http";
import { exportJWK, generateKeyPair } from "jose";
import Provider from "oidc-provider";

const [port, clientId, clientSecret, redirectUri] = process.argv.slice(2);
const issuer = `http://127.0.0.1:${port}`;

async function signingKey() {
  const { privateKey } = await generateKeyPair("RS256", { extractable: true });
  return { ...(await exportJWK(privateKey)), kid: "test-key", alg: "RS256", use: "sig" };
}

const key = await signingKey();
const otherKey = await signingKey();
const { d, p, q, dp, dq, qi, ...otherPublic } = otherKey;

const provider = new Provider(issuer, {
  clients: [
    {
      client_id: clientId,
      client_secret: clientSecret,
      redirect_uris: [redirectUri],
      grant_types: ["authorization_code"],
      response_types: ["code"],
      token_endpoint_auth_method: "client_secret_post",
    },
  ],
  jwks: { keys: [key] },
  pkce: { required: () => true },
  claims: { openid: ["sub"], email: ["email", "email_verified"], profile: ["name"] },
  // The claims of the scopes asked for go in the ID token itself, as Entra ID's optional
  // claims do: the app reads the signed ID token, not the userinfo endpoint.
  conformIdTokenClaims: false,
  findAccount: async (_ctx, id) => ({
    accountId: id,
    claims: async () => ({ sub: id, email: id, email_verified: true, name: id }),
  }),
  cookies: { keys: ["a-test-only-cookie-key"] },
  features: { devInteractions: { enabled: true } },
});
provider.on("server_error", (_ctx, error) => console.error(error));

const callback = provider.callback();
http
  .createServer((request, response) => {
    if (request.url === "/other-jwks") {
      response.setHeader("Content-Type", "application/json");
      response.end(JSON.stringify({ keys: [otherPublic] }));
      return;
    }
    callback(request, response);
  })
  .listen(Number(port), "127.0.0.1", () => console.log("ready"));
