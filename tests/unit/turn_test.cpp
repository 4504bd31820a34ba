// The turn pipeline on real SQLite with the shipped content: dispatcher, handlers, flow engine,
// turn runner (one transaction per turn).
#include <gtest/gtest.h>

#include "handlers/flow.hpp"
#include "handlers/handlers.hpp"
#include "tests/support/turn_harness.hpp"

namespace outreach {
namespace {

using testing::TurnHarness;

std::vector<std::string> payloads(const OutboundMessage& m) {
  std::vector<std::string> out;
  for (const auto& i : m.items) out.push_back(i.payload);
  for (const auto& b : m.buttons) out.push_back(b.payload);
  return out;
}

bool has_payload(const OutboundMessage& m, const std::string& p) {
  const auto all = payloads(m);
  return std::find(all.begin(), all.end(), p) != all.end();
}

TEST(Turn, FirstContactIsGreetedWithTheMainMenu) {
  TurnHarness h;
  const auto r = h.follow();
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0].text, h.ui("greeting"));
  EXPECT_TRUE(has_payload(r[0], "policies"));
  EXPECT_TRUE(has_payload(r[0], "feedback"));
  EXPECT_EQ(h.last().handler, "menu");
}

TEST(Turn, GreetingWorksWithoutDiacriticsAndInUpperCase) {
  TurnHarness h;
  h.follow();
  for (const std::string greeting : {"xin chào", "XIN CHAO", "xin chao!!", "Xin Cha\xCC\x80o"}) {
    const auto r = h.say(greeting);
    ASSERT_EQ(r.size(), 1u) << greeting;
    EXPECT_EQ(h.last().handler, "menu") << greeting;
  }
}

TEST(Turn, UnknownQuestionsGetTheHonestFallbackNotARandomAnswer) {
  TurnHarness h;
  const auto r = h.say("giá vàng hôm nay bao nhiêu");
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(h.last().handler, "fallback");
  EXPECT_EQ(r[0].text, h.ui("fallback.text") + "\n" + h.ui("fallback.share_note"));
  EXPECT_TRUE(has_payload(r[0], "handoff"));
  // The question may go to staff, but only if the person presses the button.
  EXPECT_TRUE(has_payload(r[0], "question:share"));
}

TEST(Turn, LanguageSwitchPersistsAndChangesEveryLaterReply) {
  TurnHarness h;
  h.follow();
  auto r = h.press("lang:toggle");
  EXPECT_EQ(r[0].text, h.ui("language.switched", "en"));
  EXPECT_EQ(h.person().language, "en");
  r = h.say("menu");
  EXPECT_EQ(r[0].text, h.ui("menu.prompt", "en"));
  r = h.say("tiếng việt");
  EXPECT_EQ(r[0].text, h.ui("language.switched", "vi"));
  EXPECT_EQ(h.person().language, "vi");
}

TEST(Turn, AQuestionInTheOtherLanguageIsAnsweredInIt) {
  TurnHarness h;
  h.follow();
  ASSERT_EQ(h.person().language, "vi");  // a phone set to Vietnamese
  auto r = h.say("how do I register a trademark for my products");
  EXPECT_EQ(h.person().language, "en");
  ASSERT_EQ(h.last().handler, "explainer");
  const auto* en = h.content().snapshot()->explainer(h.last().outcome, "en");
  ASSERT_NE(en, nullptr);
  ASSERT_EQ(en->lang, "en");
  ASSERT_FALSE(r.empty());
  EXPECT_EQ(r.back().text.rfind(en->title, 0), 0u) << r.back().text;
  // A word or two switches nothing; a Vietnamese sentence with its marks switches back.
  h.say("menu");
  h.say("ok");
  EXPECT_EQ(h.person().language, "en");
  r = h.say("cách đăng ký nhãn hiệu cho quán cà phê");
  EXPECT_EQ(h.person().language, "vi");
  ASSERT_EQ(h.last().handler, "explainer");
  const auto* vi = h.content().snapshot()->explainer(h.last().outcome, "vi");
  ASSERT_NE(vi, nullptr);
  EXPECT_NE(r.back().text.find(vi->title), std::string::npos) << r.back().text;
  // Most people type Vietnamese without its marks: that switches back too, unless the person
  // chose English themselves.
  h.say("how do I register a trademark for my products");
  EXPECT_EQ(h.person().language, "en");
  h.say("cach dang ky nhan hieu cho quan ca phe");
  EXPECT_EQ(h.person().language, "vi");
  // Vietnamese typed without its marks does not switch a reader who chose English.
  h.press("lang:en");
  h.say("cach dang ky nhan hieu cho quan ca phe");
  EXPECT_EQ(h.person().language, "en");
  // Nor after a form: the choice is the conversation's, kept when a form starts and ends, and
  // never one of the form's answers.
  h.press("feedback");
  h.press("flow:cancel");
  h.say("cach dang ky nhan hieu cho quan ca phe");
  EXPECT_EQ(h.person().language, "en");
  h.press("feedback");
  h.press("flow:choice:5");
  h.press("flow:skip");
  h.press("flow:confirm");
  EXPECT_EQ(h.store().db.execAndGet("SELECT COUNT(*) FROM feedback").getInt(), 1);
  h.say("cach dang ky nhan hieu cho quan ca phe");
  EXPECT_EQ(h.person().language, "en");
  // Choosing Vietnamese with the button holds the same way.
  h.press("lang:vi");
  h.say("how do I register a trademark for my products");
  EXPECT_EQ(h.person().language, "en");  // a sentence in English still switches
}

