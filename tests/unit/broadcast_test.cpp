// Broadcast announcements (issue 19): the document, the plan's one path per recipient, and the
// fan-out into the outbox (quiet hours, expiry, the weekly cap, STOP mid-broadcast, pause,
// resume, cancel), on real SQLite with the shipped content. The jobs run as the scheduler runs
// them: each with its completion mark in one transaction.
#include "handlers/broadcast.hpp"

#include <SQLiteCpp/Transaction.h>
#include <gtest/gtest.h>

#include "bot/core/local_time.hpp"
#include "handlers/subscription.hpp"
#include "tests/support/turn_harness.hpp"

namespace outreach {
namespace {

using testing::kTestNow;  // 2026-11-28 09:00 local
using testing::TurnHarness;
using Json = nlohmann::json;

constexpr std::int64_t kHour = 3'600'000;
const handlers::BroadcastActor kBy{"cli", ""};

struct Fixture {
  TurnHarness h;
  handlers::BroadcastOptions options;

  storage::Store& s() { return h.store(); }

  std::int64_t now() { return h.clock().now_ms(); }

  // A subscriber on `channel` whose last message was `ago` ms before now.
  std::int64_t subscriber(const std::string& channel,
                          const std::string& uid,
                          std::int64_t ago,
                          std::vector<std::string> topics = {},
                          const std::string& ward = "",
                          const std::string& lang = "vi") {
    const auto p =
        s().people.touch(channel, channel == "web" ? "web" : "acc-1", uid, "", lang, now() - ago);
    const std::string version = handlers::consent_version("vi", "consent");
    s().subscriptions.record_wording(version, "vi", "consent", now());
    storage::Subscription sub;
    sub.person_id = p.id;
    sub.topics = std::move(topics);
    sub.ward = ward;
    sub.consent_at = now() - ago;
    sub.consent_version = version;
    sub.source = "message";
    sub.updated_at = now();
    s().subscriptions.put(sub);
    return p.id;
  }

  std::int64_t create(Json doc) {
    auto snap = h.content().snapshot();
    auto id = handlers::create_broadcast(s(), *snap, options, doc, kBy, now());
    EXPECT_TRUE(id) << (id ? "" : id.error().front());
    return id ? *id : 0;
  }

  handlers::BroadcastPlan plan(std::int64_t id) {
    auto p = handlers::plan_broadcast(s(), options, id, kBy, now());
    EXPECT_TRUE(p) << (p ? "" : p.error().message);
    return p ? *p : handlers::BroadcastPlan{};
  }

  // Runs the due fan-out jobs as the scheduler does; returns how many ran.
  int run_jobs() {
    auto snap = h.content().snapshot();
    int ran = 0;
    for (const auto& job : s().jobs.due(now(), 100)) {
      SQLite::Transaction tx(h.db());
      const auto payload = Json::parse(job.payload).get<handlers::BroadcastJob>();
      handlers::run_broadcast_job(s(), *snap, options, payload, now());
      s().jobs.finish(job.id, storage::JobStatus::kDone, {}, now());
      tx.commit();
      ++ran;
    }
    return ran;
  }

  // Moves the clock a second at a time, running jobs, until nothing is due for `idle` seconds.
  void run_until_idle(int max_seconds = 600) {
    for (int i = 0; i < max_seconds; ++i) {
      run_jobs();
      h.clock().advance(std::chrono::seconds(1));
    }
  }

  int broadcasts_in_outbox(std::int64_t person) {
    SQLite::Statement q(h.db(),
                        "SELECT COUNT(*) FROM outbox WHERE kind = 'broadcast' AND person_id = ?");
    q.bind(1, static_cast<int64_t>(person));
    q.executeStep();
    return q.getColumn(0).getInt();
  }

