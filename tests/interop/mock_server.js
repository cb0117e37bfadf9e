// oauth2-mock-server on 127.0.0.1 for qbdesk's interop tests.
// Usage: node mock_server.js [port] [--as-is]   (no port: a free one)
// Prints {"issuer": ..., "realm_id": ...} on one line once listening;
// stops on SIGTERM, SIGINT or when stdin closes.
//
// Two gaps are filled through the server's documented events unless --as-is is given:
// - Intuit names the chosen company (realmId) in the redirect; a generic server does not.
// - For an authorization_code grant without a scope parameter the server answers scope "dummy";
//   a real server answers the scope that was authorized (or none, as Intuit does).
import { OAuth2Server } from "oauth2-mock-server";

const args = process.argv.slice(2);
const asIs = args.includes("--as-is");
const port = Number(args.find((a) => /^\d+$/.test(a)) ?? 0);
const REALM_ID = "4620816365255130";

const server = new OAuth2Server();
await server.issuer.keys.generate("RS256");

if (!asIs) {
  const authorizedScope = new Map(); // code -> scope asked for at /authorize
  server.service.on("beforeAuthorizeRedirect", ({ url }, req) => {
    const code = url.searchParams.get("code");
    if (code === null) return;
    if (!url.searchParams.has("realmId")) url.searchParams.set("realmId", REALM_ID);
    if (typeof req.query.scope === "string") authorizedScope.set(code, req.query.scope);
  });
  server.service.on("beforeResponse", (response, req) => {
    const { grant_type: grant, code, scope } = req.body;
    if (grant !== "authorization_code" || scope !== undefined || !authorizedScope.has(code)) return;
    response.body.scope = authorizedScope.get(code);
    authorizedScope.delete(code);
  });
}

await server.start(port, "127.0.0.1");
server.issuer.url = `http://127.0.0.1:${server.address().port}`;
process.stdout.write(JSON.stringify({ issuer: server.issuer.url, realm_id: asIs ? null : REALM_ID }) + "\n");

let stopping = false;
function stop() {
  if (stopping) return;
  stopping = true;
  setTimeout(() => process.exit(0), 2000).unref();
  server.stop().finally(() => process.exit(0));
}
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
process.stdin.on("end", stop);
process.stdin.on("close", stop);
process.stdin.resume();
