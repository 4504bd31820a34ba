#include "bot/app/app.hpp"

#include <atomic>
#include <csignal>
#include <future>
#include <mutex>
#include <thread>

#include <SQLiteCpp/Transaction.h>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/thread_pool.hpp>
#include <pthread.h>

#include "bot/app/http_routes.hpp"
#include "bot/app/token_store.hpp"
#include "bot/channels/messenger/messenger.hpp"
#include "bot/channels/web/webchat.hpp"
#include "bot/channels/zalo/zalo_client.hpp"
#include "bot/channels/zalo/zalo_webhook.hpp"
#include "bot/core/local_time.hpp"
#include "bot/core/log.hpp"
#include "bot/net/http_client.hpp"
#include "bot/router/dispatcher.hpp"
#include "bot/router/router.hpp"
#include "bot/router/turn_runner.hpp"
#include "bot/sender/scheduler.hpp"
#include "bot/sender/sender.hpp"
#include "bot/server/http_server.hpp"
#include "handlers/booking.hpp"
#include "handlers/events.hpp"
#include "handlers/flow.hpp"
#include "handlers/handlers.hpp"
#include "storage/retention.hpp"

namespace outreach::app {
namespace asio = boost::asio;
using namespace std::chrono_literals;

namespace {

storage::DbOptions db_options(const Config& c, bool read_only) {
  storage::DbOptions o;
  o.path = c.database.path;
  o.full_sync = false;  // NORMAL; the inbox and token commits are FULL when configured (below)
  o.busy_timeout_ms = static_cast<int>(c.database.busy_timeout.count());
  o.read_only = read_only;
  return o;
}

std::string describe_problems(const content::LoadReport& r) {
  std::string out;
  for (const auto& p : r.problems)
    if (!p.warning)
      out += "\n  " + p.to_string();
  return out;
}

void describe_metrics(Metrics& m) {
  using T = Metrics::Type;
  m.describe("outreach_http_requests_total", "HTTP requests by route and status", T::kCounter);
  m.describe("outreach_turns_total", "Turns run, by handler", T::kCounter);
  m.describe("outreach_turn_duration_seconds",
             "Time to run one turn (understanding, handler, transaction)", T::kHistogram,
             {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1});
  m.describe("outreach_inbox_depth", "Accepted events waiting for their turn", T::kGauge);
  m.describe("outreach_inbox_oldest_wait_seconds",
             "How long the oldest accepted event has waited for its turn (0: none waits)",
             T::kGauge);
  m.describe("outreach_outbox_depth", "Messages waiting to be sent (pending or in flight)",
             T::kGauge);
  m.describe("outreach_send_total", "Send outcomes by channel (sent, retry, skipped, dead)",
             T::kCounter);
  m.describe("outreach_content_reloads_total", "Content reloads by result", T::kCounter);
  m.describe("outreach_dead_letters",
             "Messages the sender gave up on (list them: outreach-bot dead-letters)", T::kGauge);
  m.describe("outreach_webhook_total", "Platform webhook requests by channel and outcome",
             T::kCounter);
  m.describe("outreach_webhook_events_total", "Events accepted from platform webhooks",
             T::kCounter);
  m.describe("outreach_token_refresh_total", "Zalo token refreshes by account and outcome",
             T::kCounter);
  m.describe("outreach_platform_alerts_total", "Platform problems a person must fix (tokens, page)",
             T::kCounter);
  m.describe("outreach_zalo_messages_total",
             "Zalo messages sent by account and window (free, paid)", T::kCounter);
  m.set("outreach_inbox_depth", {}, 0);
  m.set("outreach_inbox_oldest_wait_seconds", {}, 0);
  m.set("outreach_outbox_depth", {}, 0);
  m.set("outreach_dead_letters", {}, 0);
}

// The daily purge of what the retention period has passed (no fields).
struct RetentionJob {
  static constexpr std::string_view kKind = "retention.purge";
};

void to_json(nlohmann::json& j, const RetentionJob&) {
  j = nlohmann::json::object();
}

void from_json(const nlohmann::json&, RetentionJob&) {}

// Schedules the daily purge at the next 03:00 Asia/Ho_Chi_Minh after `after_ms`; one job per
// day (the key carries the date), so a restart does not add another.
void schedule_retention(storage::Store& s, std::int64_t after_ms) {
  constexpr int kAt = 3 * 60;  // minutes after local midnight
  std::int64_t day = local_time::day_of(after_ms);
  if (local_time::unix_ms(day, kAt) <= after_ms)
    ++day;
  const std::int64_t run_at = local_time::unix_ms(day, kAt);
  s.jobs.schedule(RetentionJob{}, run_at, "retention:" + std::to_string(day), after_ms);
}

}  // namespace

struct App::Impl {
  Impl(Config cfg, AppOptions opts)
      : config(std::move(cfg)),
        options(opts),
        clock(opts.clock != nullptr ? *opts.clock : system_clock),
        content(config.content_dir, clock),
        webchat(config.webchat),  // the section is the web chat's options
        signals(ioc) {}

