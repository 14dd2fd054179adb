import * as fs from "node:fs";
import * as path from "node:path";
import type { BrowserContext, Page } from "@playwright/test";
import { test, expect, waitForHydration, expectedFailures } from "./fixtures";
import { dump, query } from "./db";

// Ratings, the feedback form and the contact form against the real server and
// its SQLite file (read with the sqlite3 CLI, see db.ts).

const RESUME = fs.readFileSync(path.join(__dirname, "../../scoring/tests/fixtures/backend-resume.txt"), "utf8");
const JOB = fs.readFileSync(path.join(__dirname, "../../../shared/fixtures/jobs/backend-eng.txt"), "utf8");

type Row = {
  kind: string;
  question: string | null;
  rating: number | null;
  category: string | null;
  message: string | null;
  email: string | null;
  consent: number;
  algorithm: string | null;
  score: number | null;
  page: string;
  ua_class: string;
};

async function visitorId(context: BrowserContext): Promise<string> {
  const cookie = (await context.cookies()).find((c) => c.name === "ats_vid");
  expect(cookie, "the server set a visitor cookie").toBeTruthy();
  return cookie!.value;
}

function rowsOf(visitor: string): Row[] {
  // The visitor id is 32 hex digits (checked below), safe to inline.
  expect(visitor).toMatch(/^[0-9a-f]{32}$/);
  return query<Row>(`SELECT * FROM feedback WHERE visitor_id = '${visitor}' ORDER BY created_at, rowid`);
}

async function scoreIt(page: Page, resume = RESUME) {
  await page.goto("/");
  await waitForHydration(page);
  await page.getByLabel("Your resume").fill(resume);
  await page.getByLabel("Job description").fill(JOB);
  await expect(page.locator("#score-value")).toHaveText(/^\d+$/);
  return Number(await page.locator("#score-value").textContent());
}

test("gives both ratings, changes one with the keyboard, and sends the feedback form", async ({ page, context }) => {
  const score = await scoreIt(page);
  const vid = await visitorId(context);
  // The visitor's scoring-algorithm variant decides which version scored it.
  const algorithm = (await page.locator(".gauge .algo").textContent())!.replace("Scoring ", "");

  const accuracy = page.locator("#rating-accuracy-status");
  await page.locator('label[for="rating-accuracy-4"]').click();
  await expect(accuracy).toContainText("Saved 4 stars");

  // The stars are a radio group: arrow keys move the choice; one pause, one submission.
  await page.locator('label[for="rating-helpfulness-3"]').click();
  await page.keyboard.press("ArrowRight");
  await page.keyboard.press("ArrowRight");
  await expect(page.locator("#rating-helpfulness-5")).toBeChecked();
  await expect(page.locator("#rating-helpfulness-status")).toContainText("Saved 5 stars");

  // A comment goes with the current rating.
  await page.locator("#rating-accuracy-group summary").click();
  await page.getByLabel("Comment (optional)").first().fill("Spot on for the Rust part.");
  await page.locator("#rating-accuracy-group").getByRole("button", { name: "Send comment" }).click();
  await expect(accuracy).toContainText("Saved 4 stars with your comment");

  await page.getByLabel("What is it about?").selectOption("feature");
  await page.getByLabel("Your message").fill("Could you also suggest a summary line?");
  await page.getByRole("button", { name: "Send feedback" }).click();
  await expect(page.locator("#feedback-done")).toContainText("Thank you");

  const rows = rowsOf(vid);
  const ratings = rows.filter((r) => r.kind === "rating");
  // One row per question: the keyboard changes settled into one send, and the
  // comment revised the accuracy rating instead of adding a second one.
  expect(ratings).toHaveLength(2);
  const latest = (q: string) => ratings.filter((r) => r.question === q).at(-1)!;
  expect(latest("helpfulness").rating).toBe(5);
  expect(latest("accuracy")).toMatchObject({ rating: 4, message: "Spot on for the Rust part." });
  for (const r of rows) {
    expect(r).toMatchObject({ algorithm, score, page: "/", ua_class: "desktop/chrome" });
  }
  expect(rows.filter((r) => r.kind === "form")).toEqual([
    expect.objectContaining({
      category: "feature",
      message: "Could you also suggest a summary line?",
      email: null,
      consent: 0,
    }),
  ]);
});

