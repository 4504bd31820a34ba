// Zalo OA and Messenger end to end: the real App on a free port with two OAs and two pages,
// signed webhooks in over HTTP, replies out to the mock platform (a real HTTP server on
// loopback), and the SQLite rows checked with a separate connection.
#include <fstream>
#include <thread>

#include <gtest/gtest.h>
#include <stdlib.h>

#include "bot/core/clock.hpp"
#include "bot/core/local_time.hpp"
#include "tests/support/http_client.hpp"
#include "tests/support/temp_dir.hpp"
#include "tests/support/test_app.hpp"
#include "tests/support/turn_harness.hpp"
#include "tools/mock_platform/mock_platform.hpp"
#include "tools/mock_platform/webhooks.hpp"

namespace outreach {
namespace {
using namespace std::chrono_literals;
using Json = nlohmann::json;
using testing::HttpResult;
using testing::TestApp;

// Two wards on each platform.
constexpr const char* kOa1 = "1111111111111111111";
constexpr const char* kOa2 = "1111111111111111112";
constexpr const char* kApp = "2222222222222222222";
constexpr const char* kOaSecret1 = "oa-secret-one";
constexpr const char* kOaSecret2 = "oa-secret-two";
constexpr const char* kPage1 = "333333333333331";
constexpr const char* kPage2 = "333333333333332";
constexpr const char* kFbSecret = "fb-app-secret";

std::int64_t now_ms() {
  return SystemClock().now_ms();
}

std::string explainer_title(const std::string& id) {
  std::ifstream in(testing::source_content_dir() + "/explainers/" + id + ".md");
  std::string line;
  while (std::getline(in, line))
    if (line.starts_with("title: "))
      return line.substr(7);
  return "?";
}

class PlatformsE2E : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    const std::map<std::string, std::string> env = {
        {"OUTREACH_ZALO_WARD_ONE_OA_SECRET", kOaSecret1},
        {"OUTREACH_ZALO_WARD_ONE_APP_SECRET", "app-secret"},
        {"OUTREACH_ZALO_WARD_TWO_OA_SECRET", kOaSecret2},
        {"OUTREACH_ZALO_WARD_TWO_APP_SECRET", "app-secret"},
        {"OUTREACH_MESSENGER_WARD_ONE_APP_SECRET", kFbSecret},
        {"OUTREACH_MESSENGER_WARD_ONE_PAGE_TOKEN", "page-token-1"},
        {"OUTREACH_MESSENGER_WARD_ONE_VERIFY_TOKEN", "verify-1"},
        {"OUTREACH_MESSENGER_WARD_TWO_APP_SECRET", kFbSecret},
        {"OUTREACH_MESSENGER_WARD_TWO_PAGE_TOKEN", "page-token-2"},
        {"OUTREACH_MESSENGER_WARD_TWO_VERIFY_TOKEN", "verify-2"},
        {"OUTREACH_ZALO_WARD_ONE_REFRESH_TOKEN", "refresh-1"},
        {"OUTREACH_ZALO_WARD_ONE_ACCESS_TOKEN", "access-1"},
        {"OUTREACH_ZALO_WARD_TWO_REFRESH_TOKEN", "refresh-2"},
        {"OUTREACH_ZALO_WARD_TWO_ACCESS_TOKEN", "access-2"},
    };
    for (const auto& [k, v] : env)
      setenv(k.c_str(), v.c_str(), 1);  // NOLINT(concurrency-mt-unsafe): before threads
  }

  PlatformsE2E() {
    // Ward one has a ZBS template (one parameter) and a Messenger utility template.
    mock.add_zalo_oa({kOa1, kApp, "app-secret", "access-1", "refresh-1", {{"240001", {"title"}}}});
    mock.add_zalo_oa({kOa2, kApp, "app-secret", "access-2", "refresh-2"});
    mock.add_page({kPage1, "page-token-1", {{"ward_update", 1}}});
    mock.add_page({kPage2, "page-token-2"});
    mock_port = mock.start();
  }

  void start(std::function<void(app::Config&)> extra = {}, const Clock* app_clock = nullptr) {
    app = std::make_unique<TestApp>(
        [&](app::Config& c) {
          c.zalo.api_base_url = mock.base_url();
          c.zalo.oauth_base_url = mock.base_url();
          c.zalo.accounts = {{"ward-one", kOa1, kApp, "Phường Một"},
                             {"ward-two", kOa2, kApp, "Phường Hai"}};
          c.messenger.api_base_url = mock.base_url() + "/v25.0";
          c.messenger.accounts = {{"ward-one", kPage1, "Phường Một"},
                                  {"ward-two", kPage2, "Phường Hai"}};
          if (extra)
            extra(c);
        },
        app_clock);
  }

  ~PlatformsE2E() override {
    if (app)
      app->stop();
    mock.stop();
  }

  HttpResult post(const std::string& path, const mock::SignedRequest& r) {
    std::map<std::string, std::string> headers(r.headers.begin(), r.headers.end());
    return testing::http_request(app->port(), "POST", path, r.body, headers);
  }

  HttpResult zalo_text(const std::string& user,
                       const std::string& text,
                       const std::string& msg_id,
                       const char* oa = kOa1) {
    return post("/webhooks/zalo", zalo_request(mock::zalo_user_text(oa, user, text, msg_id), oa));
  }

  static mock::SignedRequest zalo_request(Json event, const char* oa = kOa1) {
    return mock::zalo_signed(std::move(event), kApp, oa == kOa1 ? kOaSecret1 : kOaSecret2,
                             now_ms());
  }

  HttpResult messenger(std::vector<Json> items, const char* page = kPage1) {
    return post(
        "/webhooks/messenger",
        mock::messenger_signed(mock::messenger_batch(page, std::move(items), now_ms()), kFbSecret));
  }

  static Json fb_text(const std::string& psid,
                      const std::string& text,
                      const std::string& mid,
                      const char* page = kPage1) {
    return mock::messenger_text(page, psid, text, mid, now_ms());
  }