  Config config;
  AppOptions options;
  SystemClock system_clock;
  const Clock& clock;
  Metrics metrics;
  content::ContentStore content;
  std::unique_ptr<storage::DbExecutor> writer;
  std::unique_ptr<storage::DbExecutor> reader;
  asio::io_context ioc;
  std::optional<asio::executor_work_guard<asio::io_context::executor_type>> work;
  std::vector<std::thread> threads;
  asio::thread_pool blocking{1};
  handlers::FlowEngine flows;
  router::UnderstandingCache understanding;
  std::unique_ptr<router::Dispatcher> dispatcher;
  std::unique_ptr<router::TurnRunner> runner;
  std::unique_ptr<router::Router> router;
  std::unique_ptr<storage::InboxWriter> inbox;
  std::unique_ptr<sender::Sender> sender;
  std::unique_ptr<sender::Scheduler> scheduler;
  channels::web::WebChat webchat;
  std::unique_ptr<channels::web::WebChatClient> web_client;
  asio::thread_pool hashing{1};  // the console's Argon2 work
  std::unique_ptr<console::Console> console;
  std::unique_ptr<server::HttpServer> http;
  std::unique_ptr<net::HttpClient> http_client;
  std::unique_ptr<DbTokenStore> token_store;
  std::unique_ptr<channels::zalo::Webhook> zalo_webhook;
  std::unique_ptr<channels::zalo::Client> zalo_client;
  std::unique_ptr<channels::messenger::Webhook> messenger_webhook;
  std::unique_ptr<channels::messenger::Client> messenger_client;
  std::unique_ptr<asio::steady_timer> fresh_timer;

  void setup_platforms();
  void keep_tokens_fresh();
  asio::signal_set signals;
  std::promise<void> stop_promise;
  std::once_flag stop_once;
  std::atomic<bool> shutting_down{false};
  std::once_flag shutdown_once;
  std::uint16_t port = 0;
  bool started = false;

