// What the browser tests share: the real binary started on a free port, Debian's Chromium
// launched headless, and a clean stop that checks the bot exits cleanly on SIGTERM.
import { spawn } from "node:child_process";
import { chromium } from "playwright-core";

// Starts `binary serve` on port 0; `port` resolves once the bot says where it listens.
// `extra`: more arguments before `serve` (e.g. ["--config", file]).
export function startBot(binary, database, contentDir, extra = []) {
  const child = spawn(binary, [...extra, "serve", "--port", "0", "--database", database,
    "--content", contentDir, "--log-level", "warn"], { stdio: ["ignore", "ignore", "pipe"] });
  let stderr = "";
  const port = new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("the bot did not start:\n" + stderr)), 20000);
    child.stderr.on("data", (chunk) => {
      stderr += chunk;
      const m = /http:\/\/127\.0\.0\.1:(\d+)\//.exec(stderr);
      if (m) {
        clearTimeout(timer);
        resolve(Number(m[1]));
      }
    });
    child.on("exit", (code) => reject(new Error(`the bot exited (${code}):\n${stderr}`)));
  });
  return { child, port, stderr: () => stderr };
}

// `extraArgs`: more Chromium switches (the check-in test's fake camera).
export function launchChromium(extraArgs = []) {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    headless: true,
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
      "--disable-background-networking", "--disable-component-update", "--disable-sync",
      ...extraArgs],
  });
}

// Closes the browser and stops the bot; false when the bot did not exit cleanly.
export async function stopAll(browser, bot) {
  if (browser) await browser.close();
  const exited = new Promise((resolve) => bot.child.on("exit", (code, sig) => resolve(code ?? sig)));
  bot.child.kill("SIGTERM");
  const code = await exited;
  if (code !== 0) {
    console.error("the bot did not exit cleanly on SIGTERM:", code);
    return false;
  }
  return true;
}