  static Json fb_payload(const std::string& psid,
                         const std::string& payload,
                         const std::string& mid) {
    Json j = mock::messenger_text(kPage1, psid, "…", mid, now_ms());
    j["message"]["quick_reply"] = {{"payload", payload}};
    return j;
  }

  std::vector<mock::Call> sends_to(const std::string& user, mock::Platform p) {
    std::vector<mock::Call> out;
    for (auto& c : mock.calls(p))
      if (c.user_id == user)
        out.push_back(c);
    return out;
  }

  bool wait_sends(const std::string& user,
                  mock::Platform p,
                  std::size_t n,
                  std::chrono::milliseconds t = 10s) {
    return mock.wait_for(
        [&](const std::vector<mock::Call>& calls) {
          std::size_t k = 0;
          for (const auto& c : calls)
            k += c.platform == p && c.api == "send" && c.user_id == user && c.outcome == "ok";
          return k >= n;
        },
        t);
  }

  // Waits until the outbox has no open rows (everything sent, skipped or dead).
  bool settled(std::chrono::milliseconds t = 10s) {
    const auto until = std::chrono::steady_clock::now() + t;
    while (std::chrono::steady_clock::now() < until) {
      if (app->count("SELECT COUNT(*) FROM inbox WHERE status = 'pending'") == 0 &&
          app->count("SELECT COUNT(*) FROM outbox WHERE status IN ('pending', 'sending')") == 0)
        return true;
      std::this_thread::sleep_for(20ms);
    }
    return false;
  }

  mock::MockPlatform mock;
  std::uint16_t mock_port = 0;
  FakeClock clock{testing::kTestNow};  // for the tests that pass it to start(); outlives the App
  std::unique_ptr<TestApp> app;
};

TEST_F(PlatformsE2E, ZaloMessageInReplyAtTheMockRowsInSqlite) {
  start();
  auto r = zalo_text("5000000000000000001", "cân điện tử ở chợ có phải kiểm định không", "zmsg-1");
  ASSERT_EQ(r.status, 200) << r.body;
  ASSERT_TRUE(wait_sends("5000000000000000001", mock::Platform::kZalo, 1));
  auto sent = sends_to("5000000000000000001", mock::Platform::kZalo);
  EXPECT_EQ(sent[0].account, kOa1);
  EXPECT_NE(sent[0].text.find("Thông tư 09/2017/TT-BKHCN"), std::string::npos) << sent[0].text;
  ASSERT_TRUE(settled());
  EXPECT_EQ(
      app->count("SELECT COUNT(*) FROM inbox WHERE channel = 'zalo' AND account = '" +
                 std::string(kOa1) + "' AND platform_event_id = 'zmsg-1' AND status = 'done'"),
      1);
  EXPECT_EQ(app->count("SELECT COUNT(*) FROM people WHERE channel = 'zalo' AND platform_user_id = "
                       "'5000000000000000001'"),
            1);
  EXPECT_EQ(app->count("SELECT COUNT(*) FROM interactions WHERE handler = 'explainer' AND outcome "
                       "= 'market-scales'"),
            1);
  EXPECT_EQ(
      app->count("SELECT COUNT(*) FROM outbox WHERE status = 'sent' AND send_window = 'free' AND "
                 "platform_message_id = '" +
                 sent[0].message_id + "'"),
      1);
  // Message text is not stored by default (privacy.store_message_text is off).
  EXPECT_EQ(app->count("SELECT COUNT(*) FROM interactions WHERE text IS NOT NULL AND text != ''"),
            0);
}

TEST_F(PlatformsE2E, MessengerMessageInReplyAtTheMockRowsInSqlite) {
  start();
  auto r = messenger({fb_text("7000000000000001", "nhãn hàng hóa phải ghi những gì", "m_1")});
  ASSERT_EQ(r.status, 200) << r.body;
  ASSERT_TRUE(wait_sends("7000000000000001", mock::Platform::kMessenger, 1));
  auto sent = sends_to("7000000000000001", mock::Platform::kMessenger);
  EXPECT_EQ(sent[0].account, kPage1);
  EXPECT_EQ(sent[0].body["messaging_type"], "RESPONSE");
  EXPECT_TRUE(sent[0].text.starts_with(explainer_title("labelling"))) << sent[0].text;
  EXPECT_TRUE(sent[0].body["message"].contains("quick_replies"));
  ASSERT_TRUE(settled());
  EXPECT_EQ(app->count("SELECT COUNT(*) FROM people WHERE channel = 'messenger' AND account = '" +
                       std::string(kPage1) + "'"),
            1);
  EXPECT_EQ(
      app->count("SELECT COUNT(*) FROM outbox WHERE status = 'sent' AND platform_message_id = '" +
                 sent[0].message_id + "'"),
      1);
}

TEST_F(PlatformsE2E, EachAccountAnswersWithItsOwnCredentials) {
  start();
  ASSERT_EQ(zalo_text("5000000000000000002", "menu", "zmsg-a", kOa2).status, 200);
  ASSERT_EQ(messenger({fb_text("7000000000000002", "menu", "m_a", kPage2)}, kPage2).status, 200);
  ASSERT_TRUE(wait_sends("5000000000000000002", mock::Platform::kZalo, 1));
  ASSERT_TRUE(wait_sends("7000000000000002", mock::Platform::kMessenger, 1));
  EXPECT_EQ(sends_to("5000000000000000002", mock::Platform::kZalo)[0].account, kOa2);
  EXPECT_EQ(sends_to("7000000000000002", mock::Platform::kMessenger)[0].account, kPage2);
}