TEST(Turn, TypedNumberPressesTheButtonOfTheLastReply) {
  TurnHarness h;
  const auto menu = h.follow();
  const auto choices = payloads(menu[0]);
  ASSERT_GE(choices.size(), 2u);
  h.say("1");
  EXPECT_EQ(h.last().handler, "policies");
  h.say("99");  // no such button: understood as text
  EXPECT_EQ(h.last().handler, "fallback");
}

TEST(Turn, BrowsingPoliciesReachesAnExplainerWithItsSource) {
  TurnHarness h;
  auto r = h.press("policies");
  ASSERT_EQ(r.size(), 1u);
  ASSERT_FALSE(r[0].items.empty());
  r = h.press(r[0].items[1].payload);  // the IP group
  ASSERT_FALSE(r[0].items.empty());
  const std::string ex = r[0].items[0].payload;
  ASSERT_TRUE(ex.starts_with("ex:")) << ex;
  r = h.press(ex);
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(h.last().handler, "explainer");
  EXPECT_NE(r[0].text.find(h.ui("explainer.sources").substr(0, 6)), std::string::npos) << r[0].text;
}

TEST(Turn, ExplainerPagesEndWithTheOfficeToAsk) {
  TurnHarness h;
  const auto* e = h.content().snapshot()->explainer("labelling", "vi");
  ASSERT_NE(e, nullptr);
  ASSERT_FALSE(e->pages.empty());
  auto r = h.press("ex:labelling");
  EXPECT_TRUE(has_payload(r[0], "ex:labelling:1"));
  for (std::size_t page = 1; page <= e->pages.size(); ++page) {
    r = h.press("ex:labelling:" + std::to_string(page));
    ASSERT_EQ(r.size(), 1u);
    const bool last = page == e->pages.size();
    EXPECT_EQ(has_payload(r[0], "ex:labelling:" + std::to_string(page + 1)), !last);
    const auto* office = h.content().snapshot()->office(e->contact);
    EXPECT_EQ(r[0].text.find(office->name.vi) != std::string::npos, last) << r[0].text;
  }
  r = h.press("ex:no-such-thing");
  EXPECT_EQ(r[0].text, h.ui("explainer.not_found"));
}

TEST(Turn, EnglishReadersGetTheEnglishVersionWhenThereIsOne) {
  TurnHarness h;
  h.press("lang:en");
  const auto r = h.press("ex:labelling");
  const auto* en = h.content().snapshot()->explainer("labelling", "en");
  ASSERT_NE(en, nullptr);
  ASSERT_EQ(en->lang, "en");
  EXPECT_EQ(r[0].text.rfind(en->title, 0), 0u) << r[0].text;
}

TEST(Turn, ExplainerPastItsReviewDateSaysItIsBeingUpdated) {
  TurnHarness h;
  h.clock().set(testing::kTestNow + 3650LL * 86'400'000);  // ten years on
  const auto r = h.press("ex:labelling");
  EXPECT_EQ(r[0].text.rfind(h.ui("explainer.updating"), 0), 0u);
}

TEST(Turn, KeywordOfAnExplainerAnswersDirectly) {
  TurnHarness h;
  const auto* e = h.content().snapshot()->explainer("barcode", "vi");
  h.say(e->keywords.front());
  EXPECT_EQ(h.last().handler, "explainer");
  EXPECT_EQ(h.last().outcome, "barcode");
}

