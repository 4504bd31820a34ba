// The real App on a free port, driven over HTTP like the web page drives it; assertions on the
// HTTP answers and on the SQLite rows.
#include <fstream>
#include <thread>

#include <gtest/gtest.h>

#include "storage/store.hpp"
#include "tests/support/test_app.hpp"
#include "tests/support/turn_harness.hpp"
#include "tests/support/web_visitor.hpp"

namespace outreach {
namespace {
using namespace std::chrono_literals;
using testing::buttons_of;
using testing::HttpResult;
using testing::payloads_of;
using testing::TestApp;
using testing::text_of;
using testing::WebVisitor;

std::string visitor(int i) {
  return "visitor-e2e-" + std::to_string(1000000 + i);
}

TEST(WebChatE2E, ServesThePageAndItsAssets) {
  TestApp t;
  auto r = testing::http_request(t.port(), "GET", "/");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.headers["content-type"], "text/html; charset=utf-8");
  EXPECT_NE(r.body.find("/static/chat.js"), std::string::npos);
  EXPECT_NE(r.headers["content-security-policy"].find("script-src 'self'"), std::string::npos);
  r = testing::http_request(t.port(), "GET", "/static/chat.js");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.headers["content-type"], "text/javascript; charset=utf-8");
  EXPECT_EQ(testing::http_request(t.port(), "GET", "/static/nope.js").status, 404);
  EXPECT_EQ(testing::http_request(t.port(), "GET", "/static/../../etc/passwd").status, 404);
  r = testing::http_request(t.port(), "GET", "/chat/ui?lang=en");
  EXPECT_EQ(r.status, 200);
  const auto ui = nlohmann::json::parse(r.body);
  EXPECT_EQ(ui["strings"]["send"], "Send");
  EXPECT_FALSE(ui["menu"].empty());
}

TEST(WebChatE2E, HealthReadinessAndErrors) {
  TestApp t;
  EXPECT_EQ(testing::http_request(t.port(), "GET", "/healthz").body, "ok\n");
  const auto ready = testing::http_request(t.port(), "GET", "/readyz");
  EXPECT_EQ(ready.status, 200);
  EXPECT_EQ(nlohmann::json::parse(ready.body)["ready"], true);
  EXPECT_EQ(testing::http_request(t.port(), "GET", "/nothing-here").status, 404);
  const auto wrong = testing::http_request(t.port(), "GET", "/chat/send");
  EXPECT_EQ(wrong.status, 405);
  EXPECT_EQ(wrong.headers.at("allow"), "POST");
}

TEST(WebChatE2E, AConversationFromGreetingToSavedFeedback) {
  TestApp t;
  WebVisitor v(t.port(), visitor(1));
  ASSERT_EQ(v.start().status, 202);
  auto m = v.receive(1);
  ASSERT_EQ(m.size(), 1u);
  EXPECT_NE(text_of(m[0]).find("Xin chào"), std::string::npos);
  const auto menu = payloads_of(m[0]);
  EXPECT_NE(std::find(menu.begin(), menu.end(), "feedback"), menu.end());

  ASSERT_EQ(v.press("feedback").status, 202);
  m = v.receive(1);
  ASSERT_EQ(m.size(), 1u);
  ASSERT_EQ(v.text("4").status, 202);  // typed, not pressed
  m = v.receive(1);
  ASSERT_EQ(v.text("Dễ dùng trên điện thoại").status, 202);
  m = v.receive(1);
  EXPECT_NE(text_of(m[0]).find("Dễ dùng trên điện thoại"), std::string::npos);
  ASSERT_EQ(v.press("flow:confirm").status, 202);
  m = v.receive(1);
  ASSERT_EQ(m.size(), 1u);
  EXPECT_NE(text_of(m[0]).find("Cảm ơn"), std::string::npos);

  EXPECT_EQ(
      t.count(
          "SELECT COUNT(*) FROM feedback WHERE rating = 4 AND comment = 'Dễ dùng trên điện thoại'"),
      1);
  EXPECT_EQ(t.count("SELECT COUNT(*) FROM inbox WHERE status = 'done'"), 5);
  EXPECT_EQ(t.count("SELECT COUNT(*) FROM inbox WHERE payload IS NOT NULL"), 0);  // text not kept
  EXPECT_EQ(t.count("SELECT COUNT(*) FROM outbox WHERE status = 'sent'"), 5);
  EXPECT_EQ(t.count("SELECT COUNT(*) FROM people WHERE channel = 'web'"), 1);
  EXPECT_EQ(t.count("SELECT COUNT(*) FROM interactions WHERE text IS NOT NULL"), 0);

  const std::string metrics = testing::http_request(t.port(), "GET", "/metrics").body;
  EXPECT_NE(metrics.find("outreach_turns_total{handler=\"flow.feedback\",outcome=\"ok\"} 3"),
            std::string::npos)
      << metrics;
  EXPECT_NE(metrics.find("outreach_turn_duration_seconds_count 5"), std::string::npos);
  EXPECT_NE(metrics.find("outreach_send_total{channel=\"web\",outcome=\"sent\"} 5"),
            std::string::npos);
  EXPECT_NE(metrics.find("outreach_http_requests_total{route=\"chat_send\",status=\"202\"} 5"),
            std::string::npos);
  EXPECT_NE(metrics.find("outreach_inbox_depth 0"), std::string::npos);
}