  std::string outbox_body(std::int64_t person) {
    SQLite::Statement q(h.db(),
                        "SELECT body FROM outbox WHERE kind = 'broadcast' AND person_id = ?");
    q.bind(1, static_cast<int64_t>(person));
    return q.executeStep() ? q.getColumn(0).getString() : std::string{};
  }
};

Json doc(Json segment = Json::object()) {
  return {{"title", "Lớp tập huấn nhãn hiệu"},
          {"text", {{"vi", "Lớp tập huấn nhãn hiệu sáng thứ Bảy."}, {"en", "A trademark class."}}},
          {"buttons", Json::array({{{"explainer", "ip-trademark"}}})},
          {"segment", segment}};
}

TEST(Broadcast, ADocumentWithMistakesIsRefusedNamingEachField) {
  Fixture f;
  auto snap = f.h.content().snapshot();
  Json bad = {{"title", "x"},
              {"txt", "typo"},
              {"buttons", Json::array({{{"explainer", "no-such"}}, {{"link", "ftp://x"}}})},
              {"segment", {{"topics", Json::array({"ipp"})}, {"channels", Json::array({"sms"})}}},
              {"send_at", "2026-11-01 09:00"},
              {"beyond_free_window",
               {{"zalo_template", {{"id", "1"}, {"data", {{"Title", "x"}}}}},
                {"messenger_utility", {{"template", "Ward Update"}}}}}};
  const auto r = handlers::read_announcement(bad, *snap, f.options, f.now());
  ASSERT_FALSE(r);
  const auto has = [&](const std::string& part) {
    for (const auto& p : r.error())
      if (p.find(part) != std::string::npos)
        return true;
    return false;
  };
  EXPECT_TRUE(has("txt: unknown key"));
  EXPECT_TRUE(has("text: missing"));
  EXPECT_TRUE(has("buttons[0].explainer: no explainer 'no-such'"));
  EXPECT_TRUE(has("buttons[1].link: 'ftp://x' is not an http(s) URL"));
  EXPECT_TRUE(has("buttons[1].title: missing"));
  EXPECT_TRUE(has("segment.topics[0]: no topic group 'ipp'"));
  EXPECT_TRUE(has("segment.channels[0]: no channel for announcements 'sms'"));
  EXPECT_TRUE(has("send_at: 2026-11-01 09:00 has passed"));
  EXPECT_TRUE(has("beyond_free_window.zalo_template.id: unknown key"));
  EXPECT_TRUE(has("beyond_free_window.zalo_template.template_id: missing"));
  EXPECT_TRUE(has("beyond_free_window.zalo_template.data.Title: a parameter name is snake_case"));
  EXPECT_TRUE(has("beyond_free_window.zalo_template.budget_vnd: must be the most to spend"));
  EXPECT_TRUE(has("beyond_free_window.zalo_template: the price of a template message is not set"));
  EXPECT_TRUE(has("beyond_free_window.messenger_utility.template: a template name is lower case"));
  EXPECT_TRUE(has("beyond_free_window.messenger_utility: Messenger utility templates are off"));
  // A template's parameters are bounded.
  Json many = doc();
  Json data = Json::object();
  for (int i = 0; i < 21; ++i) data["p" + std::to_string(i)] = "x";
  many["beyond_free_window"] = {
      {"zalo_template", {{"template_id", "1"}, {"data", data}, {"budget_vnd", 1}}}};
  const auto m = handlers::read_announcement(many, *snap, f.options, f.now());
  ASSERT_FALSE(m);
  EXPECT_NE(m.error().front().find("zalo_template.data: at most 20 parameters"), std::string::npos)
      << m.error().front();
  // Paid messages need their price in the configuration first.
  Json paid = doc();
  paid["beyond_free_window"] = {{"zalo_paid_cs", {{"budget_vnd", 100000}}}};
  const auto p = handlers::read_announcement(paid, *snap, f.options, f.now());
  ASSERT_FALSE(p);
  EXPECT_NE(p.error().front().find("broadcast.zalo_paid_cs_vnd"), std::string::npos);
}

TEST(Broadcast, ThePlanGivesEachRecipientOnePathAndCountsExactly) {
  Fixture f;
  f.options.quiet_hours = "none";
  f.options.zalo_paid_cs_vnd = 300;
  const auto z_free = f.subscriber("zalo", "z1", 2 * kHour);
  const auto z_paid1 = f.subscriber("zalo", "z2", 60 * kHour, {"ip"});
  const auto z_paid2 = f.subscriber("zalo", "z3", 100 * kHour);
  const auto z_old = f.subscriber("zalo", "z4", 8 * 24 * kHour);
  const auto m_fresh = f.subscriber("messenger", "m1", 3 * kHour, {"ip", "energy"});
  const auto m_old = f.subscriber("messenger", "m2", 30 * kHour);
  const auto web = f.subscriber("web", "w1", 40 * 24 * kHour);
  const auto term = f.subscriber("cli", "c1", kHour);
  f.subscriber("zalo", "z5", kHour, {"energy"});    // another topic: not in the segment
  f.subscriber("web", "w2", kHour, {}, "an-nhon");  // another ward
  Json d = doc({{"topics", Json::array({"ip"})}});
  d["beyond_free_window"] = {{"zalo_paid_cs", {{"budget_vnd", 300}}}};  // one paid message
  const auto id = f.create(d);
  auto p = f.plan(id);
  EXPECT_EQ(p.total, 9);
  EXPECT_EQ(p.paths["zalo_cs_free"], 1);
  EXPECT_EQ(p.paths["zalo_cs_paid"], 1);  // the budget buys one
  EXPECT_EQ(p.paths["messenger_standard"], 1);
  EXPECT_EQ(p.paths["webchat_next_visit"], 2);
  EXPECT_EQ(p.paths["zalo_template"], 0);
  EXPECT_EQ(p.unreachable["zalo_paid_not_allowed"], 1);
  EXPECT_EQ(p.unreachable["zalo_outside_7_days"], 1);
  EXPECT_EQ(p.unreachable["messenger_outside_24_hours"], 1);
  EXPECT_EQ(p.unreachable["channel_without_announcements"], 1);
  EXPECT_EQ(p.cost_vnd, 300);
  EXPECT_EQ(p.by_account["zalo:acc-1"]["zalo_cs_free"], 1);
  const auto json = handlers::to_json(p);
  EXPECT_EQ(json["paths"].size(), 6u);
  EXPECT_EQ(json["total"], 9);
  // Each recipient is written with the path the plan counted.
  SQLite::Statement q(f.h.db(),
                      "SELECT path, COALESCE(reason, '') FROM broadcast_recipients WHERE "
                      "broadcast_id = ? AND person_id = ?");
  const auto path_of = [&](std::int64_t person) {
    q.reset();
    q.bind(1, static_cast<int64_t>(id));
    q.bind(2, static_cast<int64_t>(person));
    return q.executeStep() ? q.getColumn(0).getString() + "/" + q.getColumn(1).getString()
                           : std::string("none");
  };
  EXPECT_EQ(path_of(z_free), "zalo_cs_free/");
  EXPECT_EQ(path_of(z_paid1), "zalo_cs_paid/");
  EXPECT_EQ(path_of(z_paid2), "unreachable/zalo_paid_not_allowed");
  EXPECT_EQ(path_of(z_old), "unreachable/zalo_outside_7_days");
  EXPECT_EQ(path_of(m_fresh), "messenger_standard/");
  EXPECT_EQ(path_of(m_old), "unreachable/messenger_outside_24_hours");
  EXPECT_EQ(path_of(web), "webchat_next_visit/");
  EXPECT_EQ(path_of(term), "unreachable/channel_without_announcements");

  // A ward in the segment keeps only that ward's subscribers (not those who did not say one).
  Json w = doc({{"wards", Json::array({"an-nhon"})}});
  EXPECT_EQ(f.plan(f.create(w)).total, 1);

  // "Registered for event X": subscribers holding a seat or a place in line for it.
  storage::Registration r;
  r.event_id = "tap-huan-nhan-hieu-2026-12";
  r.person_id = z_free;
  r.code = "abcdefghjkmnpqrstuvw";
  r.name = "Nguyễn An";
  r.phone = "+84901234567";
  r.created_at = f.now();
  ASSERT_TRUE(f.s().events.insert_with_seat(r, 50));
  EXPECT_EQ(f.plan(f.create(doc({{"registered_for_event", r.event_id}}))).total, 1);
  auto snap = f.h.content().snapshot();
  const auto refused = handlers::create_broadcast(
      f.s(), *snap, f.options, doc({{"registered_for_event", "no-such-event"}}), kBy, f.now());
  ASSERT_FALSE(refused);
  EXPECT_NE(refused.error().front().find("segment.registered_for_event"), std::string::npos);
}

// Beyond the free windows: paid consultation messages first while their budget lasts, then the
// ZBS template while its budget lasts; Messenger beyond 24 h takes the utility template. The
// queued messages carry the template with {title} filled in, and buttons that count presses.
TEST(Broadcast, TemplatesReachPeopleBeyondTheWindowsWithinTheirBudget) {
  Fixture f;
  f.options.quiet_hours = "none";
  f.options.weekly_cap = 0;
  f.options.zalo_paid_cs_vnd = 200;
  f.options.zalo_template_vnd = 300;
  f.options.messenger_utility = true;
  const auto z_paid = f.subscriber("zalo", "z1", 60 * kHour);
  const auto z_tpl1 = f.subscriber("zalo", "z2", 100 * kHour);  // paid budget spent: template
  const auto z_tpl2 = f.subscriber("zalo", "z3", 30 * 24 * kHour);
  const auto z_none = f.subscriber("zalo", "z4", 40 * 24 * kHour);  // both budgets spent
  const auto m_util = f.subscriber("messenger", "m1", 30 * kHour);
  Json d = doc();
  d["beyond_free_window"] = {
      {"zalo_paid_cs", {{"budget_vnd", 200}}},
      {"zalo_template",
       {{"template_id", 240001},
        {"data", {{"title", "TB: {title}"}, {"ward", "Gò Vấp"}}},
        {"budget_vnd", 600}}},
      {"messenger_utility", {{"template", "ward_update"}, {"parameters", {"{title}"}}}}};
  const auto id = f.create(d);
  auto p = f.plan(id);
  EXPECT_EQ(p.total, 5);
  EXPECT_EQ(p.paths["zalo_cs_paid"], 1);
  EXPECT_EQ(p.paths["zalo_template"], 2);
  EXPECT_EQ(p.paths["messenger_utility"], 1);
  EXPECT_EQ(p.unreachable,
            (std::map<std::string, std::int64_t>{{"zalo_template_budget_spent", 1}}));
  EXPECT_EQ(p.cost_vnd, 200 + 2 * 300);
  ASSERT_TRUE(handlers::broadcast_action(f.s(), id, "send", kBy, f.now()));
  while (f.run_jobs() > 0) f.h.clock().advance(std::chrono::seconds(1));

  const auto message = [&](std::int64_t person) {
    auto m = outbound_from_json(f.outbox_body(person));
    EXPECT_TRUE(m) << person;
    return m ? *m : OutboundMessage{};
  };
  EXPECT_FALSE(message(z_paid).platform_template);
  const auto tpl = message(z_tpl1).platform_template;
  ASSERT_TRUE(tpl);
  EXPECT_EQ(tpl->name, "240001");
  EXPECT_EQ(tpl->params, (std::vector<std::pair<std::string, std::string>>{
                             {"title", "TB: Lớp tập huấn nhãn hiệu"}, {"ward", "Gò Vấp"}}));
  EXPECT_TRUE(message(z_tpl2).platform_template);
  EXPECT_TRUE(f.outbox_body(z_none).empty()) << "not attempted";
  const auto util = message(m_util).platform_template;
  ASSERT_TRUE(util);
  EXPECT_EQ(util->name, "ward_update");
  EXPECT_EQ(util->language, "vi");
  ASSERT_EQ(util->params.size(), 1u);
  EXPECT_EQ(util->params[0].second, "Lớp tập huấn nhãn hiệu");
  // Every button carries the broadcast; a press is counted once per person and button.
  const auto buttons = message(z_paid).buttons;
  ASSERT_FALSE(buttons.empty());
  const std::string tag = "bc:" + std::to_string(id) + ":";
  for (const auto& b : buttons) EXPECT_TRUE(b.payload.starts_with(tag)) << b.payload;
  const auto click = handlers::broadcast_click(buttons.back().payload);
  ASSERT_TRUE(click);
  EXPECT_EQ(click->first, id);
  EXPECT_EQ(click->second, "unsubscribe");
  EXPECT_FALSE(handlers::broadcast_click("bc:x:menu"));
  EXPECT_FALSE(handlers::broadcast_click("bc:12:"));
  EXPECT_FALSE(handlers::broadcast_click("ex:ip-trademark"));
  f.s().broadcasts.record_click(id, z_paid, "unsubscribe", f.now());
  f.s().broadcasts.record_click(id, z_paid, "unsubscribe", f.now());
  f.s().broadcasts.record_click(id, z_tpl1, "unsubscribe", f.now());
  f.s().broadcasts.record_click(id + 99, z_tpl1, "menu", f.now());  // no such broadcast: ignored
  const auto report = handlers::broadcast_report(f.s(), id);
  ASSERT_TRUE(report);
  EXPECT_EQ(report->clicks, (std::map<std::string, std::int64_t>{{"unsubscribe", 2}}));
  EXPECT_NE(handlers::broadcast_report_csv(*report).find("\"unsubscribe\",2"), std::string::npos);
}

TEST(Broadcast, SendingQueuesEachReachablePersonOnceInTheirLanguageWithAStopButton) {
  Fixture f;
  f.options.quiet_hours = "none";
  f.options.rate_per_minute = 120;  // 2 a second
  const auto a = f.subscriber("zalo", "z1", kHour);
  const auto b = f.subscriber("messenger", "m1", kHour, {}, "", "en");
  const auto c = f.subscriber("web", "w1", 90 * 24 * kHour);
  const auto gone = f.subscriber("messenger", "m2", 48 * kHour);  // unreachable
  const auto id = f.create(doc());
  f.plan(id);
  ASSERT_TRUE(handlers::broadcast_action(f.s(), id, "send", kBy, f.now()));
  EXPECT_EQ(f.run_jobs(), 1);  // the first batch of two
  EXPECT_EQ(f.broadcasts_in_outbox(a) + f.broadcasts_in_outbox(b) + f.broadcasts_in_outbox(c), 2);
  f.run_until_idle(10);
  for (auto p : {a, b, c}) EXPECT_EQ(f.broadcasts_in_outbox(p), 1) << p;
  EXPECT_EQ(f.broadcasts_in_outbox(gone), 0);
  const auto vi = Json::parse(f.outbox_body(a));
  EXPECT_EQ(vi["text"], "Lớp tập huấn nhãn hiệu sáng thứ Bảy.");
  const auto en = Json::parse(f.outbox_body(b));
  EXPECT_EQ(en["text"], "A trademark class.");
  ASSERT_EQ(en["buttons"].size(), 2u);
  EXPECT_EQ(en["buttons"][0]["payload"], "bc:" + std::to_string(id) + ":ex:ip-trademark");
  EXPECT_EQ(en["buttons"][1]["payload"], "bc:" + std::to_string(id) + ":unsubscribe");
  EXPECT_EQ(en["buttons"][1]["title"], f.h.ui("subscribe.stop", "en"));
  const auto r = handlers::broadcast_report(f.s(), id);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->broadcast.status, "done");
  EXPECT_EQ(r->total, 4);
  EXPECT_EQ(r->queued, 3);
  EXPECT_EQ(r->skipped, 1);
  EXPECT_EQ(r->skipped_reasons.at("messenger_outside_24_hours"), 1);
  // Sending it again is refused: it is done.
  const auto again = handlers::broadcast_action(f.s(), id, "send", kBy, f.now());
  ASSERT_FALSE(again);
  EXPECT_NE(again.error().message.find("is done"), std::string::npos);
}

TEST(Broadcast, QuietHoursDeferAndExpiryStops) {
  Fixture f;                               // quiet 21:00-07:00 by default
  f.h.clock().set(kTestNow + 13 * kHour);  // 22:00 local
  const auto a = f.subscriber("web", "w1", kHour);
  const auto id = f.create(doc());
  const auto p = f.plan(id);
  EXPECT_EQ(local_time::hhmm(p.starts_at), "07:00");
  handlers::broadcast_action(f.s(), id, "send", kBy, f.now());
  f.run_until_idle(5);
  EXPECT_EQ(f.broadcasts_in_outbox(a), 0) << "nothing inside the quiet hours";
  f.h.clock().set(kTestNow + 22 * kHour);  // 07:00 the next morning
  f.run_until_idle(3);
  EXPECT_EQ(f.broadcasts_in_outbox(a), 1);

  // Expired before its turn: nobody is sent to, and the report says why.
  Fixture g;
  g.options.quiet_hours = "none";
  g.options.rate_per_minute = 60;  // one a second
  const auto x = g.subscriber("web", "w1", kHour);
  const auto y = g.subscriber("web", "w2", kHour);
  Json d = doc();
  d["expires_at"] =
      local_time::iso_date(local_time::day_of(g.now())) + " " + local_time::hhmm(g.now() + 60'000);
  const auto id2 = g.create(d);
  g.plan(id2);
  handlers::broadcast_action(g.s(), id2, "send", kBy, g.now());
  g.run_jobs();  // the first one
  g.h.clock().advance(std::chrono::minutes(2));
  g.run_until_idle(3);
  EXPECT_EQ(g.broadcasts_in_outbox(x) + g.broadcasts_in_outbox(y), 1);
  const auto r = handlers::broadcast_report(g.s(), id2);
  EXPECT_EQ(r->skipped_reasons.at("expired"), 1);
  EXPECT_EQ(r->broadcast.status, "done");
}

TEST(Broadcast, StopMidBroadcastPauseResumeCancelAndTheWeeklyCap) {
  Fixture f;
  f.options.quiet_hours = "none";
  f.options.rate_per_minute = 60;  // one a second
  f.h.say("nhận tin về sở hữu trí tuệ", "w1");
  f.h.say("nhận tin về sở hữu trí tuệ", "w2");
  f.h.say("nhận tin về sở hữu trí tuệ", "w3");
  const auto p1 = f.h.person("w1").id;
  const auto p2 = f.h.person("w2").id;
  const auto p3 = f.h.person("w3").id;
  const auto id = f.create(doc());
  EXPECT_EQ(f.plan(id).total, 3);
  handlers::broadcast_action(f.s(), id, "send", kBy, f.now());
  f.run_jobs();  // w1 queued
  EXPECT_EQ(f.broadcasts_in_outbox(p1), 1);
  // w1 says STOP before it was sent: that message does not go; w2 says STOP before its turn.
  f.h.say("STOP", "w1");
  f.h.say("hủy nhận tin", "w2");
  SQLite::Statement st(f.h.db(),
                       "SELECT status FROM outbox WHERE kind = 'broadcast' AND person_id = ?");
  st.bind(1, static_cast<int64_t>(p1));
  ASSERT_TRUE(st.executeStep());
  EXPECT_EQ(st.getColumn(0).getString(), "skipped");
  // Paused: nothing more is queued; resumed: it goes on.
  ASSERT_TRUE(handlers::broadcast_action(f.s(), id, "pause", kBy, f.now()));
  f.run_until_idle(5);
  EXPECT_EQ(f.broadcasts_in_outbox(p3), 0);
  ASSERT_TRUE(handlers::broadcast_action(f.s(), id, "resume", kBy, f.now()));
  f.run_until_idle(5);
  EXPECT_EQ(f.broadcasts_in_outbox(p2), 0) << "unsubscribed after planning";
  EXPECT_EQ(f.broadcasts_in_outbox(p3), 1);
  auto r = handlers::broadcast_report(f.s(), id);
  EXPECT_EQ(r->skipped_reasons.at("unsubscribed"), 2);  // w1's queued message, w2 at its turn

  // The weekly cap (2): a third announcement this week is not queued for w3.
  for (int i = 0; i < 2; ++i) {
    const auto next = f.create(doc());
    const auto plan = f.plan(next);
    handlers::broadcast_action(f.s(), next, "send", kBy, f.now());
    f.run_until_idle(3);
    if (i == 1) {
      ASSERT_TRUE(plan.unreachable.contains("weekly_cap"));
      EXPECT_EQ(plan.unreachable.at("weekly_cap"), 1);
    }
  }
  EXPECT_EQ(f.broadcasts_in_outbox(p3), 2);

  // Cancel: everyone still waiting is skipped; a cancelled broadcast cannot be sent.
  f.h.say("nhận tin về sở hữu trí tuệ", "w4");
  const auto last = f.create(doc());
  f.plan(last);
  ASSERT_TRUE(handlers::broadcast_action(f.s(), last, "cancel", kBy, f.now()));
  r = handlers::broadcast_report(f.s(), last);
  EXPECT_EQ(r->broadcast.status, "cancelled");
  EXPECT_EQ(r->skipped_reasons.at("cancelled"), 1);
  EXPECT_FALSE(handlers::broadcast_action(f.s(), last, "send", kBy, f.now()));
  // Every action is in the audit log.
  storage::AuditFilter filter;
  filter.action = "broadcast_send";
  EXPECT_EQ(f.s().staff.audit_log(filter).size(), 3u);
}

}  // namespace
}  // namespace outreach
