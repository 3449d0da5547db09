// Scan a site with the MDN HTTP Observatory (the npm package @mdn/mdn-http-observatory) and print
// its result as JSON: {"scan": {"grade", "score", ...}, "tests": {...}}.
// Usage: node observatory.mjs HOST[:PORT]
// The package's CLI takes a bare host name (ports 80 and 443). Its scan() puts the "host:port"
// given here into both its http:// and its https:// URL: a loopback server on one port is scanned
// as it is. To trust a local certificate, set NODE_EXTRA_CA_CERTS to its PEM file.
import { existsSync, writeFileSync } from "node:fs";

// The package's install script downloads Chromium's HSTS preload list; the tests install with
// --ignore-scripts (no internet). A local host is on no preload list: an empty one does.
const preloadList = new URL("../conf/hsts-preload.json", import.meta.resolve("@mdn/mdn-http-observatory"));
if (!existsSync(preloadList)) {
  writeFileSync(preloadList, "{}\n");
}

const { scan } = await import("@mdn/mdn-http-observatory");
const result = await scan(process.argv[2]);
const tests = Object.fromEntries(
  Object.entries(result.tests).map(([name, { scoreDescription, ...test }]) => [name, test]),
);
console.log(JSON.stringify({ scan: result.scan, tests }, null, 2));
