// Broadcasts over HTTP against the real App (issue 19): web chat visitors subscribe by typing,
// staff create, plan and send an announcement through the admin API, the App's own scheduler
// fans it out and its sender delivers it; each subscriber in the segment receives it exactly
// once, with the "Dừng nhận tin" button that works. The App runs on a fake clock set to
// Saturday 28/11/2026 09:00 (Asia/Ho_Chi_Minh), with the shipped content.
#include <cstdlib>
#include <memory>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "tests/support/http_client.hpp"
#include "tests/support/test_app.hpp"
#include "tests/support/turn_harness.hpp"
#include "tests/support/web_visitor.hpp"

namespace outreach {
namespace {

using namespace std::chrono_literals;
using Json = nlohmann::json;
using testing::TestApp;
using testing::text_of;
using testing::WebVisitor;

constexpr const char* kToken = "admin-e2e-token-broadcasts-0123";

std::map<std::string, std::string> auth() {
  return {{"Authorization", std::string("Bearer ") + kToken}};
}

TEST(BroadcastE2E, SubscribersReceiveTheAnnouncementOnceAndCanStopFromIt) {
  FakeClock clock(testing::kTestNow);
  setenv("OUTREACH_ADMIN_TOKEN", kToken, 1);
  TestApp t([](app::Config& c) { c.webchat.poll_timeout = 3s; }, &clock);
  unsetenv("OUTREACH_ADMIN_TOKEN");

  WebVisitor ip(t.port(), "visitor-broadcast-000001");
  WebVisitor energy(t.port(), "visitor-broadcast-000002");
  WebVisitor all(t.port(), "visitor-broadcast-000003");
  for (auto* v : {&ip, &energy, &all})
    ASSERT_FALSE(v->start().status != 202 || v->receive(1, 20s).empty());
  clock.advance(3s);
  ASSERT_EQ(ip.text("nhận tin về sở hữu trí tuệ").status, 202);
  ASSERT_FALSE(ip.receive(1, 20s).empty());
  ASSERT_EQ(energy.text("cho mình nhận tin tiết kiệm điện").status, 202);
  ASSERT_FALSE(energy.receive(1, 20s).empty());
  ASSERT_EQ(all.text("nhận tin tất cả chủ đề").status, 202);
  ASSERT_FALSE(all.receive(1, 20s).empty());
  EXPECT_EQ(t.count("SELECT COUNT(*) FROM subscriptions"), 3);

  // Staff: a document with a mistake is refused with the field named.
  const Json bad = {{"title", "x"}, {"text", "y"}, {"segment", {{"topics", {"ipp"}}}}};
  auto r = testing::http_request(t.port(), "POST", "/admin/broadcasts", bad.dump(), auth());
  ASSERT_EQ(r.status, 400) << r.body;
  EXPECT_NE(r.body.find("segment.topics[0]: no topic group 'ipp'"), std::string::npos) << r.body;
  EXPECT_EQ(testing::http_request(t.port(), "POST", "/admin/broadcasts", "{}").status, 401);

  const Json doc = {{"title", "Lớp tập huấn nhãn hiệu"},
                    {"text", "Thứ Bảy tuần sau có lớp tập huấn miễn phí về nhãn hiệu."},
                    {"buttons", Json::array({{{"explainer", "ip-trademark"}}})},
                    {"segment", {{"topics", {"ip"}}}}};
  r = testing::http_request(t.port(), "POST", "/admin/broadcasts", doc.dump(), auth());
  ASSERT_EQ(r.status, 201) << r.body;
  const std::string base =
      "/admin/broadcasts/" + std::to_string(Json::parse(r.body)["id"].get<int>());
  // Sending before planning is refused; the plan counts exactly.
  EXPECT_EQ(testing::http_request(t.port(), "POST", base + "/send", "", auth()).status, 409);
  r = testing::http_request(t.port(), "GET", base + "/plan", {}, auth());
  ASSERT_EQ(r.status, 200) << r.body;
  const Json plan = Json::parse(r.body);
  EXPECT_EQ(plan["total"], 2);  // the IP subscriber and the one who chose every topic
  EXPECT_EQ(plan["paths"]["webchat_next_visit"], 2);
  EXPECT_EQ(plan["paths"]["zalo_cs_free"], 0);
  EXPECT_EQ(plan["cost_vnd"], 0);
  r = testing::http_request(t.port(), "POST", base + "/send", "", auth());
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(Json::parse(r.body)["status"], "sending");

  for (auto* v : {&ip, &all}) {
    const auto got = v->receive(1, 20s);
    ASSERT_EQ(got.size(), 1u);
    EXPECT_NE(text_of(got[0]).find("lớp tập huấn miễn phí về nhãn hiệu"), std::string::npos);
    // The buttons carry the broadcast, so presses are counted.
    EXPECT_NE(got[0].dump().find("\"bc:" + base.substr(base.rfind('/') + 1) + ":unsubscribe\""),
              std::string::npos)
        << got[0].dump();
  }
  EXPECT_TRUE(energy.receive(1, 2s).empty()) << "not in the segment";
  EXPECT_TRUE(ip.receive(1, 2s).empty()) << "exactly once";

  r = testing::http_request(t.port(), "GET", base, {}, auth());
  ASSERT_EQ(r.status, 200);
  const Json report = Json::parse(r.body);
  EXPECT_EQ(report["status"], "done");
  EXPECT_EQ(report["sent"], 2);
  EXPECT_EQ(report["failed"], 0);
  r = testing::http_request(t.port(), "GET", base + "/report.csv", {}, auth());
  EXPECT_EQ(r.status, 200);
  EXPECT_NE(r.body.find("webchat_next_visit,sent,2"), std::string::npos) << r.body;

  // The announcement's own button stops everything, and the press is counted.
  const std::string tag = "bc:" + base.substr(base.rfind('/') + 1) + ":";
  clock.advance(3s);
  ASSERT_EQ(all.press(tag + "ex:ip-trademark").status, 202);
  const auto explained = all.receive(1, 20s);
  ASSERT_FALSE(explained.empty());
  EXPECT_NE(text_of(explained[0]).find("đăng ký nhãn hiệu"), std::string::npos)
      << text_of(explained[0]);
  clock.advance(3s);
  ASSERT_EQ(ip.press(tag + "unsubscribe").status, 202);
  const auto stopped = ip.receive(1, 20s);
  ASSERT_FALSE(stopped.empty());
  EXPECT_EQ(t.count("SELECT COUNT(*) FROM subscriptions"), 2);
  clock.advance(3s);
  ASSERT_EQ(all.press(tag + "ex:ip-trademark").status, 202);  // the same reader again
  ASSERT_FALSE(all.receive(1, 20s).empty());
  r = testing::http_request(t.port(), "GET", base, {}, auth());
  EXPECT_EQ(Json::parse(r.body)["clicks"], Json({{"ex:ip-trademark", 1}, {"unsubscribe", 1}}))
      << r.body;
  EXPECT_EQ(t.count("SELECT COUNT(*) FROM audit_log WHERE action LIKE 'broadcast_%'"), 3);
}

}  // namespace
}  // namespace outreach