// --- The flow engine, through the feedback form ---

TEST(FeedbackFlow, RatingCommentConfirmSavesOneRow) {
  TurnHarness h;
  auto r = h.say("góp ý");
  ASSERT_EQ(r.size(), 1u);
  EXPECT_TRUE(has_payload(r[0], "flow:choice:5"));
  EXPECT_TRUE(has_payload(r[0], "flow:cancel"));
  r = h.press("flow:choice:4");
  EXPECT_TRUE(has_payload(r[0], "flow:skip"));
  EXPECT_TRUE(has_payload(r[0], "flow:back"));
  r = h.say("Trả lời nhanh, dễ hiểu");
  EXPECT_NE(r[0].text.find("Trả lời nhanh, dễ hiểu"), std::string::npos);  // the summary to confirm
  EXPECT_NE(r[0].text.find(h.ui("feedback.rating.4")), std::string::npos);
  EXPECT_EQ(h.store().db.execAndGet("SELECT COUNT(*) FROM feedback").getInt(), 0);
  r = h.press("flow:confirm");
  EXPECT_EQ(r[0].text, h.ui("feedback.done"));
  EXPECT_EQ(h.store().db.execAndGet("SELECT rating || '|' || comment FROM feedback").getString(),
            "4|Trả lời nhanh, dễ hiểu");
  EXPECT_FALSE(h.store().conversations.load(h.person().id).in_flow());
}

TEST(FeedbackFlow, TypedRatingAndSkipAreAccepted) {
  TurnHarness h;
  h.press("feedback");
  h.say("5");  // the value itself, not "press the fifth button"
  h.say("bỏ qua");
  h.press("flow:confirm");
  EXPECT_EQ(h.store()
                .db.execAndGet("SELECT rating || '|' || COALESCE(comment, '-') FROM feedback")
                .getString(),
            "5|-");
}

TEST(FeedbackFlow, BackRestartAndCancelWorkAtAnyStep) {
  TurnHarness h;
  h.press("feedback");
  auto r = h.press("flow:back");  // at the first step
  EXPECT_EQ(r[0].text.rfind(h.ui("flow.nothing_before"), 0), 0u);
  h.press("flow:choice:2");
  r = h.say("quay lại");
  EXPECT_TRUE(has_payload(r[0], "flow:choice:1"));  // the rating question again
  h.press("flow:choice:3");
  r = h.say("làm lại");
  EXPECT_TRUE(has_payload(r[0], "flow:choice:1"));
  EXPECT_TRUE(h.store().conversations.load(h.person().id).data.empty());
  r = h.say("hủy");
  EXPECT_EQ(r[0].text, h.ui("feedback.cancelled"));
  EXPECT_FALSE(h.store().conversations.load(h.person().id).in_flow());
  EXPECT_EQ(h.store().db.execAndGet("SELECT COUNT(*) FROM feedback").getInt(), 0);
}

TEST(FeedbackFlow, InvalidAnswersAreExplainedAndAskedAgain) {
  TurnHarness h;
  h.press("feedback");
  auto r = h.say("tuyệt vời");
  EXPECT_EQ(r[0].text.rfind(h.ui("flow.invalid_choice"), 0), 0u);
  EXPECT_EQ(h.last().outcome, "invalid_answer");
  h.press("flow:choice:5");
  r = h.say(std::string(1001, 'a'));
  EXPECT_NE(r[0].text.find("1000"), std::string::npos) << r[0].text;
  EXPECT_EQ(h.store().conversations.load(h.person().id).step, "comment");
}

// Another button is answered and the form waits where it was, saying so; its own buttons
// still work.
TEST(FeedbackFlow, AnotherButtonKeepsTheFormWaiting) {
  TurnHarness h;
  h.press("feedback");
  auto r = h.press("policies");
  EXPECT_EQ(h.last().handler, "policies");
  ASSERT_EQ(r.size(), 2u);
  EXPECT_EQ(r[1].text, h.ui("flow.kept"));
  ASSERT_FALSE(r[1].buttons.empty());
  EXPECT_EQ(r[1].buttons[0].payload, "flow:resume");
  EXPECT_EQ(h.store().conversations.load(h.person().id).step, "rating");
  h.press("flow:choice:5");
  EXPECT_EQ(h.store().conversations.load(h.person().id).step, "comment");
}