  void watch_signals();
  content::LoadReport reload_now();  // on the blocking thread: reload, understanding, metrics
  void sync_events(const std::shared_ptr<const content::Snapshot>& snap);
};

App::App(Config config, AppOptions options)
    : impl_(std::make_unique<Impl>(std::move(config), options)) {
  Impl& m = *impl_;
  if (auto lvl = log::parse_level(m.config.log.level))
    log::set_level(*lvl);
  if (const Secrets s = load_secrets(); !s.log_hash_key.empty())
    log::set_hash_key(s.log_hash_key);
  describe_metrics(m.metrics);

  const content::LoadReport report = m.content.reload();
  if (!report.ok())
    throw StartupError(
        "content in '" + m.config.content_dir +
        "' has errors (run `outreach-bot check-content`):" + describe_problems(report));
  for (const auto& p : report.problems)
    if (p.warning)
      log::warn("content", "warning", {{"problem", p.to_string()}});

  try {
    m.writer = std::make_unique<storage::DbExecutor>(db_options(m.config, false), true, "db");
    const auto& mr = m.writer->migrate_report();
    if (!mr.applied.empty())
      log::info("db", "migrated", {{"from", mr.from}, {"to", mr.to}});
    if (m.options.http && m.config.webchat.enabled)
      m.reader =
          std::make_unique<storage::DbExecutor>(db_options(m.config, true), false, "db_read");
  } catch (const std::exception& e) {
    throw StartupError(std::string("database: ") + e.what());
  }
  m.sync_events(report.snapshot);

  router::RunnerOptions ro;
  ro.turn.form_expiry_ms = m.config.conversation.form_expiry.count();
  ro.turn.store_message_text = m.config.privacy.store_message_text;
  ro.default_language = m.config.default_language;
  ro.turn.human_quiet_zalo_ms = m.config.zalo.human_quiet.count();
  ro.turn.human_quiet_messenger_ms = m.config.messenger.human_quiet.count();
  ro.turn.handoff_enabled = m.config.console.enabled;
  ro.turn.handoff_hours = m.config.console.handoff_hours;
  ro.turn.handoff_reply_minutes = m.config.console.handoff_reply_minutes;
  ro.turn.public_url =
      m.config.http.public_url.empty()
          ? "http://" + m.config.listen.address + ":" + std::to_string(m.config.listen.port)
          : m.config.http.public_url;
  m.dispatcher =
      std::make_unique<router::Dispatcher>(handlers::make_standard_handlers(m.flows), m.flows);
  m.runner = std::make_unique<router::TurnRunner>(m.content, *m.dispatcher, m.understanding,
                                                  m.clock, m.metrics, ro);
  m.understanding.get(m.content.snapshot());  // built now, not on the first turn
  m.router = std::make_unique<router::Router>(
      *m.writer, *m.runner, m.metrics, [this] { impl_->sender->kick(); },
      [this] { return impl_->inbox->waiting() > 0; });
  m.inbox = std::make_unique<storage::InboxWriter>(
      *m.writer, m.clock,
      [this](storage::Store&, const std::vector<std::int64_t>&) { impl_->router->kick(); },
      m.config.database.synchronous == "full");

  m.sender = std::make_unique<sender::Sender>(m.ioc.get_executor(), *m.writer, m.clock, m.metrics,
                                              m.config.sender);
  m.web_client = std::make_unique<channels::web::WebChatClient>(m.webchat);
  m.sender->add_client(*m.web_client);
  m.setup_platforms();

  m.scheduler = std::make_unique<sender::Scheduler>(m.ioc.get_executor(), *m.writer, m.clock,
                                                    [this] { impl_->sender->kick(); });
  m.scheduler->on<handlers::FlowExpiryJob>(
      [this](storage::Store& s, const handlers::FlowExpiryJob& job, std::int64_t now) {
        auto snap = impl_->content.snapshot();
        return snap && handlers::run_flow_expiry_job(s, *snap, job.person_id, now);
      });
  m.scheduler->on<handlers::ForgetJob>(
      [](storage::Store& s, const handlers::ForgetJob& job, std::int64_t) {
        handlers::run_forget_job(s, job);
        return false;
      });

  m.scheduler->on<handlers::BookingReminderJob>(
      [this](storage::Store& s, const handlers::BookingReminderJob& job, std::int64_t now) {
        auto snap = impl_->content.snapshot();
        return snap && handlers::run_booking_reminder(s, *snap, job.booking_id, job.minutes, now);
      });
  m.scheduler->on<handlers::BookingOfferJob>(
      [this](storage::Store& s, const handlers::BookingOfferJob& job, std::int64_t now) {
        auto snap = impl_->content.snapshot();
        return snap && handlers::run_offer_expiry(s, *snap, job.wait_id, now);
      });
  m.scheduler->on<handlers::EventReminderJob>(
      [this](storage::Store& s, const handlers::EventReminderJob& job, std::int64_t now) {
        auto snap = impl_->content.snapshot();
        return snap && handlers::run_event_reminder(s, *snap, job, now);
      });
  m.scheduler->on<handlers::EventOfferJob>(
      [this](storage::Store& s, const handlers::EventOfferJob& job, std::int64_t now) {
        auto snap = impl_->content.snapshot();
        return snap && handlers::run_event_offer_expiry(s, *snap, job, now);
      });
  m.scheduler->on<handlers::EventSurveyJob>(
      [this](storage::Store& s, const handlers::EventSurveyJob& job, std::int64_t now) {
        auto snap = impl_->content.snapshot();
        return snap && handlers::run_event_survey(s, *snap, job, now);
      });
  m.scheduler->on<handlers::BroadcastJob>(
      [this](storage::Store& s, const handlers::BroadcastJob& job, std::int64_t now) {
        auto snap = impl_->content.snapshot();
        return snap && handlers::run_broadcast_job(s, *snap, impl_->config.broadcast, job, now);
      });
  m.scheduler->on<RetentionJob>([this](storage::Store& s, const RetentionJob&, std::int64_t now) {
    const std::int64_t days = impl_->config.privacy.retention_days;
    const auto r = storage::purge_older_than(s, now - days * 86'400'000);
    log::info("retention", "purged",
              {{"interactions", r.interactions},
               {"messages", r.messages},
               {"inbox", r.inbox},
               {"jobs", r.jobs},
               {"bookings_anonymised", r.bookings},
               {"waitlist", r.waitlist},
               {"people", r.people}});
    schedule_retention(s, now + 3'600'000);  // tomorrow's run
    return false;
  });

  if (m.options.http && m.config.console.enabled) {
    console::CommonPasswords common = console::CommonPasswords::of({});
    try {
      common = console::CommonPasswords::load(m.config.console.common_passwords);
    } catch (const std::exception& e) {
      // The console runs; adding or resetting a password is refused until the list is there.
      log::error("console", "common_passwords_unreadable", {{"what", std::string_view(e.what())}});
    }
    m.console = std::make_unique<console::Console>(
        console::ConsoleDeps{m.config.console, *m.writer, m.content, m.clock, m.hashing,
                             std::move(common), [this] { impl_->sender->kick(); }, m.blocking,
                             [this] { return impl_->reload_now(); }, m.config.broadcast,
                             [this] {
                               impl_->scheduler->kick();
                             }});
  }
  if (m.options.http) {
    RouteDeps deps{m.webchat,
                   *m.inbox,
                   m.reader ? *m.reader : *m.writer,
                   m.metrics,
                   m.content,
                   m.clock,
                   [this] {
                     Readiness r;
                     r.database = impl_->writer != nullptr;
                     r.content = impl_->content.snapshot() != nullptr;
                     r.shutting_down = impl_->shutting_down.load();
                     return r;
                   },
                   m.config.webchat.poll_timeout,
                   m.config.webchat.enabled,
                   m.zalo_webhook.get(),
                   m.messenger_webhook.get(),
                   m.writer.get(),
                   load_secrets().admin_token,
                   [this] { impl_->sender->kick(); },
                   m.console.get(),
                   m.config.broadcast,
                   [this] {
                     impl_->scheduler->kick();
                   }};
    m.http = std::make_unique<server::HttpServer>(m.ioc, m.config.http,  // its server options
                                                  make_http_handler(std::move(deps)), m.metrics);
  }
}

App::~App() {
  shutdown();
}

void App::add_client(channels::ChannelClient& client) {
  impl_->sender->add_client(client);
}

// Zalo OAs and Facebook pages from the config, their secrets from the environment (a missing
// one stops start-up, naming the variable), first Zalo tokens seeded from the environment.
void App::Impl::setup_platforms() {
  if (config.zalo.accounts.empty() && config.messenger.accounts.empty())
    return;
  std::vector<std::string> missing;
  auto need = [&](std::string_view platform, const std::string& id, std::string_view what) {
    std::string v = env_secret(platform, id, what);
    if (v.empty())
      missing.push_back(env_name(platform, id, what));
    return v;
  };
  std::vector<channels::zalo::Account> zalo;
  for (const auto& a : config.zalo.accounts)
    zalo.push_back({a.id, a.oa_id, a.app_id, a.name, need("zalo", a.id, "OA_SECRET"),
                    need("zalo", a.id, "APP_SECRET")});
  std::vector<channels::messenger::Account> pages;
  for (const auto& a : config.messenger.accounts)
    pages.push_back({a.id, a.page_id, a.name, need("messenger", a.id, "APP_SECRET"),
                     need("messenger", a.id, "PAGE_TOKEN"),
                     need("messenger", a.id, "VERIFY_TOKEN")});
  if (!missing.empty()) {
    std::string list;
    for (const auto& m : missing) list += "\n  " + m;
    throw StartupError("these secrets are not set in the environment (README, \"Secrets\"):" +
                       list);
  }
  http_client = std::make_unique<net::HttpClient>(ioc.get_executor());
  auto hint = [this](const std::string& lang) {
    auto snap = content.snapshot();
    return snap ? snap->ui(lang, "number.hint") : std::string{};
  };
  if (!zalo.empty()) {
    const std::int64_t now = clock.now_ms();
    for (const auto& a : zalo) {
      const std::string refresh = env_secret("zalo", a.id, "REFRESH_TOKEN");
      const std::string access = env_secret("zalo", a.id, "ACCESS_TOKEN");
      const bool seeded = !refresh.empty() && writer->run_sync([&](storage::Store& s) {
        // Never replaces stored tokens: the environment's refresh token is used up after the first
        // rotation.
        return s.tokens.seed("zalo:" + a.id, refresh, access, access.empty() ? 0 : now + 3'600'000,
                             now, false);
      });
      const bool have = writer->run_sync(
          [&](storage::Store& s) { return s.tokens.get("zalo:" + a.id).has_value(); });
      if (seeded)
        log::info("zalo", "tokens_seeded", {{"account", a.id}});
      if (!have)
        log::warn("zalo", "no_tokens",
                  {{"account", a.id}, {"set", env_name("zalo", a.id, "REFRESH_TOKEN")}});
    }
    token_store = std::make_unique<DbTokenStore>(*writer, clock);
    zalo_webhook = std::make_unique<channels::zalo::Webhook>(zalo, config.zalo.timestamp_skew,
                                                             clock, config.zalo.retry_window);
    channels::zalo::ClientOptions zo;
    static_cast<channels::zalo::ClientSettings&>(zo) = config.zalo;
    zo.number_hint = hint;
    zalo_client = std::make_unique<channels::zalo::Client>(*http_client, *token_store, zalo, zo,
                                                           clock, metrics);
    sender->add_client(*zalo_client);
  }
  if (!pages.empty()) {
    messenger_webhook =
        std::make_unique<channels::messenger::Webhook>(pages, config.messenger.accept_sha1);
    channels::messenger::ClientOptions mo;
    static_cast<channels::messenger::ClientSettings&>(mo) = config.messenger;
    mo.number_hint = hint;
    messenger_client =
        std::make_unique<channels::messenger::Client>(*http_client, pages, mo, clock, metrics);
    sender->add_client(*messenger_client);
  }
}

// Every minute, refresh the Zalo access tokens that expire within refresh_ahead.
void App::Impl::keep_tokens_fresh() {
  if (!zalo_client || shutting_down.load())
    return;
  asio::co_spawn(ioc, zalo_client->keep_fresh(), [this](std::exception_ptr ep) {
    log::exception("zalo", "keep_fresh_failed", ep);
    if (shutting_down.load())
      return;
    fresh_timer->expires_after(std::chrono::minutes(1));
    fresh_timer->async_wait([this](const boost::system::error_code& ec) {
      if (!ec)
        keep_tokens_fresh();
    });
  });
}

// Registrants of an event moved, cancelled or back on are told (handlers::sync_event_changes),
// in one writer transaction; the sender is woken for the messages.
void App::Impl::sync_events(const std::shared_ptr<const content::Snapshot>& snap) {
  if (!snap || !writer)
    return;
  const std::int64_t now = clock.now_ms();
  const int told = writer->run_sync([&](storage::Store& s) {
    SQLite::Transaction t(s.db, SQLite::TransactionBehavior::IMMEDIATE);
    const int n = handlers::sync_event_changes(s, *snap, now);
    t.commit();
    return n;
  });
  if (told > 0) {
    log::info("events", "registrants_told", {{"messages", told}});
    if (sender)
      sender->kick();
  }
}

content::LoadReport App::Impl::reload_now() {
  auto r = content.reload();
  if (r.ok()) {
    understanding.get(r.snapshot);  // ready before the next turn needs it
    sync_events(r.snapshot);
  }
  metrics.inc("outreach_content_reloads_total", {{"result", r.ok() ? "ok" : "refused"}});
  if (r.ok()) {
    log::info("content", "reloaded", {{"warnings", r.warnings()}});
  } else {
    log::error("content", "reload_refused",
               {{"errors", r.errors()}, {"first", r.problems.front().to_string()}});
  }
  return r;
}

void App::Impl::watch_signals() {
  signals.async_wait([this](const boost::system::error_code& ec, int sig) {
    if (ec)
      return;
    if (sig == SIGHUP) {
      asio::post(blocking, [this] { reload_now(); });
      watch_signals();
      return;
    }
    log::info("app", "signal", {{"signal", sig == SIGINT ? "SIGINT" : "SIGTERM"}});
    std::call_once(stop_once, [this] { stop_promise.set_value(); });
  });
}

std::uint16_t App::start() {
  Impl& m = *impl_;
  if (m.http) {
    std::string error;
    auto bound = m.http->listen(m.config.listen.address, m.config.listen.port, error);
    if (!bound)
      throw StartupError(error);
    m.port = *bound;
    if (m.config.http.public_url.empty())  // links in messages: the port really bound (--port 0)
      m.runner->set_public_url("http://" + m.config.listen.address + ":" + std::to_string(m.port));
  }
  m.work.emplace(m.ioc.get_executor());
  if (m.options.signals) {
    m.signals.add(SIGINT);
    m.signals.add(SIGTERM);
    m.signals.add(SIGHUP);
    m.watch_signals();
  }
  const std::int64_t now = m.clock.now_ms();
  m.writer->run_sync([now](storage::Store& s) { schedule_retention(s, now); });
  m.sender->start();
  m.scheduler->start();
  if (m.zalo_client) {
    m.fresh_timer = std::make_unique<asio::steady_timer>(m.ioc);
    m.keep_tokens_fresh();
  }
  m.router->kick();  // events accepted before a crash or restart
  if (m.http)
    m.http->start();
  int n = m.config.io_threads > 0 ? m.config.io_threads
                                  : static_cast<int>(std::thread::hardware_concurrency());
  n = std::max(n, 1);
  for (int i = 0; i < n; ++i)
    m.threads.emplace_back([this, i] {
      pthread_setname_np(pthread_self(), ("io-" + std::to_string(i)).c_str());
      for (;;) {
        try {
          impl_->ioc.run();
          return;
        } catch (const std::exception& e) {
          log::error("app", "io_thread_threw", {{"what", std::string_view(e.what())}});
        }
      }
    });
  m.started = true;
  log::info("app", "started",
            {{"port", static_cast<int>(m.port)},
             {"io_threads", n},
             {"database", m.config.database.path},
             {"content", m.config.content_dir}});
  return m.port;
}

void App::request_stop() {
  std::call_once(impl_->stop_once, [this] { impl_->stop_promise.set_value(); });
}

int App::wait() {
  impl_->stop_promise.get_future().wait();
  shutdown();
  return 0;
}

bool App::idle() {
  Impl& m = *impl_;
  const std::int64_t now = m.clock.now_ms();
  const bool db_idle = m.writer->run_sync([now](storage::Store& s) {
    return s.inbox.pending_ids(1).empty() && s.outbox.count_due(now) == 0;
  });
  return db_idle && m.sender->in_flight() == 0;
}

bool App::wait_idle(std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!idle()) {
    if (std::chrono::steady_clock::now() >= deadline)
      return false;
    std::this_thread::sleep_for(5ms);
  }
  return true;
}

