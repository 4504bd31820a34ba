#include <thread>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "bot/core/errc.hpp"
#include "bot/core/message.hpp"
#include "bot/core/metrics.hpp"
#include "bot/core/text.hpp"

namespace outreach {
namespace {

TEST(Errc, HasReadableMessagesInItsOwnCategory) {
  const auto ec = make_error_code(Errc::kBadSignature);
  EXPECT_EQ(std::string(ec.category().name()), "outreach");
  EXPECT_EQ(ec.message(), "bad or missing signature");
  Result<int> r = Errc::kNotFound;
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error(), Errc::kNotFound);
}

TEST(Message, InboundEventRoundTripsThroughJson) {
  InboundEvent e;
  e.channel = ChannelKind::kZalo;
  e.account = "oa1";
  e.user_id = "u";
  e.event_id = "evt";
  e.kind = EventKind::kPostback;
  e.payload = "ex:labelling";
  e.text = "Nhãn hàng hóa";
  e.timestamp_ms = 42;
  e.platform_event = "user_send_text";
  auto back = inbound_from_json(to_json_text(e));
  ASSERT_TRUE(back);
  EXPECT_EQ(back->channel, ChannelKind::kZalo);
  EXPECT_EQ(back->kind, EventKind::kPostback);
  EXPECT_EQ(back->payload, "ex:labelling");
  EXPECT_EQ(back->text, "Nhãn hàng hóa");
  EXPECT_EQ(back->timestamp_ms, 42);
  EXPECT_EQ(back->platform_event, "user_send_text");
}

// Every kind of platform fact comes back from the stored text as it went in; the text is JSON
// that nlohmann reads to the same document (escapes, control characters, emoji), with the
// platform's details under "extra" as earlier releases stored them.
TEST(Message, TheDirectWriterWritesJsonThatReadsBackToTheSameEvent) {
  InboundEvent full;
  full.channel = ChannelKind::kMessenger;
  full.kind = EventKind::kMessage;
  full.account = "page-1";
  full.user_id = "psid \"quoted\" \\ slash";
  full.event_id = "m_1";
  full.text = "Đăng ký\tnhãn\nhiệu \x01\x1f\b\f\r 🙂 </script>";
  full.payload = "ex:ip";
  full.display_name = "Lan";
  full.language = "vi";
  full.timestamp_ms = -5;
  full.attachment = "image";
  const std::string text = to_json_text(full);
  const auto doc = nlohmann::json::parse(text);
  EXPECT_EQ(doc["user_id"], full.user_id);
  EXPECT_EQ(doc["text"], full.text);
  EXPECT_EQ(doc["extra"], nlohmann::json({{"attachment", "image"}}));
  EXPECT_EQ(doc.dump(), text);  // keys in order, nothing escaped that need not be
  auto back = inbound_from_json(text);
  ASSERT_TRUE(back);
  EXPECT_EQ(back->user_id, full.user_id);
  EXPECT_EQ(back->text, full.text);
  EXPECT_EQ(back->attachment, "image");

  InboundEvent other;
  other.kind = EventKind::kOther;
  other.event_id = "e";
  const std::vector<PlatformFact> facts = {
      UnknownEvent{},       Receipt{Receipt::Kind::kRead, {"m-1", "m-2"}, 1458668856253},
      StaffReply{},         SharedInfo{"Trần Thị B", "0901234567", "12 Lê Đức Thọ"},
      Reaction{"/-strong"}, Standby{}};
  for (const PlatformFact& f : facts) {
    other.fact = f;
    const std::string stored = to_json_text(other);
    EXPECT_EQ(nlohmann::json::parse(stored)["extra"]["type"], fact_name(f)) << stored;
    auto again = inbound_from_json(stored);
    ASSERT_TRUE(again) << stored;
    EXPECT_EQ(again->fact.index(), f.index()) << stored;
    EXPECT_EQ(to_json_text(*again), stored);
    if (const auto* receipt = std::get_if<Receipt>(&again->fact)) {
      EXPECT_EQ(receipt->kind, Receipt::Kind::kRead);
      EXPECT_EQ(receipt->ids, (std::vector<std::string>{"m-1", "m-2"}));
      EXPECT_EQ(receipt->watermark, 1458668856253);
    }
    if (const auto* info = std::get_if<SharedInfo>(&again->fact)) {
      EXPECT_EQ(info->name, "Trần Thị B");
    }
  }

  // Bytes that are not UTF-8 (no adapter passes them on) are replaced, never an exception.
  InboundEvent broken;
  broken.event_id = "e";
  broken.text = "a\xC3";
  auto replaced = inbound_from_json(to_json_text(broken));
  ASSERT_TRUE(replaced);
  EXPECT_EQ(replaced->text, "a\xEF\xBF\xBD");
}

// Events stored by the release before typed facts (extra as a free JSON object) still read.
TEST(Message, EventsStoredByTheEarlierReleaseStillRead) {
  auto e = inbound_from_json(
      R"({"account":"oa","channel":"zalo","event_id":"x","extra":{"event":"user_submit_info",)"
      R"("address":"1 Quang Trung","name":"A","phone":"0901","type":"shared_info"},)"
      R"("kind":"other","timestamp_ms":1,"user_id":"u"})");
  ASSERT_TRUE(e);
  EXPECT_EQ(e->platform_event, "user_submit_info");
  const auto* info = std::get_if<SharedInfo>(&e->fact);
  ASSERT_NE(info, nullptr);
  EXPECT_EQ(info->address, "1 Quang Trung");
}

TEST(Message, RejectsMalformedRows) {
  EXPECT_FALSE(inbound_from_json("not json"));
  EXPECT_FALSE(inbound_from_json(R"({"channel":"fax","kind":"message"})"));
  EXPECT_FALSE(outbound_from_json(R"({"buttons":[1,2]})"));
}

TEST(Message, OutboundMessageRoundTrips) {
  OutboundMessage m;
  m.text = "Xin chào";
  m.buttons = {{"Menu", "menu", ""}, {"Trang web", "", "https://example.gov.vn"}};
  m.items = {{"Nhãn hiệu", "", "ex:ip-trademark"}};
  auto back = outbound_from_json(nlohmann::json(m).dump());
  ASSERT_TRUE(back);
  ASSERT_EQ(back->buttons.size(), 2u);
  EXPECT_EQ(back->buttons[1].url, "https://example.gov.vn");
  ASSERT_EQ(back->items.size(), 1u);
  EXPECT_EQ(back->items[0].payload, "ex:ip-trademark");
}

TEST(Text, ValidatesUtf8) {
  EXPECT_TRUE(text::valid_utf8("Đăng ký"));
  EXPECT_FALSE(text::valid_utf8("\xC3"));          // truncated
  EXPECT_FALSE(text::valid_utf8("\xC0\xAF"));      // overlong
  EXPECT_FALSE(text::valid_utf8("\xED\xA0\x80"));  // surrogate
}

TEST(Text, CountsAndCutsAtCodePoints) {
  EXPECT_EQ(text::code_points("Đăng ký"), 7u);
  EXPECT_EQ(text::prefix_code_points("Đăng ký", 2), "Đă");
  EXPECT_EQ(text::prefix_code_points("abc", 10), "abc");
}

TEST(Text, SplitsLongTextAtSentenceEndsWithinTheLimit) {
  std::string s;
  for (int i = 0; i < 30; ++i) s += "Câu số " + std::to_string(i) + " nói về nhãn hàng hóa. ";
  const auto parts = text::split_for_limit(s, 100);
  ASSERT_GT(parts.size(), 1u);
  std::string joined;
  for (const auto& p : parts) {
    EXPECT_LE(text::code_points(p), 100u);
    EXPECT_TRUE(text::valid_utf8(p));
    EXPECT_EQ(p.back(), '.') << p;  // every part ends at a sentence end
    joined += p + " ";
  }
  EXPECT_EQ(text::trim(joined), text::trim(s));
}

TEST(Text, SplitsTextWithoutBreaksAtCodePointBoundaries) {
  std::string s;
  for (int i = 0; i < 50; ++i) s += "đ";
  const auto parts = text::split_for_limit(s, 16);
  ASSERT_EQ(parts.size(), 4u);
  for (const auto& p : parts) EXPECT_TRUE(text::valid_utf8(p));
  EXPECT_EQ(text::code_points(parts[0]), 16u);
}

TEST(Text, CleansInputOfControlCharactersAndBadBytes) {
  EXPECT_EQ(text::clean_input("  a\x01"
                              "b\n c  ",
                              100),
            "a b\n c");
  EXPECT_EQ(text::clean_input("x\xFFy", 100), "x\xEF\xBF\xBDy");
  EXPECT_EQ(text::clean_input("Đăng ký nhé", 4), "Đăng");
}

TEST(Text, FillsPlaceholdersAndLeavesUnknownOnes) {
  EXPECT_EQ(text::fill("Chào {name}, {x}", {{"name", "An"}}), "Chào An, {x}");
  EXPECT_EQ(text::fill("{a}{a}", {{"a", "1"}}), "11");
}

TEST(Metrics, RendersPrometheusText) {
  Metrics m;
  m.describe("t_total", "things", Metrics::Type::kCounter);
  m.describe("lat_seconds", "latency", Metrics::Type::kHistogram, {0.1, 1});
  m.inc("t_total", {{"route", "a\"b"}});
  m.inc("t_total", {{"route", "a\"b"}}, 2);
  m.observe("lat_seconds", {}, 0.05);
  m.observe("lat_seconds", {}, 0.5);
  m.observe("lat_seconds", {}, 5);
  const std::string out = m.render();
  EXPECT_NE(out.find("# TYPE t_total counter"), std::string::npos);
  EXPECT_NE(out.find("t_total{route=\"a\\\"b\"} 3"), std::string::npos) << out;
  EXPECT_NE(out.find("lat_seconds_bucket{le=\"0.1\"} 1"), std::string::npos) << out;
  EXPECT_NE(out.find("lat_seconds_bucket{le=\"1\"} 2"), std::string::npos) << out;
  EXPECT_NE(out.find("lat_seconds_bucket{le=\"+Inf\"} 3"), std::string::npos) << out;
  EXPECT_NE(out.find("lat_seconds_count 3"), std::string::npos);
  EXPECT_EQ(m.value("t_total", {{"route", "a\"b"}}), 3);
}

// A handle adds to the same series as inc() by name, from many threads without losing a count.
TEST(Metrics, CounterHandlesAddToTheirSeriesFromManyThreads) {
  Metrics m;
  const Metrics::Counter c = m.counter("req_total", {{"route", "x"}});
  EXPECT_NE(m.render().find("req_total{route=\"x\"} 0"), std::string::npos);
  m.inc("req_total", {{"route", "x"}}, 5);
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&] {
      for (int i = 0; i < 10'000; ++i) c.inc();
    });
  for (auto& t : threads) t.join();
  EXPECT_EQ(m.value("req_total", {{"route", "x"}}), 40'005);
  EXPECT_EQ(m.value("req_total", {{"route", "y"}}), 0);
  Metrics::Counter none;
  none.inc();  // counts nothing, and does not crash
  EXPECT_FALSE(none);
}

}  // namespace
}  // namespace outreach
