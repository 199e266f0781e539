import yauzl from "yauzl";

/** A ZIP's entries by name, read with a real ZIP reader. */
export function unzip(data: Buffer): Promise<Record<string, Buffer>> {
  return new Promise((resolve, reject) => {
    yauzl.fromBuffer(data, { lazyEntries: true }, (error, zip) => {
      if (error || !zip) return reject(error ?? new Error("not a ZIP"));
      const out: Record<string, Buffer> = {};
      zip.on("entry", (entry: yauzl.Entry) => {
        zip.openReadStream(entry, (err, stream) => {
          if (err || !stream) return reject(err ?? new Error(`cannot read ${entry.fileName}`));
          const chunks: Buffer[] = [];
          stream.on("data", (c: Buffer) => chunks.push(c));
          stream.on("error", reject);
          stream.on("end", () => ((out[entry.fileName] = Buffer.concat(chunks)), zip.readEntry()));
        });
      });
      zip.on("error", reject);
      zip.on("end", () => resolve(out));
      zip.readEntry();
    });
  });
}
