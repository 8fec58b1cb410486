import { defineConfig } from "vitest/config";

// `npm test`: fast checks of the built site (dist/). The browser test is separate: e2e/vitest.config.mjs.
export default defineConfig({
  test: {
    include: ["test/**/*.test.mjs"],
  },
});
