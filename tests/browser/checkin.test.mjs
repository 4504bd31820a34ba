// The door page of an event in a real headless Chromium on a phone (390 px): two tickets
// registered through the web chat's HTTP API, a check-in account made with the CLI, the code
// typed (ok, then "already" with the time of the first scan, then an unknown code), and the
// camera path — Chromium's fake camera plays a video of the second ticket's QR code (drawn from
// the ticket page's SVG), read by jsQR where Chromium has no BarcodeDetector — ok, then
// "already" when the same ticket stays in front of the camera. Screenshots are kept when
// OUTREACH_SCREENSHOTS names a folder.
//
//   node tests/browser/checkin.test.mjs <path to outreach-bot> <content dir>
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { cpSync, mkdtempSync, rmSync, mkdirSync, writeFileSync, openSync, writeSync, closeSync }
  from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { launchChromium, startBot, stopAll } from "./harness.mjs";

const [binary, contentDir] = process.argv.slice(2);
if (!binary || !contentDir) {
  console.error("usage: node checkin.test.mjs <outreach-bot binary> <content dir>");
  process.exit(2);
}
const work = mkdtempSync(join(tmpdir(), "outreach-checkin-"));
const shots = process.env.OUTREACH_SCREENSHOTS || join(work, "screenshots");
mkdirSync(shots, { recursive: true });
const database = join(work, "bot.sqlite3");
const PASSWORD = "Brass-Keeper-Lantern-58";
const step = (name) => console.log("• " + name);

step("a check-in account from the CLI");
const added = spawnSync(binary, ["staff", "add", "door@ward.gov.vn", "--role", "checkin",
  "--database", database], { input: PASSWORD + "\n", encoding: "utf8" });
assert.equal(added.status, 0, added.stderr);
const admin = spawnSync(binary, ["staff", "add", "chief@ward.gov.vn", "--role", "admin",
  "--database", database], { input: PASSWORD + "\n", encoding: "utf8" });
assert.equal(admin.status, 0, admin.stderr);

// An event starting in an hour (local time, UTC+7), so its door is open now.
const content = join(work, "content");
cpSync(contentDir, content, { recursive: true });
const local = (ms) => new Date(ms + 7 * 3600 * 1000).toISOString().slice(0, 16).replace("T", " ");
const now = Date.now();
writeFileSync(join(content, "events", "cua-vao.yaml"), [
  "id: cua-vao",
  "title: { vi: Buổi thử điểm danh, en: Door test }",
  `starts: ${local(now + 3600 * 1000)}`,
  `ends: ${local(now + 3 * 3600 * 1000)}`,
  "place: { vi: Hội trường phường }",
  "organiser: economic-office",
  "topics: [community]",
  "capacity: 5",
  "",
].join("\n"));

