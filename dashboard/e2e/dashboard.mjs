// Drives the dashboard in headless Chromium (Debian's, /usr/bin/chromium) against a running server,
// for the server module's DashboardBrowserTest, which seeds the cases, reads what this prints and
// checks it against the API. Lines it prints for the test start with an upper-case tag.
//
// MINQING_HTTP: the server's HTTP port; SCREENSHOTS: where the pages' screenshots go;
// MINQING_CLOCK_AHEAD_MS: how far the server's clock is ahead of real time (the test moves it so
// that deadlines pass), which the page's clock is set to as well.
import { chromium } from "playwright-core";
import { createInterface } from "node:readline";
import { mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

const base = process.env.MINQING_HTTP;
const shots = process.env.SCREENSHOTS;
mkdirSync(shots, { recursive: true });
const stdin = createInterface({ input: process.stdin });
const lines = stdin[Symbol.asyncIterator]();
const report = (tag, value) => console.log(`${tag} ${JSON.stringify(value)}`);

const browser = await chromium.launch({
  executablePath: "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync"],
});
try {
  const context = await browser.newContext({ viewport: { width: 1366, height: 768 }, acceptDownloads: true, timezoneId: "Asia/Shanghai" });
  const ahead = Number(process.env.MINQING_CLOCK_AHEAD_MS ?? "0");
  await context.clock.setSystemTime(new Date(Date.now() + ahead));
  const page = await context.newPage();
  page.on("pageerror", (error) => report("PAGE_ERROR", String(error)));

  // Log in with a wrong key, then the supervisor's.
  await page.goto(`${base}/dashboard/`);
  await page.getByLabel("API 密钥").fill("not-a-key");
  await page.getByRole("button", { name: "登录" }).click();
  report("LOGIN_REFUSED", await page.getByRole("alert").innerText());
  await page.screenshot({ path: join(shots, "login.png") });
  await page.getByLabel("API 密钥").fill("minqing-dev-supervisor");
  await page.getByRole("button", { name: "登录" }).click();

  // The worklist.
  await page.locator("table.worklist tbody tr").first().waitFor();
  const rows = async () => page.locator("table.worklist tbody tr").evaluateAll((trs) => trs.map((tr) => ({
    case: tr.getAttribute("data-case"),
    status: tr.cells[0].innerText.trim(),
    department: tr.cells[3].innerText.trim(),
  })));
  report("WORKLIST", await rows());
  await page.screenshot({ path: join(shots, "worklist.png"), fullPage: true });

  // A new overdue case appears without a reload.
  console.log("WAITING_FOR_NEW_CASE");
  const [created, nowAhead] = (await lines.next()).value.trim().split(" ");
  await context.clock.setSystemTime(new Date(Date.now() + Number(nowAhead)));
  await page.locator(`table.worklist tbody tr[data-case="${created}"]`).waitFor({ timeout: 30000 });
  report("LIVE", created);

  // Export the worklist as CSV.
  const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("button", { name: "导出 CSV" }).click()]);
  const csvPath = join(shots, "worklist.csv");
  await download.saveAs(csvPath);
  report("CSV", readFileSync(csvPath).toString("base64"));

  // A case: summary, timeline, the chain's verdict.
  await page.locator(`table.worklist tbody tr[data-case="${created}"] a`).click();
  await page.locator("table.timeline tbody tr").first().waitFor();
  await page.locator('[data-testid="verdict"]', { hasText: "完整" }).waitFor();
  report("CASE", {
    title: await page.locator("#case-title").innerText(),
    timeline: await page.locator("table.timeline tbody tr").count(),
    verdict: await page.locator('[data-testid="verdict"]').innerText(),
  });
  await page.screenshot({ path: join(shots, "case.png"), fullPage: true });

  // The rates: the chart and its table, in English this time.
  await page.getByRole("button", { name: "English" }).click();
  await page.getByRole("button", { name: "Rates" }).click();
  await page.locator("table.rates tbody tr").first().waitFor();
  await page.locator(".chart canvas").waitFor();
  report("RATES", {
    period: await page.getByTestId("period").inputValue(),
    rows: await page.locator("table.rates tbody tr").evaluateAll((trs) => trs.map((tr) => ({
      value: tr.getAttribute("data-value"),
      cells: [...tr.cells].slice(1).map((td) => td.innerText.trim()),
    }))),
    ranking: await page.locator("table.rankings tbody tr").count(),
  });
  await page.screenshot({ path: join(shots, "rates.png"), fullPage: true });

  // Keyboard: the navigation is reachable with Tab and works with Enter.
  await page.getByRole("button", { name: "Worklist" }).focus();
  await page.keyboard.press("Enter");
  await page.locator("table.worklist").waitFor();
  report("KEYBOARD", "worklist");

  // A department sees only its own cases, on a tablet.
  const tablet = await browser.newContext({ viewport: { width: 820, height: 1180 }, timezoneId: "Asia/Shanghai" });
  await tablet.clock.setSystemTime(new Date(Date.now() + Number(nowAhead)));
  const department = await tablet.newPage();
  await department.goto(`${base}/dashboard/`);
  await department.getByLabel("API 密钥").fill("minqing-dev-water-bureau");
  await department.getByRole("button", { name: "登录" }).click();
  await department.locator("table.worklist tbody tr").first().waitFor();
  report("DEPARTMENT", await department.locator("table.worklist tbody tr").evaluateAll((trs) => trs.map((tr) => ({
    case: tr.getAttribute("data-case"),
    department: tr.cells[3].innerText.trim(),
  }))));
  await department.screenshot({ path: join(shots, "department-tablet.png"), fullPage: true });
} finally {
  await browser.close();
  stdin.close();
}
