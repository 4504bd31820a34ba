// How fast the bot answers a backlog: after a flood the inbox holds thousands of events, and the
// DB thread drains them one turn at a time. Builds the same backlog twice on a file database
// like the bot's (WAL, synchronous=NORMAL, the real migrations) and drains it:
//   floor  read each pending row and mark it done, in transactions of 16 (the least any turn
//          does: the baseline, measured in the same run)
//   turns  the real TurnRunner::run_batch in batches of 16: shipped content, standard handlers,
//          people, conversation state, replies into the outbox, interactions recorded
// and prints events/s, µs per event and the ratio to the floor.
//
//   turn_bench <content dir> <questions.tsv>... [--events N] [--users U] [--rounds R]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

#include <SQLiteCpp/Transaction.h>

#include "bench/questions.hpp"
#include "bot/core/clock.hpp"
#include "bot/core/log.hpp"
#include "bot/core/metrics.hpp"
#include "bot/router/dispatcher.hpp"
#include "bot/router/turn_runner.hpp"
#include "bot/router/understanding.hpp"
#include "content/store.hpp"
#include "handlers/flow.hpp"
#include "handlers/handlers.hpp"
#include "storage/database.hpp"
#include "storage/store.hpp"

namespace {

using namespace outreach;
using Steady = std::chrono::steady_clock;

constexpr std::size_t kBatch = 16;  // as the router runs them

std::vector<std::string> load_questions(const std::vector<std::string>& files) {
  auto out = bench::read_questions(files);
  if (out.empty())
    throw std::runtime_error("no questions in the given files");
  return out;
}

struct Drain {
  double seconds = 0;
  long replies = 0;
};

class Backlog {
 public:
  Backlog(const std::filesystem::path& file,
          const std::vector<std::string>& questions,
          int events,
          int users,
          std::int64_t now_ms)
      : db_(open(file)), store_(db_) {
    std::mt19937 rng(7);
    SQLite::Transaction tx(db_);
    for (int i = 0; i < events; ++i) {
      InboundEvent e;
      e.channel = ChannelKind::kMessenger;
      e.account = "bench-page";
      e.user_id = "psid-" + std::to_string(rng() % static_cast<unsigned>(users));
      e.event_id = "m_" + std::to_string(rng()) + std::to_string(rng()) + std::to_string(i);
      e.text = questions[static_cast<std::size_t>(i) % questions.size()];
      e.timestamp_ms = now_ms - events + i;
      store_.inbox.append(e, now_ms);
    }
    tx.commit();
    db_.exec("PRAGMA wal_checkpoint(TRUNCATE)");
  }

  storage::Store& store() { return store_; }

  SQLite::Database& db() { return db_; }

