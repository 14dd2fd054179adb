import * as fs from "node:fs";
import * as path from "node:path";
import AxeBuilder from "@axe-core/playwright";
import { test, expect, waitForHydration, asVisitor, CONTROL_VISITOR, TREATMENT_VISITOR } from "./fixtures";

// The experiments' control variants (v2 scoring, ranked recommendations, summary first):
// these tests check that page; events.spec.ts covers the other variants.
test.beforeEach(async ({ context }) => asVisitor(context, CONTROL_VISITOR));

// axe-core's WCAG 2.0/2.1 A and AA rules (labels, names, roles, contrast) on
// the page before and after a score, in the light and the dark scheme.

const RESUME = fs.readFileSync(path.join(__dirname, "../../scoring/tests/fixtures/backend-resume.txt"), "utf8");
const JOB = fs.readFileSync(path.join(__dirname, "../../../shared/fixtures/jobs/backend-eng.txt"), "utf8");

for (const colorScheme of ["light", "dark"] as const) {
  test(`the page and its result meet WCAG A and AA (${colorScheme})`, async ({ page }) => {
    await page.emulateMedia({ colorScheme });
    await page.goto("/");
    await waitForHydration(page);
    const tags = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"];
    const empty = await new AxeBuilder({ page }).withTags(tags).analyze();
    expect(empty.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target).join(" ")}`)).toEqual([]);

    await page.getByLabel("Your resume").fill(RESUME);
    await page.getByLabel("Job description").fill(JOB);
    await expect(page.locator("#recommendations .gain").first()).toBeVisible();
    await page.locator("#highlighted-resume summary").click();
    // The ratings (one chosen, its comment box open) and the form's error state.
    await page.locator('label[for="rating-accuracy-4"]').click();
    await expect(page.locator("#rating-accuracy-status")).toContainText("Saved 4 stars");
    await page.locator("#rating-accuracy-group summary").click();
    await page.getByRole("button", { name: "Send feedback" }).click();
    await expect(page.locator("#feedback-message-error")).toBeVisible();
    const scored = await new AxeBuilder({ page }).withTags(tags).analyze();
    expect(scored.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target).join(" ")}`)).toEqual([]);
  });
}

for (const colorScheme of ["light", "dark"] as const) {
  test(`the contact page and its errors meet WCAG A and AA (${colorScheme})`, async ({ page }) => {
    await page.emulateMedia({ colorScheme });
    await page.goto("/contact");
    await waitForHydration(page);
    const tags = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"];
    await page.getByLabel("Email (optional)").fill("not-an-address");
    await page.getByRole("button", { name: "Send message" }).click();
    await expect(page.locator("#contact-email-error")).toBeVisible();
    const result = await new AxeBuilder({ page }).withTags(tags).analyze();
    expect(result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target).join(" ")}`)).toEqual([]);
  });
}

test("the treatment variants' result (v1, plain list, keywords first) meets WCAG A and AA", async ({ page, context }) => {
  await asVisitor(context, TREATMENT_VISITOR);
  await page.goto("/");
  await waitForHydration(page);
  await page.getByLabel("Your resume").fill(RESUME);
  await page.getByLabel("Job description").fill(JOB);
  await expect(page.locator(".report")).toHaveClass(/layout-keywords-first/);
  await expect(page.locator("#recommendations .rec-title").first()).toBeVisible();
  const tags = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"];
  const result = await new AxeBuilder({ page }).withTags(tags).analyze();
  expect(result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target).join(" ")}`)).toEqual([]);
});