TEST(FeedbackFlow, AButtonOfAFormThatIsOverIsStale) {
  TurnHarness h;
  h.press("feedback");
  h.press("flow:cancel");
  auto r = h.press("flow:choice:5");
  EXPECT_EQ(h.last().outcome, "stale_button");
  EXPECT_EQ(r[0].text, h.ui("flow.expired"));
}

TEST(FeedbackFlow, AFormLeftAloneExpiresAndTheJobSaysSo) {
  TurnHarness h;
  h.press("feedback");
  const auto pid = h.person().id;
  auto jobs = h.store().jobs.due(testing::kTestNow + 24 * 3'600'000, 10);
  ASSERT_EQ(jobs.size(), 1u);
  EXPECT_EQ(jobs[0].kind, handlers::FlowExpiryJob::kKind);
  // Before its time the job does nothing.
  EXPECT_FALSE(handlers::run_flow_expiry_job(h.store(), *h.content().snapshot(), pid,
                                             testing::kTestNow + 1000));
  const std::int64_t later = testing::kTestNow + 31 * 60'000;
  EXPECT_TRUE(handlers::run_flow_expiry_job(h.store(), *h.content().snapshot(), pid, later));
  EXPECT_FALSE(h.store().conversations.load(pid).in_flow());
  EXPECT_EQ(h.store().db.execAndGet("SELECT kind FROM outbox ORDER BY id DESC LIMIT 1").getString(),
            "notice");
}

TEST(FeedbackFlow, AnAnswerAfterExpiryIsToldTheFormIsGone) {
  TurnHarness h;
  h.press("feedback");
  h.clock().advance(std::chrono::hours(1));
  const auto r = h.press("flow:choice:5");
  ASSERT_GE(r.size(), 1u);
  EXPECT_EQ(r[0].text, h.ui("flow.expired"));
  EXPECT_EQ(h.store().db.execAndGet("SELECT COUNT(*) FROM feedback").getInt(), 0);
}

TEST(FeedbackFlow, StateSurvivesBetweenTurnsBecauseItIsInTheDatabase) {
  TurnHarness h;
  h.press("feedback");
  h.press("flow:choice:3");
  const auto s = h.store().conversations.load(h.person().id);
  EXPECT_EQ(s.flow, "feedback");
  EXPECT_EQ(s.step, "comment");
  EXPECT_EQ(s.data["rating"], "3");
  EXPECT_GT(s.expires_at, testing::kTestNow);
}

// --- Privacy ---

TEST(Privacy, ShowsWhatIsKeptAndDeletesOnConfirmation) {
  TurnHarness h;
  h.follow();
  h.press("feedback");
  h.press("flow:choice:5");
  h.press("flow:skip");
  h.press("flow:confirm");
  auto r = h.say("dữ liệu của tôi");
  EXPECT_EQ(h.last().handler, "privacy");
  EXPECT_NE(r[0].text.find(h.ui("privacy.channel.web")), std::string::npos);
  EXPECT_TRUE(has_payload(r[0], "privacy:delete"));
  r = h.press("privacy:delete");
  EXPECT_TRUE(has_payload(r[0], "flow:choice:yes"));
  r = h.press("flow:choice:no");
  EXPECT_EQ(r[0].text.rfind(h.ui("privacy.kept"), 0), 0u);
  h.say("xoá dữ liệu của tôi");
  r = h.press("flow:choice:yes");
  EXPECT_EQ(r[0].text, h.ui("privacy.deleted"));
  auto& db = h.store().db;
  const auto pid = h.person().id;
  EXPECT_EQ(db.execAndGet("SELECT COUNT(*) FROM interactions").getInt(), 0);
  EXPECT_EQ(db.execAndGet("SELECT COUNT(*) FROM conversations").getInt(), 0);
  EXPECT_EQ(db.execAndGet("SELECT COUNT(*) FROM feedback WHERE person_id IS NOT NULL").getInt(), 0);
  EXPECT_EQ(db.execAndGet("SELECT COUNT(*) FROM feedback").getInt(), 1);  // kept, anonymous
  // The goodbye is still queued; the forget job removes the person afterwards.
  EXPECT_EQ(db.execAndGet("SELECT COUNT(*) FROM outbox WHERE status = 'pending'").getInt(), 1);
  handlers::run_forget_job(h.store(), {pid, testing::kTestNow});
  EXPECT_EQ(h.store().people.count(), 0);
}

// --- The turn runner's transaction ---

