// Subscriptions in the chat (issue 19): "nhận tin" in one message or through the form, the
// consent kept with its wording, "STOP" in the forms people type it, "Dữ liệu của tôi". The real
// turn pipeline on real SQLite with the shipped content.
#include "handlers/subscription.hpp"

#include <algorithm>

#include <gtest/gtest.h>

#include "bot/router/understanding.hpp"
#include "content/store.hpp"
#include "tests/support/turn_harness.hpp"

namespace outreach {
namespace {

using testing::TurnHarness;

bool has_payload(const OutboundMessage& m, const std::string& p) {
  return std::any_of(m.buttons.begin(), m.buttons.end(),
                     [&](const Button& b) { return b.payload == p; });
}

std::optional<storage::Subscription> subscription(TurnHarness& h, const std::string& user = "u1") {
  return h.store().subscriptions.get(h.person(user).id);
}

TEST(Subscription, AMessageNamingATopicSubscribesAtOnceAndKeepsTheConsentWording) {
  TurnHarness h;
  const auto r = h.say("nhận tin về sở hữu trí tuệ");
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(h.last().handler, "subscribe");
  const auto s = subscription(h);
  ASSERT_TRUE(s);
  EXPECT_EQ(s->topics, std::vector<std::string>{"ip"});
  EXPECT_EQ(s->ward, "");
  EXPECT_EQ(s->source, "message");
  EXPECT_EQ(s->consent_at, testing::kTestNow);
  // The wording the person was shown, kept once under its version.
  const std::string consent = h.ui("subscribe.consent");
  EXPECT_NE(r[0].text.find(consent), std::string::npos);
  EXPECT_EQ(s->consent_version, handlers::consent_version("vi", consent));
  EXPECT_EQ(h.store().subscriptions.wording(s->consent_version), consent);
  // How to stop, and the rest of the details if they want to add them.
  EXPECT_TRUE(has_payload(r[0], "unsubscribe"));
  EXPECT_TRUE(has_payload(r[0], "subscribe:more"));
}

TEST(Subscription, TheFormAsksTopicsWardAndAudienceThenShowsTheConsentToConfirm) {
  TurnHarness h;
  auto r = h.say("đăng ký nhận thông báo");
  ASSERT_FALSE(r.empty());
  EXPECT_TRUE(has_payload(r.back(), "flow:choice:all"));
  EXPECT_TRUE(has_payload(r.back(), "flow:choice:energy"));
  EXPECT_FALSE(has_payload(r.back(), "flow:choice:service"));  // news: false
  r = h.press("flow:choice:energy");
  EXPECT_NE(r.back().text.find(h.ui("subscribe.ask_ward")), std::string::npos);
  r = h.say("an hội tây");
  EXPECT_NE(r.back().text.find(h.ui("subscribe.ask_audience")), std::string::npos);
  r = h.press("flow:skip");
  EXPECT_NE(r.back().text.find(h.ui("subscribe.consent")), std::string::npos);
  EXPECT_NE(r.back().text.find("Tiết kiệm điện"), std::string::npos);
  EXPECT_FALSE(subscription(h)) << "nothing is kept before the person confirms";
  h.press("flow:confirm");
  const auto s = subscription(h);
  ASSERT_TRUE(s);
  EXPECT_EQ(s->topics, std::vector<std::string>{"energy"});
  EXPECT_EQ(s->ward, "an-hoi-tay");
  EXPECT_EQ(s->audience, "");
  EXPECT_EQ(s->source, "form");
}

TEST(Subscription, SeveralTopicsTypedAtTheStepAndAllTopics) {
  TurnHarness h;
  h.say("nhận tin");
  h.say("sở hữu trí tuệ và tiết kiệm điện");
  h.press("flow:skip");
  h.press("flow:skip");
  h.press("flow:confirm");
  ASSERT_TRUE(subscription(h));
  EXPECT_EQ(subscription(h)->topics, (std::vector<std::string>{"ip", "energy"}));

  h.say("nhận tin", "u2");
  h.press("flow:choice:all", "u2");
  h.press("flow:skip", "u2");
  h.press("flow:skip", "u2");
  h.press("flow:confirm", "u2");
  ASSERT_TRUE(subscription(h, "u2"));
  EXPECT_TRUE(subscription(h, "u2")->topics.empty()) << "empty = every topic";
}

TEST(Subscription, StopInTheFormsPeopleTypeItEndsTheSubscription) {
  // One content load for the eight conversations (each has its own database): under
  // ThreadSanitizer a load of its own each took most of a unit test's minute.
  testing::SharedContent content(std::string(OUTREACH_SOURCE_DIR) + "/content");
  for (const std::string stop : {"STOP", "stop", "hủy", "huy nhan tin", "đừng gửi nữa",
                                 "unsubscribe", "Dừng nhận tin", "không muốn nhận tin nữa"}) {
    TurnHarness h(content);
    h.say("nhận tin về tiết kiệm điện");
    ASSERT_TRUE(subscription(h)) << stop;
    const auto r = h.say(stop);
    EXPECT_EQ(h.last().handler, "unsubscribe") << stop;
    EXPECT_FALSE(subscription(h)) << stop;
    ASSERT_EQ(r.size(), 1u);
    EXPECT_EQ(r[0].text, h.ui("unsubscribe.done")) << stop;
  }
  TurnHarness h;
  h.say("STOP");
  EXPECT_EQ(h.last().handler, "unsubscribe");
  EXPECT_EQ(h.last().outcome, "not_subscribed");
}

TEST(Subscription, CancelInsideAFormLeavesTheFormAndKeepsTheSubscription) {
  TurnHarness h;
  h.say("nhận tin về chuyển đổi số");
  h.press("feedback");
  h.say("hủy");
  EXPECT_EQ(h.last().handler, "flow.feedback");
  EXPECT_EQ(h.last().outcome, "cancelled");
  EXPECT_TRUE(subscription(h));
}

TEST(Subscription, AQuestionAboutTheServiceIsAnsweredAndNothingIsRecorded) {
  TurnHarness h;
  const auto r = h.say("đăng ký nhận tin có mất phí không");
  EXPECT_EQ(h.last().handler, "subscribe");
  EXPECT_EQ(h.last().outcome, "about");
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0].text, h.ui("subscribe.about"));
  EXPECT_FALSE(subscription(h));
}

