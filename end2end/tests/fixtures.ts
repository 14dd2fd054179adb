import { test as base, expect, Page, BrowserContext } from "@playwright/test";

/** Every test fails on a console error, an uncaught exception or a failed request. */
export const test = base.extend<{ problems: string[] }>({
  problems: [
    async ({ page }, use) => {
      const problems: string[] = [];
      page.on("console", (msg) => {
        if (msg.type() !== "error") return;
        // Chromium reports every 4xx document as a console error; a page the test
        // opened on purpose for its error status is not a problem.
        const expectedLoadError =
          msg.text().startsWith("Failed to load resource") &&
          (expectedStatus.has(msg.location().url) || isExpectedFailure(msg.location().url));
        if (!expectedLoadError) problems.push(`console error: ${msg.text()}`);
      });
      page.on("pageerror", (err) => problems.push(`page error: ${err.message}`));
      page.on("requestfailed", (req) => {
        if (!isExpectedFailure(req.url())) {
          problems.push(`request failed: ${req.url()} (${req.failure()?.errorText})`);
        }
      });
      page.on("response", (res) => {
        if (res.status() >= 400 && !expectedStatus.has(res.url())) {
          problems.push(`HTTP ${res.status()}: ${res.url()}`);
        }
      });
      await use(problems);
      expect(problems, "no console errors or failed requests").toEqual([]);
    },
    { auto: true },
  ],
});

/** URLs a test navigates to on purpose that answer with an error status (a 404 page). */
export const expectedStatus = new Set<string>();

/** URL paths a test makes fail on purpose (a simulated network outage). */
export const expectedFailures = new Set<string>();

function isExpectedFailure(url: string): boolean {
  try {
    return expectedFailures.has(new URL(url).pathname);
  } catch {
    return false;
  }
}

/** Waits until the Wasm bundle has hydrated the server-rendered page. */
export async function waitForHydration(page: Page) {
  await expect(page.locator(".app")).toHaveAttribute("data-hydrated", "true");
}

export { expect };

/**
 * Visitor ids whose GrowthBook assignment is known for the shipped
 * experiments.toml (a Rust test in server/src/experiments.rs keeps them true):
 * CONTROL sees v2 / ranked / summary-first, TREATMENT v3 / plain / keywords-first.
 */
export const CONTROL_VISITOR = "00000000000000000000000000000001";
export const TREATMENT_VISITOR = "000000000000000000000000000003eb";

/** Makes the context's browser that visitor (the `ats_vid` cookie). */
export async function asVisitor(context: BrowserContext, visitor: string) {
  const baseURL = `http://127.0.0.1:${process.env.E2E_PORT ?? 3917}`;
  await context.addCookies([{ name: "ats_vid", value: visitor, url: baseURL }]);
}