void App::shutdown() {
  std::call_once(impl_->shutdown_once, [this] {
    Impl& m = *impl_;
    if (!m.started) {
      m.blocking.join();
      m.hashing.join();
      return;
    }
    const auto t0 = std::chrono::steady_clock::now();
    const auto deadline = t0 + m.config.shutdown_grace;
    auto before_deadline = [&] {
      return std::chrono::steady_clock::now() < deadline;
    };
    log::info("app", "stopping",
              {{"grace_ms", static_cast<long long>(m.config.shutdown_grace.count())}});
    m.shutting_down.store(true);
    if (m.http) {
      m.http->stop_accepting();
      m.webchat.shutdown();
      m.http->close_idle();
      while (m.http->connections() > 0 && before_deadline()) std::this_thread::sleep_for(5ms);
    }
    // Turns for every accepted event, then the replies that are due.
    // Asked every 5 ms: whether one row is pending (one index step), not how many (a walk over
    // the pending index, which with a deep inbox took a fifth of the DB thread's time).
    auto pending = [&] {
      return m.writer->run_sync([](storage::Store& s) { return !s.inbox.pending_ids(1).empty(); });
    };
    while (pending() && before_deadline()) std::this_thread::sleep_for(5ms);
    m.router->pause();
    while (!idle() && before_deadline()) std::this_thread::sleep_for(5ms);
    m.sender->stop();
    if (m.fresh_timer)
      asio::post(m.ioc, [&m] { m.fresh_timer->cancel(); });
    m.scheduler->stop();
    while (m.sender->in_flight() > 0 && before_deadline()) std::this_thread::sleep_for(5ms);
    m.signals.cancel();
    m.work.reset();
    m.ioc.stop();
    for (auto& t : m.threads) t.join();
    m.threads.clear();
    m.blocking.join();
    m.hashing.join();
    const std::int64_t now = m.clock.now_ms();
    const auto left = m.writer->run_sync([now](storage::Store& s) {
      return std::pair{s.inbox.count_pending(), s.outbox.count_due(now)};
    });
    if (m.reader)
      m.reader->stop();
    m.writer->stop();
    const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
        std::chrono::steady_clock::now() - t0);
    log::info("app", "stopped",
              {{"ms", static_cast<long long>(ms.count())},
               {"inbox_left", static_cast<long long>(left.first)},
               {"outbox_left", static_cast<long long>(left.second)}});
  });
}

content::LoadReport App::reload_content() {
  std::packaged_task<content::LoadReport()> task([this] { return impl_->reload_now(); });
  auto fut = task.get_future();
  asio::post(impl_->blocking, [&task] { task(); });
  return fut.get();
}

std::uint16_t App::port() const {
  return impl_->port;
}

Metrics& App::metrics() {
  return impl_->metrics;
}

storage::DbExecutor& App::db() {
  return *impl_->writer;
}

storage::InboxWriter& App::inbox() {
  return *impl_->inbox;
}

content::ContentStore& App::content() {
  return impl_->content;
}

const Clock& App::clock() const {
  return impl_->clock;
}

content::LoadReport check_content_dir(const std::string& dir, const Clock& clock) {
  return content::load_content(dir, content::local_day(clock.now_ms()));
}

}  // namespace outreach::app
