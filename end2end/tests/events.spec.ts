import * as fs from "node:fs";
import * as path from "node:path";
import type { Page } from "@playwright/test";
import { test, expect, waitForHydration, asVisitor, CONTROL_VISITOR, TREATMENT_VISITOR } from "./fixtures";
import { query } from "./db";

// Usage events and experiments against the real server and its database.

const RESUME = fs.readFileSync(path.join(__dirname, "../../scoring/tests/fixtures/backend-resume.txt"), "utf8");
const JOB = fs.readFileSync(path.join(__dirname, "../../../shared/fixtures/jobs/backend-eng.txt"), "utf8");

type EventRow = { kind: string; variants: string; props: string; page: string };

async function score(page: Page, url = "/") {
  await page.goto(url);
  await waitForHydration(page);
  await page.getByLabel("Your resume").fill(RESUME);
  await page.getByLabel("Job description").fill(JOB);
  await expect(page.locator("#score-value")).toHaveText(/^\d+$/);
}

/** The page goes out of sight (tab switched, window minimised). */
async function hide(page: Page) {
  await page.evaluate(() => {
    Object.defineProperty(document, "hidden", { value: true, configurable: true });
    Object.defineProperty(document, "visibilityState", { value: "hidden", configurable: true });
    document.dispatchEvent(new Event("visibilitychange"));
  });
}

async function session(page: Page): Promise<string> {
  const id = await page.evaluate(() => sessionStorage.getItem("ats-session"));
  expect(id).toMatch(/^[0-9a-f-]{36}$/);
  return id!;
}

function eventsOf(sessionId: string): EventRow[] {
  return query<EventRow>(
    `SELECT kind, variants, props, page FROM events WHERE session_id = '${sessionId}' ORDER BY ts, rowid`,
  );
}

test("a visit's page view, score, exposures and page time are stored with the variant the page showed", async ({ page, context }) => {
  await asVisitor(context, TREATMENT_VISITOR);
  await score(page);
  // The treatment variants, visible on the page.
  await expect(page.locator(".gauge .algo")).toHaveText("Scoring v3.0");
  await expect(page.locator(".report")).toHaveClass(/layout-keywords-first/);
  await expect(page.locator("#recommendations .gain")).toHaveCount(0);
  await expect(page.locator("#recommendations h3")).toHaveText("What to change");
  await hide(page);

  const sid = await session(page);
  await expect.poll(() => eventsOf(sid).map((e) => e.kind).filter((k) => k === "page_time").length, { timeout: 10_000 }).toBe(1);
  const events = eventsOf(sid);
  const kinds = events.map((e) => e.kind);
  expect(kinds).toContain("page_view");
  expect(kinds.filter((k) => k === "exposure")).toHaveLength(3);
  const scored = events.find((e) => e.kind === "score_computed")!;
  expect(JSON.parse(scored.props)).toMatchObject({ variant: "v3", algorithm: "v3.0", source: "paste" });
  expect(JSON.parse(scored.variants)).toEqual({
    "scoring-algorithm": "v3",
    "recommendation-style": "plain",
    "result-layout": "keywords-first",
  });
  const time = JSON.parse(events.find((e) => e.kind === "page_time")!.props);
  expect(time.total_ms).toBeGreaterThanOrEqual(time.visible_ms);
  expect(time.visible_ms).toBeGreaterThan(0);
  const exposures = query<{ experiment: string; variant: string }>(
    `SELECT experiment, variant FROM exposures WHERE visitor_id = '${TREATMENT_VISITOR}' ORDER BY experiment`,
  );
  expect(exposures).toEqual([
    { experiment: "recommendation-style", variant: "plain" },
    { experiment: "result-layout", variant: "keywords-first" },
    { experiment: "scoring-algorithm", variant: "v3" },
  ]);
  // Nothing a person typed is in any event.
  expect(events.every((e) => !e.props.includes("Kubernetes") && !e.props.includes("@"))).toBe(true);
});