TEST(TurnRunner, ATurnWritesRepliesInboxAndInteractionTogether) {
  TurnHarness h;
  h.say("menu");
  auto& db = h.store().db;
  EXPECT_EQ(db.execAndGet("SELECT status FROM inbox").getString(), "done");
  EXPECT_EQ(db.execAndGet("SELECT COUNT(*) FROM outbox").getInt(), 1);
  EXPECT_EQ(db.execAndGet("SELECT handler FROM interactions").getString(), "menu");
  EXPECT_TRUE(
      db.execAndGet("SELECT text IS NULL FROM interactions").getInt());  // not kept by default
  EXPECT_TRUE(db.execAndGet("SELECT payload IS NULL FROM inbox").getInt());
}

TEST(TurnRunner, MessageTextIsKeptOnlyWithConfigAndConsent) {
  handlers::TurnOptions opts;
  opts.store_message_text = true;
  TurnHarness h({}, opts);
  h.say("menu");
  EXPECT_TRUE(h.store().db.execAndGet("SELECT text IS NULL FROM interactions").getInt());
  h.store().people.set_consent_store_text(h.person().id, true);
  h.say("trợ giúp");
  EXPECT_EQ(
      h.store().db.execAndGet("SELECT text FROM interactions ORDER BY id DESC LIMIT 1").getString(),
      "trợ giúp");
}

TEST(TurnRunner, ARowIsProcessedOnlyOnce) {
  TurnHarness h;
  h.say("menu");
  const auto id = h.last_inbox_id();
  const auto again = h.runner().run(h.store(), id);
  EXPECT_FALSE(again.ran);
  EXPECT_EQ(h.store().db.execAndGet("SELECT COUNT(*) FROM outbox").getInt(), 1);
}

TEST(TurnRunner, ABatchYieldsToWaitingWebhooksAfterItsMinimumAndLeavesTheRestPending) {
  TurnHarness h;
  std::vector<std::int64_t> ids;
  for (int i = 0; i < 6; ++i) {
    InboundEvent e;
    e.kind = EventKind::kMessage;
    e.user_id = "u" + std::to_string(i);
    e.account = "web";
    e.event_id = "batch-" + std::to_string(i);
    e.text = "menu";
    ids.push_back(h.store().inbox.append(e, testing::kTestNow).id);
  }
  int asked = 0;
  auto acks_waiting = [&] {
    ++asked;
    return true;
  };
  // Without a minimum it gives way before the first turn.
  EXPECT_TRUE(h.runner().run_batch(h.store(), ids, acks_waiting, 0).empty());
  EXPECT_EQ(h.store().db.execAndGet("SELECT COUNT(*) FROM inbox WHERE status = 'pending'").getInt(),
            6);
  const auto first = h.runner().run_batch(h.store(), ids, acks_waiting, 2);
  ASSERT_EQ(first.size(), 2u);  // the guaranteed share, then it gives way
  EXPECT_TRUE(first[0].ran && first[1].ran);
  EXPECT_GE(asked, 1);
  auto& db = h.store().db;
  EXPECT_EQ(db.execAndGet("SELECT COUNT(*) FROM inbox WHERE status = 'done'").getInt(), 2);
  EXPECT_EQ(db.execAndGet("SELECT COUNT(*) FROM inbox WHERE status = 'pending'").getInt(), 4);
  // Nobody waiting: the rest run in one batch, each once.
  const auto rest = h.runner().run_batch(
      h.store(), std::vector<std::int64_t>(ids.begin() + 2, ids.end()), [] { return false; }, 1);
  EXPECT_EQ(rest.size(), 4u);
  EXPECT_EQ(db.execAndGet("SELECT COUNT(*) FROM inbox WHERE status = 'done'").getInt(), 6);
  EXPECT_EQ(db.execAndGet("SELECT COUNT(DISTINCT inbox_id) FROM outbox").getInt(), 6);
}

TEST(TurnRunner, AnEventThatKeepsCrashingIsGivenUpWithAnApology) {
  TurnHarness h;
  InboundEvent e;
  e.kind = EventKind::kMessage;
  e.user_id = "u1";
  e.account = "web";
  e.event_id = "poison";
  e.text = "menu";
  const auto id = h.store().inbox.append(e, testing::kTestNow).id;
  // Three earlier attempts "crashed the process" before committing.
  for (int i = 0; i < router::TurnRunner::kMaxAttempts; ++i) h.store().inbox.bump_attempts(id);
  const auto r = h.runner().run(h.store(), id);
  EXPECT_FALSE(r.ran);
  auto& db = h.store().db;
  EXPECT_EQ(db.execAndGet("SELECT status FROM inbox").getString(), "failed");
  EXPECT_NE(db.execAndGet("SELECT error FROM inbox").getString().find("gave up"),
            std::string::npos);
  const auto apology = outbound_from_json(db.execAndGet("SELECT body FROM outbox").getString());
  EXPECT_EQ(apology->text, h.ui("error.apology"));
}

