// Runs one call of the unmodified `remove.bg` npm client and prints what it resolved or rejected
// with, as one JSON line. argv[2]: a JSON file holding { client: absolute path of the package, call: its function name, options }.
const { client, call, options } = JSON.parse(require("node:fs").readFileSync(process.argv[2], "utf8"));
const removeBg = require(client);

removeBg[call](options).then(
  (result) => process.stdout.write(JSON.stringify({ ok: true, result }) + "\n"),
  (error) => process.stdout.write(JSON.stringify({ ok: false, error: error instanceof Error ? { message: error.message } : error }) + "\n"),
);
