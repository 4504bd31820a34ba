#pragma once
// Broadcast announcements (issue 19): staff's document, the plan, and the fan-out.
//
// The document (YAML for the CLI, the same as JSON for the admin API) says what to send (text in
// Vietnamese, optionally English for people who chose English; an image; up to three buttons:
// an explainer, a link, the menu; "Dừng nhận tin" is always added), to whom (a segment over the
// subscriptions: topics, wards, audiences, channels, accounts, "booked in the last N days",
// "registered for event X"),
// when (send_at, expires_at, local time) and what may be used beyond the free windows (paid
// Zalo consultation messages up to a budget; a named Zalo ZBS template with its field mapping,
// up to a budget; a named Messenger utility template, when the configuration allows it).
//
// The plan decides, for every subscriber in the segment, the one path their message will take,
// at the time the fan-out will start (send_at, moved out of the quiet hours):
//   Zalo: consultation message, free within 48 h of the person's last interaction, paid from 48 h
//   to 7 days if the document allows it and the budget lasts; else the named ZBS template by
//   user id while its budget lasts; else unreachable. Messenger: a standard message within 24 h;
//   beyond it the named utility template; else unreachable. Web chat: shown on the next visit.
//   Terminal users and people over the per-person cap are unreachable, with the reason.
// The recipients are written with their paths; counts by path, reason and account, and the
// estimated cost, are kept with the broadcast.
//
// The fan-out is a chain of jobs. Each run, in one transaction: checks the broadcast is still
// sending (pause and cancel stop the chain; resume starts a new generation), skips everyone left
// once it has expired, waits out the quiet hours, then queues the next batch (rate_per_minute
// spread over seconds): each recipient still subscribed and under the cap gets one outbox row of
// kind broadcast, and is marked queued with it. A crash loses no recipient and repeats none: a
// batch is either all queued with its outbox rows or not at all; only the sends in flight at the
// platform may repeat (the sender's rows left 'sending').
// Thread-safety: pure functions of their arguments; storage calls on the DB thread.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "bot/core/errc.hpp"
#include "content/model.hpp"
#include "storage/store.hpp"

namespace outreach::handlers {

struct BroadcastOptions {
  std::string quiet_hours = "21:00-07:00";  // local; nothing is queued inside
  int weekly_cap = 2;                       // announcements per person in 7 days
  int rate_per_minute = 1200;               // messages queued per minute
  int max_backlog = 200;                    // queue no more while this many wait to be sent
  int zalo_paid_cs_vnd = 0;                 // price of a paid consultation message; 0 = not set
  int zalo_template_vnd = 0;                // price of a ZBS template message; 0 = not set
  // Messenger utility templates: the send payload is not verified against Meta's live API, so
  // the path stays off until an operator turns it on after a test with the page.
  bool messenger_utility = false;
  bool operator==(const BroadcastOptions&) const = default;
};

// "21:00-07:00" → minutes of the day [from, to) (wrapping past midnight); nullopt if unreadable.
std::optional<std::pair<int, int>> parse_quiet_hours(std::string_view text);

struct Announcement {
  struct ButtonSpec {
    std::string kind;    // explainer | link | menu
    std::string target;  // explainer id, URL
    std::string title_vi;
    std::string title_en;
  };

  struct Segment {
    std::vector<std::string> topics;     // any of these (a subscriber to all topics matches)
    std::vector<std::string> wards;      // empty: any
    std::vector<std::string> audiences;  // empty: any
    std::vector<std::string> channels;   // zalo | messenger | web; empty: any
    std::vector<std::string> accounts;   // empty: any
    int booked_within_days = 0;          // 0: not a condition
    std::string registered_for_event;    // an event id: its live registrations only
  };

  std::string title;
  std::string text_vi;
  std::string text_en;
  std::string image_url;
  std::vector<ButtonSpec> buttons;
  Segment segment;
  std::int64_t send_at = 0;  // 0: as soon as it is sent
  std::optional<std::int64_t> expires_at;
  std::int64_t zalo_paid_budget_vnd = 0;  // 0: no paid messages

  // Template values may hold {title}: the announcement's title.
  struct ZaloTemplate {
    std::string template_id;
    std::vector<std::pair<std::string, std::string>> data;  // template_data, in order
    std::int64_t budget_vnd = 0;
  };

  struct UtilityTemplate {
    std::string name;
    std::string language = "vi";
    std::vector<std::string> parameters;  // the body's parameters, in order
  };

