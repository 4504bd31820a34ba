// The web chat in a real headless Chromium, as a resident on a phone uses it:
// greeting and menu buttons, browsing to an explainer, the feedback form by typing and
// clicking, booking a session with the Startup Advisory Office, switching to English,
// reloading the page. Starts the real binary on a free port.
//
//   node tests/browser/webchat.test.mjs <path to outreach-bot> <content dir>
//
// Chromium comes from Debian (/usr/bin/chromium); playwright-core only drives it.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { launchChromium, startBot, stopAll } from "./harness.mjs";

const [binary, contentDir] = process.argv.slice(2);
if (!binary || !contentDir) {
  console.error("usage: node webchat.test.mjs <outreach-bot binary> <content dir>");
  process.exit(2);
}
const here = dirname(fileURLToPath(import.meta.url));
const work = mkdtempSync(join(tmpdir(), "outreach-browser-"));
const shots = process.env.OUTREACH_SCREENSHOTS || join(work, "screenshots");
mkdirSync(shots, { recursive: true });


const step = (name) => console.log("• " + name);

const bot = startBot(binary, join(work, "bot.sqlite3"), contentDir);
let browser;
let failed = false;
try {
  const port = await bot.port;
  const base = `http://127.0.0.1:${port}`;
  browser = await launchChromium();
  const context = await browser.newContext({
    viewport: { width: 360, height: 740 },
    deviceScaleFactor: 2,
    isMobile: true,
    hasTouch: true,
    locale: "vi-VN",
  });
  const page = await context.newPage();
  const pageErrors = [];
  page.on("pageerror", (e) => pageErrors.push(String(e)));
  page.on("console", (m) => { if (m.type() === "error") pageErrors.push(m.text()); });

  const botMessages = page.locator('[data-testid="bot-message"]');
  const lastBot = () => botMessages.last();

  step("open the page: greeting and the main menu as buttons");
  await page.goto(base + "/");
  await assert.doesNotReject(lastBot().waitFor({ timeout: 10000 }));
  assert.match(await lastBot().innerText(), /Xin chào! Mình là trợ lý/);
  const policies = page.getByRole("button", { name: "Hỏi về chính sách" });
  assert.equal(await policies.count(), 1);
  assert.equal(await page.title(), "Trợ lý KH&CN Gò Vấp");
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(overflow <= 360, `the page is wider than a small phone (${overflow}px)`);
  // The title is shown whole on a small phone (wrapped, not cut off with "…").
  const heading = await page.locator("#title").evaluate((h) => ({
    cut: h.scrollWidth > h.clientWidth + 1 || h.scrollHeight > h.clientHeight + 1,
    lines: Math.round(h.getBoundingClientRect().height / parseFloat(getComputedStyle(h).lineHeight)),
  }));
  assert.equal(heading.cut, false, "the title is cut off on a small phone");
  assert.ok(heading.lines <= 2, `the title takes ${heading.lines} lines`);
  await page.screenshot({ path: join(shots, "1-greeting.png") });

  step("click a menu button and see the answer");
  await policies.click();
  await page.getByText("Bạn muốn tìm hiểu lĩnh vực nào?").waitFor();
  await page.getByRole("button", { name: "Sở hữu trí tuệ" }).click();
  await page.getByText("Các nội dung về Sở hữu trí tuệ:").waitFor();
  const firstExplainer = page.locator('[data-testid="bot-message"]').last().locator("button.choice").first();
  const title = await firstExplainer.innerText();
  await firstExplainer.click();
  await page.getByText("Căn cứ:").last().waitFor();
  assert.ok((await lastBot().innerText()).startsWith(title), "the explainer opens with its title");
  assert.equal(await page.getByRole("button", { name: "Hỏi về chính sách" }).last().isDisabled(), true,
    "buttons of older messages are no longer live");
  // A long answer is shown from its beginning, not scrolled to its last line.
  // (Taller than the pane: its top at the pane's top; shorter: all of it in view.)
  await page.waitForFunction(() => {
    const pane = document.querySelector('[data-testid="log"]').getBoundingClientRect();
    const answers = document.querySelectorAll('[data-testid="bot-message"]');
    const answer = answers[answers.length - 1].getBoundingClientRect();
    if (answer.height > pane.height) return answer.top >= pane.top - 1 && answer.top < pane.top + 40;
    return answer.top >= pane.top - 1 && answer.bottom <= pane.bottom + 1;
  }, null, { timeout: 5000 });
  await page.screenshot({ path: join(shots, "2-explainer.png") });

  step("give feedback: type, click a rating, skip, confirm");
  const input = page.getByTestId("input");
  await input.fill("góp ý");
  await input.press("Enter");
  await page.getByRole("button", { name: "5 – Rất tốt" }).waitFor();
  assert.equal(await page.locator('[data-testid="user-message"]').last().innerText(), "góp ý");
  await page.getByRole("button", { name: "5 – Rất tốt" }).click();
  await page.getByRole("button", { name: "Bỏ qua" }).click();
  await page.getByRole("button", { name: "✔ Xác nhận" }).click();
  await page.getByText("Cảm ơn bạn đã góp ý!").waitFor();

  step("book a session with the Startup Advisory Office: taps and five short answers");
  const t0 = Date.now();
  await input.fill("dat lich tu van");
  await input.press("Enter");
  await lastBot().getByRole("button", { name: "Pháp lý doanh nghiệp" }).click();
  await page.getByText(/Bạn chọn một giờ còn trống/).last().waitFor();
  const firstTime = lastBot().locator("button.choice").first();
  const chosenTime = await firstTime.innerText();
  assert.match(chosenTime, /^(T[2-7]|CN) \d{1,2}\/\d{1,2} \d{2}:\d{2}$/, "times are short buttons");
  await firstTime.click();
  await lastBot().getByRole("button", { name: "Gặp trực tiếp" }).click();
  await page.getByText("Cho mình xin họ tên của bạn.").last().waitFor();
  for (const [answer, next] of [["Phạm Thu Hà", /Số điện thoại/], ["0912 345 678", /Tên doanh nghiệp/]]) {
    await input.fill(answer);
    await input.press("Enter");
    await page.getByText(next).last().waitFor();
  }
  await input.fill("Quán cà phê Thu Hà");
  await input.press("Enter");
  await lastBot().getByRole("button", { name: "Hộ kinh doanh", exact: true }).click();
  await page.getByText(/Bạn mô tả ngắn/).last().waitFor();
  await input.fill("Muốn đăng ký nhãn hiệu cho quán và hỏi thủ tục lên công ty");
  await input.press("Enter");
  await page.getByText(/Bạn kiểm tra lại giúp mình/).last().waitFor();
  assert.match(await lastBot().innerText(), /0912 345 678/);
  await page.getByRole("button", { name: "✔ Xác nhận" }).last().click();
  await page.getByText(/Mã lịch hẹn: TV-/).last().waitFor();
  const bookedIn = Date.now() - t0;
  const calendar = lastBot().getByRole("link", { name: "Thêm vào lịch" });
  const ics = await fetch(await calendar.getAttribute("href"));
  assert.equal(ics.status, 200);
  assert.match(await ics.text(), /BEGIN:VEVENT/);
  await page.screenshot({ path: join(shots, "3-booked.png") });
  console.log(`  booked in ${bookedIn} ms of machine time: 6 taps and 5 typed answers (${chosenTime})`);

  step("switch to English: the page and the bot both change language");
  await page.getByTestId("lang").click();
  await page.getByText("Switched to English.").waitFor();
  await page.getByRole("button", { name: "Send" }).waitFor();
  assert.equal(await input.getAttribute("placeholder"), "Type your question…");
  await input.fill("help");
  await page.getByTestId("send").click();
  await page.getByText(/^I can:/).waitFor();
  await page.screenshot({ path: join(shots, "4-english.png") });

  step("reload: the conversation is still there and nothing is repeated");
  const before = await botMessages.count();
  await page.reload();
  await botMessages.nth(before - 1).waitFor();
  await page.waitForTimeout(500);
  assert.equal(await botMessages.count(), before, "no duplicate or missing message after reload");
  assert.equal(await page.getByRole("button", { name: "Send" }).count(), 1, "English labels are remembered");

  step("a browser set to English, a resident writing Vietnamese: the page follows the bot");
  const english = await (await browser.newContext({
    viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true, locale: "en-US",
  })).newPage();
  english.on("pageerror", (e) => pageErrors.push(String(e)));
  await english.goto(base + "/");
  await english.getByRole("button", { name: "Send" }).waitFor();
  await english.getByTestId("input").fill("cho mình hỏi cách tiết kiệm điện cho tiệm tạp hóa");
  await english.getByTestId("send").click();
  await english.getByRole("button", { name: "Gửi" }).waitFor({ timeout: 10000 });
  assert.equal(await english.getByTestId("input").getAttribute("placeholder"), "Nhập câu hỏi…");
  assert.equal(await english.evaluate(() => document.documentElement.lang), "vi");
  await english.screenshot({ path: join(shots, "5-english-browser-vietnamese.png") });

  step("the server counted the turns");
  const metrics = await (await fetch(base + "/metrics")).text();
  assert.match(metrics, /outreach_turns_total\{handler="flow.feedback",outcome="ok"\} 3/);
  assert.deepEqual(pageErrors, [], "the page logged errors: " + pageErrors.join("; "));
  console.log(`ok: web chat works in headless Chromium (screenshots in ${shots})`);
} catch (e) {
  failed = true;
  console.error("FAILED:", e && e.stack ? e.stack : e);
  console.error("bot stderr:\n" + bot.stderr());
} finally {
  if (!(await stopAll(browser, bot))) failed = true;
  rmSync(work, { recursive: true, force: true });  // screenshots kept only in OUTREACH_SCREENSHOTS
}
process.exit(failed ? 1 : 0);
