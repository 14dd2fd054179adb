import { execFileSync } from "node:child_process";
import AxeBuilder from "@axe-core/playwright";
import { test, expect } from "@playwright/test";
import { dbPath, query } from "./db";

// The product team's area in a real browser: stored payloads render as text and
// run nothing; login, triage and logout work without JavaScript.

const PASSWORD = "correct horse battery";

function createAdmin(email: string) {
  execFileSync("../target/release/ats-scorer", ["admin", "create-user", "--email", email], {
    input: `${PASSWORD}\n`,
    env: { ...process.env, DATABASE_URL: `sqlite://${dbPath()}`, LOG_LEVEL: "warn" },
  });
}

function uuid(): string {
  return crypto.randomUUID();
}

const PAYLOADS = [
  `<script>window.__xss = "script"; alert(1)</script>`,
  `<img src=x onerror="window.__xss = 'img'; alert(2)">`,
  `"><svg onload="window.__xss = 'svg'"></svg>`,
];

test("a stored script or image payload is shown as text and runs nothing", async ({ page, request }) => {
  const email = `xss-${Date.now()}@example.com`;
  createAdmin(email);
  const marker = `xss${Date.now()}`;
  for (const payload of PAYLOADS) {
    const res = await request.post("/api/feedback", {
      data: { id: uuid(), kind: "form", category: "bug", message: `${marker} ${payload}`, context: { page: "/" } },
    });
    expect(res.status()).toBe(201);
  }
  const dialogs: string[] = [];
  page.on("dialog", (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });

  await page.goto("/admin/feedback");
  await expect(page).toHaveURL(/\/admin\/login\?next=/);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Log in" }).click();
  await expect(page.getByRole("heading", { name: "Feedback", level: 1 })).toBeVisible();

  await page.goto(`/admin/feedback?q=${marker}`);
  await expect(page.getByRole("heading", { name: "3 message(s)" })).toBeVisible();
  for (const payload of PAYLOADS) {
    await expect(page.locator("td.message", { hasText: payload })).toHaveCount(1);
  }
  // The detail page shows the whole message as text too, and a note with a payload stays text.
  await page.locator("td.message", { hasText: "<img src=x" }).locator("xpath=..").getByRole("link").click();
  await expect(page.locator(".message-full")).toHaveText(`${marker} ${PAYLOADS[1]}`);
  await page.getByLabel(/Internal note/).fill(PAYLOADS[0]);
  await page.getByRole("button", { name: "Save" }).click();
  await expect(page.getByRole("status")).toHaveText("Saved.");
  await expect(page.getByLabel(/Internal note/)).toHaveValue(PAYLOADS[0]);

  for (const url of [`/admin/feedback?q=${marker}`, page.url()]) {
    await page.goto(url);
    expect(await page.evaluate(() => (window as unknown as { __xss?: string }).__xss)).toBeUndefined();
    await expect(page.locator("main img, main script, main svg[onload]")).toHaveCount(0);
  }
  expect(dialogs).toEqual([]);
});

test("an admin triages a message from the inbox and logs out", async ({ page, request }) => {
  const email = `triage-${Date.now()}@example.com`;
  createAdmin(email);
  const id = uuid();
  const text = `Please add LinkedIn import ${Date.now()}`;
  expect((await request.post("/api/feedback", { data: { id, kind: "form", category: "feature", message: text, context: { page: "/" } } })).status()).toBe(201);

  await page.goto("/admin/login");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill("not the password");
  await page.getByRole("button", { name: "Log in" }).click();
  await expect(page.getByRole("alert")).toContainText("do not match");
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Log in" }).click();
  await expect(page.getByRole("heading", { name: "Engagement" })).toBeVisible();

  await page.getByRole("link", { name: "Feedback" }).click();
  await page.getByLabel("Search messages").fill("LinkedIn");
  await page.getByRole("button", { name: "Apply", exact: true }).click();
  await page.getByLabel(/Select Feedback · feature/).first().check();
  await page.getByLabel("Set the selected to").selectOption("done");
  await page.getByRole("button", { name: "Apply to selected" }).click();
  await expect(page.getByRole("status")).toContainText("1 row(s) updated");
  expect(query<{ status: string }>(`SELECT status FROM feedback WHERE id = '${id}'`)[0].status).toBe("done");

  await page.getByRole("button", { name: "Log out" }).click();
  await expect(page).toHaveURL(/\/admin\/login$/);
  await page.goto("/admin");
  await expect(page).toHaveURL(/\/admin\/login\?next=/);
});

for (const colorScheme of ["light", "dark"] as const) {
  test(`the admin pages meet WCAG A and AA (${colorScheme})`, async ({ page, request }) => {
    await page.emulateMedia({ colorScheme });
    const email = `a11y-${colorScheme}-${Date.now()}@example.com`;
    createAdmin(email);
    const id = uuid();
    expect((await request.post("/api/feedback", { data: { id, kind: "form", category: "question", message: "Does it read DOCX tables?", context: { page: "/" } } })).status()).toBe(201);
    const tags = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"];
    const check = async (what: string) => {
      const result = await new AxeBuilder({ page }).withTags(tags).analyze();
      expect(result.violations.map((v) => `${what} ${v.id}: ${v.nodes.map((n) => n.target).join(" ")}`)).toEqual([]);
    };
    await page.goto("/admin/login");
    await check("login");
    await page.getByLabel("Email").fill(email);
    await page.getByLabel("Password").fill(PASSWORD);
    await page.getByRole("button", { name: "Log in" }).click();
    await expect(page.getByRole("heading", { name: "Engagement" })).toBeVisible();
    await check("overview");
    await page.goto("/admin/feedback?rating=9");
    await expect(page.getByRole("alert")).toBeVisible();
    await check("inbox with a filter error");
    await page.goto(`/admin/feedback/${id}`);
    await check("detail");
    await page.goto("/admin/experiments");
    await check("experiments");
    await page.goto("/admin/experiments/scoring-algorithm");
    await check("experiment");
  });
}
