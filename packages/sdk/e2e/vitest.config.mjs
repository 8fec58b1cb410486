import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

// `npm run test:e2e`: the facade bundled for the browser, run in headless Chromium.
export default defineConfig({
  root: fileURLToPath(new URL("..", import.meta.url)),
  test: {
    include: ["e2e/**/*.e2e.test.mjs"],
    testTimeout: 120_000,
    hookTimeout: 60_000,
  },
});
