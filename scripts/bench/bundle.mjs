/** Minified + gzipped browser bundle of each vendor entry and of the facade (esbuild). */
import { gzipSync } from "node:zlib";
import { build } from "esbuild";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const ENTRIES = {
  "@signalbridge/zstack": "createZStackClient",
  "@signalbridge/bamboocloud-eiam": "createEiamClient",
  "@signalbridge/enos": "createEnosClient",
  "@signalbridge/sdk": "createSignalBridge",
  "openapi-fetch (reference)": null,
};

/** design.md's targets (esbuild, minify, gzip), in bytes. */
const TARGET_BYTES = {
  "@signalbridge/zstack": 10_000,
  "@signalbridge/bamboocloud-eiam": 10_000,
  "@signalbridge/enos": 10_000,
  "@signalbridge/sdk": 17_000,
};

export async function benchBundles() {
  const out = {};
  for (const [pkg, symbol] of Object.entries(ENTRIES)) {
    const contents = symbol ? `export { ${symbol} } from "${pkg}";` : `export { default } from "openapi-fetch";`;
    const result = await build({
      stdin: { contents, resolveDir: ROOT, loader: "js" },
      bundle: true,
      minify: true,
      format: "esm",
      platform: "browser",
      target: "es2022",
      write: false,
      treeShaking: true,
      metafile: true,
    });
    const code = result.outputFiles[0].contents;
    // The Node transport must never reach a browser: core's "browser"/default export has no undici.
    const nodeOnly = Object.keys(result.metafile.inputs).filter((file) =>
      /node_modules\/undici\/|packages\/core\/dist\/node\/|^node:/.test(file),
    );
    if (nodeOnly.length) throw new Error(`${pkg}: the browser bundle contains Node-only code: ${nodeOnly.slice(0, 5).join(", ")}`);
    const gzipBytes = gzipSync(code, { level: 9 }).length;
    const limit = TARGET_BYTES[pkg];
    out[pkg] = {
      minifiedBytes: code.length,
      gzipBytes,
      nodeOnlyModules: nodeOnly.length,
      ...(limit ? { targetBytes: limit, met: gzipBytes <= limit } : {}),
    };
    if (limit && gzipBytes > limit)
      console.error(`\x1b[31mbundle ${pkg}: ${(gzipBytes / 1000).toFixed(1)} kB gzip, over the ${limit / 1000} kB target\x1b[0m`);
  }
  return { sizes: out, targets: "each vendor entry <= 10 kB gzip; the facade with all three <= 17 kB (design.md)" };
}
