// outreach-bot: argv only. Everything else lives in bot/app.
#include <iostream>
#include <random>

#include <CLI/CLI.hpp>
#include <SQLiteCpp/Statement.h>

#include "bot/app/admin.hpp"
#include "bot/app/app.hpp"
#include "bot/app/config.hpp"
#include "bot/channels/cli/cli_client.hpp"
#include "bot/core/log.hpp"
#include "bot/core/text.hpp"
#include "bot/router/understanding.hpp"
#include "bot/text/unicode.hpp"
#include "storage/database.hpp"

#ifndef OUTREACH_VERSION
#define OUTREACH_VERSION "dev"
#endif

namespace {

using outreach::app::Config;

struct Overrides {
  std::string config_path;
  std::string address;
  int port = -1;
  std::string database;
  std::string content;
  std::string log_level;
};

Config load(const Overrides& o) {
  Config c = o.config_path.empty() ? Config{} : outreach::app::load_config(o.config_path);
  if (!o.address.empty())
    c.listen.address = o.address;
  if (o.port >= 0)
    c.listen.port = static_cast<std::uint16_t>(o.port);
  if (!o.database.empty())
    c.database.path = o.database;
  if (!o.content.empty())
    c.content_dir = o.content;
  if (!o.log_level.empty())
    c.log.level = o.log_level;
  return c;
}

std::string random_id() {
  std::random_device rd;
  std::mt19937_64 rng(rd());
  static constexpr char kAlphabet[] = "abcdefghijklmnopqrstuvwxyz0123456789";
  std::string out;
  for (int i = 0; i < 20; ++i) out += kAlphabet[rng() % 36];
  return out;
}

int serve(const Overrides& o) {
  const Config c = load(o);
  outreach::app::App app(c);
  const auto port = app.start();
  std::cerr << "outreach-bot is running. Open the web chat at http://"
            << (c.listen.address == "0.0.0.0" ? "127.0.0.1" : c.listen.address) << ":" << port
            << "/  (Ctrl-C stops it)\n";
  return app.wait();
}

int chat(const Overrides& o) {
  Config c = load(o);
  if (o.log_level.empty())
    c.log.level = "warn";  // keep the conversation readable
  outreach::app::AppOptions opts;
  opts.http = false;
  opts.signals = false;
  outreach::app::App app(c, opts);
  outreach::channels::cli::CliClient client(std::cout, [&app](const std::string& lang) {
    auto snap = app.content().snapshot();
    return snap ? snap->ui(lang, "number.hint") : std::string{};
  });
  app.add_client(client);
  app.start();
  const std::string user = "terminal";
  auto submit = [&](outreach::InboundEvent e) {
    e.channel = outreach::ChannelKind::kCli;
    e.account = "cli";
    e.user_id = user;
    e.event_id = "cli:" + random_id();
    e.timestamp_ms = app.clock().now_ms();
    std::vector<outreach::InboundEvent> events{std::move(e)};
    if (!app.inbox().append_sync(std::move(events))) {
      std::cerr << "could not store the message (database error)\n";
      return;
    }
    if (!app.wait_idle(std::chrono::seconds(10)))
      std::cerr << "(the bot is slow to answer)\n";
  };
  std::cout << "Chatting with outreach-bot in the terminal. Type a message, or a number to press a "
               "button; /quit or Ctrl-D to leave.\n";
  outreach::InboundEvent start;
  start.kind = outreach::EventKind::kFollow;
  submit(start);
  std::string line;
  while (std::cout << "\n> " << std::flush, std::getline(std::cin, line)) {
    const std::string text = outreach::text::nfc(outreach::text::clean_input(line, 2000));
    if (text == "/quit" || text == "/exit")
      break;
    if (text.empty())
      continue;
    outreach::InboundEvent e;
    e.kind = outreach::EventKind::kMessage;
    e.text = text;
    submit(e);
  }
  std::cout << "\n";
  app.shutdown();
  return 0;
}

int migrate(const Overrides& o) {
  const Config c = load(o);
  outreach::storage::DbOptions opts;
  opts.path = c.database.path;
  auto db = outreach::storage::open_database(opts);
  const auto report = outreach::storage::migrate(db, outreach::storage::embedded_migrations());
  if (report.applied.empty()) {
    std::cout << c.database.path << ": schema is up to date (version " << report.to << ")\n";
  } else {
    std::cout << c.database.path << ": migrated from version " << report.from << " to " << report.to
              << ":\n";
    for (const auto& name : report.applied) std::cout << "  applied " << name << "\n";
  }
  return 0;
}

int check_config(const Overrides& o) {
  const Config c = load(o);
  std::cout << "# " << (o.config_path.empty() ? "built-in defaults" : o.config_path)
            << ": OK. Effective configuration:\n"
            << outreach::app::to_yaml(c);
  return 0;
}

// One message per line on stdin → one JSON object per line on stdout (see router::describe).
int ask(const Overrides& o, bool json) {
  const Config c = load(o);
  outreach::SystemClock clock;
  const auto report = outreach::app::check_content_dir(c.content_dir, clock);
  if (!report.snapshot) {
    std::cerr << "outreach-bot: content in '" << c.content_dir
              << "' has errors (run check-content)\n";
    return 1;
  }
  const outreach::router::Understanding understanding(*report.snapshot);
  std::string line;
  while (std::getline(std::cin, line)) {
    const std::string text = outreach::text::nfc(outreach::text::clean_input(line, 2000));
    const auto meant = understanding.interpret(text);
    const auto j = outreach::router::describe(meant, *report.snapshot);
    if (json) {
      std::cout << j.dump() << "\n";
    } else {
      std::cout << text << "\n  → " << j["kind"].get<std::string>() << " "
                << j["intent"].get<std::string>();
      if (!j["explainer"].is_null())
        std::cout << " " << j["explainer"].get<std::string>();
      std::cout << " (score " << meant.score << ", coverage " << meant.coverage << ")";
      if (!meant.reading.empty())
        std::cout << "\n  read as: " << meant.reading;
      for (const auto& cand : meant.candidates)
        std::cout << "\n    " << cand.explainer << " " << cand.score;
      std::cout << "\n";
    }
    std::cout.flush();
  }
  return 0;
}

// Questions the bot could not answer with confidence, for staff to turn into content.
int questions(const Overrides& o, int days) {
  const Config c = load(o);
  outreach::storage::DbOptions opts;
  opts.path = c.database.path;
  opts.read_only = true;
  auto db = outreach::storage::open_database(opts);
  if (outreach::storage::schema_version(db) < 2) {
    std::cout << "No questions recorded yet (the database has not been used by this version).\n";
    return 0;
  }
  const std::int64_t since =
      outreach::SystemClock().now_ms() - static_cast<std::int64_t>(days) * 86'400'000;
  SQLite::Statement totals(db,
                           "SELECT outcome, COUNT(*) FROM questions WHERE at >= :since GROUP BY "
                           "outcome ORDER BY outcome");
  totals.bind(":since", static_cast<int64_t>(since));
  std::cout << "Questions not answered with confidence in the last " << days << " days:\n";
  int n = 0;
  while (totals.executeStep()) {
    const std::string outcome = totals.getColumn(0).getString();
    std::cout << "  "
              << (outcome == "fallback" ? "not understood (fallback)"
                                        : "asked \"did you mean…?\" (clarify)")
              << ": " << totals.getColumn(1).getInt() << "\n";
    ++n;
  }
  if (n == 0) {
    std::cout << "  none\n";
    return 0;
  }
  SQLite::Statement guesses(
      db,
      "SELECT best, COUNT(*) AS n FROM questions WHERE at >= :since AND best IS NOT NULL "
      "GROUP BY best ORDER BY n DESC LIMIT 15");
  guesses.bind(":since", static_cast<int64_t>(since));
  std::cout << "Closest explainers (content to improve or split):\n";
  while (guesses.executeStep())
    std::cout << "  " << guesses.getColumn(0).getString() << ": " << guesses.getColumn(1).getInt()
              << "\n";
  SQLite::Statement texts(
      db,
      "SELECT at, outcome, text FROM questions WHERE at >= :since AND text IS NOT NULL "
      "ORDER BY at DESC LIMIT 50");
  texts.bind(":since", static_cast<int64_t>(since));
  std::cout << "Texts kept (only with privacy.store_message_text on and the person's consent):\n";
  int kept = 0;
  while (texts.executeStep()) {
    std::cout << "  [" << texts.getColumn(1).getString() << "] " << texts.getColumn(2).getString()
              << "\n";
    ++kept;
  }
  if (kept == 0)
    std::cout << "  none\n";
  return 0;
}

int check_content(const Overrides& o) {
  const Config c = load(o);
  outreach::SystemClock clock;
  const auto report = outreach::app::check_content_dir(c.content_dir, clock);
  for (const auto& p : report.problems) std::cout << p.to_string() << "\n";
  if (report.snapshot) {
    const auto& s = *report.snapshot;
    std::cout << c.content_dir << ": " << s.explainers_vi.size() << " explainers in Vietnamese, "
              << s.explainers_en.size() << " in English, " << s.topics.size() << " topics, "
              << s.flows.size() << " forms, " << s.referrals.size() << " referrals, "
              << s.ui_vi.size() << " UI strings; ";
  } else {
    std::cout << c.content_dir << ": refused; ";
  }
  std::cout << report.errors() << " errors, " << report.warnings() << " warnings\n";
  return report.errors() == 0 ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App cli{
      "outreach-bot — the chat assistant of the Gò Vấp wards' science, technology and innovation "
      "programme.\nRuns the web chat (and the Zalo OA and Messenger webhooks) on one SQLite "
      "file.\n\n"
      "Start with:  outreach-bot serve      then open http://127.0.0.1:8080/\n"
      "Or talk to it here:  outreach-bot chat"};
  cli.set_version_flag("--version", std::string("outreach-bot ") + OUTREACH_VERSION);
  cli.require_subcommand(1);
  cli.fallthrough();  // global options may also follow the subcommand
  Overrides o;
  cli.add_option("-c,--config", o.config_path,
                 "YAML config file (every key is optional; see deploy/outreach-bot.example.yaml)")
      ->check(CLI::ExistingFile)
      ->envname("OUTREACH_CONFIG");
  cli.add_option("--database", o.database,
                 "SQLite file (overrides database.path; default var/outreach.sqlite3)");
  cli.add_option("--content", o.content, "content folder (overrides content_dir; default content)");
  cli.add_option("--log-level", o.log_level, "debug, info, warn, error or off")
      ->check(CLI::IsMember({"debug", "info", "warn", "error", "off"}));

  auto* serve_cmd = cli.add_subcommand("serve", "run the server: web chat, webhooks, /metrics");
  serve_cmd->add_option("--address", o.address,
                        "listen address (overrides listen.address; default 127.0.0.1)");
  serve_cmd
      ->add_option("--port", o.port,
                   "listen port, 0 for any free port (overrides listen.port; default 8080)")
      ->check(CLI::Range(0, 65535));
  auto* chat_cmd = cli.add_subcommand(
      "chat", "talk to the bot in this terminal, through the same pipeline as every channel");
  auto* migrate_cmd =
      cli.add_subcommand("migrate", "create or upgrade the database schema, then exit");
  auto* config_cmd = cli.add_subcommand(
      "check-config", "validate the configuration and print the effective values");
  auto* content_cmd = cli.add_subcommand(
      "check-content", "validate content/ and list every problem with its file and line");
  auto* ask_cmd = cli.add_subcommand(
      "ask", "read questions (one per line) on stdin and say how the bot understands each");
  bool ask_json = false;
  ask_cmd->add_flag("--json", ask_json,
                    "one JSON object per line (for ../shared/eval/evaluate.py)");
  auto* questions_cmd = cli.add_subcommand(
      "questions", "list the questions the bot could not answer with confidence, for staff");
  int question_days = 30;
  questions_cmd->add_option("--days", question_days, "how far back (default 30)")
      ->check(CLI::Range(1, 3650));

  auto* tokens_cmd = cli.add_subcommand(
      "zalo-tokens",
      "store a Zalo OA's tokens (first set-up, or after an OA admin authorised the app again)");
  outreach::app::ZaloTokenInput tokens;
  tokens_cmd->add_option("--account", tokens.account, "the OA's id in zalo.accounts")->required();
  tokens_cmd->add_option("--refresh-token", tokens.refresh_token,
                         "the refresh token (default: read one line from stdin, so it stays out of "
                         "the shell history)");
  tokens_cmd->add_option("--access-token", tokens.access_token,
                         "the access token, if you have a fresh one");
  tokens_cmd
      ->add_option("--expires-in", tokens.expires_in_s,
                   "seconds the access token has left (Zalo: 90000 when new)")
      ->check(CLI::Range(0, 90000));
  auto* dead_cmd = cli.add_subcommand("dead-letters",
                                      "list the messages the sender gave up on, with the reason");
  int dead_limit = 50;
  std::int64_t requeue = 0;
  bool requeue_all = false;
  dead_cmd->add_option("--limit", dead_limit, "how many to list (default 50)")
      ->check(CLI::Range(1, 10000));
  dead_cmd->add_option("--requeue", requeue, "put this one back in the queue")
      ->check(CLI::PositiveNumber);
  dead_cmd->add_flag("--requeue-all", requeue_all, "put every dead letter back in the queue");
  auto* setup_cmd = cli.add_subcommand(
      "messenger-setup",
      "set each Facebook page's Get Started button, greeting and persistent menu from content");
  std::string setup_account;
  bool setup_dry_run = false;
  setup_cmd->add_option("--account", setup_account,
                        "only this page (its id in messenger.accounts)");
  setup_cmd->add_flag("--dry-run", setup_dry_run, "print what would be sent, call nothing");

  auto* bookings_cmd = cli.add_subcommand(
      "bookings",
      "the Startup Advisory Office's bookings: list, export (CSV), confirm, cancel, mark");
  bookings_cmd->require_subcommand(1);
  outreach::app::BookingsCommand bk;
  auto* bk_list = bookings_cmd->add_subcommand("list", "list bookings by day (default: today)");
  auto* bk_export =
      bookings_cmd->add_subcommand("export", "write bookings as CSV (UTF-8) to stdout");
  for (auto* sub : {bk_list, bk_export}) {
    sub->add_option("--from", bk.from, "first day, YYYY-MM-DD (default: today)");
    sub->add_option("--to", bk.to, "last day, YYYY-MM-DD (default: --from)");
    sub->add_option("--advisor", bk.advisor, "only this advisor (its id in booking.yaml)");
  }
  auto* bk_confirm =
      bookings_cmd->add_subcommand("confirm", "confirm a booking (the person is told)");
  auto* bk_cancel =
      bookings_cmd->add_subcommand("cancel", "cancel a booking; the person is told the reason");
  auto* bk_mark = bookings_cmd->add_subcommand("mark", "record attendance after the session");
  for (auto* sub : {bk_confirm, bk_cancel, bk_mark})
    sub->add_option("ref", bk.ref, "the booking's reference, e.g. TV-7K3M9Q")->required();
  bk_cancel->add_option("--reason", bk.reason, "why (sent to the person)")->required();
  bk_mark->add_option("status", bk.status, "attended or no_show")
      ->required()
      ->check(CLI::IsMember({"attended", "no_show"}));

  try {
    cli.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return cli.exit(e);
  }
  try {
    if (*serve_cmd)
      return serve(o);
    if (*chat_cmd)
      return chat(o);
    if (*migrate_cmd)
      return migrate(o);
    if (*config_cmd)
      return check_config(o);
    if (*content_cmd)
      return check_content(o);
    if (*ask_cmd)
      return ask(o, ask_json);
    if (*questions_cmd)
      return questions(o, question_days);
    if (*tokens_cmd) {
      if (tokens.refresh_token.empty()) {
        std::cerr << "Paste the refresh token of Zalo OA '" << tokens.account
                  << "' and press Enter:\n";
        std::getline(std::cin, tokens.refresh_token);
      }
      return outreach::app::store_zalo_tokens(load(o), tokens, std::cout, std::cerr);
    }
    if (*dead_cmd)
      return outreach::app::dead_letters(load(o), dead_limit, requeue_all ? -1 : requeue,
                                         std::cout);
    if (*bookings_cmd) {
      for (auto* sub : {bk_list, bk_export, bk_confirm, bk_cancel, bk_mark})
        if (*sub)
          bk.action = sub->get_name();
      return outreach::app::bookings(load(o), bk, std::cout, std::cerr);
    }
    if (*setup_cmd)
      return outreach::app::messenger_setup(load(o), setup_account, setup_dry_run, std::cout,
                                            std::cerr);
  } catch (const outreach::app::ConfigError& e) {
    std::cerr << "outreach-bot: the configuration has problems:\n";
    for (const auto& p : e.problems()) std::cerr << "  " << p << "\n";
    return 2;
  } catch (const outreach::app::StartupError& e) {
    std::cerr << "outreach-bot: cannot start: " << e.what() << "\n";
    return 1;
  } catch (const std::exception& e) {
    std::cerr << "outreach-bot: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
