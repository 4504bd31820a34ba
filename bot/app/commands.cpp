#include "bot/app/commands.hpp"

#include <iostream>
#include <random>

#include <SQLiteCpp/Statement.h>

#include "bot/app/app.hpp"
#include "bot/channels/cli/cli_client.hpp"
#include "bot/core/text.hpp"
#include "bot/router/understanding.hpp"
#include "bot/text/unicode.hpp"
#include "handlers/subscription.hpp"
#include "storage/database.hpp"

namespace outreach::app {
namespace {

std::string random_id() {
  std::random_device rd;
  std::mt19937_64 rng(rd());
  static constexpr char kAlphabet[] = "abcdefghijklmnopqrstuvwxyz0123456789";
  std::string out;
  for (int i = 0; i < 20; ++i) out += kAlphabet[rng() % 36];
  return out;
}

}  // namespace

Config effective_config(const CommonOptions& o) {
  Config c = o.config_path.empty() ? Config{} : load_config(o.config_path);
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

int serve(const CommonOptions& o) {
  const Config c = effective_config(o);
  App app(c);
  const auto port = app.start();
  std::cerr << "outreach-bot is running. Open the web chat at http://"
            << (c.listen.address == "0.0.0.0" ? "127.0.0.1" : c.listen.address) << ":" << port
            << "/  (Ctrl-C stops it)\n";
  return app.wait();
}

int chat(const CommonOptions& o) {
  Config c = effective_config(o);
  if (o.log_level.empty())
    c.log.level = "warn";  // keep the conversation readable
  AppOptions opts;
  opts.http = false;
  opts.signals = false;
  App app(c, opts);
  channels::cli::CliClient client(std::cout, [&app](const std::string& lang) {
    auto snap = app.content().snapshot();
    return snap ? snap->ui(lang, "number.hint") : std::string{};
  });
  app.add_client(client);
  app.start();
  const std::string user = "terminal";
  auto submit = [&](InboundEvent e) {
    e.channel = ChannelKind::kCli;
    e.account = "cli";
    e.user_id = user;
    e.event_id = "cli:" + random_id();
    e.timestamp_ms = app.clock().now_ms();
    std::vector<InboundEvent> events{std::move(e)};
    if (!app.inbox().append_sync(std::move(events))) {
      std::cerr << "could not store the message (database error)\n";
      return;
    }
    if (!app.wait_idle(std::chrono::seconds(10)))
      std::cerr << "(the bot is slow to answer)\n";
  };
  std::cout << "Chatting with outreach-bot in the terminal. Type a message, or a number to press a "
               "button; /quit or Ctrl-D to leave.\n";
  InboundEvent start;
  start.kind = EventKind::kFollow;
  submit(start);
  std::string line;
  while (std::cout << "\n> " << std::flush, std::getline(std::cin, line)) {
    const std::string text = text::nfc(text::clean_input(line, 2000));
    if (text == "/quit" || text == "/exit")
      break;
    if (text.empty())
      continue;
    InboundEvent e;
    e.kind = EventKind::kMessage;
    e.text = text;
    submit(e);
  }
  std::cout << "\n";
  app.shutdown();
  return 0;
}

int migrate(const CommonOptions& o, std::ostream& out) {
  const Config c = effective_config(o);
  storage::DbOptions opts;
  opts.path = c.database.path;
  auto db = storage::open_database(opts);
  const auto report = storage::migrate(db, storage::embedded_migrations());
  if (report.applied.empty()) {
    out << c.database.path << ": schema is up to date (version " << report.to << ")\n";
  } else {
    out << c.database.path << ": migrated from version " << report.from << " to " << report.to
        << ":\n";
    for (const auto& name : report.applied) out << "  applied " << name << "\n";
  }
  return 0;
}

int check_config(const CommonOptions& o, std::ostream& out) {
  const Config c = effective_config(o);
  out << "# " << (o.config_path.empty() ? "built-in defaults" : o.config_path)
      << ": OK. Effective configuration:\n"
      << to_yaml(c);
  return 0;
}

// One message per line on stdin → one JSON object per line on stdout (see router::describe).
int ask(const CommonOptions& o, bool json, std::istream& in, std::ostream& out, std::ostream& err) {
  const Config c = effective_config(o);
  SystemClock clock;
  const auto report = check_content_dir(c.content_dir, clock);
  if (!report.snapshot) {
    err << "outreach-bot: content in '" << c.content_dir << "' has errors (run check-content)\n";
    return 1;
  }
  const router::Understanding understanding(*report.snapshot);
  std::string line;
  while (std::getline(in, line)) {
    const std::string text = text::nfc(text::clean_input(line, 2000));
    const auto meant = understanding.interpret(text);
    auto j = router::describe(meant, *report.snapshot);
    if (j["intent"] == "subscribe") {  // what the message says besides "send me news"
      const auto req = handlers::read_subscription(
          text, *report.snapshot, [&](std::string_view t) { return understanding.read(t).folded; },
          [&](std::string_view t) { return understanding.explainers_for(t); });
      j["subscription"] = {{"topics", req.topics},
                           {"all_topics", req.all_topics},
                           {"ward", req.ward},
                           {"audience", req.audience},
                           {"asks_about", req.asks_about}};
    } else if (j["intent"] == "unsubscribe") {
      j["subscription"] = {{"asks_about", handlers::asks_about_stopping(text)}};
    }
    if (json) {
      out << j.dump() << "\n";
    } else {
      out << text << "\n  → " << j["kind"].get<std::string>() << " "
          << j["intent"].get<std::string>();
      if (!j["explainer"].is_null())
        out << " " << j["explainer"].get<std::string>();
      out << " (score " << meant.score << ", coverage " << meant.coverage << ")";
      if (!meant.reading.empty())
        out << "\n  read as: " << meant.reading;
      for (const auto& cand : meant.candidates)
        out << "\n    " << cand.explainer << " " << cand.score
            << (cand.key_words > 0 ? " (key phrase of " + std::to_string(cand.key_words) + " words)"
                                   : "");
      out << "\n";
    }
    out.flush();
  }
  return 0;
}

// Questions the bot could not answer with confidence, for staff to turn into content.
int questions(const CommonOptions& o, int days, std::ostream& out) {
  const Config c = effective_config(o);
  storage::DbOptions opts;
  opts.path = c.database.path;
  opts.read_only = true;
  auto db = storage::open_database(opts);
  if (storage::schema_version(db) < 2) {
    out << "No questions recorded yet (the database has not been used by this version).\n";
    return 0;
  }
  const std::int64_t since = SystemClock().now_ms() - static_cast<std::int64_t>(days) * 86'400'000;
  SQLite::Statement totals(db,
                           "SELECT outcome, COUNT(*) FROM questions WHERE at >= :since GROUP BY "
                           "outcome ORDER BY outcome");
  totals.bind(":since", static_cast<int64_t>(since));
  out << "Questions not answered with confidence in the last " << days << " days:\n";
  int n = 0;
  while (totals.executeStep()) {
    const std::string outcome = totals.getColumn(0).getString();
    out << "  "
        << (outcome == "fallback" ? "not understood (fallback)"
                                  : "asked \"did you mean…?\" (clarify)")
        << ": " << totals.getColumn(1).getInt() << "\n";
    ++n;
  }
  if (n == 0) {
    out << "  none\n";
    return 0;
  }
  SQLite::Statement guesses(
      db,
      "SELECT best, COUNT(*) AS n FROM questions WHERE at >= :since AND best IS NOT NULL "
      "GROUP BY best ORDER BY n DESC LIMIT 15");
  guesses.bind(":since", static_cast<int64_t>(since));
  out << "Closest explainers (content to improve or split):\n";
  while (guesses.executeStep())
    out << "  " << guesses.getColumn(0).getString() << ": " << guesses.getColumn(1).getInt()
        << "\n";
  SQLite::Statement texts(
      db,
      "SELECT at, outcome, text FROM questions WHERE at >= :since AND text IS NOT NULL "
      "ORDER BY at DESC LIMIT 50");
  texts.bind(":since", static_cast<int64_t>(since));
  out << "Texts kept (only with privacy.store_message_text on and the person's consent):\n";
  int kept = 0;
  while (texts.executeStep()) {
    out << "  [" << texts.getColumn(1).getString() << "] " << texts.getColumn(2).getString()
        << "\n";
    ++kept;
  }
  if (kept == 0)
    out << "  none\n";
  return 0;
}

int check_content(const CommonOptions& o, std::ostream& out) {
  const Config c = effective_config(o);
  SystemClock clock;
  const auto report = check_content_dir(c.content_dir, clock);
  for (const auto& p : report.problems) out << p.to_string() << "\n";
  if (report.snapshot) {
    const auto& s = *report.snapshot;
    out << c.content_dir << ": " << s.explainers_vi.size() << " explainers in Vietnamese, "
        << s.explainers_en.size() << " in English, " << s.topics.size() << " topics, "
        << s.flows.size() << " forms, " << s.referrals.size() << " referrals, " << s.ui_vi.size()
        << " UI strings; ";
  } else {
    out << c.content_dir << ": refused; ";
  }
  out << report.errors() << " errors, " << report.warnings() << " warnings\n";
  return report.errors() == 0 ? 0 : 1;
}

int zalo_tokens(const CommonOptions& o,
                ZaloTokenInput input,
                std::istream& in,
                std::ostream& out,
                std::ostream& err) {
  const Config c = effective_config(o);
  if (input.refresh_token.empty()) {
    err << "Paste the refresh token of Zalo OA '" << input.account << "' and press Enter:\n";
    std::getline(in, input.refresh_token);
  }
  return store_zalo_tokens(c, input, out, err);
}

}  // namespace outreach::app