  std::optional<ZaloTemplate> zalo_template;
  std::optional<UtilityTemplate> messenger_utility;
};

// Reads and checks a document; every problem is named with its field ("segment.topics[1]: no
// topic group 'ipp'").
Result<Announcement, std::vector<std::string>> read_announcement(const nlohmann::json& doc,
                                                                 const content::Snapshot& content,
                                                                 const BroadcastOptions& options,
                                                                 std::int64_t now_ms);
nlohmann::json to_json(const Announcement& a);

// An announcement's buttons carry "bc:<id>:" before their own payload; a press is counted
// (once per person and button) and then handled as the button itself.
inline constexpr std::string_view kClickPrefix = "bc:";
// "bc:12:ex:ip-trademark" → {12, "ex:ip-trademark"}; nullopt for any other payload.
std::optional<std::pair<std::int64_t, std::string>> broadcast_click(std::string_view payload);

// The paths, in the order of the admin API's plan.
inline constexpr const char* kBroadcastPaths[] = {"zalo_cs_free",      "zalo_cs_paid",
                                                  "zalo_template",     "messenger_standard",
                                                  "messenger_utility", "webchat_next_visit"};

struct BroadcastPlan {
  std::int64_t total = 0;                           // subscribers in the segment
  std::map<std::string, std::int64_t> paths;        // every path, 0 included
  std::map<std::string, std::int64_t> unreachable;  // by reason
  std::map<std::string, std::map<std::string, std::int64_t>>
      by_account;  // "zalo:go-vap" → path → n
  std::int64_t cost_vnd = 0;
  std::int64_t starts_at = 0;  // when the fan-out will start (quiet hours moved)
};

nlohmann::json to_json(const BroadcastPlan& p);

// Who acts, for the audit log: a staff email, "cli" or "admin-api", and from where.
struct BroadcastActor {
  std::string actor;
  std::string address;
};

// Creates a broadcast (status draft) from a document; returns its id. Audited.
Result<std::int64_t, std::vector<std::string>> create_broadcast(storage::Store& tx,
                                                                const content::Snapshot& content,
                                                                const BroadcastOptions& options,
                                                                const nlohmann::json& doc,
                                                                const BroadcastActor& by,
                                                                std::int64_t now_ms);

// Plans (or plans again) a draft or planned broadcast. Audited.
Result<BroadcastPlan, Problem> plan_broadcast(storage::Store& tx,
                                              const BroadcastOptions& options,
                                              std::int64_t id,
                                              const BroadcastActor& by,
                                              std::int64_t now_ms);

// The fan-out job.
struct BroadcastJob {
  static constexpr std::string_view kKind = "broadcast.fanout";
  std::int64_t broadcast_id = 0;
  int generation = 0;
  int seq = 0;              // this run's number in its chain
  std::int64_t due_at = 0;  // when this run was meant to start (the pace is kept from it)
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(BroadcastJob, broadcast_id, generation, seq, due_at)

// send: a planned broadcast starts (or, paused, goes on); pause; cancel (everyone still planned
// is skipped). Each refuses a broadcast in a state it does not apply to, saying which.
Result<storage::Broadcast, Problem> broadcast_action(storage::Store& tx,
                                                     std::int64_t id,
                                                     std::string_view action,
                                                     const BroadcastActor& by,
                                                     std::int64_t now_ms);

// One run of the chain; true when it wrote to the outbox.
bool run_broadcast_job(storage::Store& tx,
                       const content::Snapshot& content,
                       const BroadcastOptions& options,
                       const BroadcastJob& job,
                       std::int64_t now_ms);

// Status and counts: planned, queued, sent, delivered, read, failed (with reasons), skipped
// (with reasons), waiting; by path.
struct BroadcastReport {
  storage::Broadcast broadcast;
  std::int64_t total = 0;
  std::int64_t waiting = 0;  // planned, not yet queued
  std::int64_t queued = 0;   // queued, not yet sent
  std::int64_t sent = 0;
  std::int64_t delivered = 0;
  std::int64_t read = 0;
  std::int64_t failed = 0;
  std::int64_t skipped = 0;  // unreachable at planning and skipped since
  std::map<std::string, std::int64_t> failed_reasons;
  std::map<std::string, std::int64_t> skipped_reasons;
  std::map<std::string, std::map<std::string, std::int64_t>> by_path;  // path → state → n
  std::map<std::string, std::int64_t> clicks;  // button payload → people who pressed it
};

std::optional<BroadcastReport> broadcast_report(storage::Store& tx, std::int64_t id);
nlohmann::json to_json(const BroadcastReport& r);

// The report's recipients as CSV (path, state, reason, count).
std::string broadcast_report_csv(const BroadcastReport& r);

}  // namespace outreach::handlers