test("reloading keeps the same variants and does not expose twice", async ({ page, context }) => {
  await asVisitor(context, TREATMENT_VISITOR);
  await score(page);
  await expect(page.locator(".report")).toHaveClass(/layout-keywords-first/);
  const sid = await session(page);
  await page.reload();
  await waitForHydration(page);
  await page.getByLabel("Your resume").fill(RESUME);
  await page.getByLabel("Job description").fill(JOB);
  await expect(page.locator(".gauge .algo")).toHaveText("Scoring v3.0");
  await expect(page.locator(".report")).toHaveClass(/layout-keywords-first/);
  await hide(page);
  await expect.poll(() => eventsOf(sid).filter((e) => e.kind === "page_view").length, { timeout: 10_000 }).toBe(2);
  await expect.poll(() => eventsOf(sid).filter((e) => e.kind === "score_computed").length).toBeGreaterThanOrEqual(2);
  expect(eventsOf(sid).filter((e) => e.kind === "exposure")).toHaveLength(3);
});

test("?exp.scoring-algorithm=v3 forces v3 and is not counted", async ({ page, context }) => {
  await asVisitor(context, CONTROL_VISITOR);
  await score(page, "/?exp.scoring-algorithm=v3");
  await expect(page.locator(".gauge .algo")).toHaveText("Scoring v3.0");
  // The other experiments keep the visitor's own (control) variants.
  await expect(page.locator(".report")).toHaveClass(/layout-summary-first/);
  await expect(page.locator("#recommendations .gain").first()).toBeVisible();
  await hide(page);
  const sid = await session(page);
  await expect.poll(() => eventsOf(sid).some((e) => e.kind === "score_computed"), { timeout: 10_000 }).toBe(true);
  const events = eventsOf(sid);
  const scored = events.find((e) => e.kind === "score_computed")!;
  expect(JSON.parse(scored.props).variant).toBe("v3");
  expect(JSON.parse(scored.variants)).not.toHaveProperty("scoring-algorithm");
  const exposed = events.filter((e) => e.kind === "exposure").map((e) => JSON.parse(e.props).experiment);
  expect(exposed.sort()).toEqual(["recommendation-style", "result-layout"]);
});

test("without a forced variant the control visitor sees v2", async ({ page, context }) => {
  await asVisitor(context, CONTROL_VISITOR);
  await score(page);
  await expect(page.locator(".gauge .algo")).toHaveText("Scoring v2.0");
});

test("a browser that sends Do Not Track sends no events and sees the control variants", async ({ browser }) => {
  const context = await browser.newContext({ extraHTTPHeaders: { DNT: "1" } });
  await asVisitor(context, TREATMENT_VISITOR);
  const page = await context.newPage();
  const posts: string[] = [];
  page.on("request", (r) => {
    if (new URL(r.url()).pathname === "/api/events") posts.push(r.url());
  });
  await score(page);
  await expect(page.locator(".gauge .algo")).toHaveText("Scoring v2.0");
  await expect(page.locator(".report")).toHaveClass(/layout-summary-first/);
  await hide(page);
  const sid = await session(page);
  await page.waitForTimeout(1_000);
  expect(posts).toEqual([]);
  expect(eventsOf(sid)).toEqual([]);
  await context.close();
});

test("opening all recommendations and copying keywords are recorded", async ({ page, context }) => {
  await asVisitor(context, CONTROL_VISITOR);
  await context.grantPermissions(["clipboard-read", "clipboard-write"]);
  await score(page);
  // The backend resume gets more than five recommendations: the rest are folded.
  const more = page.locator("#show-all-recommendations");
  await expect(more).toHaveText(/^Show all \d+ changes$/);
  const total = Number((await more.textContent())!.match(/\d+/)![0]);
  await expect(page.locator("#recommendations .recommendation:visible")).toHaveCount(5);
  await more.click();
  await expect(more).toBeHidden();
  await expect(page.locator("#recommendations .recommendation:visible")).toHaveCount(total);
  await page.locator("#copy-missing").click();
  await expect(page.locator(".copy-status")).toContainText("Copied");
  await hide(page);
  const sid = await session(page);
  await expect.poll(() => eventsOf(sid).some((e) => e.kind === "keywords_copied"), { timeout: 10_000 }).toBe(true);
  const copied = eventsOf(sid).find((e) => e.kind === "keywords_copied")!;
  expect(JSON.parse(copied.props).count).toBeGreaterThan(0);
  const expanded = eventsOf(sid).find((e) => e.kind === "recommendation_expanded");
  expect(JSON.parse(expanded!.props)).toEqual({ shown: total });
});
