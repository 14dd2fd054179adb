import { test, expect, waitForHydration, expectedStatus } from "./fixtures";

test("the home page shows both inputs, the score area and the privacy line", async ({ page }) => {
  await page.goto("/");
  await expect(page).toHaveTitle("Resume ATS Scorer");
  await expect(page.getByText("Your resume never leaves your browser")).toBeVisible();
  await expect(page.getByLabel("Your resume")).toBeVisible();
  await expect(page.getByLabel("Job description")).toBeVisible();
  await expect(page.locator("#score-area")).toContainText(
    "Paste your resume and paste your job description.",
  );
});

test("typing updates the live word count, which only works once hydrated", async ({ page }) => {
  await page.goto("/");
  await waitForHydration(page);
  await expect(page.locator("#resume-count")).toHaveText("0 words · 0 characters");
  await page.getByLabel("Your resume").fill("Rust engineer with Wasm experience");
  await expect(page.locator("#resume-count")).toHaveText("5 words · 34 characters");
  await expect(page.locator("#score-area")).toContainText(
    "Add at least 45 more words to the resume and paste your job description.",
  );
});

test("the example button fills both documents and shows their score", async ({ page }) => {
  await page.goto("/");
  await waitForHydration(page);
  await page.getByRole("button", { name: "Try it with an example" }).click();
  await expect(page.getByLabel("Your resume")).toHaveValue(/Alex Rivera/);
  await expect(page.getByLabel("Job description")).toHaveValue(/Senior Backend Engineer/);
  await expect(page.locator("#score-value")).toHaveText(/^\d+$/);

  // Clear empties only its own box.
  await page.getByRole("button", { name: "Clear" }).first().click();
  await expect(page.getByLabel("Your resume")).toHaveValue("");
  await expect(page.getByLabel("Job description")).not.toHaveValue("");
});

test("an unknown address shows the not-found page with a way back", async ({ page, baseURL }) => {
  const url = `${baseURL}/no-such-page`;
  expectedStatus.add(url);
  const res = await page.goto(url);
  expect(res?.status()).toBe(404);
  await expect(page.getByRole("heading", { name: "Page not found" })).toBeVisible();
  await waitForHydration(page);
  await page.getByRole("main").getByRole("link", { name: "Score a resume" }).click();
  await expect(page).toHaveURL(`${baseURL}/`);
  await expect(page.getByLabel("Your resume")).toBeVisible();
});

test("the hydrated bundle is served with long-lived cache headers", async ({ page }) => {
  const bundle: { url: string; cache: string | undefined }[] = [];
  page.on("response", (res) => {
    if (res.url().includes("/pkg/")) bundle.push({ url: res.url(), cache: res.headers()["cache-control"] });
  });
  await page.goto("/");
  await waitForHydration(page);
  const wasm = bundle.find((b) => b.url.endsWith(".wasm"));
  expect(wasm, "the Wasm bundle was loaded").toBeDefined();
  expect(wasm!.cache).toBe("public, max-age=31536000, immutable");
});
