// The peer of bench/webhook_bench: bottender 1.5.5's Messenger bot answering every text with
// the same text, on express, as bottender's own server wires it. Installed by bench/run with
// `npm ci --ignore-scripts` (its ngrok dependency would download a binary otherwise).
// Usage: node echo.js PORT GRAPH_ORIGIN APP_SECRET
const { MessengerBot, MemorySessionStore } = require('bottender');
const { createServer } = require('@bottender/express');

const [port, origin, appSecret] = process.argv.slice(2);
const bot = new MessengerBot({
  accessToken: 'bench-page-token',
  appSecret,
  verifyToken: 'bench-verify',
  origin,
  skipAppSecretProof: true,
  skipLegacyProfile: true,
  sessionStore: new MemorySessionStore(),
});
bot.onEvent(async (context) => {
  if (context.event.isText) await context.sendText(context.event.text);
});
const server = createServer(bot, { path: '/webhooks/messenger', verifyToken: 'bench-verify' });
server.listen(Number(port), '127.0.0.1', () => console.log(`bottender echo bot on ${port}`));