TEST(Subscription, MyDataShowsItAndDeletingMyDataRemovesIt) {
  TurnHarness h;
  h.say("nhận tin về kiểm định cân");
  ASSERT_TRUE(subscription(h));
  EXPECT_EQ(subscription(h)->topics, std::vector<std::string>{"quality"});
  auto r = h.press("privacy:show");
  EXPECT_NE(r[0].text.find("Tiêu chuẩn, đo lường, chất lượng"), std::string::npos) << r[0].text;
  h.press("privacy:delete");
  h.press("flow:choice:yes");
  EXPECT_FALSE(subscription(h));
}

TEST(Subscription, ReadsTopicsWardAndAudienceOutOfOneMessage) {
  SystemClock clock;
  content::ContentStore store(std::string(OUTREACH_SOURCE_DIR) + "/content", clock);
  ASSERT_TRUE(store.reload().ok());
  const auto snap = store.snapshot();
  const router::Understanding u(*snap);
  auto read = [&](const std::string& text) {
    return handlers::read_subscription(
        text, *snap, [&](std::string_view t) { return u.read(t).folded; },
        [&](std::string_view t) { return u.explainers_for(t); });
  };
  auto r = read("hộ kinh doanh ở phường An Nhơn, đăng ký nhận tin về chuyển đổi số");
  EXPECT_EQ(r.topics, std::vector<std::string>{"digital"});
  EXPECT_EQ(r.ward, "an-nhon");
  EXPECT_EQ(r.audience, "household");
  r = read("cty em o thong tay hoi muon nhan tin tiet kiem dien");
  EXPECT_EQ(r.topics, std::vector<std::string>{"energy"});
  EXPECT_EQ(r.ward, "thong-tay-hoi");
  EXPECT_EQ(r.audience, "company");
  r = read("subscribe me to news about trademarks and saving electricity");
  EXPECT_EQ(r.topics, (std::vector<std::string>{"ip", "energy"}));
  r = read("nhận tin tất cả chủ đề");
  EXPECT_TRUE(r.topics.empty());
  EXPECT_TRUE(r.all_topics);
  r = read("đăng ký nhận tin");  // nothing but the request
  EXPECT_TRUE(r.topics.empty());
  EXPECT_FALSE(r.all_topics);
  EXPECT_EQ(r.ward, "");
  EXPECT_EQ(r.audience, "");
  EXPECT_FALSE(r.asks_about);
  EXPECT_TRUE(read("nhận tin có mất phí không").asks_about);
  EXPECT_FALSE(read("cho mình nhận tin được không").asks_about) << "a polite request";
  // Asking why or who is never a request, whatever topic it names.
  r = read("tại sao phường lại gửi thông báo kiểm tra nhãn hàng hóa cho cửa hàng tôi?");
  EXPECT_TRUE(r.asks_about);
  EXPECT_TRUE(r.topics.empty());
  // Who the person is may share its words with a topic.
  r = read("startup bên mình muốn nhận tin về chính sách hỗ trợ khởi nghiệp");
  EXPECT_EQ(r.topics, std::vector<std::string>{"business"});
  EXPECT_EQ(r.audience, "startup");
}

TEST(Subscription, ANewTopicInOneMessageAddsToThoseChosenBefore) {
  TurnHarness h;
  h.say("nhận tin về tiết kiệm điện");
  h.say("cho mình nhận thêm tin về sở hữu trí tuệ");
  ASSERT_TRUE(subscription(h));
  EXPECT_EQ(subscription(h)->topics, (std::vector<std::string>{"ip", "energy"}));
  h.say("nhận tin tất cả chủ đề");
  EXPECT_TRUE(subscription(h)->topics.empty()) << "all topics";
  h.say("nhận tin về chuyển đổi số");
  EXPECT_TRUE(subscription(h)->topics.empty()) << "all topics stay all";
}

TEST(Subscription, ComplaintsAndOtherAppsNotificationsAreNotRequests) {
  TurnHarness h;
  h.say("nhận tin về tiết kiệm điện");
  h.say("làm sao tắt thông báo của app VNeID, nó kêu hoài");
  EXPECT_NE(h.last().handler, "unsubscribe");
  EXPECT_TRUE(subscription(h)) << "another app's notifications are not ours";
  h.say("nếu tôi hủy nhận tin thì sau này đăng ký lại được không");
  EXPECT_EQ(h.last().outcome, "about");
  EXPECT_TRUE(subscription(h));
  TurnHarness other;
  other.say("Tôi nhận tin nhắn mạo danh UBND phường đòi chuyển tiền, báo ở đâu?");
  EXPECT_NE(other.last().handler, "subscribe");
  EXPECT_FALSE(subscription(other));
}

}  // namespace
}  // namespace outreach
