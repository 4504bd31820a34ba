#include <ctime>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <thread>

#include <SQLiteCpp/Transaction.h>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>
#include <termios.h>
#include <unistd.h>

#include "bot/app/app.hpp"
#include "bot/app/command_support.hpp"
#include "bot/app/commands.hpp"
#include "bot/channels/messenger/messenger.hpp"
#include "bot/console/accounts.hpp"
#include "bot/console/xlsx.hpp"
#include "bot/core/local_time.hpp"
#include "bot/core/text.hpp"
#include "content/store.hpp"
#include "handlers/booking.hpp"
#include "handlers/events.hpp"
#include "storage/database.hpp"
#include "storage/store.hpp"

namespace outreach::app {
namespace asio = boost::asio;

SQLite::Database open_migrated(const Config& c) {
  storage::DbOptions o;
  o.path = c.database.path;
  o.full_sync = true;
  auto db = storage::open_database(o);
  storage::migrate(db, storage::embedded_migrations());
  return db;
}

std::shared_ptr<const content::Snapshot> load_content(const Config& c, std::ostream& err) {
  const SystemClock clock;
  content::ContentStore store(c.content_dir, clock);
  store.reload();
  auto snapshot = store.snapshot();
  if (!snapshot)
    err << "content in '" << c.content_dir << "' has errors; run `outreach-bot check-content`\n";
  return snapshot;
}

using Json = nlohmann::json;

namespace {

constexpr std::size_t kGreetingMax = 160;  // Messenger's limit for the greeting text
constexpr std::size_t kMenuTitleMax = 30;  // and for a persistent-menu button title

std::string utc(std::int64_t ms) {
  const std::time_t t = static_cast<std::time_t>(ms / 1000);
  std::tm tm{};
  gmtime_r(&t, &tm);
  std::ostringstream o;
  o << std::put_time(&tm, "%Y-%m-%d %H:%M") << "Z";
  return o.str();
}

Json menu_for(const content::Snapshot& s, const std::string& lang, const std::string& locale) {
  Json actions = Json::array();
  for (const auto& item : s.main_menu) {
    if (actions.size() == 20)
      break;  // Messenger's limit
    std::string title = s.ui(lang, item.label);
    if (text::code_points(title) > kMenuTitleMax)
      title = std::string(text::prefix_code_points(title, kMenuTitleMax));
    actions.push_back({{"type", "postback"}, {"title", title}, {"payload", item.payload}});
  }
  return {{"locale", locale}, {"composer_input_disabled", false}, {"call_to_actions", actions}};
}

}  // namespace

int store_zalo_tokens(const Config& c,
                      const ZaloTokenInput& in,
                      std::ostream& out,
                      std::ostream& err) {
  const Config::ZaloAccount* account = nullptr;
  for (const auto& a : c.zalo.accounts)
    if (a.id == in.account)
      account = &a;
  if (account == nullptr) {
    err << "outreach-bot: no Zalo OA with id '" << in.account << "' in the configuration";
    if (c.zalo.accounts.empty())
      err << " (zalo.accounts is empty: add the OA there first, README \"Connect a Zalo OA\")";
    for (std::size_t i = 0; i < c.zalo.accounts.size(); ++i)
      err << (i == 0 ? "; configured: " : ", ") << c.zalo.accounts[i].id;
    err << "\n";
    return 2;
  }
  const std::string refresh(text::trim(in.refresh_token));
  if (refresh.empty() || refresh.size() > 4096 ||
      refresh.find_first_of(" \t\r\n") != std::string::npos) {
    err << "outreach-bot: the refresh token is empty or not a single token\n";
    return 2;
  }
  auto db = open_migrated(c);
  storage::Store store(db);
  const std::int64_t now = SystemClock().now_ms();
  const std::int64_t expires =
      in.access_token.empty() ? 0
                              : now + (in.expires_in_s > 0 ? in.expires_in_s * 1000 : 3'600'000);
  store.tokens.seed("zalo:" + account->id, refresh, std::string(text::trim(in.access_token)),
                    expires, now, true);
  // Messages that waited for working tokens go out now rather than at their next retry.
  SQLite::Statement due(
      db,
      "UPDATE outbox SET next_attempt_at = :now WHERE status = 'pending' AND person_id IN "
      "(SELECT id FROM people WHERE channel = 'zalo' AND account = :oa)");
  due.bind(":now", static_cast<int64_t>(now));
  due.bind(":oa", account->oa_id);
  const int waiting = due.exec();
  out << "Stored the tokens of Zalo OA '" << account->id << "' (" << account->name << ") in "
      << c.database.path << ".\nA running bot uses them within a minute";
  if (waiting > 0)
    out << " and sends the " << waiting << " message" << (waiting == 1 ? "" : "s")
        << " waiting for them";
  out << "; from now on the refresh token is rotated and kept in the database.\n";
  return 0;
}

int dead_letters(const Config& c, int limit, std::int64_t requeue, std::ostream& out) {
  auto db = open_migrated(c);
  storage::Store store(db);
  if (requeue != 0) {
    const int n = store.outbox.requeue_dead(requeue < 0 ? 0 : requeue, SystemClock().now_ms());
    out << "Put " << n << " message" << (n == 1 ? "" : "s")
        << " back in the queue; a running bot sends " << (n == 1 ? "it" : "them") << " now.\n";
    return n > 0 || requeue < 0 ? 0 : 1;
  }
  const auto rows = store.outbox.dead_letters(limit);
  const auto total = store.outbox.count_dead();
  if (rows.empty()) {
    out << "No dead letters: every message was sent, is still queued, or was outside the "
           "platform's window.\n";
    return 0;
  }
  out << "Messages the sender gave up on (newest first, " << rows.size() << " of " << total
      << "):\n";
  out << std::left << std::setw(8) << "id" << std::setw(11) << "channel" << std::setw(22)
      << "account" << std::setw(10) << "kind" << std::setw(9) << "attempts" << std::setw(19)
      << "created (UTC)"
      << "reason\n";
  for (const auto& r : rows)
    out << std::left << std::setw(8) << r.id << std::setw(11) << r.channel << std::setw(22)
        << r.account << std::setw(10) << r.kind << std::setw(9) << r.attempts << std::setw(19)
        << utc(r.created_at) << r.last_error << "\n";
  out << "Send one again with --requeue ID, or all with --requeue-all, once the cause is fixed.\n";
  return 0;
}

Json messenger_profile(const content::Snapshot& s) {
  auto greeting = [&](const std::string& lang) {
    std::string g = s.ui(lang, "messenger.greeting");
    if (text::code_points(g) > kGreetingMax)
      g = std::string(text::prefix_code_points(g, kGreetingMax));
    return g;
  };
  return {{"get_started", {{"payload", "GET_STARTED"}}},
          {"greeting",
           {{{"locale", "default"}, {"text", greeting("vi")}},
            {{"locale", "en_US"}, {"text", greeting("en")}}}},
          {"persistent_menu", {menu_for(s, "vi", "default"), menu_for(s, "en", "en_US")}}};
}

int messenger_setup(const Config& c,
                    const std::string& account,
                    bool dry_run,
                    std::ostream& out,
                    std::ostream& err) {
  SystemClock clock;
  auto report = check_content_dir(c.content_dir, clock);
  if (!report.snapshot) {
    err << "outreach-bot: the content in " << c.content_dir << " has errors (run check-content)\n";
    return 1;
  }
  const Json profile = messenger_profile(*report.snapshot);
  if (dry_run) {
    out << profile.dump(2) << "\n";
    return 0;
  }
  std::vector<channels::messenger::Account> pages;
  std::vector<std::string> missing;
  for (const auto& a : c.messenger.accounts) {
    if (!account.empty() && a.id != account)
      continue;
    const std::string token = env_secret("messenger", a.id, "PAGE_TOKEN");
    if (token.empty())
      missing.push_back(env_name("messenger", a.id, "PAGE_TOKEN"));
    pages.push_back({a.id, a.page_id, a.name, "", token, ""});
  }
  if (pages.empty()) {
    err << "outreach-bot: no Facebook page "
        << (account.empty() ? "configured (messenger.accounts)" : "with id '" + account + "'")
        << "\n";
    return 2;
  }
  if (!missing.empty()) {
    err << "outreach-bot: set these in the environment first:";
    for (const auto& m : missing) err << " " << m;
    err << "\n";
    return 2;
  }
  asio::io_context ioc;
  auto work = asio::make_work_guard(ioc);
  std::thread runner([&] { ioc.run(); });
  int failures = 0;
  {
    net::HttpClient http(ioc.get_executor());
    Metrics metrics;
    channels::messenger::ClientOptions mo;
    mo.api_base_url = c.messenger.api_base_url;
    channels::messenger::Client client(http, pages, mo, clock, metrics);
    for (const auto& page : pages) {
      std::string detail;
      auto result =
          asio::co_spawn(ioc, client.set_profile(page, profile, &detail), asio::use_future).get();
      if (result) {
        out << "Page '" << page.id << "' (" << page.name
            << "): Get Started, greeting and menu set.\n";
      } else {
        ++failures;
        err << "Page '" << page.id << "': " << result.error().message() << ": " << detail << "\n";
      }
    }
  }
  work.reset();
  runner.join();
  return failures == 0 ? 0 : 1;
}

int bookings(const Config& c, const BookingsCommand& cmd, std::ostream& out, std::ostream& err) {
  const SystemClock clock;
  const auto snapshot = load_content(c, err);
  if (!snapshot)
    return 1;
  auto db = open_migrated(c);
  storage::Store store(db);
  const std::int64_t now = clock.now_ms();
  if (cmd.action == "list" || cmd.action == "export") {
    const auto days = handlers::booking_days(cmd.from, cmd.to, now);
    if (!days) {
      err << "outreach-bot bookings " << cmd.action << ": " << days.error().message
          << " (--from, --to)\n";
      return 2;
    }
    const auto rows = handlers::bookings_on(store, *days, cmd.advisor);
    if (cmd.action == "export") {
      out << handlers::bookings_csv(rows, *snapshot);
      return 0;
    }
    if (rows.empty()) {
      out << "No bookings from " << local_time::iso_date(days->first_day) << " to "
          << local_time::iso_date(days->last_day)
          << (cmd.advisor.empty() ? "" : " for " + cmd.advisor) << ".\n";
      return 0;
    }
    out << std::left << std::setw(11) << "ref" << std::setw(18) << "starts (local)" << std::setw(18)
        << "advisor" << std::setw(10) << "topic" << std::setw(11) << "status" << std::setw(11)
        << "confirmed"
        << "name, phone\n";
    for (const auto& b : rows)
      out << std::left << std::setw(11) << b.ref << std::setw(18)
          << local_time::timestamp(b.starts_at) << std::setw(18) << b.advisor << std::setw(10)
          << b.topic << std::setw(11) << b.status << std::setw(11)
          << (b.confirmed_at ? "yes" : "no") << b.name << ", " << b.phone << "\n";
    return 0;
  }
  using Kind = handlers::StaffAction::Kind;
  handlers::StaffAction action{Kind::kConfirm, cmd.ref, cmd.reason, cmd.status, "cli", ""};
  if (cmd.action == "cancel") {
    action.kind = Kind::kCancel;
  } else if (cmd.action == "mark") {
    action.kind = Kind::kAttendance;
  } else if (cmd.action != "confirm") {
    err << "outreach-bot bookings: unknown action '" << cmd.action << "'\n";
    return 1;
  }
  const auto r = handlers::staff_action(store, *snapshot, action, now);
  if (!r) {
    err << "outreach-bot bookings " << cmd.action << ": " << r.error().message << "\n";
    return 1;
  }
  out << "Booking " << r->ref << " (" << local_time::timestamp(r->starts_at)
      << "): " << (action.kind == Kind::kConfirm ? "confirmed" : r->status)
      << (action.kind == Kind::kAttendance ? ""
                                           : "; the person is told (a running bot sends it now)")
      << ".\n";
  return 0;
}

namespace {

// The first line of `in`; without echo when stdin is a terminal.
std::string read_password(std::istream& in, std::ostream& err) {
  const bool tty = &in == &std::cin && ::isatty(STDIN_FILENO) == 1;
  termios saved{};
  if (tty) {
    err << "Mật khẩu / password (12+ characters): " << std::flush;
    ::tcgetattr(STDIN_FILENO, &saved);
    termios quiet = saved;
    quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
    ::tcsetattr(STDIN_FILENO, TCSANOW, &quiet);
  }
  std::string line;
  std::getline(in, line);
  if (tty) {
    ::tcsetattr(STDIN_FILENO, TCSANOW, &saved);
    err << "\n";
  }
  if (!line.empty() && line.back() == '\r')
    line.pop_back();
  return line;
}

}  // namespace

int staff(const Config& c,
          const StaffCommand& cmd,
          std::istream& in,
          std::ostream& out,
          std::ostream& err) {
  auto db = open_migrated(c);
  storage::Store store(db);
  const console::AccountChange by{"cli", "", SystemClock().now_ms()};
  const std::string name = "outreach-bot staff " + cmd.action;
  if (cmd.action == "list") {
    const auto rows = store.staff.list();
    if (rows.empty()) {
      out << "No staff accounts yet: outreach-bot staff add EMAIL --role admin\n";
      return 0;
    }
    out << std::left << std::setw(36) << "email" << std::setw(9) << "role" << std::setw(10)
        << "state"
        << "created (UTC)\n";
    for (const auto& r : rows)
      out << std::left << std::setw(36) << r.email << std::setw(9) << r.role << std::setw(10)
          << (r.disabled ? "disabled" : "active") << utc(r.created_at) << "\n";
    return 0;
  }
  Result<storage::StaffRow, Problem> done = Problem{};
  if (cmd.action == "add" || cmd.action == "reset") {
    const auto email = console::normalize_email(cmd.email);
    if (!email) {
      err << name << ": not an email address: " << cmd.email << "\n";
      return 2;
    }
    const auto role = console::role_from_string(cmd.role);
    if (cmd.action == "add" && !role) {
      err << name << ": --role must be admin, editor, advisor or checkin\n";
      return 2;
    }
    if (cmd.action == "add" && store.staff.find(*email)) {
      err << name << ": " << *email << " already has an account (reset changes its password)\n";
      return 1;
    }
    if (cmd.action == "reset" && !store.staff.find(*email)) {
      err << name << ": no account " << *email << "\n";
      return 1;
    }
    const auto common = console::CommonPasswords::load(c.console.common_passwords);
    const std::string password = read_password(in, err);
    if (auto problem = console::password_problem(password, *email, common)) {
      err << name << ": " << *problem << "\n";
      return 2;
    }
    const std::string hash = console::hash_password(password);
    SQLite::Transaction t(db);
    done = cmd.action == "add" ? console::add_staff(store, *email, *role, hash, by)
                               : console::reset_password(store, *email, hash, by);
    if (done)
      t.commit();
  } else if (cmd.action == "role") {
    const auto role = console::role_from_string(cmd.role);
    if (!role) {
      err << name << ": --role must be admin, editor, advisor or checkin\n";
      return 2;
    }
    SQLite::Transaction t(db);
    done = console::change_role(store, cmd.email, *role, by);
    if (done)
      t.commit();
  } else if (cmd.action == "disable" || cmd.action == "enable") {
    SQLite::Transaction t(db);
    done = console::disable_staff(store, cmd.email, cmd.action == "disable", by);
    if (done)
      t.commit();
  } else {
    err << "outreach-bot staff: unknown action '" << cmd.action << "'\n";
    return 2;
  }
  if (!done) {
    err << name << ": " << done.error().message << "\n";
    return 1;
  }
  out << done->email << " (" << done->role << "): "
      << (cmd.action == "add"       ? "added; sign in at /console/"
          : cmd.action == "reset"   ? "new password set; its sessions have ended"
          : cmd.action == "disable" ? "disabled; its sessions have ended"
          : cmd.action == "role"    ? "role changed; its sessions have ended"
                                    : "enabled")
      << "\n";
  return 0;
}

int audit(const Config& c, const AuditCommand& cmd, std::ostream& out, std::ostream& err) {
  const std::int64_t now = SystemClock().now_ms();
  storage::AuditFilter f;
  f.actor = cmd.actor;
  f.action = cmd.action;
  f.limit = cmd.limit;
  if (cmd.since.empty()) {
    f.since = now - 7LL * 24 * 3600 * 1000;
  } else if (const auto day = local_time::parse_date(cmd.since)) {
    f.since = local_time::unix_ms(*day);
  } else {
    err << "outreach-bot audit: --since must be a date, YYYY-MM-DD\n";
    return 2;
  }
  auto db = open_migrated(c);
  storage::Store store(db);
  const auto rows = store.staff.audit_log(f);
  if (rows.empty()) {
    out << "No staff actions since " << local_time::timestamp(f.since) << ".\n";
    return 0;
  }
  out << std::left << std::setw(18) << "when (local)" << std::setw(28) << "who" << std::setw(20)
      << "what" << std::setw(28) << "object" << std::setw(16) << "from"
      << "detail\n";
  for (const auto& r : rows)
    out << std::left << std::setw(18) << local_time::timestamp(r.at) << std::setw(28) << r.actor
        << std::setw(20) << r.action << std::setw(28) << r.object << std::setw(16) << r.address
        << r.detail << "\n";
  return 0;
}

int events(const Config& c, const EventsCommand& cmd, std::ostream& out, std::ostream& err) {
  const SystemClock clock;
  const auto snapshot = load_content(c, err);
  if (!snapshot)
    return 1;
  auto db = open_migrated(c);
  storage::Store store(db);
  const std::int64_t now = clock.now_ms();
  if (cmd.action == "list") {
    if (snapshot->events.empty()) {
      out << "No events in " << c.content_dir << "/events.\n";
      return 0;
    }
    out << std::left << std::setw(34) << "event" << std::setw(18) << "starts (local)"
        << std::setw(11) << "status" << std::setw(9) << "seats" << std::setw(11) << "registered"
        << std::setw(9) << "waiting"
        << "checked in\n";
    for (const auto& [id, e] : snapshot->events) {
      const auto n = store.events.counts(id);
      out << std::left << std::setw(34) << id << std::setw(18) << local_time::timestamp(e.starts_at)
          << std::setw(11) << e.status << std::setw(9) << e.capacity << std::setw(11)
          << n.registered + n.offered << std::setw(9) << n.waiting << n.checked_in << "\n";
    }
    return 0;
  }
  const content::Event* e = snapshot->event(cmd.event);
  if (e == nullptr) {
    err << "outreach-bot events " << cmd.action << ": no event '" << cmd.event << "' in "
        << c.content_dir << "/events (see `outreach-bot events list`)\n";
    return 2;
  }
  if (cmd.action == "export" && !cmd.xlsx.empty()) {
    const auto book = console::xlsx_of(handlers::registrations_table(store, *e), "Đăng ký");
    std::ofstream file(cmd.xlsx, std::ios::binary);
    if (!book || !(file << *book) || !file.flush()) {
      err << "outreach-bot events export: could not write " << cmd.xlsx << "\n";
      return 1;
    }
    out << "Wrote " << cmd.xlsx << "\n";
    return 0;
  }
  if (cmd.action == "export") {
    out << handlers::registrations_csv(store, *snapshot, *e);
    return 0;
  }
  if (cmd.action != "checkin") {
    err << "outreach-bot events: unknown action '" << cmd.action << "'\n";
    return 1;
  }
  SQLite::Transaction t(db, SQLite::TransactionBehavior::IMMEDIATE);
  const auto answer = handlers::check_in(store, *snapshot, e->id, cmd.code,
                                         "cli-" + handlers::new_ticket_code(), "cli", now);
  t.commit();
  out << handlers::to_json(answer).dump() << "\n";
  return answer.result == "ok" ? 0 : 3;
}

}  // namespace outreach::app