const bot = startBot(binary, database, content);
let browser;
let failed = false;
try {
  const port = await bot.port;
  const base = `http://127.0.0.1:${port}`;

  // Registers a web chat visitor for cua-vao; the ticket's code.
  async function register(visitor, name) {
    let n = 0;
    const send = async (body) => {
      const r = await fetch(base + "/chat/send", {
        method: "POST", headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ visitor, id: `m${++n}`, ...body }),
      });
      assert.equal(r.status, 202);
      await new Promise((res) => setTimeout(res, 150));
    };
    await send({ payload: "events:register:cua-vao" });
    await send({ text: name });
    await send({ text: "0901 234 567" });
    await send({ payload: "flow:confirm" });
    for (let i = 0; i < 50; i++) {
      const r = await (await fetch(`${base}/chat/poll?wait=0&visitor=${visitor}&after=0`)).json();
      const all = r.messages.map((m) => m.text || "").join("\n");
      const m = /\/t\/([a-z2-9]{20})/.exec(all);
      if (m) return m[1];
      await new Promise((res) => setTimeout(res, 100));
    }
    throw new Error("no ticket for " + name);
  }
  step("two tickets registered through the web chat");
  const typed = await register("visitor-door-000000001", "Nguyễn Thị Lan");
  const shown = await register("visitor-door-000000002", "Trần Văn Minh");

  step("a video of the second ticket's QR code for the fake camera");
  const svg = await (await fetch(`${base}/t/${shown}`)).text();
  const view = /viewBox="0 0 (\d+) \d+"/.exec(svg);
  assert.ok(view, "the ticket page has the QR code as SVG");
  const size = Number(view[1]);
  const dark = new Set();
  for (const m of svg.matchAll(/M(\d+) (\d+)h1v1h-1z/g)) dark.add(`${m[1]},${m[2]}`);
  const W = 640, H = 480, scale = Math.floor(440 / size);
  const x0 = Math.floor((W - size * scale) / 2), y0 = Math.floor((H - size * scale) / 2);
  const luma = Buffer.alloc(W * H, 255);
  for (let y = 0; y < size * scale; y++)
    for (let x = 0; x < size * scale; x++)
      if (dark.has(`${Math.floor(x / scale)},${Math.floor(y / scale)}`))
        luma[(y0 + y) * W + x0 + x] = 0;
  const chroma = Buffer.alloc((W / 2) * (H / 2) * 2, 128);
  const video = join(work, "ticket.y4m");
  const fd = openSync(video, "w");
  writeSync(fd, `YUV4MPEG2 W${W} H${H} F10:1 Ip A1:1 C420jpeg\n`);
  for (let f = 0; f < 10; f++) {
    writeSync(fd, "FRAME\n");
    writeSync(fd, luma);
    writeSync(fd, chroma);
  }
  closeSync(fd);

  browser = await launchChromium(["--use-fake-ui-for-media-stream",
    "--use-fake-device-for-media-stream", `--use-file-for-fake-video-capture=${video}`]);
  const errors = [];
  const context = await browser.newContext({
    viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, locale: "vi-VN",
    permissions: ["camera"],
  });
  const page = await context.newPage();
  page.on("pageerror", (e) => errors.push(String(e)));
  page.on("console", (m) => { if (m.type() === "error") errors.push(m.text()); });

  step("the door account signs in and opens the event's check-in page");
  await page.goto(base + "/console/login");
  await page.getByLabel("Email").fill("door@ward.gov.vn");
  await page.getByLabel("Mật khẩu").fill(PASSWORD);
  await Promise.all([page.waitForNavigation(),
    page.getByRole("button", { name: "Đăng nhập" }).click()]);
  await page.goto(base + "/console/events");
  await Promise.all([page.waitForNavigation(),
    page.getByRole("row", { name: /Buổi thử điểm danh/ }).getByRole("link", { name: "Điểm danh" })
      .click()]);
  assert.match(page.url(), /\/console\/events\/cua-vao\/checkin$/);
  const result = page.locator("#result");

  step("a typed code: ok, then already with the first time, then an unknown code");
  const code = page.getByLabel("Mã vé");
  await code.fill(typed.slice(0, 4) + "-" + typed.slice(4, 8).toUpperCase() + typed.slice(8));
  await code.press("Enter");
  await page.waitForFunction(() => /Mời vào/.test(document.getElementById("result").textContent));
  assert.match(await result.innerText(), /Mời vào: Nguyễn Thị Lan/);
  assert.match(await result.getAttribute("class"), /scan-ok/);
  await page.screenshot({ path: join(shots, "checkin-ok-390.png"), fullPage: true });
  await code.fill(typed);
  await code.press("Enter");
  await page.waitForFunction(() => /đã điểm danh/.test(document.getElementById("result").textContent));
  assert.match(await result.innerText(), /Vé này đã điểm danh lúc \d\d:\d\d: Nguyễn Thị Lan/);
  assert.match(await result.getAttribute("class"), /scan-bad/);
  await code.fill("abcdefghjkmnpqrstuvw");
  await code.press("Enter");
  await page.waitForFunction(() => /Không tìm thấy/.test(document.getElementById("result").textContent));
  assert.match(await result.innerText(), /«abcdefghjkmnpqrstuvw»/, "the unknown code is shown back as typed");
  assert.equal(await page.evaluate(() => document.documentElement.scrollWidth > 391), false,
    "a long unknown code wraps inside the phone's width");
  await page.screenshot({ path: join(shots, "checkin-unknown-390.png"), fullPage: true });

  step("the camera reads the second ticket: ok, then already while it stays in view");
  await page.getByRole("button", { name: "Quét mã QR bằng camera" }).click();
  await page.waitForFunction(() => /Mời vào: Trần Văn Minh/.test(
    document.getElementById("result").textContent), null, { timeout: 20000 });
  await page.screenshot({ path: join(shots, "checkin-camera-390.png"), fullPage: true });
  await page.waitForFunction(() => /đã điểm danh lúc .*Trần Văn Minh/.test(
    document.getElementById("result").textContent), null, { timeout: 20000 });
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth > 391);
  assert.equal(overflow, false, "the door page is no wider than the phone");

  step("an admin makes a volunteer's link; it works without an account until revoked");
  const chief = await (await browser.newContext({ locale: "vi-VN" })).newPage();
  await chief.goto(base + "/console/login");
  await chief.getByLabel("Email").fill("chief@ward.gov.vn");
  await chief.getByLabel("Mật khẩu").fill(PASSWORD);
  await Promise.all([chief.waitForNavigation(),
    chief.getByRole("button", { name: "Đăng nhập" }).click()]);
  await chief.goto(base + "/console/events/cua-vao");
  assert.match(await chief.locator("#registrations").innerText(), /Nguyễn Thị Lan/);
  await Promise.all([chief.waitForNavigation(),
    chief.getByRole("button", { name: "Tạo đường dẫn mới" }).click()]);
  const link = await chief.locator("#door-link").getAttribute("href");
  assert.match(link, /^\/console\/door\/[0-9a-f]{48}$/);
  const volunteer = await (await browser.newContext({
    viewport: { width: 390, height: 844 }, isMobile: true, locale: "vi-VN" })).newPage();
  await volunteer.goto(base + link);
  await volunteer.getByLabel("Mã vé").fill(typed);
  await volunteer.getByLabel("Mã vé").press("Enter");
  await volunteer.waitForFunction(() => /đã điểm danh/.test(
    document.getElementById("result").textContent), null, { timeout: 10000 }).catch(async (e) => {
    throw new Error("volunteer page: " + await volunteer.locator("#result").innerText());
  });
  await volunteer.screenshot({ path: join(shots, "checkin-link-390.png"), fullPage: true });
  // A scanner script asks for JSON; what it typed is echoed cut at 64 bytes, here in the middle
  // of "Đ": the answer is still JSON, with the cut character replaced.
  const cut = await volunteer.evaluate(async (href) => {
    const r = await fetch(href, {
      method: "POST",
      headers: { Accept: "application/json", "Content-Type": "application/x-www-form-urlencoded" },
      body: "code=" + "A".repeat(63) + encodeURIComponent("Đ") + "&nonce=cut-mid-character" });
    return { status: r.status, type: r.headers.get("content-type"), body: await r.text() };
  }, link);
  assert.equal(cut.status, 200, cut.body);
  assert.match(cut.type, /application\/json/);
  const answer = JSON.parse(cut.body);
  assert.equal(answer.ok, false, cut.body);
  assert.match(answer.message, /A{63}\uFFFD/, cut.body);
  await chief.goto(base + "/console/events/cua-vao");
  await Promise.all([chief.waitForNavigation(),
    chief.getByRole("button", { name: "Thu hồi" }).click()]);
  const gone = await volunteer.goto(base + link);
  assert.equal(gone.status(), 404);
  assert.match(await volunteer.locator("h1").innerText(), /không còn dùng được/);

  step("each scan is a row: two of them ok");
  const list = spawnSync(binary, ["events", "list", "--database", database, "--content", content],
    { encoding: "utf8" });
  assert.equal(list.status, 0, list.stderr);
  assert.match(list.stdout, /cua-vao\s+\S+ \S+\s+published\s+5\s+2\s+0\s+2/, list.stdout);
  assert.deepEqual(errors, [], "no script errors");
} catch (e) {
  failed = true;
  console.error(e);
  console.error(bot.stderr());
} finally {
  const clean = await stopAll(browser, bot);
  if (!process.env.OUTREACH_SCREENSHOTS) rmSync(work, { recursive: true, force: true });
  if (failed || !clean) process.exit(1);
  console.log("check-in page: all steps passed");
}
