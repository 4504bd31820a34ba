// How fast a broadcast is planned for a large audience, and in how much memory. Seeds a file
// database like the bot's (WAL, synchronous=NORMAL, the real migrations) with N subscribers
// (Zalo 50%, Messenger 30%, web chat 20%; last message spread over the past 10 days; topics,
// wards and audiences mixed), then, each in a fresh process so its peak memory is its own:
//   floor  read the same subscribers (the same join) and write one row each into a table of the
//          same shape, in one transaction: the least any planner does (the baseline, same run)
//   plan   handlers::plan_broadcast on a document with a topic and a ward in its segment
// and prints seconds, peak RSS (MB) and the ratio to the floor. Targets (issue 19): plan
// 1,000,000 subscribers in ≤ 5 s with ≤ 150 MB peak RSS.
//
//   broadcast_bench <content dir> [--subscribers N] [--db PATH]
//   broadcast_bench --child floor|plan <content dir> <db>      (run by the above)
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <random>
#include <string>
#include <vector>

#include <SQLiteCpp/Transaction.h>
#include <spawn.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bot/core/clock.hpp"
#include "bot/core/log.hpp"
#include "content/store.hpp"
#include "handlers/broadcast.hpp"
#include "handlers/subscription.hpp"
#include "storage/database.hpp"
#include "storage/store.hpp"

extern char** environ;

namespace {

using namespace outreach;
using Steady = std::chrono::steady_clock;
constexpr std::int64_t kNow = 1'795'831'200'000;  // 2026-11-28 09:00 local

SQLite::Database open(const std::string& path) {
  storage::DbOptions o;
  o.path = path;
  o.full_sync = false;
  auto db = storage::open_database(o);
  storage::migrate(db, storage::embedded_migrations());
  return db;
}

void seed(const std::string& path, int n) {
  auto db = open(path);
  storage::Store s(db);
  const std::string version = handlers::consent_version("vi", "consent");
  s.subscriptions.record_wording(version, "vi", "consent", kNow);
  std::mt19937_64 rng(42);
  const char* topics[] = {"", "", "ip", "quality", "digital", "energy", "business", "ip,energy"};
  const char* wards[] = {"go-vap",     "hanh-thong",  "an-nhon", "thong-tay-hoi",
                         "an-hoi-tay", "an-hoi-dong", "other",   ""};
  const char* audiences[] = {"resident", "household", "company", "startup", "school", ""};
  SQLite::Statement person(db,
                           "INSERT INTO people (channel, account, platform_user_id, language, "
                           "first_interaction_at, last_interaction_at) VALUES (?, ?, ?, ?, ?, ?)");
  SQLite::Statement sub(
      db,
      "INSERT INTO subscriptions (person_id, topics, ward, audience, consent_at, "
      "consent_version, source, updated_at) VALUES (?, ?, ?, ?, ?, ?, 'message', ?)");
  SQLite::Transaction tx(db);
  for (int i = 0; i < n; ++i) {
    const int c = static_cast<int>(rng() % 10);
    const std::string channel = c < 5 ? "zalo" : c < 8 ? "messenger" : "web";
    const std::int64_t last = kNow - static_cast<std::int64_t>(rng() % (10LL * 86'400'000));
    person.bind(1, channel);
    person.bind(2, channel == "web" ? "web" : channel == "zalo" ? "go-vap" : "page");
    person.bind(3, "u" + std::to_string(i));
    person.bind(4, rng() % 10 == 0 ? "en" : "vi");
    person.bind(5, static_cast<int64_t>(last));
    person.bind(6, static_cast<int64_t>(last));
    person.exec();
    person.reset();
    sub.bind(1, static_cast<int64_t>(db.getLastInsertRowid()));
    sub.bind(2, topics[rng() % 8]);
    sub.bind(3, wards[rng() % 8]);
    sub.bind(4, audiences[rng() % 6]);
    sub.bind(5, static_cast<int64_t>(last));
    sub.bind(6, version);
    sub.bind(7, static_cast<int64_t>(last));
    sub.exec();
    sub.reset();
  }
  tx.commit();
}

// The child's work; prints "<seconds> <recipients>".
int child(const std::string& what, const std::string& content_dir, const std::string& path) {
  auto db = open(path);
  storage::Store s(db);
  if (what == "floor") {
    db.exec(
        "CREATE TABLE IF NOT EXISTS floor_rows (b INTEGER, p INTEGER, path TEXT, reason TEXT, "
        "status TEXT, PRIMARY KEY (b, p)) WITHOUT ROWID");
    db.exec("DELETE FROM floor_rows");
    const auto t0 = Steady::now();
    SQLite::Transaction tx(db);
    SQLite::Statement ins(db,
                          "INSERT INTO floor_rows VALUES (1, ?, 'zalo_cs_free', NULL, 'planned')");
    std::int64_t n = 0;
    s.broadcasts.for_each_subscriber([&](const storage::Subscriber& x) {
      ins.bind(1, static_cast<int64_t>(x.person_id));
      ins.exec();
      ins.reset();
      ++n;
    });
    tx.commit();
    std::printf("%.3f %lld\n", std::chrono::duration<double>(Steady::now() - t0).count(),
                static_cast<long long>(n));
    return 0;
  }
  const SystemClock clock;
  content::ContentStore store(content_dir, clock);
  store.reload();
  const auto snap = store.snapshot();
  if (!snap)
    return 2;
  handlers::BroadcastOptions options;
  options.quiet_hours = "none";
  const nlohmann::json doc = {
      {"title", "bench"}, {"text", "Thông báo"}, {"segment", {{"topics", {"ip", "digital"}}}}};
  SQLite::Transaction create_tx(db);
  const auto id = handlers::create_broadcast(s, *snap, options, doc, {"bench", ""}, kNow);
  create_tx.commit();
  if (!id)
    return 3;
  const auto t0 = Steady::now();
  SQLite::Transaction tx(db);
  const auto plan = handlers::plan_broadcast(s, options, *id, {"bench", ""}, kNow);
  tx.commit();
  if (!plan)
    return 4;
  std::printf("%.3f %lld\n", std::chrono::duration<double>(Steady::now() - t0).count(),
              static_cast<long long>(plan->total));
  return 0;
}

struct Run {
  double seconds = 0;
  long long rows = 0;
  double rss_mb = 0;
};

Run spawn_child(const std::string& self,
                const std::string& what,
                const std::string& content_dir,
                const std::string& db) {
  std::vector<std::string> args = {self, "--child", what, content_dir, db};
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  int fds[2];
  if (pipe(fds) != 0)
    throw std::runtime_error("pipe");
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_adddup2(&fa, fds[1], 1);
  posix_spawn_file_actions_addclose(&fa, fds[0]);
  pid_t pid = 0;
  if (posix_spawn(&pid, self.c_str(), &fa, nullptr, argv.data(), environ) != 0)
    throw std::runtime_error("spawn");
  close(fds[1]);
  std::string out;
  char buf[256];
  for (ssize_t k; (k = read(fds[0], buf, sizeof buf)) > 0;)
    out.append(buf, static_cast<std::size_t>(k));
  close(fds[0]);
  int status = 0;
  rusage ru{};
  wait4(pid, &status, 0, &ru);
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
    throw std::runtime_error(what + " failed (exit " + std::to_string(WEXITSTATUS(status)) + ")");
  Run r;
  std::sscanf(out.c_str(), "%lf %lld", &r.seconds, &r.rows);
  r.rss_mb = static_cast<double>(ru.ru_maxrss) / 1024.0;
  return r;
}

}  // namespace