// Replies running late show in /metrics as the age of the oldest event still waiting for its
// turn, measured when scraped; 0 once everything is answered.
TEST(WebChatE2E, MetricsSayHowLongTheOldestWaitingEventHasWaited) {
  FakeClock clock(testing::kTestNow);
  TestApp t({}, &clock);
  {
    auto db = t.open_db();  // accepted 90 s ago and not run yet (nothing has kicked the turns)
    storage::Store store(db);
    InboundEvent late;
    late.account = "web";
    late.user_id = visitor(5);
    late.event_id = "late-1";
    late.text = "menu";
    store.inbox.append(late, clock.now_ms() - 90'000);
  }
  auto oldest_wait = [&] {
    const std::string body = testing::http_request(t.port(), "GET", "/metrics").body;
    const std::string key = "\noutreach_inbox_oldest_wait_seconds ";
    const auto at = body.find(key);
    return at == std::string::npos ? -1.0 : std::stod(body.substr(at + key.size()));
  };
  EXPECT_EQ(oldest_wait(), 90.0);
  clock.advance(std::chrono::seconds(30));
  EXPECT_EQ(oldest_wait(), 120.0);
  WebVisitor v(t.port(), visitor(6));
  v.text("menu");  // its commit starts the turns: both events are answered
  EXPECT_EQ(v.receive(1).size(), 1u);
  for (int i = 0; i < 500 && t.count("SELECT COUNT(*) FROM inbox WHERE status = 'pending'") > 0;
       ++i)
    std::this_thread::sleep_for(10ms);
  EXPECT_EQ(oldest_wait(), 0.0);
}

TEST(WebChatE2E, SwitchingLanguageChangesTheReplies) {
  TestApp t;
  WebVisitor v(t.port(), visitor(2));
  v.start();
  v.receive(1);
  v.press("lang:toggle");
  auto m = v.receive(1);
  ASSERT_EQ(m.size(), 1u);
  EXPECT_EQ(text_of(m[0]), "Switched to English.");
  v.text("help");
  m = v.receive(1);
  EXPECT_EQ(text_of(m[0]).rfind("I can:", 0), 0u);
  EXPECT_EQ(t.count("SELECT COUNT(*) FROM people WHERE language = 'en'"), 1);
}

TEST(WebChatE2E, ARetriedMessageIsAnsweredOnce) {
  TestApp t;
  WebVisitor v(t.port(), visitor(3));
  EXPECT_EQ(v.text("menu", "same-id").status, 202);
  const auto again = v.text("menu", "same-id");
  EXPECT_EQ(again.status, 202);
  EXPECT_EQ(nlohmann::json::parse(again.body)["duplicate"], true);
  ASSERT_EQ(v.receive(1).size(), 1u);
  EXPECT_TRUE(v.peek().empty());
  EXPECT_EQ(t.count("SELECT COUNT(*) FROM inbox"), 1);
  EXPECT_EQ(t.count("SELECT COUNT(*) FROM outbox"), 1);
}

TEST(WebChatE2E, BadRequestsAreRefusedAndNothingIsStored) {
  TestApp t([](app::Config& c) { c.http.body_limit = 4096; });
  const auto port = t.port();
  auto r = testing::http_request(port, "POST", "/chat/send", "{not json");
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(nlohmann::json::parse(r.body)["error"], "malformed");
  r = testing::http_request(port, "POST", "/chat/send", R"({"visitor":"x","id":"1","text":"hi"})");
  EXPECT_EQ(r.status, 400);
  r = testing::http_request(
      port, "POST", "/chat/send",
      R"({"visitor":")" + visitor(4) + R"(","id":"1","text":")" + std::string(2100, 'a') + R"("})");
  EXPECT_EQ(r.status, 413);
  EXPECT_EQ(nlohmann::json::parse(r.body)["error"], "too_long");
  r = testing::http_request(port, "POST", "/chat/send", std::string(5000, ' '));
  EXPECT_EQ(r.status, 413);
  r = testing::http_request(port, "GET", "/chat/poll?visitor=../../x");
  EXPECT_EQ(r.status, 400);
  r = testing::http_request(port, "GET", "/chat/poll?visitor=" + visitor(4) + "&after=-3");
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(t.count("SELECT COUNT(*) FROM inbox"), 0);
  EXPECT_EQ(t.count("SELECT COUNT(*) FROM people"), 0);
}

TEST(WebChatE2E, AVisitorSendingTooFastIsSlowedDown) {
  TestApp t;
  WebVisitor v(t.port(), visitor(5));
  int limited = 0;
  for (int i = 0; i < 30; ++i) limited += v.text("menu").status == 429 ? 1 : 0;
  EXPECT_GT(limited, 0);
  EXPECT_LT(t.count("SELECT COUNT(*) FROM inbox"), 30);
}

TEST(WebChatE2E, APollWaitsForTheReplyInsteadOfSpinning) {
  TestApp t;
  WebVisitor v(t.port(), visitor(6));
  std::thread later([&] {
    std::this_thread::sleep_for(300ms);
    WebVisitor same(t.port(), visitor(6));
    same.text("menu");
  });
  const auto t0 = std::chrono::steady_clock::now();
  const auto m = v.receive(1, 5s);
  later.join();
  ASSERT_EQ(m.size(), 1u);
  EXPECT_GE(std::chrono::steady_clock::now() - t0, 250ms);
  EXPECT_LE(t.count("SELECT 1"), 1);
  // One long poll, not a busy loop.
  const std::string metrics = testing::http_request(t.port(), "GET", "/metrics").body;
  EXPECT_NE(metrics.find("outreach_http_requests_total{route=\"chat_poll\",status=\"200\"} 1"),
            std::string::npos)
      << metrics;
}

TEST(WebChatE2E, HundredConcurrentVisitorsAllGetTheirAnswersInOrder) {
  TestApp t([](app::Config& c) { c.webchat.poll_timeout = 5s; });
  constexpr int kVisitors = 100;
  constexpr int kMessages = 4;
  const std::vector<std::string> script = {"menu", "trợ giúp", "English", "help"};
  std::vector<std::thread> threads;
  std::atomic<int> ok{0};
  for (int i = 0; i < kVisitors; ++i) {
    threads.emplace_back([&, i] {
      WebVisitor v(t.port(), visitor(100 + i));
      std::vector<std::string> got;
      for (int k = 0; k < kMessages; ++k) {
        if (v.text(script[static_cast<std::size_t>(k)]).status != 202)
          return;
        for (const auto& m : v.receive(1, 20s)) got.push_back(text_of(m));
      }
      // Replies in the order asked: menu, help (vi), language switched, help (en).
      if (got.size() == kMessages && got[2] == "Switched to English." &&
          got[3].rfind("I can:", 0) == 0 && got[1].rfind("Mình có thể:", 0) == 0)
        ++ok;
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(ok.load(), kVisitors);
  EXPECT_EQ(t.count("SELECT COUNT(*) FROM inbox WHERE status = 'done'"), kVisitors * kMessages);
  EXPECT_EQ(t.count("SELECT COUNT(*) FROM outbox WHERE status = 'sent'"), kVisitors * kMessages);
}

TEST(WebChatE2E, GracefulStopAnswersEverythingAlreadyAccepted) {
  TestApp t;
  constexpr int kVisitors = 20;
  for (int i = 0; i < kVisitors; ++i) {
    WebVisitor v(t.port(), visitor(300 + i));
    ASSERT_EQ(v.text("menu").status, 202);
  }
  t.stop();
  EXPECT_EQ(t.count("SELECT COUNT(*) FROM inbox WHERE status = 'done'"), kVisitors);
  EXPECT_EQ(t.count("SELECT COUNT(*) FROM outbox WHERE status = 'sent'"), kVisitors);
  EXPECT_EQ(testing::http_request(t.port(), "GET", "/healthz", {}, {}, 500ms).status, 0);
}

TEST(WebChatE2E, ContentReloadKeepsServingAndRefusesABrokenEdit) {
  testing::TempDir content_dir;
  const std::string dir = testing::copy_content(content_dir);
  TestApp t([&](app::Config& c) { c.content_dir = dir; });
  {
    std::ofstream f(dir + "/ui/vi.yaml", std::ios::app);
    f << "broken: [\n";
  }
  const auto refused = t.app().reload_content();
  EXPECT_FALSE(refused.ok());
  WebVisitor v(t.port(), visitor(7));
  v.text("menu");
  ASSERT_EQ(v.receive(1).size(), 1u);  // still answering with the old content
}

}  // namespace
}  // namespace outreach

namespace outreach {
namespace {

TEST(WebChatE2E, AQuestionTypedWithoutDiacriticsIsReadAndAnswered) {
  TestApp t;
  WebVisitor v(t.port(), "visitor-e2e-understanding-1");
  ASSERT_EQ(v.text("dk nhan hieu cho quan an").status, 202);
  const auto m = v.receive(2);
  ASSERT_EQ(m.size(), 2u);
  EXPECT_EQ(text_of(m[0]), "Mình hiểu câu hỏi là: “đăng ký nhãn hiệu cho quán ăn”");
  EXPECT_NE(text_of(m[1]).find("nhãn hiệu"), std::string::npos);
  EXPECT_NE(text_of(m[1]).find("Căn cứ:"), std::string::npos);
  EXPECT_EQ(t.count("SELECT COUNT(*) FROM interactions WHERE handler = 'explainer' AND outcome = "
                    "'ip-trademark'"),
            1);
}

}  // namespace
}  // namespace outreach
