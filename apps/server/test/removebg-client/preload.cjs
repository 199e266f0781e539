// Loaded with `node --require` into the child that runs the unmodified `remove.bg` client. It only
// redirects the network: api.remove.bg resolves to 127.0.0.1, and, when port 443 could not be
// bound, connections to api.remove.bg:443 go to REMOVEBG_FRONT_PORT. The client's code is untouched.
const dns = require("node:dns");
const tls = require("node:tls");

const HOST = "api.remove.bg";
const frontPort = Number(process.env.REMOVEBG_FRONT_PORT || 443);

const lookup = dns.lookup;
dns.lookup = function (hostname, options, callback) {
  if (hostname !== HOST) return lookup.apply(this, arguments);
  const cb = typeof options === "function" ? options : callback;
  const all = typeof options === "object" && options !== null && options.all;
  process.nextTick(() => (all ? cb(null, [{ address: "127.0.0.1", family: 4 }]) : cb(null, "127.0.0.1", 4)));
};

if (frontPort !== 443) {
  const connect = tls.connect;
  tls.connect = function (...args) {
    const options = args.find((a) => typeof a === "object" && a !== null);
    if (options && (options.host === HOST || options.servername === HOST) && Number(options.port || 443) === 443) options.port = frontPort;
    return connect.apply(this, args);
  };
}