int main(int argc, char** argv) {
  log::set_level(log::Level::kOff);
  std::vector<std::string> args(argv + 1, argv + argc);
  if (args.size() == 4 && args[0] == "--child")
    return child(args[1], args[2], args[3]);
  if (args.empty()) {
    std::fprintf(stderr, "usage: broadcast_bench <content dir> [--subscribers N] [--db PATH]\n");
    return 2;
  }
  const std::string content_dir = args[0];
  int n = 1'000'000;
  std::string path = (std::filesystem::temp_directory_path() / "broadcast_bench.sqlite3").string();
  for (std::size_t i = 1; i + 1 < args.size(); i += 2) {
    if (args[i] == "--subscribers")
      n = std::stoi(args[i + 1]);
    else if (args[i] == "--db")
      path = args[i + 1];
  }
  for (const char* ext : {"", "-wal", "-shm"}) std::filesystem::remove(path + ext);
  const auto t0 = Steady::now();
  seed(path, n);
  std::fprintf(stderr, "seeded %d subscribers in %.1f s\n", n,
               std::chrono::duration<double>(Steady::now() - t0).count());
  const std::string self = std::filesystem::canonical("/proc/self/exe").string();
  const Run floor = spawn_child(self, "floor", content_dir, path);
  const Run plan = spawn_child(self, "plan", content_dir, path);
  std::printf("| planning %d subscribers | seconds | rows written | peak RSS MB | time / floor |\n",
              n);
  std::printf("| --- | ---: | ---: | ---: | ---: |\n");
  std::printf("| floor: read the join, write a row each | %.2f | %lld | %.0f | 1.00× |\n",
              floor.seconds, floor.rows, floor.rss_mb);
  std::printf("| plan_broadcast (segment: 2 topics) | %.2f | %lld | %.0f | %.2f× |\n", plan.seconds,
              plan.rows, plan.rss_mb, plan.seconds / std::max(floor.seconds, 1e-9));
  std::printf("\nTargets: ≤ 5 s and ≤ 150 MB for 1,000,000 subscribers: %s, %s.\n",
              plan.seconds <= 5.0 ? "met" : "NOT met", plan.rss_mb <= 150.0 ? "met" : "NOT met");
  for (const char* ext : {"", "-wal", "-shm"}) std::filesystem::remove(path + ext);
  return 0;
}