TEST_F(PlatformsE2E, BadMissingAndStaleSignaturesAre401AndNothingIsStored) {
  start();
  auto good = zalo_request(mock::zalo_user_text(kOa1, "5000000000000000003", "xin chào", "z-bad"));
  std::map<std::string, std::string> headers(good.headers.begin(), good.headers.end());
  headers["X-ZEvent-Signature"] = "mac=" + std::string(64, 'a');
  EXPECT_EQ(testing::http_request(app->port(), "POST", "/webhooks/zalo", good.body, headers).status,
            401);
  headers.erase("X-ZEvent-Signature");
  EXPECT_EQ(testing::http_request(app->port(), "POST", "/webhooks/zalo", good.body, headers).status,
            401);
  auto stale =
      mock::zalo_signed(mock::zalo_user_text(kOa1, "5000000000000000003", "xin chào", "z-old"),
                        kApp, kOaSecret1, now_ms() - 3'600'000);
  EXPECT_EQ(post("/webhooks/zalo", stale).status, 401);
  auto other_oa =
      mock::zalo_signed(mock::zalo_user_text(kOa1, "5000000000000000003", "xin chào", "z-x"), kApp,
                        kOaSecret2, now_ms());  // signed with another OA's secret
  EXPECT_EQ(post("/webhooks/zalo", other_oa).status, 401);
  auto unknown =
      mock::zalo_signed(mock::zalo_user_text("999", "5000000000000000003", "xin chào", "z-y"), kApp,
                        kOaSecret1, now_ms());
  EXPECT_EQ(post("/webhooks/zalo", unknown).status, 401);

  auto fb = mock::messenger_signed(
      mock::messenger_batch(kPage1, {fb_text("7000000000000003", "hi", "m_bad")}, now_ms()),
      "wrong-secret");
  EXPECT_EQ(post("/webhooks/messenger", fb).status, 401);
  fb.headers.clear();
  EXPECT_EQ(post("/webhooks/messenger", fb).status, 401);

  EXPECT_EQ(app->count("SELECT COUNT(*) FROM inbox"), 0);
  EXPECT_EQ(app->count("SELECT COUNT(*) FROM people"), 0);
  const auto metrics = testing::http_request(app->port(), "GET", "/metrics").body;
  EXPECT_NE(metrics.find("outreach_webhook_total{channel=\"zalo\",outcome=\"bad_signature\"}"),
            std::string::npos)
      << metrics.substr(0, 2000);
}

TEST_F(PlatformsE2E, OversizedAndMalformedBodiesGetAClear4xxAndNothingIsStored) {
  start([](app::Config& c) { c.http.body_limit = 64 * 1024; });
  std::string big(100 * 1024, 'x');
  auto r = testing::http_request(app->port(), "POST", "/webhooks/zalo", big,
                                 {{"Content-Type", "application/json"}});
  EXPECT_EQ(r.status, 413);
  r = testing::http_request(app->port(), "POST", "/webhooks/messenger", big,
                            {{"Content-Type", "application/json"}});
  EXPECT_EQ(r.status, 413);
  // Signed but not JSON: 400 naming the problem.
  const std::string broken = "{\"object\":\"page\",";
  r = testing::http_request(
      app->port(), "POST", "/webhooks/messenger", broken,
      {{"X-Hub-Signature-256",
        "sha256=" +
            mock::messenger_signed(Json::object(), kFbSecret).headers[1].second.substr(7)}});
  EXPECT_EQ(r.status, 401);  // the signature is over other bytes
  r = testing::http_request(app->port(), "POST", "/webhooks/zalo", "not json at all");
  EXPECT_EQ(r.status, 400);
  EXPECT_NE(r.body.find("JSON"), std::string::npos) << r.body;
  EXPECT_EQ(testing::http_request(app->port(), "GET", "/webhooks/zalo").status, 405);
  EXPECT_EQ(app->count("SELECT COUNT(*) FROM inbox"), 0);
}

TEST_F(PlatformsE2E, MessengerSubscriptionCheck) {
  start();
  auto ok = testing::http_request(
      app->port(), "GET",
      "/webhooks/messenger?hub.mode=subscribe&hub.verify_token=verify-2&hub.challenge=1158201444");
  EXPECT_EQ(ok.status, 200);
  EXPECT_EQ(ok.body, "1158201444");
  auto bad = testing::http_request(
      app->port(), "GET",
      "/webhooks/messenger?hub.mode=subscribe&hub.verify_token=nope&hub.challenge=1");
  EXPECT_EQ(bad.status, 403);
}

TEST_F(PlatformsE2E, ARedeliveredEventIsAnsweredOnce) {
  start();
  // Both platforms redeliver the identical body (Zalo adds a num_retry header; Meta may re-send
  // a batch whole), so the event's own time comes back with its id.
  auto zalo = zalo_request(mock::zalo_user_text(kOa1, "5000000000000000004", "menu", "zmsg-dup"));
  auto fb = mock::messenger_signed(
      mock::messenger_batch(kPage1, {fb_text("7000000000000004", "menu", "m_dup")}, now_ms()),
      kFbSecret);
  for (int i = 0; i < 3; ++i) {
    if (i > 0)
      zalo.headers.emplace_back("num_retry", std::to_string(i));
    ASSERT_EQ(post("/webhooks/zalo", zalo).status, 200);
    ASSERT_EQ(post("/webhooks/messenger", fb).status, 200);
  }
  ASSERT_TRUE(settled());
  std::this_thread::sleep_for(200ms);
  EXPECT_EQ(sends_to("5000000000000000004", mock::Platform::kZalo).size(), 1u);
  EXPECT_EQ(sends_to("7000000000000004", mock::Platform::kMessenger).size(), 1u);
  EXPECT_EQ(app->count("SELECT COUNT(*) FROM inbox"), 2);
}

