// Events (issue 20): the event files and their checks, registering through the real turn
// pipeline (real SQLite, the shipped UI strings, a fake clock), the capacity the database
// guards, the waiting line and its offers, reminders, and check-in at the door.
// The test clock starts on Saturday 28/11/2026 09:00 (Asia/Ho_Chi_Minh).
#include "handlers/events.hpp"

#include <filesystem>
#include <fstream>
#include <set>

#include <SQLiteCpp/Statement.h>
#include <SQLiteCpp/Transaction.h>
#include <gtest/gtest.h>

#include "content/loader.hpp"
#include "content/store.hpp"
#include "tests/support/temp_dir.hpp"
#include "tests/support/turn_harness.hpp"

namespace outreach {
namespace {

using testing::kTestNow;
using testing::TempDir;
using testing::TurnHarness;

constexpr std::int64_t kHour = 3'600'000;

// A class on 10/12/2026 08:00–11:00 with `capacity` seats, a waiting line and one question.
std::string class_event(int capacity, bool waitlist = true) {
  return "id: lop-thu\n"
         "title: { vi: Lớp thử nghiệm, en: Test class }\n"
         "starts: 2026-12-10 08:00\n"
         "ends: 2026-12-10 11:00\n"
         "place: { vi: Hội trường phường }\n"
         "organiser: economic-office\n"
         "topics: [ip]\n"
         "capacity: " +
         std::to_string(capacity) + "\nwaitlist: " + (waitlist ? "true" : "false") +
         "\n"
         "offer_hours: 2\n"
         "reminders: [1d, 2h]\n"
         "questions:\n"
         "  - id: role\n"
         "    kind: choice\n"
         "    text: { vi: \"Bạn là ai?\", en: \"Who are you?\" }\n"
         "    choices:\n"
         "      - { value: household, label: { vi: Hộ kinh doanh }, also: [hkd] }\n"
         "      - { value: company, label: { vi: Doanh nghiệp } }\n";
}

// The shipped content with the example events replaced by `files` (name → text).
std::string content_with(const TempDir& dir, const std::map<std::string, std::string>& files) {
  const std::string root = testing::copy_content(dir);
  for (const auto& entry : std::filesystem::directory_iterator(root + "/events"))
    if (entry.path().extension() == ".yaml")
      std::filesystem::remove(entry.path());
  for (const auto& [name, text] : files) std::ofstream(root + "/events/" + name) << text;
  return root;
}

std::string all_text(const std::vector<OutboundMessage>& ms) {
  std::string out;
  for (const auto& m : ms) {
    out += m.text + "\n";
    for (const auto& i : m.items) out += i.title + " | " + i.subtitle + " | " + i.payload + "\n";
    for (const auto& b : m.buttons) out += "[" + b.title + "|" + b.payload + "]\n";
  }
  return out;
}

// The ticket code in a link /t/<code> of the replies ('' when none). (No std::regex: GCC 12
// warns inside it at -O1, and warnings are errors.)
std::string code_in(const std::vector<OutboundMessage>& ms) {
  const std::string t = all_text(ms);
  const auto at = t.find("/t/");
  if (at == std::string::npos)
    return "";
  const std::string code = handlers::normalize_code(t.substr(at + 3, handlers::kTicketCodeLength));
  return code.size() == handlers::kTicketCodeLength ? code : "";
}

// Registers `user` for lop-thu through the chat; returns the replies to the confirmation.
std::vector<OutboundMessage> register_for(TurnHarness& h,
                                          const std::string& user,
                                          const std::string& name) {
  h.press("events:register:lop-thu", user);
  h.say(name, user);
  h.say("0901234567", user);
  h.say("hkd", user);
  return h.press("flow:confirm", user);
}

int count(TurnHarness& h, const std::string& sql) {
  SQLite::Statement st(h.db(), sql);
  return st.executeStep() ? st.getColumn(0).getInt() : -1;
}

TEST(EventsContent, MistakesAreNamedWithFileAndLine) {
  TempDir dir;
  const std::string root = content_with(
      dir,
      {{"sai.yaml",
        "id: sai\ntitle: { vi: Sai }\nstarts: 2026-13-01 08:00\nends: 2026-12-01 07:00\n"
        "place: { vi: Đâu đó }\norganiser: no-such-office\ntopics: [ip]\ncapacity: 5\n"
        "reminder: [1d]\nquestions:\n  - { id: name, kind: text, text: { vi: \"Tên?\" } }\n"}});
  const auto report = content::load_content(root, local_time::day_of(kTestNow));
  EXPECT_FALSE(report.snapshot);
  std::set<std::string> found;
  for (const auto& p : report.problems)
    if (p.file == "events/sai.yaml")
      found.insert(std::to_string(p.line) + ": " + p.message);
  const std::string all = [&] {
    std::string s;
    for (const auto& f : found) s += f + "\n";
    return s;
  }();
  EXPECT_NE(all.find("3: 'starts' must be a local date and time"), std::string::npos) << all;
  EXPECT_NE(all.find("6: unknown office 'no-such-office'"), std::string::npos) << all;
  EXPECT_NE(all.find("9: reminder: unknown key"), std::string::npos) << all;
  EXPECT_NE(all.find("id 'name' must use"), std::string::npos) << all;
}

TEST(EventsContent, TheShippedExamplesLoadAndAreMarked) {
  const auto report =
      content::load_content(testing::source_content_dir(), local_time::day_of(kTestNow));
  ASSERT_TRUE(report.snapshot);
  ASSERT_GE(report.snapshot->events.size(), 3u);
  for (const auto& [id, e] : report.snapshot->events) {
    EXPECT_TRUE(e.example) << id;
    EXPECT_NE(report.snapshot->flow(e.flow_id()), nullptr) << id;
  }
}

TEST(Events, FindRegisterGetATicketAndSeeItAgain) {
  TempDir dir;
  TurnHarness h(content_with(dir, {{"lop-thu.yaml", class_event(10)}}));
  const auto listed = all_text(h.say("tháng sau có lớp tập huấn nào về sở hữu trí tuệ không"));
  EXPECT_NE(listed.find("Lớp thử nghiệm"), std::string::npos) << listed;
  EXPECT_NE(listed.find("Còn 10 chỗ"), std::string::npos) << listed;
  EXPECT_NE(listed.find("events:show:lop-thu"), std::string::npos) << listed;
  // A topic no event is about: said so, and every upcoming event listed in the same reply.
  const auto other = h.say("có sự kiện nào về tiết kiệm điện không");
  ASSERT_EQ(other.size(), 1u) << all_text(other);
  EXPECT_EQ(other[0].text.rfind("Mình chưa thấy sự kiện nào khớp", 0), 0u) << other[0].text;
  ASSERT_EQ(other[0].items.size(), 1u);
  EXPECT_EQ(other[0].items[0].payload, "events:show:lop-thu");

  const auto done = register_for(h, "u1", "Trần Thị Bình");
  const std::string code = code_in(done);
  ASSERT_EQ(code.size(), handlers::kTicketCodeLength) << all_text(done);
  EXPECT_NE(done.front().image_url.find("/t/" + code + ".png"), std::string::npos);
  const auto row = h.store().events.by_code(code);
  ASSERT_TRUE(row);
  EXPECT_EQ(row->status, "registered");
  EXPECT_EQ(row->name, "Trần Thị Bình");
  EXPECT_EQ(row->answers, R"({"role":"household"})");
  // Two reminders: a day and two hours before.
  EXPECT_EQ(count(h, "SELECT COUNT(*) FROM jobs WHERE kind = 'events.remind'"), 2);

  const auto mine = all_text(h.say("vé của tôi"));
  EXPECT_NE(mine.find(handlers::display_code(code)), std::string::npos) << mine;
  // Registering again shows the same ticket rather than taking a second seat.
  EXPECT_EQ(code_in(h.press("events:register:lop-thu")), code);
  EXPECT_EQ(h.store().events.seats_taken("lop-thu"), 1);

  // Next time, the name and phone of the last registration are offered back.
  h.store().events.release(row->id, "cancelled", kTestNow);
  const auto again = all_text(h.press("events:register:lop-thu"));
  EXPECT_NE(again.find("Trần Thị Bình"), std::string::npos) << again;
}

// A day or a month named in the question narrows the list as "tháng sau" does: "18/5" is the
// next 18 May, "tháng 12" this December, "tháng 5" next May (the clock is in November 2026).
TEST(Events, ADayOrAMonthNamedNarrowsTheList) {
  TempDir dir;
  const std::string may =
      "id: ngay-18-5\n"
      "title: { vi: Ngày hội 18/5, en: S&T Day fair }\n"
      "starts: 2027-05-18 08:00\n"
      "ends: 2027-05-18 11:00\n"
      "place: { vi: Hội trường phường }\n"
      "organiser: economic-office\n"
      "topics: [ip]\n"
      "capacity: 0\n";
  TurnHarness h(content_with(dir, {{"lop-thu.yaml", class_event(10)}, {"ngay-18-5.yaml", may}}));
  const auto day = all_text(h.say("18/5 có sự kiện gì không"));
  EXPECT_NE(day.find("events:show:ngay-18-5"), std::string::npos) << day;
  EXPECT_EQ(day.find("events:show:lop-thu"), std::string::npos) << day;
  const auto december = all_text(h.say("tháng 12 có lớp tập huấn nào không"));
  EXPECT_NE(december.find("events:show:lop-thu"), std::string::npos) << december;
  EXPECT_EQ(december.find("events:show:ngay-18-5"), std::string::npos) << december;
  const auto in_may = all_text(h.say("tháng 5 có sự kiện gì"));
  EXPECT_NE(in_may.find("events:show:ngay-18-5"), std::string::npos) << in_may;
  EXPECT_EQ(in_may.find("events:show:lop-thu"), std::string::npos) << in_may;
  // A day with nothing on it: said so, and everything upcoming listed.
  const auto empty_day = h.say("20/12 có sự kiện gì không");
  ASSERT_FALSE(empty_day.empty());
  EXPECT_EQ(empty_day[0].text.rfind("Mình chưa thấy sự kiện nào khớp", 0), 0u)
      << all_text(empty_day);
  EXPECT_EQ(empty_day[0].items.size(), 2u) << all_text(empty_day);
}

// "không" to an optional question is no answer (as the skip button), not the word "không";
// a real answer is kept.
TEST(Events, NothingToAddToAnOptionalQuestionIsNoAnswer) {
  TempDir dir;
  std::string yaml = class_event(10);
  yaml = yaml.substr(0, yaml.find("questions:\n")) +
         "questions:\n"
         "  - id: ask\n"
         "    kind: text\n"
         "    optional: true\n"
         "    text: { vi: \"Bạn muốn hỏi giảng viên điều gì?\" }\n";
  TurnHarness h(content_with(dir, {{"lop-thu.yaml", yaml}}));
  auto register_saying = [&](const std::string& user, const std::string& said) {
    h.press("events:register:lop-thu", user);
    h.say("Nguyễn Văn An", user);
    h.say("0901234567", user);
    h.say(said, user);
    return h.store().events.by_code(code_in(h.press("flow:confirm", user)));
  };
  for (const char* nothing : {"không", "dạ không có gì ạ", "ko", "No"}) {
    const auto r = register_saying(std::string("n-") + nothing, nothing);
    ASSERT_TRUE(r) << nothing;
    EXPECT_EQ(r->answers, "{}") << nothing;
  }
  const auto asked = register_saying("q", "Không biết nhãn hiệu có cần công chứng không?");
  ASSERT_TRUE(asked);
  EXPECT_EQ(asked->answers, R"({"ask":"Không biết nhãn hiệu có cần công chứng không?"})");
}

TEST(Events, CapacityHoldsAndTheRestWaitInLine) {
  TempDir dir;
  TurnHarness h(content_with(dir, {{"lop-thu.yaml", class_event(50)}}));
  const char* family[] = {"Nguyễn", "Trần", "Lê", "Phạm", "Hoàng",
                          "Huỳnh",  "Phan", "Vũ", "Võ",   "Đặng"};
  const char* given[] = {"An",   "Bình", "Chi", "Dũng", "Giang", "Hà",   "Khoa",
                         "Lan",  "Minh", "Nam", "Oanh", "Phúc",  "Quân", "Sơn",
                         "Thảo", "Uyên", "Vy",  "Xuân", "Yến",   "Tâm"};
  int tickets = 0;
  for (int i = 0; i < 200; ++i) {
    const std::string name = std::string(family[i % 10]) + " Văn " + given[i / 10];
    if (!code_in(register_for(h, "p" + std::to_string(i), name)).empty())
      ++tickets;
  }
  EXPECT_EQ(tickets, 50);
  EXPECT_EQ(count(h, "SELECT COUNT(*) FROM event_registrations WHERE status = 'registered'"), 50);
  EXPECT_EQ(count(h, "SELECT COUNT(*) FROM event_registrations WHERE status = 'waiting'"), 150);
  EXPECT_EQ(count(h, "SELECT MAX(seat) FROM event_registrations"), 50);
  // The database itself refuses a seat held twice.
  EXPECT_THROW(h.db().exec("INSERT INTO event_registrations (event_id, code, status, seat, name, "
                           "phone, created_at, updated_at) VALUES ('lop-thu', 'x', 'registered', "
                           "1, 'x', 'x', 0, 0)"),
               SQLite::Exception);
}

TEST(Events, AFullEventWithoutAWaitingLineSaysSo) {
  TempDir dir;
  TurnHarness h(content_with(dir, {{"lop-thu.yaml", class_event(1, false)}}));
  ASSERT_FALSE(code_in(register_for(h, "a", "Nguyễn An")).empty());
  const auto full = all_text(h.press("events:register:lop-thu", "b"));
  EXPECT_NE(full.find("đã đủ chỗ"), std::string::npos) << full;
  EXPECT_EQ(count(h, "SELECT COUNT(*) FROM event_registrations"), 1);
}

TEST(Events, AFreedSeatIsOfferedToTheFirstInLineThenPassesOn) {
  TempDir dir;
  TurnHarness h(content_with(dir, {{"lop-thu.yaml", class_event(1)}}));
  const std::string code = code_in(register_for(h, "a", "Nguyễn An"));
  ASSERT_FALSE(code.empty());
  register_for(h, "b", "Lê Bình");
  register_for(h, "c", "Phạm Chi");
  const auto reg = h.store().events.by_code(code);
  ASSERT_TRUE(reg);
  // a cancels (asked to confirm first); b is offered the seat.
  EXPECT_NE(all_text(h.press("events:cancel:" + std::to_string(reg->id), "a")).find("chắc chắn"),
            std::string::npos);
  h.press("events:cancel_yes:" + std::to_string(reg->id), "a");
  auto b = h.store().events.live_for("lop-thu", h.person("b").id);
  ASSERT_TRUE(b);
  EXPECT_EQ(b->status, "offered");
  EXPECT_EQ(b->offer_until, kTestNow + 2 * kHour);
  SQLite::Statement offer(h.db(),
                          "SELECT body FROM outbox WHERE person_id = :p AND kind = 'notice' "
                          "ORDER BY id DESC LIMIT 1");
  offer.bind(":p", static_cast<int64_t>(h.person("b").id));
  ASSERT_TRUE(offer.executeStep());
  EXPECT_NE(offer.getColumn(0).getString().find("events:take:" + std::to_string(b->id)),
            std::string::npos);
  // Nobody answers in time: the offer passes to c.
  content::ContentStore& cs = h.content();
  {
    SQLite::Transaction t(h.db());
    EXPECT_TRUE(handlers::run_event_offer_expiry(
        h.store(), *cs.snapshot(), handlers::EventOfferJob{b->id}, kTestNow + 2 * kHour));
    t.commit();
  }
  EXPECT_EQ(h.store().events.get(b->id)->status, "passed");
  auto c = h.store().events.live_for("lop-thu", h.person("c").id);
  ASSERT_TRUE(c);
  EXPECT_EQ(c->status, "offered");
  // c takes it and gets a ticket; b's old offer button does nothing.
  h.clock().set(kTestNow + 2 * kHour + 60'000);
  const std::string c_code = code_in(h.press("events:take:" + std::to_string(c->id), "c"));
  EXPECT_EQ(c_code, c->code);
  EXPECT_EQ(h.store().events.get(c->id)->status, "registered");
  EXPECT_NE(all_text(h.press("events:take:" + std::to_string(b->id), "b")).find("không còn"),
            std::string::npos);
  EXPECT_EQ(h.store().events.seats_taken("lop-thu"), 1);
}

TEST(Events, RemindersGoOnlyForTheTimeTheyWereSetFor) {
  TempDir dir;
  TurnHarness h(content_with(dir, {{"lop-thu.yaml", class_event(5)}}));
  const std::string code = code_in(register_for(h, "a", "Nguyễn An"));
  const auto reg = h.store().events.by_code(code);
  ASSERT_TRUE(reg);
  const auto snap = h.content().snapshot();
  const content::Event& e = *snap->event("lop-thu");
  const std::int64_t at = e.starts_at - 24 * kHour;
  SQLite::Transaction t(h.db());
  EXPECT_TRUE(handlers::run_event_reminder(
      h.store(), *snap, handlers::EventReminderJob{reg->id, e.starts_at, 24 * kHour}, at));
  // A job set for an earlier start (the event moved since) sends nothing.
  EXPECT_FALSE(handlers::run_event_reminder(
      h.store(), *snap, handlers::EventReminderJob{reg->id, e.starts_at - kHour, 24 * kHour}, at));
  t.commit();
  EXPECT_EQ(count(h, "SELECT COUNT(*) FROM outbox WHERE kind = 'reminder'"), 1);
}

// "hủy" names nothing: from someone with a ticket and a subscription it asks which to cancel and
// changes nothing; STOP and "hủy nhận tin" still stop the announcements at once.
TEST(Events, CancelThatNamesNothingAsksWhichWhenThereIsATicket) {
  TempDir dir;
  TurnHarness h(content_with(dir, {{"lop-thu.yaml", class_event(10)}}));
  const std::string code = code_in(register_for(h, "u1", "Trần Thị Bình"));
  ASSERT_FALSE(code.empty());
  h.say("nhận tin về sở hữu trí tuệ");
  h.press("flow:confirm");
  ASSERT_TRUE(h.store().subscriptions.get(h.person().id));
  for (const std::string cancel : {"hủy", "huy dang ky giup em", "cancel"}) {
    const auto r = h.say(cancel);
    EXPECT_EQ(h.last().handler, "unsubscribe") << cancel;
    EXPECT_EQ(h.last().outcome, "which") << cancel;
    ASSERT_EQ(r.size(), 1u) << cancel;
    EXPECT_EQ(r[0].text, h.ui("unsubscribe.which"));
    const auto text = all_text(r);
    EXPECT_NE(text.find("|events:mine]"), std::string::npos) << text;
    EXPECT_NE(text.find("|unsubscribe]"), std::string::npos) << text;
    EXPECT_EQ(text.find("|booking:mine]"), std::string::npos) << "no booking: " << text;
    EXPECT_TRUE(h.store().subscriptions.get(h.person().id)) << cancel;
    EXPECT_EQ(h.store().events.by_code(code)->status, "registered") << cancel;
  }
  h.press("unsubscribe");
  EXPECT_EQ(h.last().outcome, "unsubscribed");
  EXPECT_FALSE(h.store().subscriptions.get(h.person().id));
  EXPECT_EQ(h.store().events.by_code(code)->status, "registered");
  for (const std::string stop : {"STOP", "hủy nhận tin"}) {
    h.say(stop);
    EXPECT_EQ(h.last().outcome, "not_subscribed") << stop << ": a command, never asked back";
  }
  // Without a ticket or a booking, "hủy" is the announcements' one-word stop, as before.
  h.say("nhận tin về sở hữu trí tuệ", "u2");
  h.press("flow:confirm", "u2");
  h.say("hủy", "u2");
  EXPECT_EQ(h.last().outcome, "unsubscribed");
}

TEST(Events, CheckInAnswersEachScanAndRecordsItOnce) {
  TempDir dir;
  TurnHarness h(content_with(
      dir, {{"lop-thu.yaml", class_event(5)}, {"khac.yaml", [] {
                                                 std::string s = class_event(5);
                                                 return s.replace(s.find("lop-thu"), 7, "khac");
                                               }()}}));
  const std::string code = code_in(register_for(h, "a", "Nguyễn An"));
  ASSERT_FALSE(code.empty());
  const auto snap = h.content().snapshot();
  const std::int64_t door = snap->event("lop-thu")->starts_at - 30 * 60'000;
  auto scan = [&](const std::string& event, const std::string& typed, const std::string& nonce,
                  std::int64_t at) {
    SQLite::Transaction t(h.db(), SQLite::TransactionBehavior::IMMEDIATE);
    auto a = handlers::check_in(h.store(), *snap, event, typed, nonce, "test", at);
    t.commit();
    return a;
  };
  EXPECT_EQ(scan("lop-thu", code, "n0", kTestNow).result, "not_open");  // twelve days early
  const auto first = scan("lop-thu", handlers::display_code(code), "n1", door);
  EXPECT_EQ(first.result, "ok");
  EXPECT_EQ(first.name, "Nguyễn An");
  EXPECT_EQ(first.checked_in_at, door);
  // The same request again (same nonce) is the same scan: one row, the same answer.
  EXPECT_EQ(scan("lop-thu", code, "n1", door + 5000).result, "ok");
  const auto second = scan("lop-thu", code, "n2", door + 60'000);
  EXPECT_EQ(second.result, "already");
  EXPECT_EQ(second.checked_in_at, door);
  EXPECT_EQ(scan("khac", code, "n3", door).result, "wrong_event");
  EXPECT_EQ(scan("lop-thu", "abcdefghjkmnpqrstuvw", "n4", door).result, "unknown");
  EXPECT_EQ(scan("lop-thu", "<script>", "n5", door).result, "unknown");
  EXPECT_EQ(count(h, "SELECT COUNT(*) FROM event_checkins"), 6);
  // Rows are never changed or removed.
  EXPECT_THROW(h.db().exec("UPDATE event_checkins SET result = 'ok'"), SQLite::Exception);
  EXPECT_THROW(h.db().exec("DELETE FROM event_checkins"), SQLite::Exception);
  // A cancelled ticket is refused at the door.
  h.store().events.release(h.store().events.by_code(code)->id, "cancelled", door);
  EXPECT_EQ(scan("lop-thu", code, "n6", door).result, "cancelled");
  // The CSV carries the check-in.
  const std::string csv = handlers::registrations_csv(h.store(), *snap, *snap->event("lop-thu"));
  EXPECT_NE(csv.find("Nguyễn An"), std::string::npos);
  EXPECT_NE(csv.find("\"household\""), std::string::npos) << csv;
}

TEST(Events, AMovedOrCancelledEventIsToldOnceToEveryoneRegistered) {
  TempDir dir;
  const std::string root = content_with(dir, {{"lop-thu.yaml", class_event(1)}});
  TurnHarness h(root);
  auto sync = [&](const std::string& yaml) {
    std::ofstream(root + "/events/lop-thu.yaml") << yaml;
    const auto report = content::load_content(root, local_time::day_of(kTestNow));
    EXPECT_TRUE(report.snapshot) << (report.problems.empty() ? "" : report.problems[0].message);
    SQLite::Transaction t(h.db());
    const int n = handlers::sync_event_changes(h.store(), *report.snapshot, h.clock().now_ms());
    t.commit();
    return n;
  };
  EXPECT_EQ(sync(class_event(1)), 0);  // first sight: recorded, nobody to tell
  register_for(h, "a", "Nguyễn An");
  register_for(h, "b", "Lê Bình");     // waiting
  EXPECT_EQ(sync(class_event(1)), 0);  // nothing changed
  std::string moved = class_event(1);
  moved.replace(moved.find("08:00"), 5, "14:00");
  moved.replace(moved.find("11:00"), 5, "17:00");
  EXPECT_EQ(sync(moved), 2);  // the registered and the one waiting
  EXPECT_EQ(sync(moved), 0);  // told once
  SQLite::Statement last(h.db(), "SELECT body FROM outbox WHERE kind = 'notice' ORDER BY id DESC");
  ASSERT_TRUE(last.executeStep());
  EXPECT_NE(last.getColumn(0).getString().find("14:00"), std::string::npos);
  // The reminders follow the new time.
  SQLite::Statement jobs(h.db(), "SELECT MIN(run_at) FROM jobs WHERE kind = 'events.remind'");
  ASSERT_TRUE(jobs.executeStep());
  EXPECT_EQ(jobs.getColumn(0).getInt64(),
            local_time::unix_ms(*local_time::day_from(2026, 12, 9), 14 * 60));
  EXPECT_EQ(sync(moved + "status: cancelled\n"), 2);
  SQLite::Statement cancelled(h.db(),
                              "SELECT COUNT(*) FROM outbox WHERE kind = 'notice' AND body LIKE "
                              "'%đã bị hủy%'");
  ASSERT_TRUE(cancelled.executeStep());
  EXPECT_EQ(cancelled.getColumn(0).getInt(), 2);
}

TEST(Events, ThoseWhoCameAreAskedOnceHowItWas) {
  TempDir dir;
  TurnHarness h(content_with(dir, {{"lop-thu.yaml", class_event(5)}}));
  const std::string code = code_in(register_for(h, "a", "Nguyễn An"));
  const auto snap = h.content().snapshot();
  const content::Event& e = *snap->event("lop-thu");
  {
    SQLite::Transaction t(h.db(), SQLite::TransactionBehavior::IMMEDIATE);
    ASSERT_EQ(handlers::check_in(h.store(), *snap, "lop-thu", code, "n1", "t", e.starts_at).result,
              "ok");
    t.commit();
  }
  SQLite::Statement job(h.db(), "SELECT run_at FROM jobs WHERE kind = 'events.survey'");
  ASSERT_TRUE(job.executeStep());
  EXPECT_EQ(job.getColumn(0).getInt64(), e.ends_at + 30 * 60'000);
  const auto reg = h.store().events.by_code(code);
  {
    SQLite::Transaction t(h.db());
    EXPECT_TRUE(handlers::run_event_survey(h.store(), *snap, handlers::EventSurveyJob{reg->id},
                                           e.ends_at + 30 * 60'000));
    t.commit();
  }
  SQLite::Statement ask(h.db(), "SELECT body FROM outbox WHERE kind = 'notice'");
  ASSERT_TRUE(ask.executeStep());
  EXPECT_NE(ask.getColumn(0).getString().find("events:rate:" + std::to_string(reg->id) + ":5"),
            std::string::npos);
  h.press("events:rate:" + std::to_string(reg->id) + ":4", "a");
  EXPECT_EQ(h.store().events.get(reg->id)->rating, 4);
  h.press("events:rate:" + std::to_string(reg->id) + ":1", "a");  // the first answer stands
  EXPECT_EQ(h.store().events.get(reg->id)->rating, 4);
  h.press("events:rate:" + std::to_string(reg->id) + ":3", "someone-else");
  EXPECT_EQ(h.store().events.get(reg->id)->rating, 4);
  SQLite::Transaction t(h.db());
  EXPECT_FALSE(handlers::run_event_survey(h.store(), *snap, handlers::EventSurveyJob{reg->id},
                                          e.ends_at + 31 * 60'000));
}

TEST(Events, TicketCodesAreLongRandomAndReadBack) {
  std::set<std::string> seen;
  for (int i = 0; i < 1000; ++i) {
    const std::string c = handlers::new_ticket_code();
    ASSERT_EQ(c.size(), 20u);
    ASSERT_EQ(c.find_first_of("01ilo"), std::string::npos) << c;
    seen.insert(c);
    ASSERT_EQ(handlers::normalize_code(handlers::display_code(c)), c);
  }
  EXPECT_EQ(seen.size(), 1000u);
  EXPECT_EQ(handlers::normalize_code("ABCD-EFGH"), "abcdefgh");
  EXPECT_EQ(handlers::normalize_code("abc0"), "");
}

}  // namespace
}  // namespace outreach