test("a submission made offline is kept, and arrives exactly once after a reload", async ({ page, context }) => {
  const message = `Queued while offline ${Date.now()}`;
  const count = () => query<{ n: number }>(`SELECT COUNT(*) AS n FROM feedback WHERE message = '${message}'`)[0].n;

  await page.goto("/contact");
  await waitForHydration(page);
  expectedFailures.add("/api/feedback");
  await page.route("**/api/feedback", (route) => route.abort("internetdisconnected"));

  await page.getByLabel("What is it about?").selectOption("bug");
  await page.getByLabel("Your message").fill(message);
  await page.getByRole("button", { name: "Send message" }).click();
  await expect(page.locator("#contact-done")).toContainText("saved on this device");
  const outbox = await page.evaluate(() => localStorage.getItem("ats-feedback-outbox"));
  expect(outbox).toContain(message);
  expect(count()).toBe(0);

  // Back online, on the next visit.
  await page.unroute("**/api/feedback");
  expectedFailures.delete("/api/feedback");
  const delivered: number[] = [];
  page.on("response", (res) => {
    if (new URL(res.url()).pathname === "/api/feedback") delivered.push(res.status());
  });
  await page.reload();
  await waitForHydration(page);
  await expect.poll(count, { timeout: 10_000 }).toBe(1);
  await expect.poll(() => page.evaluate(() => localStorage.getItem("ats-feedback-outbox"))).toBeNull();
  // Nothing is sent again: one delivery, one row.
  await page.waitForTimeout(2_500);
  expect(delivered).toEqual([201]);
  expect(count()).toBe(1);
  const [row] = query<Row>(`SELECT * FROM feedback WHERE message = '${message}'`);
  expect(row).toMatchObject({ kind: "contact", category: "bug", page: "/contact" });
  expect(rowsOf(await visitorId(context))).toHaveLength(1);
});

test("the contact form explains each problem inline, then keeps the email only with consent", async ({ page, context }) => {
  await page.goto("/contact");
  await waitForHydration(page);
  const send = page.getByRole("button", { name: "Send message" });

  await send.click();
  await expect(page.locator("#contact-category-error")).toHaveText("Topic is required: choose what your message is about.");
  await expect(page.locator("#contact-message-error")).toHaveText("Message must not be empty.");
  await expect(page.getByLabel("What is it about?")).toBeFocused();
  await expect(page.getByLabel("Your message")).toHaveAttribute("aria-invalid", "true");

  await page.getByLabel("What is it about?").selectOption("question");
  await page.getByLabel("Your message").fill("x".repeat(5_001));
  await expect(page.locator("#contact-message-count")).toContainText("5,001 / 5,000");
  await send.click();
  await expect(page.locator("#contact-message-error")).toHaveText(
    "Message must be at most 5,000 characters (it has 5,001).",
  );

  await page.getByLabel("Your message").fill("Do you support cover letters?");
  await page.getByLabel("Email (optional)").fill("ana@example.com");
  await send.click();
  await expect(page.locator("#contact-consent-error")).toContainText("Consent is required");
  expect(rowsOf(await visitorId(context))).toHaveLength(0);

  await page.getByLabel(/Keep my email/).check();
  await send.click();
  await expect(page.locator("#contact-done")).toContainText("Thank you");
  expect(rowsOf(await visitorId(context))).toEqual([
    expect.objectContaining({ kind: "contact", category: "question", email: "ana@example.com", consent: 1 }),
  ]);

  // "Send another" gives an empty form back.
  await page.getByRole("button", { name: "Send another" }).click();
  await expect(page.getByLabel("Your message")).toHaveValue("");
});

test("no feedback row, nor anything else in the database, holds the resume text of the session", async ({ page, context }) => {
  const SENTINEL = "Quillfeather-Zephyrine-5520";
  const resume = RESUME.replace("SUMMARY", `SUMMARY\n${SENTINEL} platform engineer`);
  const distinctiveLine = RESUME.split("\n").find((l) => l.trim().length > 40)!.trim();
  const bodies: string[] = [];
  page.on("request", (req) => bodies.push(req.url() + (req.postData() ?? "")));

  await scoreIt(page, resume);
  await page.locator('label[for="rating-accuracy-2"]').click();
  await expect(page.locator("#rating-accuracy-status")).toContainText("Saved 2 stars");
  await page.locator('label[for="rating-helpfulness-4"]').click();
  await expect(page.locator("#rating-helpfulness-status")).toContainText("Saved 4 stars");
  await page.getByLabel("What is it about?").selectOption("bug");
  await page.getByLabel("Your message").fill("The score seems low for my resume.");
  await page.getByRole("button", { name: "Send feedback" }).click();
  await expect(page.locator("#feedback-done")).toContainText("Thank you");
  expect(rowsOf(await visitorId(context)).length).toBeGreaterThanOrEqual(3);

  const everything = dump();
  expect(everything).toContain("The score seems low for my resume.");
  expect(everything).not.toContain(SENTINEL);
  expect(everything).not.toContain(distinctiveLine);
  expect(everything).not.toContain(JOB.split("\n").find((l) => l.trim().length > 40)!.trim());
  expect(bodies.filter((b) => b.includes(SENTINEL))).toEqual([]);
});