  std::vector<std::int64_t> pending() {
    std::vector<std::int64_t> ids;
    for (;;) {
      auto some = store_.inbox.pending_ids(100'000);
      if (some.empty() || (!ids.empty() && some.front() <= ids.back()))
        return ids;
      ids.insert(ids.end(), some.begin(), some.end());
      if (some.size() < 100'000)
        return ids;
    }
  }

 private:
  static SQLite::Database open(const std::filesystem::path& file) {
    std::filesystem::remove(file);
    storage::DbOptions o;
    o.path = file.string();
    auto db = storage::open_database(o);
    storage::migrate(db, storage::embedded_migrations());
    return db;
  }

  SQLite::Database db_;
  storage::Store store_;
};

template <class F>
double timed(F f) {
  const auto t0 = Steady::now();
  f();
  return std::chrono::duration<double>(Steady::now() - t0).count();
}

long count(SQLite::Database& db, const char* sql) {
  return db.execAndGet(sql).getInt64();
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> files;
  std::string content_dir;
  int events = 20'000, users = 2'000, rounds = 3;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    auto value = [&] {
      if (i + 1 >= argc)
        throw std::runtime_error(a + " needs a value");
      return std::stoi(argv[++i]);
    };
    if (a == "--events")
      events = value();
    else if (a == "--users")
      users = value();
    else if (a == "--rounds")
      rounds = value();
    else if (content_dir.empty())
      content_dir = a;
    else
      files.push_back(a);
  }
  if (content_dir.empty() || files.empty() || events < 1 || users < 1 || rounds < 1) {
    std::fprintf(stderr,
                 "usage: turn_bench <content dir> <questions.tsv>... [--events N] [--users U] "
                 "[--rounds R]\n");
    return 2;
  }
  try {
    log::set_level(log::Level::kWarn);  // as the bot runs in production: no line per turn
    const auto questions = load_questions(files);
    // 2026-11-28 09:00 in Ho Chi Minh City: office hours, inside every send window.
    FakeClock clock(1'795'831'200'000);
    content::ContentStore content(content_dir, clock);
    if (const auto report = content.reload(); !report.ok())
      throw std::runtime_error("content has errors: " + report.problems.front().to_string());
    handlers::FlowEngine flows;
    router::Dispatcher dispatcher(handlers::make_standard_handlers(flows), flows);
    router::UnderstandingCache understanding;
    Metrics metrics;
    const router::RunnerOptions options;
    router::TurnRunner runner(content, dispatcher, understanding, clock, metrics, options);
    const auto dir = std::filesystem::temp_directory_path() /
                     ("outreach-turn-bench-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);

    std::vector<double> floor_s, turns_s;
    long replies = 0, answered = 0;
    std::fprintf(stderr, "turn_bench: %d events from %d people, %d rounds\n", events, users,
                 rounds);
    for (int r = 0; r < rounds; ++r) {
      {
        Backlog b(dir / "floor.sqlite3", questions, events, users, clock.now_ms());
        const auto ids = b.pending();
        floor_s.push_back(timed([&] {
          for (std::size_t i = 0; i < ids.size(); i += kBatch) {
            SQLite::Transaction tx(b.db(), SQLite::TransactionBehavior::IMMEDIATE);
            for (std::size_t k = i; k < std::min(ids.size(), i + kBatch); ++k) {
              if (b.store().inbox.get_pending(ids[k]))
                b.store().inbox.finish(ids[k], "done", clock.now_ms(), {}, false);
            }
            tx.commit();
          }
        }));
      }
      {
        Backlog b(dir / "turns.sqlite3", questions, events, users, clock.now_ms());
        const auto ids = b.pending();
        turns_s.push_back(timed([&] {
          for (std::size_t i = 0; i < ids.size(); i += kBatch) {
            const std::vector<std::int64_t> batch(
                ids.begin() + static_cast<std::ptrdiff_t>(i),
                ids.begin() + static_cast<std::ptrdiff_t>(std::min(ids.size(), i + kBatch)));
            runner.run_batch(b.store(), batch);
          }
        }));
        replies = count(b.db(), "SELECT COUNT(*) FROM outbox");
        answered = count(b.db(), "SELECT COUNT(*) FROM inbox WHERE status = 'done'");
        if (count(b.db(), "SELECT COUNT(*) FROM inbox WHERE status = 'pending'") != 0)
          throw std::runtime_error("the turns left events pending");
      }
      std::fprintf(stderr, "  round %d: floor %.2f s, turns %.2f s\n", r + 1, floor_s.back(),
                   turns_s.back());
    }
    std::filesystem::remove_all(dir);
    auto median = [](std::vector<double> v) {
      std::sort(v.begin(), v.end());
      return v[v.size() / 2];
    };
    const double f = median(floor_s), t = median(turns_s);
    std::printf("Draining a backlog of %d events from %d people (%d rounds, medians)\n\n", events,
                users, rounds);
    std::printf("| drain | events/s | µs per event | vs floor | replies written |\n");
    std::printf("| --- | ---: | ---: | ---: | ---: |\n");
    std::printf("| floor: read and mark done, 16 per commit | %.0f | %.1f | 1.0× | 0 |\n",
                events / f, 1e6 * f / events);
    std::printf(
        "| turns: TurnRunner::run_batch, 16 per commit | %.0f | %.1f | %.1f× | %ld for %ld "
        "answered |\n",
        events / t, 1e6 * t / events, t / f, replies, answered);
    return 0;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "turn_bench: %s\n", e.what());
    return 1;
  }
}