TEST_F(PlatformsE2E, AZaloResendAfterAnOutageIsAnsweredOnce) {
  start();
  // Zalo could not reach us for 70 minutes; its 1-hour re-send carries the original body.
  auto resend =
      mock::zalo_signed(mock::zalo_user_text(kOa1, "5000000000000000009", "menu", "zmsg-late"),
                        kApp, kOaSecret1, now_ms() - 70 * 60'000);
  resend.headers.emplace_back("num_retry", "5");
  ASSERT_EQ(post("/webhooks/zalo", resend).status, 200);
  ASSERT_EQ(post("/webhooks/zalo", resend).status, 200);  // replayed: a duplicate
  EXPECT_TRUE(wait_sends("5000000000000000009", mock::Platform::kZalo, 1));
  ASSERT_TRUE(settled());
  std::this_thread::sleep_for(200ms);
  EXPECT_EQ(sends_to("5000000000000000009", mock::Platform::kZalo).size(), 1u);
  EXPECT_EQ(app->count("SELECT COUNT(*) FROM inbox WHERE platform_event_id = 'zmsg-late'"), 1);
}

TEST_F(PlatformsE2E, TheWebhookAnswersAtOnceWhateverTheSendApiIsDoing) {
  start();
  mock.fail(mock::Platform::kZalo, {"slow", 1, 3000ms});
  const auto t0 = std::chrono::steady_clock::now();
  ASSERT_EQ(zalo_text("5000000000000000005", "menu", "zmsg-slow").status, 200);
  const auto took = std::chrono::steady_clock::now() - t0;
  EXPECT_TRUE(mock.calls(mock::Platform::kZalo).empty());  // the reply is still on its way
  EXPECT_LT(took, 2s);
  EXPECT_TRUE(wait_sends("5000000000000000005", mock::Platform::kZalo, 1));
}

TEST_F(PlatformsE2E, WhenThePlatformIsDownTheReplyArrivesOnceItRecovers) {
  start([](app::Config& c) { c.sender.max_attempts = 200; });
  mock.stop();
  ASSERT_EQ(zalo_text("5000000000000000006", "menu", "zmsg-down").status, 200);
  ASSERT_EQ(messenger({fb_text("7000000000000006", "menu", "m_down")}).status, 200);
  // Attempts fail while the platform is away; nothing is lost.
  const auto until = std::chrono::steady_clock::now() + 10s;
  while (app->count("SELECT COUNT(*) FROM outbox WHERE attempts >= 2") < 2 &&
         std::chrono::steady_clock::now() < until)
    std::this_thread::sleep_for(20ms);
  EXPECT_EQ(
      app->count(
          "SELECT COUNT(*) FROM outbox WHERE attempts >= 2 AND status IN ('pending', 'sending')"),
      2);
  mock.start("127.0.0.1", mock_port);
  EXPECT_TRUE(wait_sends("5000000000000000006", mock::Platform::kZalo, 1));
  EXPECT_TRUE(wait_sends("7000000000000006", mock::Platform::kMessenger, 1));
  ASSERT_TRUE(settled());
  EXPECT_EQ(app->count("SELECT COUNT(*) FROM outbox WHERE status = 'sent'"), 2);
  std::this_thread::sleep_for(200ms);
  EXPECT_EQ(mock.calls(mock::Platform::kZalo).size(), 1u);  // once, not once per attempt
}

TEST_F(PlatformsE2E, AnExpiredAccessTokenIsRefreshedOnceAndTheSendSucceeds) {
  start();
  // Seeded tokens are of unknown age, so start-up refreshes both OAs: let that finish first.
  ASSERT_TRUE(mock.wait_for([](const std::vector<mock::Call>& calls) {
    return std::count_if(calls.begin(), calls.end(),
                         [](const mock::Call& c) { return c.api == "refresh"; }) == 2;
  }));
  for (int i = 0;
       i < 500 &&
       app->count("SELECT COUNT(*) FROM tokens WHERE rotations = 1 AND state = 'ok'") < 2;
       ++i)
    std::this_thread::sleep_for(10ms);  // the new pairs are committed after the answers
  mock.reset();
  const auto before = app->count("SELECT rotations FROM tokens WHERE account = 'zalo:ward-one'");
  mock.expire_access_token(kOa1);
  ASSERT_EQ(zalo_text("5000000000000000007", "menu", "zmsg-exp").status, 200);
  ASSERT_TRUE(wait_sends("5000000000000000007", mock::Platform::kZalo, 1));
  ASSERT_TRUE(settled());
  EXPECT_EQ(mock.calls(mock::Platform::kZalo, "refresh").size(), 1u);
  auto sends = mock.calls(mock::Platform::kZalo);
  ASSERT_EQ(sends.size(), 2u);
  EXPECT_EQ(sends[0].outcome, "-216");
  EXPECT_EQ(sends[1].outcome, "ok");
  EXPECT_EQ(app->count("SELECT rotations FROM tokens WHERE account = 'zalo:ward-one'"), before + 1);
  EXPECT_EQ(
      app->count("SELECT COUNT(*) FROM tokens WHERE account = 'zalo:ward-one' AND state = 'ok' AND "
                 "refresh_token = '" +
                 mock.zalo_oa(kOa1)->refresh_token + "'"),
      1);
}

TEST_F(PlatformsE2E, AHundredConcurrentUsersOnBothPlatformsGetTheirAnswersInOrder) {
  start();
  const std::vector<std::string> topics = {"market-scales", "labelling", "barcode"};
  std::vector<std::string> titles;
  for (const auto& t : topics) titles.push_back(explainer_title(t));
  constexpr int kUsers = 50;  // per platform
  std::vector<std::thread> threads;
  std::atomic<int> accepted{0};
  for (int u = 0; u < kUsers; ++u) {
    threads.emplace_back([&, u] {
      const std::string z = "60000000000000" + std::to_string(10000 + u);
      const std::string f = "80000000" + std::to_string(10000 + u);
      for (std::size_t k = 0; k < topics.size(); ++k) {
        const std::string id = std::to_string(u) + "-" + std::to_string(k);
        accepted += zalo_text(z, "#ob:ex:" + topics[k], "zc-" + id).status == 200;
        accepted += messenger({fb_payload(f, "ex:" + topics[k], "mc-" + id)}).status == 200;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(accepted.load(), kUsers * 2 * 3);
  ASSERT_TRUE(settled(60s));
  auto in_order = [&](const std::vector<mock::Call>& calls) {
    std::size_t next = 0;
    for (const auto& c : calls)
      if (next < titles.size() && c.text.starts_with(titles[next]))
        ++next;
    return next == titles.size();
  };
  for (int u = 0; u < kUsers; ++u) {
    const auto z = sends_to("60000000000000" + std::to_string(10000 + u), mock::Platform::kZalo);
    const auto f = sends_to("80000000" + std::to_string(10000 + u), mock::Platform::kMessenger);
    EXPECT_TRUE(in_order(z)) << "zalo user " << u << " got " << z.size() << " messages";
    EXPECT_TRUE(in_order(f)) << "messenger user " << u << " got " << f.size() << " messages";
  }
  EXPECT_EQ(app->count("SELECT COUNT(*) FROM inbox WHERE status = 'done'"), kUsers * 2 * 3);
}

TEST_F(PlatformsE2E, StaffAnsweringOnThePlatformKeepsTheBotQuiet) {
  start();
  const std::string user = "5000000000000000008";
  Json staff = {{"event_name", "oa_send_text"},
                {"sender", {{"id", kOa1}, {"admin_id", "4444"}}},
                {"recipient", {{"id", user}}},
                {"message", {{"text", "Dạ, chị cần hỗ trợ gì ạ?"}, {"msg_id", "staff-1"}}}};
  ASSERT_EQ(post("/webhooks/zalo", zalo_request(staff)).status, 200);
  ASSERT_EQ(zalo_text(user, "em muốn hỏi về nhãn hiệu", "zmsg-q1").status, 200);
  Json own = staff;  // our own echo: no admin_id, ignored
  own["sender"].erase("admin_id");
  own["message"]["msg_id"] = "own-1";
  ASSERT_EQ(post("/webhooks/zalo", zalo_request(own)).status, 200);
  ASSERT_TRUE(settled());
  std::this_thread::sleep_for(200ms);
  EXPECT_TRUE(sends_to(user, mock::Platform::kZalo).empty());
  EXPECT_EQ(app->count("SELECT COUNT(*) FROM conversations WHERE human_until > " +
                       std::to_string(now_ms())),
            1);
  EXPECT_EQ(app->count("SELECT COUNT(*) FROM inbox"), 2);  // the own echo is not even stored

  // Messenger: a page-inbox echo without our metadata is a person answering.
  Json echo = {{"sender", {{"id", kPage1}}},
               {"recipient", {{"id", "7000000000000008"}}},
               {"timestamp", now_ms()},
               {"message", {{"is_echo", true}, {"mid", "m_staff"}, {"text", "Chào bạn"}}}};
  ASSERT_EQ(messenger({echo, fb_text("7000000000000008", "menu", "m_q1")}).status, 200);
  ASSERT_TRUE(settled());
  std::this_thread::sleep_for(200ms);
  EXPECT_TRUE(sends_to("7000000000000008", mock::Platform::kMessenger).empty());
}

TEST_F(PlatformsE2E, ReceiptsSharedInfoAndFollowsAreRecorded) {
  start();
  const std::string user = "5000000000000000009";
  Json follow = {{"event_name", "follow"}, {"oa_id", kOa1}, {"follower", {{"id", user}}}};
  ASSERT_EQ(post("/webhooks/zalo", zalo_request(follow)).status, 200);
  ASSERT_TRUE(wait_sends(user, mock::Platform::kZalo, 1));  // a welcome
  ASSERT_TRUE(settled());
  const std::string mid = sends_to(user, mock::Platform::kZalo)[0].message_id;
  Json seen = {{"event_name", "user_seen_message"},
               {"sender", {{"id", kOa1}}},
               {"recipient", {{"id", user}}},
               {"message", {{"msg_ids", {mid}}}}};
  ASSERT_EQ(post("/webhooks/zalo", zalo_request(seen)).status, 200);
  Json info = {
      {"event_name", "user_submit_info"},
      {"sender", {{"id", user}}},
      {"recipient", {{"id", kOa1}}},
      {"info", {{"name", "Lê Văn C"}, {"phone", "0912345678"}, {"address", "5 Nguyễn Oanh"}}}};
  ASSERT_EQ(post("/webhooks/zalo", zalo_request(info)).status, 200);
  ASSERT_TRUE(settled());
  EXPECT_EQ(app->count("SELECT COUNT(*) FROM outbox WHERE platform_message_id = '" + mid +
                       "' AND read_at IS NOT NULL"),
            1);
  EXPECT_EQ(app->count("SELECT COUNT(*) FROM people WHERE shared_name = 'Lê Văn C' AND "
                       "shared_phone = '0912345678'"),
            1);

  const std::string psid = "7000000000000009";
  ASSERT_EQ(messenger({fb_text(psid, "menu", "m_r1")}).status, 200);
  ASSERT_TRUE(wait_sends(psid, mock::Platform::kMessenger, 1));
  ASSERT_TRUE(settled());
  Json read = {{"sender", {{"id", psid}}},
               {"recipient", {{"id", kPage1}}},
               {"timestamp", now_ms() + 1000},
               {"read", {{"watermark", now_ms() + 1000}}}};
  ASSERT_EQ(messenger({read}).status, 200);
  ASSERT_TRUE(settled());
  EXPECT_EQ(app->count("SELECT COUNT(*) FROM outbox o JOIN people p ON p.id = o.person_id WHERE "
                       "p.platform_user_id = '" +
                       psid + "' AND o.read_at IS NOT NULL"),
            1);
}

TEST_F(PlatformsE2E, APermanentRefusalBecomesADeadLetterWithItsReason) {
  start();
  mock.fail(mock::Platform::kMessenger, {"unavailable", 1, 0ms});
  ASSERT_EQ(messenger({fb_text("7000000000000010", "menu", "m_dead")}).status, 200);
  ASSERT_TRUE(settled());
  EXPECT_EQ(
      app->count("SELECT COUNT(*) FROM outbox WHERE status = 'dead' AND last_error LIKE '%551%'"),
      1);
  const auto metrics = testing::http_request(app->port(), "GET", "/metrics").body;
  EXPECT_NE(metrics.find("outreach_send_total{channel=\"messenger\",outcome=\"dead\"} 1"),
            std::string::npos);
}

// ---- booking on each platform, reminders inside and outside the send window -----------------
// The App runs on a fake clock from Saturday 28/11/2026 09:00 (Asia/Ho_Chi_Minh); each message
// moves it on a few seconds, and jumping it forward lets the scheduler send the reminders.

std::string slot_at(int y, int m, int d, int minute) {
  return "flow:choice:" +
         std::to_string(local_time::unix_ms(*local_time::day_from(y, m, d), minute));
}

// The answers of a booking form after the topic, as typed or pressed.
const std::vector<std::pair<bool, std::string>> kRestOfTheForm = {
    {true, "flow:choice:online"},
    {false, "Võ Hoàng Nam"},
    {false, "0388 123 456"},
    {false, "Nam Tech"},
    {true, "flow:choice:prototype"},
    {false, "Cần tư vấn đăng ký sáng chế cho thiết bị đo độ ẩm đất"},
    {true, "flow:confirm"}};

bool has_text(const std::vector<mock::Call>& calls, const std::string& needle) {
  return std::any_of(calls.begin(), calls.end(),
                     [&](const mock::Call& c) { return c.text.find(needle) != std::string::npos; });
}

TEST_F(PlatformsE2E, ABookingOnZaloAndItsReminderThroughZalo) {
  start({}, &clock);
  const std::string user = "5000000000000000777";
  int n = 0;
  auto send = [&](bool press, const std::string& what) {
    clock.advance(5s);
    const std::string text = press ? "#ob:" + what : what;
    const auto r =
        post("/webhooks/zalo",
             mock::zalo_signed(mock::zalo_user_text(kOa1, user, text, "zb-" + std::to_string(++n)),
                               kApp, kOaSecret1, clock.now_ms()));
    return r.status == 200 && settled();
  };
  ASSERT_TRUE(send(false, "đặt lịch tư vấn"));
  ASSERT_TRUE(send(false, "sở hữu trí tuệ"));  // the topic, typed
  ASSERT_TRUE(send(false, "thứ 2 tuần sau 9h"));
  for (const auto& [press, what] : kRestOfTheForm) ASSERT_TRUE(send(press, what)) << what;
  const auto sent = sends_to(user, mock::Platform::kZalo);
  ASSERT_TRUE(has_text(sent, "Mã lịch hẹn: TV-")) << sent.back().text;
  EXPECT_EQ(app->count("SELECT COUNT(*) FROM bookings WHERE status = 'booked' AND topic = 'ip' AND "
                       "mode = 'online' AND phone = '+84388123456'"),
            1);
  // 24 hours before Monday 09:00 the reminder goes out on Zalo (inside the 7-day window).
  clock.set(local_time::unix_ms(*local_time::day_from(2026, 11, 29), 9 * 60) + 1000);
  ASSERT_TRUE(mock.wait_for(
      [&](const std::vector<mock::Call>& calls) { return has_text(calls, "Nhắc lịch"); }, 10s));
  EXPECT_TRUE(has_text(sends_to(user, mock::Platform::kZalo), "1 ngày nữa"));
}

TEST_F(PlatformsE2E, AMessengerReminderOutsideThe24HourWindowIsRecordedNotSent) {
  start({}, &clock);
  const std::string psid = "7100000000000042";
  int n = 0;
  auto send = [&](bool press, const std::string& what) {
    clock.advance(5s);
    const std::string mid = "m_book_" + std::to_string(++n);
    const auto r = messenger({press ? fb_payload(psid, what, mid) : fb_text(psid, what, mid)});
    return r.status == 200 && settled();
  };
  ASSERT_TRUE(send(false, "đặt lịch tư vấn"));
  ASSERT_TRUE(send(true, "flow:choice:legal"));
  ASSERT_TRUE(send(true, slot_at(2026, 12, 2, 9 * 60)));  // Wednesday 09:00
  for (const auto& [press, what] : kRestOfTheForm) ASSERT_TRUE(send(press, what)) << what;
  ASSERT_TRUE(has_text(sends_to(psid, mock::Platform::kMessenger), "Mã lịch hẹn: TV-"));
  const std::int64_t wednesday = *local_time::day_from(2026, 12, 2);
  // Tuesday 09:00, the 24-hour reminder: the person last wrote on Saturday — outside the window.
  clock.set(local_time::unix_ms(wednesday - 1, 9 * 60) + 1000);
  const auto until = std::chrono::steady_clock::now() + 10s;
  while (app->count("SELECT COUNT(*) FROM outbox WHERE kind = 'reminder' AND status = 'skipped' "
                    "AND last_error LIKE '%24-hour window%'") != 1 &&
         std::chrono::steady_clock::now() < until)
    std::this_thread::sleep_for(20ms);
  EXPECT_EQ(app->count("SELECT COUNT(*) FROM outbox WHERE kind = 'reminder' AND status = 'skipped' "
                       "AND last_error LIKE '%24-hour window%'"),
            1);
  EXPECT_FALSE(has_text(sends_to(psid, mock::Platform::kMessenger), "Nhắc lịch"));
  // They write on Tuesday at 10:00; the 2-hour reminder on Wednesday 07:00 is inside the window.
  clock.set(local_time::unix_ms(wednesday - 1, 10 * 60));
  ASSERT_TRUE(send(false, "lịch hẹn của tôi"));
  clock.set(local_time::unix_ms(wednesday, 7 * 60) + 1000);
  ASSERT_TRUE(mock.wait_for(
      [&](const std::vector<mock::Call>& calls) { return has_text(calls, "Nhắc lịch"); }, 10s));
  ASSERT_TRUE(settled());  // the sender records the send after the mock has answered
  EXPECT_EQ(app->count("SELECT COUNT(*) FROM outbox WHERE kind = 'reminder' AND status = 'sent'"),
            1);
}

// An event on both platforms: registering through each, the ticket's QR code sent as an image
// (the public address is https), the reminders inside and outside each platform's window, then
// the event moved in content and everyone registered told after the reload.
TEST_F(PlatformsE2E, AnEventOnBothPlatformsTicketImagesRemindersAndAMove) {
  testing::TempDir dir;
  const std::string content = testing::copy_content(dir);
  const std::string event = "tap-huan-nhan-hieu-2026-12";  // Wed 16/12/2026 08:00–11:30
  const std::int64_t monday = *local_time::day_from(2026, 12, 14);
  clock.set(local_time::unix_ms(monday, 9 * 60));
  start(
      [&](app::Config& c) {
        c.http.public_url = "https://bot.example.gov.vn";
        c.content_dir = content;
      },
      &clock);
  const std::string zuser = "5000000000000000888";
  const std::string psid = "7100000000000088";
  int n = 0;
  auto zalo = [&](bool press, const std::string& what) {
    clock.advance(5s);
    const std::string text = press ? "#ob:" + what : what;
    const auto r =
        post("/webhooks/zalo",
             mock::zalo_signed(mock::zalo_user_text(kOa1, zuser, text, "ze-" + std::to_string(++n)),
                               kApp, kOaSecret1, clock.now_ms()));
    return r.status == 200 && settled();
  };
  auto fb = [&](bool press, const std::string& what) {
    clock.advance(5s);
    const std::string mid = "m_ev_" + std::to_string(++n);
    const auto r = messenger({press ? fb_payload(psid, what, mid) : fb_text(psid, what, mid)});
    return r.status == 200 && settled();
  };
  for (const auto& [press, what] : std::vector<std::pair<bool, std::string>>{
           {false, "tuần này có lớp tập huấn nào về nhãn hiệu không"},
           {true, "events:register:" + event},
           {false, "Đỗ Minh Khang"},
           {false, "0388 123 456"},
           {false, "doanh nghiệp"},
           {true, "flow:skip"},
           {true, "flow:confirm"}}) {
    ASSERT_TRUE(zalo(press, what)) << what;
    ASSERT_TRUE(fb(press, what)) << what;
  }
  EXPECT_EQ(app->count("SELECT COUNT(*) FROM event_registrations WHERE status = 'registered'"), 2);
  for (const auto& [user, platform] :
       {std::pair{zuser, mock::Platform::kZalo}, std::pair{psid, mock::Platform::kMessenger}}) {
    const auto sent = sends_to(user, platform);
    EXPECT_TRUE(has_text(sent, "Lớp") || has_text(sent, "Tập huấn")) << user;
    ASSERT_TRUE(has_text(sent, "Mã vé:")) << user;
    bool image = false;  // the mock records the image part as its api "image"
    for (const auto& c : mock.calls(platform, "image"))
      image = image || (c.user_id == user && c.text.starts_with("https://bot.example.gov.vn/t/") &&
                        c.text.ends_with(".png") && c.outcome == "ok");
    EXPECT_TRUE(image) << user;
  }
  // Tuesday 08:00, a day before: both last wrote on Monday morning, inside both windows.
  clock.set(local_time::unix_ms(monday + 1, 8 * 60) + 1000);
  ASSERT_TRUE(mock.wait_for(
      [&](const std::vector<mock::Call>& calls) {
        int k = 0;
        for (const auto& c : calls) k += c.text.find("Nhắc lịch") != std::string::npos;
        return k >= 2;
      },
      10s));
  ASSERT_TRUE(settled());
  // Wednesday 06:00, two hours before: more than 24 hours after the last message, so Messenger
  // records the reminder as skipped; Zalo (7 days) sends it.
  clock.set(local_time::unix_ms(monday + 2, 6 * 60) + 1000);
  const auto until = std::chrono::steady_clock::now() + 10s;
  while (app->count("SELECT COUNT(*) FROM outbox WHERE kind = 'reminder' AND status IN ('sent', "
                    "'skipped')") < 4 &&
         std::chrono::steady_clock::now() < until)
    std::this_thread::sleep_for(20ms);
  EXPECT_EQ(app->count("SELECT COUNT(*) FROM outbox WHERE kind = 'reminder' AND status = 'sent'"),
            3);
  EXPECT_EQ(app->count("SELECT COUNT(*) FROM outbox WHERE kind = 'reminder' AND status = "
                       "'skipped' AND last_error LIKE '%24-hour window%'"),
            1);

  // The class moves to 14:00 the same day; after the reload both are told (Zalo sends it, and
  // Messenger is past its window: recorded as skipped, never silently lost).
  const std::string file = content + "/events/" + event + ".yaml";
  std::ifstream in(file);
  std::string yaml((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  for (const auto& [from, to] :
       {std::pair<std::string, std::string>{"starts: 2026-12-16 08:00", "starts: 2026-12-16 14:00"},
        {"ends: 2026-12-16 11:30", "ends: 2026-12-16 17:00"}}) {
    ASSERT_NE(yaml.find(from), std::string::npos) << from;
    yaml.replace(yaml.find(from), from.size(), to);
  }
  std::ofstream(file) << yaml;
  ASSERT_TRUE(app->app().reload_content().ok());
  ASSERT_TRUE(mock.wait_for(
      [&](const std::vector<mock::Call>& calls) { return has_text(calls, "Thời gian mới"); }, 10s));
  ASSERT_TRUE(settled());
  EXPECT_TRUE(has_text(sends_to(zuser, mock::Platform::kZalo), "14:00"));
  EXPECT_EQ(app->count("SELECT COUNT(*) FROM outbox o JOIN people p ON p.id = o.person_id WHERE "
                       "p.channel = 'messenger' AND o.kind = 'notice' AND o.status = 'skipped'"),
            1);
  // A second reload with nothing changed tells nobody again.
  ASSERT_TRUE(app->app().reload_content().ok());
  EXPECT_EQ(app->count("SELECT COUNT(*) FROM outbox WHERE kind = 'notice'"), 2);
  app->stop();
}

// Subscribers on both platforms at known times since their last message: the plan gives each
// the one path the rules allow, and each reachable person gets exactly one message by that path
// (consultation message, ZBS template, standard message, utility template); nobody unreachable
// is attempted.
TEST_F(PlatformsE2E, ABroadcastTakesEachPersonsPlannedPathOnBothPlatforms) {
  setenv("OUTREACH_ADMIN_TOKEN", "admin-e2e-token-templates-01234", 1);
  start([](app::Config& c) {
    c.broadcast.quiet_hours = "none";
    c.broadcast.zalo_template_vnd = 300;
    c.broadcast.messenger_utility = true;
  });
  unsetenv("OUTREACH_ADMIN_TOKEN");
  const std::map<std::string, std::string> auth = {
      {"Authorization", "Bearer admin-e2e-token-templates-01234"}};
  // Zalo: an hour ago, 3 days, 10 days, 20 days; Messenger: an hour ago, 2 days.
  const std::vector<std::pair<std::string, std::int64_t>> zalo = {{"5100000000000000001", 1},
                                                                  {"5100000000000000002", 72},
                                                                  {"5100000000000000003", 240},
                                                                  {"5100000000000000004", 480}};
  const std::vector<std::pair<std::string, std::int64_t>> fb = {{"7100000000000001", 1},
                                                                {"7100000000000002", 48}};
  int n = 0;
  for (const auto& [user, hours] : zalo) {
    ASSERT_EQ(zalo_text(user, "nhận tin về sở hữu trí tuệ", "zsub-" + std::to_string(++n)).status,
              200);
    ASSERT_TRUE(wait_sends(user, mock::Platform::kZalo, 1));
  }
  for (const auto& [user, hours] : fb) {
    ASSERT_EQ(
        messenger({fb_text(user, "nhận tin về sở hữu trí tuệ", "msub-" + std::to_string(++n))})
            .status,
        200);
    ASSERT_TRUE(wait_sends(user, mock::Platform::kMessenger, 1));
  }
  ASSERT_TRUE(settled());
  ASSERT_EQ(app->count("SELECT COUNT(*) FROM subscriptions"), 6);
  {
    auto db = app->open_db();
    SQLite::Statement q(db, "UPDATE people SET last_interaction_at = ? WHERE platform_user_id = ?");
    for (const auto& list : {zalo, fb})
      for (const auto& [user, hours] : list) {
        q.bind(1, static_cast<int64_t>(now_ms() - hours * 3'600'000LL));
        q.bind(2, user);
        ASSERT_EQ(q.exec(), 1);
        q.reset();
      }
  }
  mock.reset();

  const Json doc = {
      {"title", "Lớp tập huấn nhãn hiệu"},
      {"text", "Thứ Bảy tuần sau có lớp tập huấn miễn phí về nhãn hiệu."},
      {"segment", {{"topics", {"ip"}}}},
      {"beyond_free_window",
       {{"zalo_template",
         {{"template_id", "240001"}, {"data", {{"title", "{title}"}}}, {"budget_vnd", 600}}},
        {"messenger_utility", {{"template", "ward_update"}, {"parameters", {"{title}"}}}}}}};
  auto r = testing::http_request(app->port(), "POST", "/admin/broadcasts", doc.dump(), auth);
  ASSERT_EQ(r.status, 201) << r.body;
  const std::string base =
      "/admin/broadcasts/" + std::to_string(Json::parse(r.body)["id"].get<int>());
  r = testing::http_request(app->port(), "GET", base + "/plan", {}, auth);
  ASSERT_EQ(r.status, 200) << r.body;
  const Json plan = Json::parse(r.body);
  EXPECT_EQ(plan["total"], 6);
  EXPECT_EQ(plan["paths"]["zalo_cs_free"], 1);
  EXPECT_EQ(plan["paths"]["zalo_cs_paid"], 0);
  EXPECT_EQ(plan["paths"]["zalo_template"], 2);  // the budget pays for two
  EXPECT_EQ(plan["paths"]["messenger_standard"], 1);
  EXPECT_EQ(plan["paths"]["messenger_utility"], 1);
  EXPECT_EQ(plan["unreachable"], Json({{"zalo_template_budget_spent", 1}})) << plan.dump();
  EXPECT_EQ(plan["cost_vnd"], 600);
  ASSERT_EQ(testing::http_request(app->port(), "POST", base + "/send", "", auth).status, 200);

  ASSERT_TRUE(mock.wait_for(
      [](const std::vector<mock::Call>& calls) {
        int ok = 0;
        for (const auto& c : calls) ok += c.outcome == "ok";
        return ok >= 5;
      },
      20s));
  ASSERT_TRUE(settled());
  std::map<std::string, std::vector<mock::Call>> by_user;
  for (const auto& c : mock.calls()) by_user[c.user_id].push_back(c);
  ASSERT_EQ(by_user.size(), 5u) << "the fourth Zalo subscriber is not attempted";
  for (const auto& [user, calls] : by_user) ASSERT_EQ(calls.size(), 1u) << user << ": once";
  const auto& free_cs = by_user["5100000000000000001"][0];
  EXPECT_EQ(free_cs.api, "send");
  EXPECT_NE(free_cs.text.find("lớp tập huấn miễn phí"), std::string::npos) << free_cs.text;
  for (const char* user : {"5100000000000000002", "5100000000000000003"}) {
    const auto& c = by_user[user][0];
    EXPECT_EQ(c.api, "template") << user;
    EXPECT_EQ(c.body["template_id"], "240001");
    EXPECT_EQ(c.body["template_data"], Json({{"title", "Lớp tập huấn nhãn hiệu"}}));
  }
  EXPECT_EQ(by_user["7100000000000001"][0].body["messaging_type"], "UPDATE");
  const auto& utility = by_user["7100000000000002"][0];
  EXPECT_EQ(utility.api, "template");
  EXPECT_EQ(utility.body["messaging_type"], "UTILITY");
  EXPECT_EQ(utility.body["message"]["template"]["components"][0]["parameters"][0]["text"],
            "Lớp tập huấn nhãn hiệu");

  r = testing::http_request(app->port(), "GET", base, {}, auth);
  const Json report = Json::parse(r.body);
  EXPECT_EQ(report["status"], "done");
  EXPECT_EQ(report["sent"], 5);
  EXPECT_EQ(report["skipped"], 1);
  EXPECT_EQ(report["by_path"]["zalo_template"]["sent"], 2);
  EXPECT_EQ(report["by_path"]["messenger_utility"]["sent"], 1);
  EXPECT_EQ(app->count("SELECT COUNT(*) FROM outbox WHERE kind = 'broadcast' AND send_window = "
                       "'template' AND status = 'sent'"),
            2);
}

}  // namespace
}  // namespace outreach
