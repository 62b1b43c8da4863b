// The rival the throughput issue measures vpnbot against: a plain grammY bot
// with the runner and in-memory sessions, one menu reply per text message,
// each chat's updates in order (as vpnbot keeps a user's). It keeps nothing
// durable: what it shows is the speed of a bot that stores no update and no
// reply. Run by `bench_updates_bench --rival DIR` with BOT_TOKEN and
// API_ROOT set to the emulator's.
const { Bot, InlineKeyboard, session } = require("grammy");
const { run, sequentialize } = require("@grammyjs/runner");

const bot = new Bot(process.env.BOT_TOKEN, { client: { apiRoot: process.env.API_ROOT } });
bot.use(sequentialize((ctx) => ctx.chat?.id.toString()));
bot.use(session({ initial: () => ({ seen: 0 }) }));

const menu = new InlineKeyboard()
  .text("Buy a plan", "buy")
  .text("My keys", "keys")
  .row()
  .text("Account", "account")
  .text("Help", "help");

bot.on("message:text", async (ctx) => {
  ctx.session.seen += 1;
  await ctx.reply(`Main menu (${ctx.session.seen} messages)`, { reply_markup: menu });
});

// One JSON line each, as vpnbot logs (the bench reads them).
const log = (msg, fields = {}) => console.error(JSON.stringify({ msg, ...fields }));
bot.catch((err) => log("error", { error: err.message }));

bot.init().then(() => {
  run(bot);
  log("polling");
});