// A turn that fails halfway inside a batch is undone to its savepoint — its reply and records
// gone, an apology in their place — while the turns before and after it are kept.
TEST(TurnRunner, ATurnThatFailsHalfwayIsUndoneAndTheRestOfItsBatchIsKept) {
  TurnHarness h;
  std::vector<std::int64_t> ids;
  for (const char* user : {"u1", "u2", "u3"}) {
    InboundEvent e;
    e.kind = EventKind::kMessage;
    e.user_id = user;
    e.account = "web";
    e.event_id = std::string("m-") + user;
    e.text = "menu";
    ids.push_back(h.store().inbox.append(e, testing::kTestNow).id);
  }
  auto& db = h.store().db;
  // The second turn fails when it records its interaction, after writing its reply.
  db.exec("CREATE TEMP TRIGGER fail_second BEFORE INSERT ON interactions WHEN NEW.inbox_id = " +
          std::to_string(ids[1]) + " BEGIN SELECT RAISE(ABORT, 'disk on fire'); END");
  for (int round = 0; round < 2; ++round) {  // a second batch finds nothing left to do
    const auto results = h.runner().run_batch(h.store(), ids, {}, 0);
    ASSERT_EQ(results.size(), 3u);
    if (round == 1) {
      for (const auto& r : results) EXPECT_FALSE(r.ran);  // nothing pending any more
      break;
    }
    EXPECT_TRUE(results[0].ran);
    EXPECT_FALSE(results[1].ran);
    EXPECT_TRUE(results[2].ran);
  }
  EXPECT_EQ(db.execAndGet("SELECT group_concat(status, ' ') FROM (SELECT status FROM inbox "
                          "ORDER BY id)")
                .getString(),
            "done failed done");
  EXPECT_EQ(db.execAndGet("SELECT COUNT(*) FROM interactions").getInt(), 2);
  const std::string failed = std::to_string(ids[1]);
  EXPECT_EQ(db.execAndGet("SELECT COUNT(*) FROM outbox WHERE inbox_id = " + failed).getInt(), 1);
  const auto only = outbound_from_json(
      db.execAndGet("SELECT body FROM outbox WHERE inbox_id = " + failed).getString());
  EXPECT_EQ(only->text, h.ui("error.apology"));  // the menu it wrote first was undone
  for (std::int64_t kept : {ids[0], ids[2]}) {
    const auto reply = outbound_from_json(
        db.execAndGet("SELECT body FROM outbox WHERE inbox_id = " + std::to_string(kept))
            .getString());
    EXPECT_NE(reply->text, h.ui("error.apology"));
    EXPECT_FALSE(reply->buttons.empty());  // the menu
  }
}

TEST(TurnRunner, UnreadableStoredEventIsMarkedFailed) {
  TurnHarness h;
  h.store().db.exec(
      "INSERT INTO inbox (channel, account, platform_user_id, platform_event_id, kind, payload, "
      "received_at) "
      "VALUES ('web', 'web', 'u', 'x', 'message', 'not json', 1)");
  const auto r = h.runner().run(h.store(), h.store().db.getLastInsertRowid());
  EXPECT_FALSE(r.ran);
  EXPECT_EQ(h.store().db.execAndGet("SELECT status FROM inbox").getString(), "failed");
}

TEST(TurnRunner, AttachmentsWithoutTextGetAPoliteNote) {
  TurnHarness h;
  InboundEvent e;
  e.kind = EventKind::kMessage;
  e.user_id = "u1";
  e.attachment = "image";
  const auto r = h.run(e);
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0].text, h.ui("unsupported.attachment"));
}

TEST(TurnRunner, UnfollowIsRecordedButNotAnswered) {
  TurnHarness h;
  InboundEvent e;
  e.kind = EventKind::kUnfollow;
  e.user_id = "u1";
  EXPECT_TRUE(h.run(e).empty());
  EXPECT_EQ(h.store().db.execAndGet("SELECT handler FROM interactions").getString(), "ignored");
}

}  // namespace
}  // namespace outreach
