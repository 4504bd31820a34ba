// `outreach-bot broadcast …`: staff's announcements from the command line (issue 19). The
// commands act on the database; a running bot's scheduler picks up a broadcast that was sent
// within a second and fans it out.
#include <chrono>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <sstream>
#include <thread>

#include <SQLiteCpp/Transaction.h>
#include <unistd.h>
#include <yaml-cpp/yaml.h>

#include "bot/app/command_support.hpp"
#include "bot/app/commands.hpp"
#include "handlers/broadcast.hpp"
#include "storage/store.hpp"

namespace outreach::app {
namespace {

using Json = nlohmann::json;

bool whole_number(const std::string& s) {
  const std::size_t from = !s.empty() && s[0] == '-' ? 1 : 0;
  return s.size() > from && s.size() < 19 &&
         s.find_first_not_of("0123456789", from) == std::string::npos;
}

// YAML as JSON: a plain scalar that is a whole number, true / false or null becomes one; every
// other scalar (and every quoted one) stays text.
Json yaml_to_json(const YAML::Node& n) {
  switch (n.Type()) {
    case YAML::NodeType::Map: {
      Json out = Json::object();
      for (const auto& kv : n) out[kv.first.as<std::string>()] = yaml_to_json(kv.second);
      return out;
    }
    case YAML::NodeType::Sequence: {
      Json out = Json::array();
      for (const auto& x : n) out.push_back(yaml_to_json(x));
      return out;
    }
    case YAML::NodeType::Scalar: {
      const std::string& v = n.Scalar();
      if (n.Tag() == "!")
        return v;  // quoted
      if (whole_number(v))
        return std::stoll(v);
      if (v == "true" || v == "false")
        return v == "true";
      if (v == "~" || v == "null")
        return nullptr;
      return v;
    }
    default:
      return nullptr;
  }
}

void print_plan(const Json& plan, std::ostream& out) {
  out << "Recipients in the segment: " << plan.value("total", 0) << " (fan-out starts "
      << plan.value("starts_at", "") << ")\n";
  out << std::left << std::setw(22) << "path"
      << "recipients\n";
  for (const auto& [path, n] : plan["paths"].items())
    out << std::left << std::setw(22) << path << n.get<std::int64_t>() << "\n";
  for (const auto& [reason, n] : plan["unreachable"].items())
    out << std::left << std::setw(22) << ("unreachable: " + reason) << n.get<std::int64_t>()
        << "\n";
  out << "Estimated cost: " << plan.value("cost_vnd", 0) << " VND\n";
  if (!plan["by_account"].empty()) {
    out << "By account:\n";
    for (const auto& [account, paths] : plan["by_account"].items()) {
      out << "  " << account << ":";
      for (const auto& [path, n] : paths.items())
        out << " " << path << " " << n.get<std::int64_t>();
      out << "\n";
    }
  }
}

void print_status(const handlers::BroadcastReport& r, std::ostream& out) {
  const auto& b = r.broadcast;
  out << "Broadcast " << b.id << " \"" << b.title << "\": " << b.status << "\n";
  out << "  recipients " << r.total << ": waiting " << r.waiting << ", queued " << r.queued
      << ", sent " << r.sent << " (delivered " << r.delivered << ", read " << r.read << "), failed "
      << r.failed << ", skipped " << r.skipped << "\n";
  for (const auto& [reason, n] : r.failed_reasons)
    out << "  failed: " << reason << " " << n << "\n";
  for (const auto& [reason, n] : r.skipped_reasons)
    out << "  skipped: " << reason << " " << n << "\n";
  for (const auto& [path, states] : r.by_path) {
    out << "  " << path << ":";
    for (const auto& [state, n] : states) out << " " << state << " " << n;
    out << "\n";
  }
}

// "[#########-----------]  45% 450/1000 sent" on one line, redrawn.
std::string progress_bar(const handlers::BroadcastReport& r) {
  constexpr int kWidth = 30;
  const std::int64_t finished = r.sent + r.failed + r.skipped;
  const std::int64_t total = std::max<std::int64_t>(r.total, 1);
  const int filled = static_cast<int>(kWidth * finished / total);
  std::ostringstream o;
  o << "[" << std::string(static_cast<std::size_t>(filled), '#')
    << std::string(static_cast<std::size_t>(kWidth - filled), '-') << "] " << std::setw(3)
    << 100 * finished / total << "% " << finished << "/" << r.total << " (sent " << r.sent
    << ", failed " << r.failed << ", skipped " << r.skipped << ") " << r.broadcast.status;
  return o.str();
}

std::optional<Json> read_document(const std::string& file, std::ostream& err) {
  std::ifstream in(file, std::ios::binary);
  if (!in) {
    err << "outreach-bot broadcast create: cannot read " << file << "\n";
    return std::nullopt;
  }
  std::stringstream text;
  text << in.rdbuf();
  try {
    return yaml_to_json(YAML::Load(text.str()));
  } catch (const YAML::Exception& e) {
    err << file << ":" << e.mark.line + 1 << ": " << e.msg << "\n";
    return std::nullopt;
  }
}

}  // namespace

int broadcast(const Config& c, const BroadcastCommand& cmd, std::ostream& out, std::ostream& err) {
  const SystemClock clock;
  const auto snapshot = load_content(c, err);
  if (!snapshot)
    return 1;
  auto db = open_migrated(c);
  storage::Store store(db);
  const handlers::BroadcastActor by{"cli", ""};
  const std::string what = "outreach-bot broadcast " + cmd.action;
  if (cmd.action == "create") {
    const auto doc = read_document(cmd.file, err);
    if (!doc)
      return 1;
    SQLite::Transaction tx(db, SQLite::TransactionBehavior::IMMEDIATE);
    const auto id =
        handlers::create_broadcast(store, *snapshot, c.broadcast, *doc, by, clock.now_ms());
    if (!id) {
      for (const auto& p : id.error()) err << cmd.file << ": " << p << "\n";
      return 1;
    }
    tx.commit();
    out << "Broadcast " << *id
        << " created (draft). Check who it reaches: outreach-bot broadcast plan " << *id << "\n";
    return 0;
  }
  if (cmd.action == "list") {
    const auto list = store.broadcasts.list(50);
    if (list.empty()) {
      out << "No broadcasts yet. Write one as YAML (deploy/demo/broadcast.yaml is an example) and "
             "run: outreach-bot broadcast create FILE.yaml\n";
      return 0;
    }
    for (const auto& b : list)
      out << std::left << std::setw(6) << b.id << std::setw(11) << b.status << b.title << "\n";
    return 0;
  }
  if (cmd.action == "plan") {
    SQLite::Transaction tx(db, SQLite::TransactionBehavior::IMMEDIATE);
    const auto plan = handlers::plan_broadcast(store, c.broadcast, cmd.id, by, clock.now_ms());
    if (!plan) {
      err << what << ": " << plan.error().message << "\n";
      return 1;
    }
    tx.commit();
    const Json j = handlers::to_json(*plan);
    if (cmd.json) {
      out << j.dump() << "\n";
    } else {
      print_plan(j, out);
      out << "Send it with: outreach-bot broadcast send " << cmd.id << "\n";
    }
    return 0;
  }
  if (cmd.action == "status") {
    const bool tty = &out == &std::cout && ::isatty(STDOUT_FILENO) == 1;
    for (;;) {
      const auto report = handlers::broadcast_report(store, cmd.id);
      if (!report) {
        err << what << ": no broadcast " << cmd.id << "\n";
        return 1;
      }
      const std::string& status = report->broadcast.status;
      const bool finished =
          status == "done" || status == "cancelled" || status == "draft" || status == "planned";
      if (!cmd.watch || finished) {
        if (cmd.watch && tty)
          out << "\r" << progress_bar(*report) << "\n";
        if (cmd.csv)
          out << handlers::broadcast_report_csv(*report);
        else if (cmd.json)
          out << handlers::to_json(*report).dump() << "\n";
        else
          print_status(*report, out);
        return 0;
      }
      if (tty)
        out << "\r" << progress_bar(*report) << std::flush;
      else
        out << progress_bar(*report) << "\n";
      std::this_thread::sleep_for(std::chrono::seconds(1));
    }
  }
  SQLite::Transaction tx(db, SQLite::TransactionBehavior::IMMEDIATE);
  const auto done = handlers::broadcast_action(store, cmd.id, cmd.action, by, clock.now_ms());
  if (!done) {
    err << what << ": " << done.error().message << "\n";
    return 1;
  }
  tx.commit();
  out << "Broadcast " << cmd.id << ": " << done->status;
  if (cmd.action == "send" || cmd.action == "resume")
    out << "; the running bot fans it out (follow it with: outreach-bot broadcast status " << cmd.id
        << " --watch)";
  out << ".\n";
  return 0;
}

}  // namespace outreach::app
