// The staff console in a real headless Chromium, on a phone (390 px) and a laptop (1280 px):
// accounts made with the CLI (`staff add`, password on stdin), signing in, wrong passwords
// throttled with one message, a POST without the CSRF token refused, a check-in account refused
// the bookings and accounts pages, every field labelled, the keyboard reaching the forms, the
// handoff round trip with a web chat visitor (live inbox, reply, the bot quiet, resolve), an
// unanswered question sent to staff and attached by an editor, answered the next time, a phrase
// taught from another one into the lexicon, helping a question worded differently, an
// announcement composed, planned and sent by the editor to a visitor who subscribed, signing
// out. Screenshots are kept when OUTREACH_SCREENSHOTS names a folder.
//
//   node tests/browser/console.test.mjs <path to outreach-bot> <content dir>
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { cpSync, mkdtempSync, rmSync, mkdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { launchChromium, startBot, stopAll } from "./harness.mjs";

const [binary, contentDir] = process.argv.slice(2);
if (!binary || !contentDir) {
  console.error("usage: node console.test.mjs <outreach-bot binary> <content dir>");
  process.exit(2);
}
const work = mkdtempSync(join(tmpdir(), "outreach-console-"));
const shots = process.env.OUTREACH_SCREENSHOTS || join(work, "screenshots");
mkdirSync(shots, { recursive: true });
const database = join(work, "bot.sqlite3");
const PASSWORD = "Correct-Staple-Lamp-71";

function staffAdd(email, role, password) {
  const r = spawnSync(binary, ["staff", "add", email, "--role", role, "--database", database],
    { input: password + "\n", encoding: "utf8" });
  return r;
}


const step = (name) => console.log("• " + name);

step("accounts from the CLI: a common password is refused, good ones are added, a role changed");
const weak = staffAdd("admin@ward.gov.vn", "admin", "password12345");
assert.equal(weak.status, 2, "a common password is refused");
assert.match(weak.stderr, /phổ biến/);
assert.equal(staffAdd("admin@ward.gov.vn", "admin", PASSWORD).status, 0);
assert.equal(staffAdd("door@ward.gov.vn", "checkin", PASSWORD).status, 0);
assert.equal(staffAdd("editor@ward.gov.vn", "advisor", PASSWORD).status, 0);
const roleChange = spawnSync(binary, ["staff", "role", "editor@ward.gov.vn", "--role", "editor",
  "--database", database], { encoding: "utf8" });
assert.equal(roleChange.status, 0, roleChange.stderr);
assert.match(roleChange.stdout, /editor@ward.gov.vn \(editor\): role changed/);

// A copy of the content: attaching a question writes content/learned.yaml.
const content = join(work, "content");
cpSync(contentDir, content, { recursive: true });
// No quiet hours: the announcement step must not wait for 07:00 when the suite runs at night.
const config = join(work, "bot.yaml");
writeFileSync(config, "broadcast: { quiet_hours: none }\n");
const bot = startBot(binary, database, content, ["--config", config]);
let browser;
let failed = false;
try {
  const port = await bot.port;
  const base = `http://127.0.0.1:${port}`;
  browser = await launchChromium();
  const errors = [];
  async function open(width, height, mobile) {
    const context = await browser.newContext({
      viewport: { width, height }, isMobile: mobile, hasTouch: mobile, locale: "vi-VN",
    });
    const page = await context.newPage();
    page.on("pageerror", (e) => errors.push(String(e)));
    // A refused sign-in or request is answered 401 / 403 on purpose; anything else is an error.
    page.on("console", (m) => {
      if (m.type() === "error" && !/status of 40[13]/.test(m.text())) errors.push(m.text());
    });
    return page;
  }
  // An action that loads a new page (a form sent, a link followed): waits for that page.
  async function submits(page, action) {
    await Promise.all([page.waitForNavigation(), action]);
  }
  async function signIn(page, email, password) {
    await page.goto(base + "/console/login");
    await page.getByLabel("Email").fill(email);
    await page.getByLabel("Mật khẩu").fill(password);
    await submits(page, page.getByRole("button", { name: "Đăng nhập" }).click());
  }
  async function everyFieldLabelled(page) {
    const unlabelled = await page.evaluate(() =>
      [...document.querySelectorAll("input:not([type=hidden]), select, textarea")]
        .filter((el) => !el.id || !document.querySelector(`label[for="${el.id}"]`))
        .map((el) => el.name || el.outerHTML));
    assert.deepEqual(unlabelled, [], "fields without a label");
  }

  const phone = await open(390, 844, true);
  step("a page of the console without a session goes to the sign-in page");
  await phone.goto(base + "/console/audit");
  assert.match(phone.url(), /\/console\/login$/);
  await everyFieldLabelled(phone);
  await phone.screenshot({ path: join(shots, "console-login-390.png"), fullPage: true });

  step("wrong passwords: one generic message, then even the right one waits");
  for (let i = 0; i < 5; i++) {
    await signIn(phone, "door@ward.gov.vn", "wrong-password-" + i);
    assert.match(await phone.getByRole("alert").innerText(), /Email hoặc mật khẩu không đúng/);
  }
  await signIn(phone, "door@ward.gov.vn", PASSWORD);
  assert.match(phone.url(), /\/console\/login$/, "the throttled account is not signed in");
  await signIn(phone, "nobody@ward.gov.vn", PASSWORD);
  assert.match(await phone.getByRole("alert").innerText(), /Email hoặc mật khẩu không đúng/);

  step("the admin signs in on a phone and reaches the forms with the keyboard");
  const phone2 = await open(390, 844, true);
  await signIn(phone2, "admin@ward.gov.vn", PASSWORD);
  assert.match(phone2.url(), /\/console\/$/);
  assert.match(await phone2.locator("main").innerText(), /Xin chào admin@ward.gov.vn/);
  await phone2.screenshot({ path: join(shots, "console-home-390.png"), fullPage: true });
  await phone2.goto(base + "/console/staff");
  await everyFieldLabelled(phone2);
  await phone2.getByLabel("Email", { exact: true }).focus();
  await phone2.keyboard.type("advisor@ward.gov.vn");
  await phone2.keyboard.press("Tab");
  await phone2.keyboard.press("Tab");
  await phone2.keyboard.type("Another-Long-Pass-93");
  await submits(phone2, phone2.keyboard.press("Enter"));
  assert.match(await phone2.locator("table").innerText(), /advisor@ward.gov.vn/,
    await phone2.locator("main").innerText());
  await phone2.screenshot({ path: join(shots, "console-staff-390.png"), fullPage: true });
  // On a phone the browser widens the layout to fit what overflows, so compare with the screen.
  const overflows = () =>
    phone2.evaluate((width) => document.documentElement.scrollWidth > width + 1,
      phone2.viewportSize().width);
  assert.equal(await overflows(), false, "the accounts page is no wider than the phone");
  await phone2.goto(base + "/console/bookings");  // the advisors' long names in the filter
  assert.equal(await overflows(), false, "the bookings page is no wider than the phone");
  await phone2.screenshot({ path: join(shots, "console-bookings-390.png"), fullPage: true });
  await phone2.goto(base + "/console/staff");

  step("a POST without the CSRF token is refused");
  const status = await phone2.evaluate(async () => (await fetch("/console/staff", {
    method: "POST", headers: { "Content-Type": "application/x-www-form-urlencoded" },
    body: "email=x%40ward.gov.vn&role=admin&password=Yet-Another-Pass-55",
  })).status);
  assert.equal(status, 403);

  step("on a laptop: bookings and the audit log, in English");
  const laptop = await open(1280, 800, false);
  await signIn(laptop, "admin@ward.gov.vn", PASSWORD);
  await submits(laptop, laptop.getByRole("link", { name: "English" }).click());
  await laptop.goto(base + "/console/bookings");
  assert.match(await laptop.locator("h1").innerText(), /Bookings/);
  await everyFieldLabelled(laptop);
  await laptop.goto(base + "/console/audit");
  const log = await laptop.locator("table").innerText();
  assert.match(log, /login_failed/);
  assert.match(log, /staff_add/);
  await laptop.screenshot({ path: join(shots, "console-audit-1280.png"), fullPage: true });

  step("the handoff round trip: a visitor asks for a person, the inbox shows it live, an advisor answers");
  const advisor = await open(1280, 800, false);
  await signIn(advisor, "advisor@ward.gov.vn", "Another-Long-Pass-93");
  await advisor.goto(base + "/console/inbox");
  assert.match(await advisor.locator("#inbox").innerText(), /Không có cuộc trò chuyện nào/);
  const visitor = await open(390, 844, true);
  const botSays = visitor.locator('[data-testid="bot-message"]');
  await visitor.goto(base + "/");
  await botSays.last().waitFor({ timeout: 10000 });
  await visitor.getByRole("button", { name: "Gặp cán bộ" }).last().click();
  await visitor.getByText(/đã chuyển cuộc trò chuyện cho cán bộ/).waitFor();
  const chatBox = visitor.getByTestId("input");
  await chatBox.fill("Cho mình hỏi hồ sơ xin hỗ trợ khởi nghiệp nộp ở đâu?");
  await chatBox.press("Enter");
  // No reload: the inbox's long poll brings the conversation, and the title counts it.
  await advisor.locator("#inbox").getByText(/hồ sơ xin hỗ trợ khởi nghiệp/).waitFor({ timeout: 30000 });
  assert.match(await advisor.title(), /^\(1\) /);
  await advisor.screenshot({ path: join(shots, "console-inbox-1280.png"), fullPage: true });
  await everyFieldLabelled(advisor);
  await submits(advisor, advisor.locator("#inbox a").first().click());
  await everyFieldLabelled(advisor);
  await advisor.getByLabel("Trả lời").fill("Chào bạn, hồ sơ nộp tại Phòng Kinh tế phường, mình gửi danh mục ngay.");
  await submits(advisor, advisor.getByRole("button", { name: "Gửi" }).click());
  await visitor.getByText(/hồ sơ nộp tại Phòng Kinh tế phường/).waitFor({ timeout: 15000 });
  const botCount = await botSays.count();
  await chatBox.fill("Dạ cảm ơn anh");
  await chatBox.press("Enter");
  // The visitor's words reach the open thread live; the bot stays quiet meanwhile.
  await advisor.locator("#thread").getByText("Dạ cảm ơn anh").waitFor({ timeout: 30000 });
  assert.equal(await botSays.count(), botCount, "the bot answered during the handoff");
  await advisor.screenshot({ path: join(shots, "console-thread-1280.png"), fullPage: true });
  await visitor.screenshot({ path: join(shots, "webchat-handoff-390.png"), fullPage: true });
  await phone2.goto(base + "/console/inbox");
  assert.equal(await overflows(), false, "the inbox is no wider than the phone");
  await phone2.screenshot({ path: join(shots, "console-inbox-390.png"), fullPage: true });
  await submits(advisor, advisor.getByRole("button", { name: "Xong, trả lại cho trợ lý" }).click());
  await visitor.getByText(/trợ lý tự động tiếp tục hỗ trợ bạn/).waitFor({ timeout: 15000 });
  await chatBox.fill("đăng ký nhãn hiệu");
  await chatBox.press("Enter");
  await visitor.getByText("Căn cứ:").last().waitFor({ timeout: 15000 });

  step("an unanswered question, sent by the visitor, attached by an editor, is answered next time");
  const asked = "Xưởng của tôi muốn mượn máy in 3D của phường thì hỏi ai?";
  const asker = await open(390, 844, true);
  const askerSays = asker.locator('[data-testid="bot-message"]');
  await asker.goto(base + "/");
  await askerSays.last().waitFor({ timeout: 10000 });
  const askerBox = asker.getByTestId("input");
  await askerBox.fill(asked);
  await askerBox.press("Enter");
  await asker.getByText(/chưa hiểu câu này/).waitFor({ timeout: 15000 });
  await asker.getByRole("button", { name: "Gửi cho cán bộ" }).last().click();
  await asker.getByText(/câu hỏi đã được gửi/).waitFor({ timeout: 15000 });
  const editor = await open(390, 844, true);
  await signIn(editor, "editor@ward.gov.vn", PASSWORD);
  await submits(editor, editor.getByRole("link", { name: "Câu hỏi", exact: true }).click());
  await everyFieldLabelled(editor);
  const item = editor.locator(".questions li").filter({ hasText: "máy in 3D" });
  await item.getByLabel("Trả lời bằng").selectOption("explainer:smart-city");
  await editor.screenshot({ path: join(shots, "console-questions-390.png"), fullPage: true });
  assert.equal(await editor.evaluate((w) => document.documentElement.scrollWidth > w + 1,
    editor.viewportSize().width), false, "the questions page is no wider than the phone");
  await submits(editor, item.getByRole("button", { name: "Gắn" }).click());
  assert.match(await editor.getByRole("status").innerText(), /Đã gắn/);
  await askerBox.fill("xuong cua toi muon muon may in 3d cua phuong thi hoi ai");
  await askerBox.press("Enter");
  await asker.getByText(/Chính quyền số, đô thị thông minh/).last().waitFor({ timeout: 15000 });
  await asker.screenshot({ path: join(shots, "webchat-learned-390.png"), fullPage: true });

  step("a phrase taught from an unanswered question helps another question that uses it");
  // The earlier fallback is still on the page: wait for a second one, then send that.
  const shareButtons = asker.getByRole("button", { name: "Gửi cho cán bộ" });
  const sentNotes = asker.getByText(/câu hỏi đã được gửi/);
  const sharesBefore = await shareButtons.count();
  const sentBefore = await sentNotes.count();
  await askerBox.fill("mình cần mã sản phẩm in trên hũ mắm");
  await askerBox.press("Enter");
  await shareButtons.nth(sharesBefore).waitFor({ timeout: 15000 });
  await shareButtons.nth(sharesBefore).click();
  await sentNotes.nth(sentBefore).waitFor({ timeout: 15000 });
  await submits(editor, editor.getByRole("link", { name: "Câu hỏi", exact: true }).click());
  const jar = editor.locator(".questions li").filter({ hasText: "hũ mắm" });
  await jar.getByText("Dạy một cách nói (từ điển)").click();
  await jar.getByLabel("Cách nói thường ngày trong câu hỏi").fill("mã sản phẩm");
  await jar.getByLabel("Thuật ngữ của nội dung mà cách nói ấy chỉ").fill("mã số mã vạch");
  await editor.screenshot({ path: join(shots, "console-teach-390.png"), fullPage: true });
  assert.equal(await editor.evaluate((w) => document.documentElement.scrollWidth > w + 1,
    editor.viewportSize().width), false, "the open teaching form is no wider than the phone");
  await submits(editor, jar.getByRole("button", { name: "Thêm vào từ điển" }).click());
  assert.match(await editor.getByRole("status").innerText(), /Đã thêm vào từ điển/);
  await askerBox.fill("xin ma san pham o dau vay");
  await askerBox.press("Enter");
  await asker.getByText(/\(mã số mã vạch\)/).last().waitFor({ timeout: 15000 });

  step("an announcement: the visitor subscribes, the editor composes, plans and sends it");
  await askerBox.fill("nhận tin về sở hữu trí tuệ");
  await askerBox.press("Enter");
  await asker.getByText(/Đã đăng ký cho bạn nhận thông báo/).waitFor({ timeout: 15000 });
  await submits(editor, editor.getByRole("link", { name: "Thông báo", exact: true }).click());
  await everyFieldLabelled(editor);
  await editor.getByLabel("Tên (chỉ cán bộ thấy)").fill("Lớp tập huấn nhãn hiệu");
  await editor.getByLabel("Nội dung (tiếng Việt)").fill(
    "Thứ Bảy này phường mở lớp tập huấn miễn phí về đăng ký nhãn hiệu.");
  await editor.getByLabel("Nút mở bài giải thích").selectOption("ip-trademark");
  await editor.getByLabel("Sở hữu trí tuệ").check();
  await editor.screenshot({ path: join(shots, "console-composer-390.png"), fullPage: true });
  assert.equal(await editor.evaluate((w) => document.documentElement.scrollWidth > w + 1,
    editor.viewportSize().width), false, "the composer is no wider than the phone");
  await submits(editor, editor.getByRole("button", { name: "Tạo và xem ai sẽ nhận" }).click());
  assert.match(await editor.locator("main").innerText(), /Người nhận trong nhóm: 1\./);
  assert.match(await editor.locator("main").innerText(), /Web chat, lần ghé sau\s+1/);
  await submits(editor, editor.getByRole("button", { name: "Gửi", exact: true }).click());
  await asker.getByText(/lớp tập huấn miễn phí về đăng ký nhãn hiệu/).waitFor({ timeout: 15000 });
  await editor.locator('#progress[data-live="0"]').waitFor({ timeout: 15000 });
  assert.match(await editor.locator("#progress").innerText(), /Đã gửi\s+1/);
  await editor.screenshot({ path: join(shots, "console-broadcast-390.png"), fullPage: true });
  await asker.getByRole("button", { name: "Dừng nhận tin" }).last().click();
  await asker.getByText(/Đã dừng gửi thông báo cho bạn/).waitFor({ timeout: 15000 });

  step("signing out ends the session");
  await submits(laptop, laptop.getByRole("button", { name: "Sign out" }).click());
  await laptop.goto(base + "/console/audit");
  assert.match(laptop.url(), /\/console\/login$/);

  assert.deepEqual(errors, [], "the pages logged errors: " + errors.join("; "));
  console.log(`ok: the console works in headless Chromium (screenshots in ${shots})`);
} catch (e) {
  failed = true;
  console.error("FAILED:", e && e.stack ? e.stack : e);
  console.error("bot stderr:\n" + bot.stderr());
} finally {
  if (!(await stopAll(browser, bot))) failed = true;
  rmSync(work, { recursive: true, force: true });  // screenshots kept only in OUTREACH_SCREENSHOTS
}
process.exit(failed ? 1 : 0);
