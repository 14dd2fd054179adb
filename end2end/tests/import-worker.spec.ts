import * as fs from "node:fs";
import * as path from "node:path";
import { test, expect, waitForHydration, asVisitor, CONTROL_VISITOR } from "./fixtures";
import type { Page } from "@playwright/test";

// The experiments' control variants (v2 scoring, ranked recommendations, summary first):
// these tests check that page; events.spec.ts covers the other variants.
test.beforeEach(async ({ context }) => asVisitor(context, CONTROL_VISITOR));

// The file-import worker on its own (the page's drop zone comes next): it is
// not part of the first load, reads real PDFs in Chromium, and a hostile file
// cannot take the page down.

const FIXTURES = path.join(__dirname, "../../../shared/fixtures/resumes-pdf");

type Answer = { result?: string; crashed?: string; progress: [number, number][]; ms: number };

async function extractInWorker(page: Page, name: string, bytes: Buffer): Promise<Answer> {
  return page.evaluate(
    async ({ name, data }) => {
      const bytes = Uint8Array.from(atob(data), (c) => c.charCodeAt(0)).buffer;
      const worker = new Worker("/worker/extract-worker.js");
      const progress: [number, number][] = [];
      const start = performance.now();
      const answer = await new Promise<any>((resolve) => {
        worker.onmessage = (e) => {
          if (e.data.result !== undefined) resolve({ result: e.data.result });
          else progress.push([e.data.page, e.data.pages]);
        };
        worker.onerror = (e) => {
          e.preventDefault();
          resolve({ crashed: e.message || "worker error" });
        };
        worker.postMessage({ id: 1, name, bytes }, [bytes]);
      });
      worker.terminate();
      return { ...answer, progress, ms: performance.now() - start };
    },
    { name, data: bytes.toString("base64") },
  );
}

test("the first load does not fetch the import worker", async ({ page }) => {
  const urls: string[] = [];
  page.on("request", (r) => urls.push(r.url()));
  await page.goto("/");
  await waitForHydration(page);
  expect(urls.filter((u) => u.includes("/worker/"))).toEqual([]);
});

test("the worker reads a two-column fixture PDF with page progress", async ({ page }) => {
  await page.goto("/");
  const pdf = fs.readFileSync(path.join(FIXTURES, "unknown/chromium-two-column-sidebar.pdf"));
  const answer = await extractInWorker(page, "resume.pdf", pdf);
  expect(answer.crashed).toBeUndefined();
  const doc = JSON.parse(answer.result!).ok;
  expect(doc.kind).toBe("pdf");
  expect(doc.pages).toBe(2);
  expect(doc.text.startsWith("Jamie Rivera")).toBe(true);
  expect(doc.text).toContain("EXPERIENCE");
  expect(answer.progress).toEqual([
    [1, 2],
    [2, 2],
  ]);
});

test("hostile files give an error answer, and the page keeps working", async ({ page }) => {
  await page.goto("/");
  await waitForHydration(page);
  const pdf = fs.readFileSync(path.join(FIXTURES, "latex/multi-degree-coursework.pdf"));
  const random = Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919 + 13) % 256));
  const cases: [string, Buffer][] = [
    ["truncated.pdf", pdf.subarray(0, Math.floor(pdf.length / 2))],
    ["random.pdf", Buffer.concat([Buffer.from("%PDF-1.7\n"), random])],
    ["fake.docx", Buffer.concat([Buffer.from("PK\x03\x04"), random])],
    ["big.pdf", Buffer.alloc(11 * 1024 * 1024, 0x41)],
  ];
  for (const [name, bytes] of cases) {
    const answer = await extractInWorker(page, name, bytes);
    if (answer.crashed) continue; // a crash is survivable: the page builds a new worker
    const parsed = JSON.parse(answer.result!);
    expect(parsed.error?.message, name).toBeTruthy();
  }
  // The page still scores pasted text.
  await page.getByRole("button", { name: "Try it with an example" }).click();
  await expect(page.locator("#score-value")).toHaveText(/^\d+$/);
});

test("records worker extraction times for the fixtures", async ({ page }, testInfo) => {
  await page.goto("/");
  const files = [
    "latex/multi-degree-coursework.pdf",
    "unknown/chromium-two-column-sidebar.pdf",
    "google-docs/google-docs-skia-proxy-multiline-bullets-coursework.pdf",
    "latex/awesome-cv-cv.pdf",
  ];
  const record: Record<string, number> = {};
  for (const f of files) {
    const bytes = fs.readFileSync(path.join(FIXTURES, f));
    const times: number[] = [];
    for (let i = 0; i < 5; i++) times.push((await extractInWorker(page, "r.pdf", bytes)).ms);
    times.sort((a, b) => a - b);
    record[f] = times[2];
  }
  await testInfo.attach("worker-extract", { body: JSON.stringify(record, null, 2), contentType: "application/json" });
  console.log(`worker extract median ms (incl. worker start): ${JSON.stringify(record)}`);
  expect(Object.keys(record).length).toBe(4);
});
