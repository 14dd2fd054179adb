import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { test, expect, waitForHydration, asVisitor } from "./fixtures";
import { dbPath, query } from "./db";

// Issue 14, item 5: a star rating reaches the A/B analysis. A visitor whose
// real GrowthBook assignment is v3 of `scoring-algorithm` rates the accuracy
// with 4 stars and a comment; the row carries the variant, it is one rating,
// the experiment page counts it under v3 and the inbox's variant filter finds it.

const PASSWORD = "correct horse battery";

/** FNV-1a over UTF-16 code units, as GrowthBook (and contract::experiments) computes it. */
function fnv1a32(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/** GrowthBook's `hash(seed, value, 2)`: a number in [0, 1). */
function gbHash(seed: string, value: string): number {
  return (fnv1a32(String(fnv1a32(seed + value))) % 10_000) / 10_000;
}

/**
 * A new visitor id (the `ats_vid` cookie) that the hash assigns to `variant` of
 * `scoring-algorithm` in the shipped experiments.toml (v2, v3 at 0.5 each, full
 * coverage: v3 is [0.5, 1)). A real, counted assignment, not a forced `?exp.`
 * one; the test checks the page shows v3, so a drift in the file fails loudly.
 */
function visitorIn(variant: "v2" | "v3"): string {
  for (;;) {
    const id = randomBytes(16).toString("hex");
    if (gbHash("scoring-algorithm", id) >= 0.5 === (variant === "v3")) return id;
  }
}

type Rollup = { ratings: number; sum: number };

function rollupV3(): Rollup {
  return (
    query<Rollup>(
      `SELECT ratings, sum FROM rating_rollups
       WHERE experiment = 'scoring-algorithm' AND variant = 'v3' AND question = 'accuracy'`,
    )[0] ?? { ratings: 0, sum: 0 }
  );
}

test("a pinned v3 visitor's 4-star rating with a comment is one rating, under v3 on the experiment page and in the inbox", async ({
  page,
  context,
}) => {
  const visitor = visitorIn("v3");
  await asVisitor(context, visitor);
  const before = rollupV3();
  const comment = `Closer than I expected ${Date.now()}`;
  const token = comment.split(" ").at(-1)!;

  await page.goto("/");
  await waitForHydration(page);
  await page.locator("#load-example").click();
  await expect(page.locator("#score-value")).toHaveText(/^\d+$/);
  await expect(page.locator(".gauge .algo")).toHaveText("Scoring v3.0");

  const status = page.locator("#rating-accuracy-status");
  await page.locator('label[for="rating-accuracy-4"]').click();
  await expect(status).toContainText("Saved 4 stars");
  await page.locator("#rating-accuracy-group summary").click();
  await page.locator("#rating-accuracy-comment").fill(comment);
  await page.locator("#rating-accuracy-group").getByRole("button", { name: "Send comment" }).click();
  await expect(status).toContainText("Saved 4 stars with your comment");
  expect(await page.evaluate(() => localStorage.getItem("ats-feedback-outbox"))).toBeNull();

  // The row: one rating, 4 stars, the comment, the variant the visitor was shown.
  type Row = { id: string; rating: number; message: string | null; variants: string; revision: number };
  const rows = query<Row>(
    `SELECT id, rating, message, variants, revision FROM feedback
     WHERE visitor_id = '${visitor}' AND kind = 'rating' AND question = 'accuracy'`,
  );
  expect(rows).toHaveLength(1);
  expect(rows[0]).toMatchObject({ rating: 4, message: comment, revision: 2 });
  const variants = JSON.parse(rows[0].variants) as Record<string, string>;
  expect(variants["scoring-algorithm"]).toBe("v3");

  // Each variant it carries is one the visitor was exposed to (the exposure
  // events go out in the next batch, within 5 s).
  await page.evaluate(() => {
    Object.defineProperty(document, "hidden", { value: true, configurable: true });
    Object.defineProperty(document, "visibilityState", { value: "hidden", configurable: true });
    document.dispatchEvent(new Event("visibilitychange"));
  });
  const exposed = () =>
    Object.fromEntries(
      query<{ experiment: string; variant: string }>(
        `SELECT experiment, variant FROM exposures WHERE visitor_id = '${visitor}'`,
      ).map((x) => [x.experiment, x.variant]),
    );
  await expect.poll(() => Object.keys(exposed()).length, { timeout: 10_000 }).toBe(3);
  for (const [experiment, variant] of Object.entries(variants)) {
    expect(exposed()[experiment], experiment).toBe(variant);
  }

  // The rollup the experiment page reads: exactly one more rating of 4 under v3.
  const after = rollupV3();
  expect(after).toEqual({ ratings: before.ratings + 1, sum: before.sum + 4 });

  // The product team's view.
  const email = `ratings-${Date.now()}@example.com`;
  execFileSync("../target/release/ats-scorer", ["admin", "create-user", "--email", email], {
    input: `${PASSWORD}\n`,
    env: { ...process.env, DATABASE_URL: `sqlite://${dbPath()}`, LOG_LEVEL: "warn" },
  });
  await page.goto("/admin/login");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Log in" }).click();
  await expect(page.getByRole("heading", { name: "Engagement" })).toBeVisible();

  await page.goto("/admin/experiments/scoring-algorithm");
  const ratings = page.locator('section[aria-labelledby="ratings-h"]');
  await expect(ratings).not.toContainText("No ratings under this experiment yet");
  const accuracy = ratings.locator("h3", { hasText: "Rating: accuracy" }).locator("xpath=following-sibling::div[1]");
  const v3 = accuracy.locator("tr", { has: page.locator("th", { hasText: /^v3$/ }) });
  await expect(v3.locator("td").nth(0)).toHaveText(String(after.ratings));
  await expect(v3.locator("td").nth(1)).toHaveText((after.sum / after.ratings).toFixed(2));

  // The inbox's variant filter, through its form.
  await page.goto("/admin/feedback");
  await page.getByLabel("Search messages").fill(token);
  await page.getByLabel("Variant", { exact: true }).selectOption("scoring-algorithm:v3");
  await page.getByRole("button", { name: "Apply", exact: true }).click();
  await expect(page).toHaveURL(/variant=scoring-algorithm%3Av3/);
  // One row: the rating and its comment are one submission.
  await expect(page.locator("table.inbox tbody tr", { hasText: token })).toHaveCount(1);
  await expect(page.locator("table.inbox tbody tr", { hasText: token })).toContainText(comment);
  await page.getByLabel("Variant", { exact: true }).selectOption("scoring-algorithm:v2");
  await page.getByRole("button", { name: "Apply", exact: true }).click();
  await expect(page).toHaveURL(/variant=scoring-algorithm%3Av2/);
  await expect(page.locator("table.inbox tbody tr", { hasText: token })).toHaveCount(0);
  await expect(page.locator("p.empty")).toHaveText("Nothing matches these filters.");
});
