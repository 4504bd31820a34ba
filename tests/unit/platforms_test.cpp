// Zalo OA and Messenger: signatures, webhook parsing with the published sample payloads,
// rendering for each platform's limits, and the clients' error mapping and token rotation
// against the mock platform (a real HTTP server on loopback) and a real SQLite token store.
#include <thread>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/use_future.hpp>
#include <gtest/gtest.h>

#include "bot/app/token_store.hpp"
#include "bot/channels/messenger/messenger.hpp"
#include "bot/channels/zalo/zalo_client.hpp"
#include "bot/channels/zalo/zalo_webhook.hpp"
#include "bot/core/text.hpp"
#include "bot/net/crypto.hpp"
#include "storage/db_executor.hpp"
#include "tests/support/temp_dir.hpp"
#include "tools/mock_platform/mock_platform.hpp"
#include "tools/mock_platform/webhooks.hpp"

namespace outreach {
namespace {
namespace asio = boost::asio;
using namespace std::chrono_literals;
using Json = nlohmann::json;
using channels::Delivery;
using channels::SendResult;

// The ids of the official Zalo samples (zalo-oa.md §2).
constexpr const char* kAppId = "360846524940903967";
constexpr const char* kOaId = "388613280878808645";
constexpr const char* kUser = "246845883529197922";
constexpr const char* kOaSecret = "TEST_OA_SECRET_KEY";
constexpr std::int64_t kSampleTime = 1718000100000;

channels::zalo::Account zalo_account() {
  return {"go-vap", kOaId, kAppId, "Phường Gò Vấp", kOaSecret, "zalo-app-secret"};
}

// ---------------------------------------------------------------- signatures

TEST(Crypto, ZaloPublishedTestVectors) {
  // zalo-oa.md §1.2, V1 and V2 (computed with sha256sum over app_id + body + timestamp + secret).
  const std::string v1 =
      R"({"app_id":"360846524940903967","sender":{"id":"246845883529197922"},"user_id_by_app":"552177279717587730","recipient":{"id":"388613280878808645"},"event_name":"user_send_text","message":{"text":"message","msg_id":"96d3cdf3af150460909"},"timestamp":"154390853474"})";
  ASSERT_EQ(v1.size(), 263u);
  EXPECT_EQ(channels::zalo::Webhook::sign(kAppId, v1, "154390853474", kOaSecret),
            "mac=adc0ba9d0c046b376915f3b101b0e9f716b67fa8e79bead2d898364e8cf0bc84");
  const std::string v2 =
      R"({"app_id":"360846524940903967","sender":{"id":"246845883529197922"},"user_id_by_app":"552177279717587730","recipient":{"id":"388613280878808645"},"event_name":"user_send_text","message":{"text":"Tôi cần làm lại CCCD","msg_id":"96d3cdf3af150460910"},"timestamp":"1718000100000"})";
  ASSERT_EQ(v2.size(), 283u);
  EXPECT_EQ(channels::zalo::Webhook::sign(kAppId, v2, "1718000100000", kOaSecret),
            "mac=60d1da9564ceb3b7391beb0d0734193c6e38168e3e14477ea40aaed0cdcb2ae2");
}

TEST(Crypto, HmacVectorsAndConstantTimeCompare) {
  // RFC 4231 test case 2 and RFC 2202 test case 2.
  EXPECT_EQ(net::hmac_sha256_hex("Jefe", "what do ya want for nothing?"),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
  EXPECT_EQ(net::hmac_sha1_hex("Jefe", "what do ya want for nothing?"),
            "effcdf6ae5eb2fa2d27416d5f184df9c259a7c79");
  EXPECT_TRUE(net::constant_time_equal("abc", "abc"));
  EXPECT_FALSE(net::constant_time_equal("abc", "abd"));
  EXPECT_FALSE(net::constant_time_equal("abc", "abcd"));
  EXPECT_FALSE(net::constant_time_equal("", "a"));
  EXPECT_EQ(net::lower_hex("ABCDEF01"), "abcdef01");
}

TEST(Crypto, KeyedContextsAreReusedCorrectlyAcrossKeysAndThreads) {
  // The MAC contexts are cached per thread and key: a reused context must start afresh, keys
  // must not leak into each other, and more keys than the cache holds must still be right.
  const std::string key1(20, '\x0b');  // RFC 4231 test case 1
  const std::string want1 = "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7";
  const std::string want2 = "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843";
  auto check = [&] {
    for (int round = 0; round < 3; ++round) {
      EXPECT_EQ(net::hmac_sha256_hex(key1, "Hi There"), want1);
      EXPECT_EQ(net::hmac_sha256_hex("Jefe", "what do ya want for nothing?"), want2);
      for (int k = 0; k < 20; ++k) net::hmac_sha256_hex("key-" + std::to_string(k), "x");
    }
    EXPECT_EQ(net::hmac_sha1_hex("Jefe", "what do ya want for nothing?"),
              "effcdf6ae5eb2fa2d27416d5f184df9c259a7c79");
    EXPECT_EQ(net::sha256_hex("abc"),
              "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    EXPECT_EQ(net::sha256_hex({"a", "", "bc"}), net::sha256_hex("abc"));
  };
  check();
  std::thread other(check);
  other.join();
}

// ---------------------------------------------------------------- Zalo webhook

class ZaloWebhookTest : public ::testing::Test {
 protected:
  FakeClock clock{kSampleTime + 60'000};
  channels::zalo::Webhook hook{{zalo_account()}, 10min, clock};

  Result<std::vector<InboundEvent>> deliver(Json event, std::string secret = kOaSecret) {
    auto r = mock::zalo_signed(std::move(event), kAppId, secret, kSampleTime);
    return hook.handle(r.headers[1].second, r.body);
  }

  // The same, as Zalo re-sends it: the identical body with a num_retry header.
  Result<std::vector<InboundEvent>> redeliver(Json event, std::string_view num_retry) {
    auto r = mock::zalo_signed(std::move(event), kAppId, kOaSecret, kSampleTime);
    return hook.handle(r.headers[1].second, r.body, {}, num_retry);
  }

  // One of the samples of zalo-oa.md §2.5, at kSampleTime.
  static Json sample(std::string event_name, Json message, bool from_oa = false) {
    Json j = {{"app_id", kAppId},
              {"sender", {{"id", from_oa ? kOaId : kUser}}},
              {"user_id_by_app", "552177279717587730"},
              {"recipient", {{"id", from_oa ? kUser : kOaId}}},
              {"event_name", std::move(event_name)},
              {"timestamp", std::to_string(kSampleTime)}};
    if (!message.is_null())
      j["message"] = std::move(message);
    return j;
  }
};

TEST_F(ZaloWebhookTest, TextFromThePublishedSampleBecomesAMessage) {
  auto events = deliver(sample(
      "user_send_text", {{"text", "Tôi cần làm lại CCCD"}, {"msg_id", "96d3cdf3af150460910"}}));
  ASSERT_TRUE(events) << events.error().message();
  ASSERT_EQ(events->size(), 1u);
  const InboundEvent& e = events->front();
  EXPECT_EQ(e.channel, ChannelKind::kZalo);
  EXPECT_EQ(e.account, kOaId);
  EXPECT_EQ(e.user_id, kUser);
  EXPECT_EQ(e.event_id, "96d3cdf3af150460910");
  EXPECT_EQ(e.kind, EventKind::kMessage);
  EXPECT_EQ(e.text, "Tôi cần làm lại CCCD");
  EXPECT_EQ(e.timestamp_ms, kSampleTime);
}

TEST_F(ZaloWebhookTest, SignatureAcceptedWithOrWithoutPrefixAndInUpperCase) {
  auto r = mock::zalo_signed(sample("user_send_text", {{"text", "hi"}, {"msg_id", "m1"}}), kAppId,
                             kOaSecret, kSampleTime);
  const std::string hex = r.headers[1].second.substr(4);
  EXPECT_TRUE(hook.handle("mac=" + hex, r.body));
  EXPECT_TRUE(hook.handle(hex, r.body));
  std::string upper = hex;
  for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  EXPECT_TRUE(hook.handle("mac=" + upper, r.body));
}

TEST_F(ZaloWebhookTest, TheDocumentedSignatureVariantsAreAccepted) {
  // OA id instead of app id first, or the app secret instead of the OA secret (zalo-oa.md,
  // Uncertain 1).
  auto r = mock::zalo_signed(sample("user_send_text", {{"text", "hi"}, {"msg_id", "m1"}}), kAppId,
                             kOaSecret, kSampleTime);
  const std::string ts = std::to_string(kSampleTime);
  EXPECT_TRUE(hook.handle("mac=" + net::sha256_hex({kOaId, r.body, ts, kOaSecret}), r.body));
  EXPECT_TRUE(
      hook.handle("mac=" + net::sha256_hex({kAppId, r.body, ts, "zalo-app-secret"}), r.body));
  EXPECT_EQ(hook.handle("mac=" + net::sha256_hex({kAppId, r.body, ts, "another"}), r.body).error(),
            Errc::kBadSignature);
}

TEST_F(ZaloWebhookTest, BadMissingOrTamperedSignaturesAreRefused) {
  auto r = mock::zalo_signed(sample("user_send_text", {{"text", "hi"}, {"msg_id", "m1"}}), kAppId,
                             kOaSecret, kSampleTime);
  EXPECT_EQ(hook.handle("", r.body).error(), Errc::kBadSignature);
  EXPECT_EQ(hook.handle("mac=", r.body).error(), Errc::kBadSignature);
  EXPECT_EQ(hook.handle("mac=00", r.body).error(), Errc::kBadSignature);
  std::string tampered = r.body;
  tampered.replace(tampered.find("\"hi\""), 4, "\"ho\"");
  EXPECT_EQ(hook.handle(r.headers[1].second, tampered).error(), Errc::kBadSignature);
  EXPECT_EQ(
      deliver(sample("user_send_text", {{"text", "hi"}, {"msg_id", "m1"}}), "wrong-secret").error(),
      Errc::kBadSignature);
}

TEST_F(ZaloWebhookTest, StaleAndFutureTimestampsAreRefused) {
  clock.set(kSampleTime + 11 * 60'000);
  EXPECT_EQ(deliver(sample("user_send_text", {{"text", "hi"}, {"msg_id", "m1"}})).error(),
            Errc::kStaleTimestamp);
  clock.set(kSampleTime - 11 * 60'000);
  EXPECT_EQ(deliver(sample("user_send_text", {{"text", "hi"}, {"msg_id", "m1"}})).error(),
            Errc::kStaleTimestamp);
  clock.set(kSampleTime + 9 * 60'000);
  EXPECT_TRUE(deliver(sample("user_send_text", {{"text", "hi"}, {"msg_id", "m1"}})));
}

TEST_F(ZaloWebhookTest, ZalosOwnResendsMayBeOlderThanTheSkewUpToTheRetryWindow) {
  const Json text = sample("user_send_text", {{"text", "hi"}, {"msg_id", "m1"}});
  // Zalo's ladder: 30 s, 5 min, 15 min, 30 min, 1 h — the last arrives nearly 2 h late.
  clock.set(kSampleTime + 110 * 60'000);
  EXPECT_EQ(deliver(text).error(), Errc::kStaleTimestamp);  // no num_retry: the skew holds
  auto late = redeliver(text, "5");
  ASSERT_TRUE(late) << late.error().message();
  ASSERT_EQ(late->size(), 1u);
  EXPECT_EQ((*late)[0].event_id, "m1");
  EXPECT_EQ((*late)[0].timestamp_ms, kSampleTime);  // the inbox finds the first delivery by it
  clock.set(kSampleTime + 121 * 60'000);
  EXPECT_EQ(redeliver(text, "5").error(), Errc::kStaleTimestamp);
  // The future stays bounded by the skew, retry or not; an empty header is no retry.
  clock.set(kSampleTime - 11 * 60'000);
  EXPECT_EQ(redeliver(text, "1").error(), Errc::kStaleTimestamp);
  clock.set(kSampleTime + 11 * 60'000);
  EXPECT_EQ(redeliver(text, "  ").error(), Errc::kStaleTimestamp);
  // A window shorter than the skew is the skew.
  channels::zalo::Webhook narrow{{zalo_account()}, 10min, clock, 1min};
  auto r = mock::zalo_signed(text, kAppId, kOaSecret, kSampleTime);
  clock.set(kSampleTime + 9 * 60'000);
  EXPECT_TRUE(narrow.handle(r.headers[1].second, r.body, {}, "1"));
}

TEST_F(ZaloWebhookTest, UnknownAccountsAndMalformedBodiesAreRefused) {
  Json other = sample("user_send_text", {{"text", "hi"}, {"msg_id", "m1"}});
  other["recipient"]["id"] = "999";
  EXPECT_EQ(deliver(other).error(), Errc::kUnknownAccount);
  EXPECT_EQ(hook.handle("mac=00", "not json").error(), Errc::kMalformedPayload);
  EXPECT_EQ(hook.handle("mac=00", "[1,2]").error(), Errc::kMalformedPayload);
  auto probe = hook.handle("", "{}");  // Zalo's check of a newly saved URL
  ASSERT_TRUE(probe);
  EXPECT_TRUE(probe->empty());
}

// Members of the wrong type read as absent; an event without the member that names the person
// carries nothing to answer and is accepted empty.
TEST_F(ZaloWebhookTest, OddShapesReadAsAbsentNotAsErrors) {
  Json text_as_number = sample("user_send_text", {{"text", 42}, {"msg_id", "m1"}});
  auto events = deliver(text_as_number);
  ASSERT_TRUE(events) << events.error().message();
  ASSERT_EQ(events->size(), 1u);
  EXPECT_EQ(events->front().text, "");  // Zalo's text member is read only as a string
  Json message_as_text = sample("user_send_image", nullptr);
  message_as_text["message"] = "image";
  events = deliver(message_as_text);
  ASSERT_TRUE(events);
  ASSERT_EQ(events->size(), 1u);
  EXPECT_EQ(events->front().event_id,
            "user_send_image:" + std::string(kUser) + ":" + std::to_string(kSampleTime));
  EXPECT_EQ(events->front().attachment, "");
  Json no_person = sample("user_send_text", {{"text", "hi"}, {"msg_id", "m2"}});
  no_person["sender"] = Json::array();
  events = deliver(no_person);
  ASSERT_TRUE(events);
  EXPECT_TRUE(events->empty());
  EXPECT_EQ(hook.handle("mac=00", "{\"app_id\":\"\xc3\"}").error(), Errc::kMalformedPayload);
}

TEST_F(ZaloWebhookTest, EveryDocumentedEventMapsToItsKind) {
  struct Case {
    Json event;
    EventKind kind;
    std::string type;  // fact_name(fact) for kOther
  };

  Json follow = {{"oa_id", kOaId},
                 {"follower", {{"id", kUser}}},
                 {"event_name", "follow"},
                 {"app_id", kAppId}};
  Json unfollow = follow;
  unfollow["event_name"] = "unfollow";
  Json chatnow = {{"app_id", kAppId},
                  {"oa_id", kOaId},
                  {"user_id", kUser},
                  {"event_name", "user_click_chatnow"}};
  Json staff =
      sample("oa_send_text",
             {{"text", "Dạ, hồ sơ cần CCCD bản gốc."}, {"msg_id", "63ecf43f0df7dba892e6"}}, true);
  staff["sender"]["admin_id"] = "5555";
  Json submit = sample("user_submit_info", nullptr);
  submit["info"] = {{"name", "Nguyễn Văn A"},
                    {"phone", "0901234567"},
                    {"address", "1 Quang Trung"},
                    {"ward", "Gò Vấp"}};
  const std::vector<Case> cases = {
      {sample("user_send_image",
              {{"text", ""}, {"msg_id", "a1"}, {"attachments", {{{"type", "image"}}}}}),
       EventKind::kMessage, ""},
      {sample("user_send_location", {{"msg_id", "a2"}, {"attachments", {{{"type", "location"}}}}}),
       EventKind::kMessage, ""},
      {sample("user_send_sticker", {{"msg_id", "a3"}, {"attachments", {{{"type", "sticker"}}}}}),
       EventKind::kMessage, ""},
      {sample("user_send_link", {{"text", "https://dichvucong.gov.vn"}, {"msg_id", "a4"}}),
       EventKind::kMessage, ""},
      {sample("user_send_file", {{"msg_id", "a5"}, {"attachments", {{{"type", "file"}}}}}),
       EventKind::kMessage, ""},
      {follow, EventKind::kFollow, ""},
      {unfollow, EventKind::kUnfollow, ""},
      {chatnow, EventKind::kFollow, ""},
      {staff, EventKind::kOther, "staff_reply"},
      {submit, EventKind::kOther, "shared_info"},
      {sample("user_seen_message", {{"msg_ids", {"63ecf43f0df7dba892e6"}}}, true),
       EventKind::kOther, "receipt"},
      {sample("user_received_message", {{"msg_id", "63ecf43f0df7dba892e6"}}, true),
       EventKind::kOther, "receipt"},
      {sample("user_reacted_message",
              {{"msg_id", "63ecf43f0df7dba892e6"}, {"react_icon", "/-strong"}}),
       EventKind::kOther, "reaction"},
      {sample("user_send_business_card", {{"msg_id", "a6"}}), EventKind::kMessage, ""},
      {sample("add_user_to_tag", nullptr), EventKind::kOther, "unknown"},
  };
  for (const auto& c : cases) {
    const std::string name = c.event["event_name"];
    auto events = deliver(c.event);
    ASSERT_TRUE(events) << name << ": " << events.error().message();
    ASSERT_EQ(events->size(), 1u) << name;
    const InboundEvent& e = events->front();
    EXPECT_EQ(e.kind, c.kind) << name;
    EXPECT_EQ(e.user_id, kUser) << name;
    EXPECT_FALSE(e.event_id.empty()) << name;
    if (!c.type.empty()) {
      EXPECT_EQ(fact_name(e.fact), c.type) << name;
    }
  }
}

TEST_F(ZaloWebhookTest, OurOwnEchoesAreDroppedButStaffRepliesAreKept) {
  auto own = deliver(sample("oa_send_text", {{"text", "bot"}, {"msg_id", "x"}}, true));
  ASSERT_TRUE(own);
  EXPECT_TRUE(own->empty());
}

TEST_F(ZaloWebhookTest, SharedInfoAndReceiptsCarryTheirFields) {
  Json submit = sample("user_submit_info", nullptr);
  submit["info"] = {
      {"name", "Trần Thị B"},
      {"phone", "0901234567"},
      {"full_address",
       {{"user_address", "12 Lê Đức Thọ"}, {"user_ward", "An Hội Tây"}, {"user_city", "TP.HCM"}}}};
  auto e = deliver(submit);
  ASSERT_TRUE(e);
  const auto* info = std::get_if<SharedInfo>(&e->front().fact);
  ASSERT_NE(info, nullptr);
  EXPECT_EQ(info->name, "Trần Thị B");
  EXPECT_EQ(info->phone, "0901234567");
  EXPECT_EQ(info->address, "12 Lê Đức Thọ, An Hội Tây, TP.HCM");
  auto seen = deliver(sample("user_seen_message", {{"msg_ids", {"m-1", "m-2"}}}, true));
  ASSERT_TRUE(seen);
  const auto* receipt = std::get_if<Receipt>(&seen->front().fact);
  ASSERT_NE(receipt, nullptr);
  EXPECT_EQ(receipt->kind, Receipt::Kind::kRead);
  EXPECT_EQ(receipt->ids, (std::vector<std::string>{"m-1", "m-2"}));
}

TEST_F(ZaloWebhookTest, ButtonPayloadsComeBackAsPostbacks) {
  auto e = deliver(sample("user_send_text", {{"text", "#ob:ex:labelling"}, {"msg_id", "p1"}}));
  ASSERT_TRUE(e);
  EXPECT_EQ(e->front().kind, EventKind::kPostback);
  EXPECT_EQ(e->front().payload, "ex:labelling");
}

// ---------------------------------------------------------------- Messenger webhook

constexpr const char* kPage = "112233445566778";
constexpr const char* kFbSecret = "fb-app-secret";

channels::messenger::Account page_account() {
  return {"go-vap", kPage, "Phường Gò Vấp", kFbSecret, "page-token", "verify-me"};
}

class MessengerWebhookTest : public ::testing::Test {
 protected:
  channels::messenger::Webhook hook{{page_account()}, false};

  Result<std::vector<InboundEvent>> deliver(const Json& body) {
    auto r = mock::messenger_signed(body, kFbSecret);
    return hook.handle(r.headers[1].second, r.headers[2].second, r.body);
  }

  static Json messenger_batch_of(std::vector<Json> items) {
    return mock::messenger_batch(kPage, std::move(items), 1458692752478);
  }

  static Json item(const std::string& psid, Json fields) {
    Json j = {
        {"sender", {{"id", psid}}}, {"recipient", {{"id", kPage}}}, {"timestamp", 1458692752478}};
    j.update(fields);
    return j;
  }
};

TEST_F(MessengerWebhookTest, SubscriptionCheckEchoesTheChallengeOnlyForTheRightToken) {
  EXPECT_EQ(*hook.subscribe("subscribe", "verify-me", "1158201444"), "1158201444");
  EXPECT_FALSE(hook.subscribe("subscribe", "wrong", "1158201444"));
  EXPECT_FALSE(hook.subscribe("unsubscribe", "verify-me", "1158201444"));
  EXPECT_FALSE(hook.subscribe("subscribe", "verify-me", ""));
}

TEST_F(MessengerWebhookTest, EveryEntryAndEveryMessagingItemOfABatch) {
  Json body = {
      {"object", "page"},
      {"entry",
       {{{"id", kPage},
         {"time", 1458692752478},
         {"messaging",
          {item("u1", {{"message", {{"mid", "m1"}, {"text", "xin chào"}}}}),
           item("u2", {{"message", {{"mid", "m2"}, {"text", "đo lường"}}}})}}},
        {{"id", kPage},
         {"time", 1458692752479},
         {"messaging",
          {item("u1", {{"postback", {{"title", "Menu"}, {"payload", "menu"}, {"mid", "pb1"}}}}),
           item("u3",
                {{"message",
                  {{"mid", "m3"}, {"text", "1"}, {"quick_reply", {{"payload", "ex:x"}}}}}})}}}}}};
  auto events = deliver(body);
  ASSERT_TRUE(events) << events.error().message();
  ASSERT_EQ(events->size(), 4u);
  EXPECT_EQ((*events)[0].text, "xin chào");
  EXPECT_EQ((*events)[0].event_id, "m1");
  EXPECT_EQ((*events)[1].user_id, "u2");
  EXPECT_EQ((*events)[2].kind, EventKind::kPostback);
  EXPECT_EQ((*events)[2].payload, "menu");
  EXPECT_EQ((*events)[3].kind, EventKind::kPostback);
  EXPECT_EQ((*events)[3].payload, "ex:x");
  for (const auto& e : *events) {
    EXPECT_EQ(e.channel, ChannelKind::kMessenger);
    EXPECT_EQ(e.account, kPage);
  }
}

TEST_F(MessengerWebhookTest, EchoesDeliveriesReadsStandbyAndReferrals) {
  Json body = messenger_batch_of({
      item(kPage, {{"recipient", {{"id", "u1"}}},
                   {"message", {{"is_echo", true}, {"mid", "e1"}, {"metadata", "outreach-bot"}}}}),
      item(kPage, {{"recipient", {{"id", "u1"}}},
                   {"message", {{"is_echo", true}, {"mid", "e2"}, {"text", "Chào anh"}}}}),
      item("u1", {{"delivery", {{"mids", {"mid.1"}}, {"watermark", 1458668856253}}}}),
      item("u1", {{"read", {{"watermark", 1458668856253}}}}),
      item("u1", {{"postback", {{"payload", "GET_STARTED"}, {"title", "Bắt đầu"}}}}),
      item("u1", {{"referral",
                   {{"ref", "ex:labelling"}, {"source", "SHORTLINK"}, {"type", "OPEN_THREAD"}}}}),
      item("u1", {{"message", {{"mid", "m9"}, {"attachments", {{{"type", "image"}}}}}}}),
  });
  body["entry"][0]["standby"] = {item("u2", {{"message", {{"mid", "s1"}, {"text", "hi"}}}})};
  auto events = deliver(body);
  ASSERT_TRUE(events);
  ASSERT_EQ(events->size(), 7u);  // our own echo is dropped
  EXPECT_TRUE(std::holds_alternative<StaffReply>((*events)[0].fact));
  EXPECT_EQ((*events)[0].user_id, "u1");
  const auto* delivered = std::get_if<Receipt>(&(*events)[1].fact);
  ASSERT_NE(delivered, nullptr);
  EXPECT_EQ(delivered->kind, Receipt::Kind::kDelivered);
  EXPECT_EQ(delivered->ids, std::vector<std::string>{"mid.1"});
  const auto* read = std::get_if<Receipt>(&(*events)[2].fact);
  ASSERT_NE(read, nullptr);
  EXPECT_EQ(read->kind, Receipt::Kind::kRead);
  EXPECT_EQ(read->watermark, 1458668856253);
  EXPECT_EQ((*events)[3].kind, EventKind::kFollow);
  EXPECT_EQ((*events)[4].kind, EventKind::kPostback);
  EXPECT_EQ((*events)[4].payload, "ex:labelling");
  EXPECT_EQ((*events)[5].attachment, "image");
  EXPECT_TRUE(std::holds_alternative<Standby>((*events)[6].fact));
}

TEST_F(MessengerWebhookTest, SignaturesAreCheckedOverTheRawBytes) {
  const Json body =
      messenger_batch_of({item("u1", {{"message", {{"mid", "m1"}, {"text", "äöå"}}}})});
  auto r = mock::messenger_signed(body, kFbSecret);
  EXPECT_TRUE(hook.handle(r.headers[1].second, "", r.body));
  EXPECT_EQ(hook.handle("", "", r.body).error(), Errc::kBadSignature);
  EXPECT_EQ(hook.handle("sha256=" + std::string(64, '0'), "", r.body).error(), Errc::kBadSignature);
  EXPECT_EQ(hook.handle("sha1=" + net::hmac_sha1_hex(kFbSecret, r.body), "", r.body).error(),
            Errc::kBadSignature);
  // The legacy sha1 header counts only when enabled.
  EXPECT_EQ(hook.handle("", r.headers[2].second, r.body).error(), Errc::kBadSignature);
  channels::messenger::Webhook legacy({page_account()}, true);
  EXPECT_TRUE(legacy.handle("", r.headers[2].second, r.body));
  // The same JSON re-serialised with escapes is different bytes: its signature differs.
  const std::string escaped = body.dump(-1, ' ', true);
  ASSERT_NE(escaped, r.body);
  EXPECT_EQ(hook.handle(r.headers[1].second, "", escaped).error(), Errc::kBadSignature);
  auto malformed = "{\"object\":";
  EXPECT_EQ(
      hook.handle("sha256=" + net::hmac_sha256_hex(kFbSecret, malformed), "", malformed).error(),
      Errc::kMalformedPayload);
}

// Platform JSON is read defensively: ids as numbers past 2^53 or as strings, members of the
// wrong type read as absent, items that are not objects are skipped, an event of an unknown
// kind is stored under an id that is the same on every redelivery; what is not JSON at all
// (or not UTF-8) is refused as malformed.
TEST_F(MessengerWebhookTest, OddShapesReadAsAbsentNotAsErrors) {
  Json numeric = item("u1", {{"message", {{"mid", "m1"}, {"text", "a"}}}});
  numeric["sender"]["id"] = 7000000000000000123ULL;
  numeric["timestamp"] = "1458692752478";
  Json wrong_sender = item("u2", {{"message", {{"mid", "m2"}, {"text", "b"}}}});
  wrong_sender["sender"] = "u2";
  Json optin = item("u3", {{"optin", {{"type", "notification_messages"}, {"payload", "x"}}}});
  Json body = messenger_batch_of(
      {numeric, "not an event", wrong_sender, optin,
       item("u4", {{"message", {{"mid", "m4"}, {"text", 5}, {"attachments", "image"}}}})});
  auto events = deliver(body);
  ASSERT_TRUE(events) << events.error().message();
  ASSERT_EQ(events->size(), 3u);
  EXPECT_EQ((*events)[0].user_id, "7000000000000000123");
  EXPECT_EQ((*events)[0].timestamp_ms, 1458692752478);
  EXPECT_EQ((*events)[1].user_id, "u3");
  EXPECT_EQ((*events)[1].kind, EventKind::kOther);
  EXPECT_TRUE(std::holds_alternative<UnknownEvent>((*events)[1].fact));
  EXPECT_TRUE((*events)[1].event_id.starts_with("event:u3:1458692752478:"))
      << (*events)[1].event_id;
  EXPECT_EQ(deliver(body)->at(1).event_id, (*events)[1].event_id);
  EXPECT_EQ((*events)[2].event_id, "m4");
  EXPECT_EQ((*events)[2].text, "5");  // a number where text belongs reads as its digits
  EXPECT_EQ((*events)[2].attachment, "");

  // A large batch (past what a parser keeps between requests), then a small one: both read.
  std::vector<Json> many;
  for (int i = 0; i < 600; ++i)
    many.push_back(item("u" + std::to_string(i),
                        {{"message", {{"mid", "big" + std::to_string(i)}, {"text", "xin chào"}}}}));
  auto big = deliver(messenger_batch_of(many));
  ASSERT_TRUE(big);
  ASSERT_EQ(big->size(), 600u);
  EXPECT_EQ(big->back().event_id, "big599");
  EXPECT_EQ(deliver(body)->at(2).event_id, "m4");

  Json not_batches = {{"object", "page"}, {"entry", "x"}};
  ASSERT_TRUE(deliver(not_batches));
  EXPECT_TRUE(deliver(not_batches)->empty());
  for (const std::string bad : {"[1]", "\"page\"", "{\"object\":\"page\"", "{\"a\":\"\xff\"}"}) {
    EXPECT_EQ(hook.handle("sha256=" + net::hmac_sha256_hex(kFbSecret, bad), "", bad).error(),
              Errc::kMalformedPayload)
        << bad;
  }
}

TEST_F(MessengerWebhookTest, EntriesOfOtherPagesAreSkipped) {
  Json body = messenger_batch_of({item("u1", {{"message", {{"mid", "m1"}, {"text", "a"}}}})});
  body["entry"].push_back(
      {{"id", "999"},
       {"time", 1},
       {"messaging", {item("u9", {{"message", {{"mid", "x"}, {"text", "b"}}}})}}});
  auto events = deliver(body);
  ASSERT_TRUE(events);
  ASSERT_EQ(events->size(), 1u);
  EXPECT_EQ(events->front().user_id, "u1");
}

// ---------------------------------------------------------------- rendering

OutboundMessage with_buttons(std::string text, int n) {
  OutboundMessage m;
  m.text = std::move(text);
  for (int i = 1; i <= n; ++i)
    m.buttons.push_back(
        {"Lựa chọn số " + std::to_string(i) + " khá dài", "p" + std::to_string(i), ""});
  return m;
}

std::string long_text(int sentences) {
  std::string s;
  for (int i = 0; i < sentences; ++i)
    s += "Câu thứ " + std::to_string(i) + " nói về đo lường và chất lượng hàng hoá. ";
  return s;
}

TEST(ZaloRender, ButtonsUseTheTemplateWithinItsLimits) {
  auto parts = channels::zalo::render(with_buttons("Chọn một mục", 3), "u1", true, "Gõ số");
  ASSERT_EQ(parts.size(), 1u);
  const Json& buttons = parts[0]["message"]["attachment"]["payload"]["buttons"];
  ASSERT_EQ(buttons.size(), 3u);
  EXPECT_EQ(buttons[0]["type"], "oa.query.hide");
  EXPECT_EQ(buttons[0]["payload"], "#ob:p1");
  EXPECT_EQ(parts[0]["recipient"]["user_id"], "u1");
}

TEST(ZaloRender, TooManyButtonsOrNoTemplatesGiveNumberedText) {
  for (auto parts :
       {channels::zalo::render(with_buttons("Chọn", 6), "u1", true, "Gõ số để chọn"),
        channels::zalo::render(with_buttons("Chọn", 2), "u1", false, "Gõ số để chọn")}) {
    ASSERT_EQ(parts.size(), 1u);
    EXPECT_FALSE(parts[0]["message"].contains("attachment"));
    const std::string t = parts[0]["message"]["text"];
    EXPECT_NE(t.find("1. Lựa chọn số 1"), std::string::npos) << t;
    EXPECT_NE(t.find("Gõ số để chọn"), std::string::npos) << t;
  }
}

TEST(ZaloRender, LongTextIsSplitAtSentenceEndsUnderTheLimits) {
  const std::string text = long_text(120);  // ~7,000 characters
  auto parts = channels::zalo::render(with_buttons(text, 2), "u1", true, "");
  ASSERT_GE(parts.size(), 4u);
  std::string joined;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    const std::string t = parts[i]["message"]["text"];
    EXPECT_LE(text::code_points(t), 2000u);
    EXPECT_TRUE(t.ends_with(".")) << "part " << i << " ends mid-sentence: …"
                                  << t.substr(t.size() - 20);
    joined += t + " ";
  }
  EXPECT_LE(text::code_points(parts.back()["message"]["text"].get<std::string>()),
            640u);  // under the buttons
  EXPECT_TRUE(parts.back()["message"].contains("attachment"));
  EXPECT_EQ(std::string(text::trim(joined)), std::string(text::trim(text)));
}

TEST(Render, AnHttpsImageGoesFirstOnBothPlatformsAndALocalOneStaysALink) {
  OutboundMessage m = with_buttons("Vé của bạn", 2);
  m.image_url = "https://bot.example.gov.vn/t/abcdefghjkmnpqrstuvw.png";
  const auto z = channels::zalo::render(m, "u1", true, "");
  ASSERT_EQ(z.size(), 2u);
  EXPECT_EQ(z[0]["message"]["attachment"]["payload"]["template_type"], "media");
  EXPECT_EQ(z[0]["message"]["attachment"]["payload"]["elements"][0]["url"], m.image_url);
  EXPECT_TRUE(z[1]["message"]["attachment"]["payload"].contains("buttons"));
  const auto f = channels::messenger::render(m, "psid", "RESPONSE", "", "");
  ASSERT_EQ(f.size(), 2u);
  EXPECT_EQ(f[0]["message"]["attachment"]["type"], "image");
  EXPECT_EQ(f[0]["message"]["attachment"]["payload"]["url"], m.image_url);
  EXPECT_FALSE(f[0]["message"].contains("text"));
  EXPECT_TRUE(f[1]["message"].contains("quick_replies"));
  // The platforms cannot fetch a local address: only the link in the text.
  m.image_url = "http://127.0.0.1:8080/t/abcdefghjkmnpqrstuvw.png";
  EXPECT_EQ(channels::zalo::render(m, "u1", true, "").size(), 1u);
  EXPECT_EQ(channels::messenger::render(m, "psid", "RESPONSE", "", "").size(), 1u);
}

TEST(MessengerRender, ChoicesBecomeQuickRepliesWithinLimits) {
  auto parts =
      channels::messenger::render(with_buttons("Chọn", 3), "psid", "RESPONSE", "", "Gõ số");
  ASSERT_EQ(parts.size(), 1u);
  const Json& qr = parts[0]["message"]["quick_replies"];
  ASSERT_EQ(qr.size(), 3u);
  EXPECT_LE(text::code_points(qr[0]["title"].get<std::string>()), 20u);
  EXPECT_EQ(qr[0]["payload"], "p1");
  EXPECT_EQ(parts[0]["messaging_type"], "RESPONSE");
  EXPECT_EQ(parts[0]["message"]["metadata"], "outreach-bot");

  auto many = channels::messenger::render(with_buttons("Chọn", 14), "psid", "UPDATE", "", "Gõ số");
  EXPECT_FALSE(many.back()["message"].contains("quick_replies"));
  EXPECT_NE(many.back()["message"]["text"].get<std::string>().find("14. Lựa chọn số 14"),
            std::string::npos);

  auto split =
      channels::messenger::render(with_buttons(long_text(100), 2), "psid", "RESPONSE", "", "");
  ASSERT_GE(split.size(), 3u);
  for (const auto& p : split)
    EXPECT_LT(text::code_points(p["message"]["text"].get<std::string>()), 2000u);
  EXPECT_TRUE(split.back()["message"].contains("quick_replies"));
  EXPECT_FALSE(split.front()["message"].contains("quick_replies"));
}

// ---------------------------------------------------------------- clients against the mock

class ClientTest : public ::testing::Test {
 protected:
  ClientTest() {
    // One ZBS template with two parameters and a quota of 2; one utility template.
    mock.add_zalo_oa({kOaId,
                      kAppId,
                      "zalo-app-secret",
                      "access-0",
                      "refresh-0",
                      {{"240001", {"title", "ward"}}},
                      2});
    mock.add_page({kPage, "page-token", {{"ward_update", 1}}});
    mock.start();
    storage::DbOptions o;
    o.path = dir.file("t.sqlite3");
    db = std::make_unique<storage::DbExecutor>(o, true);
    tokens = std::make_unique<app::DbTokenStore>(*db, clock);
    seed("refresh-0", "access-0", clock.now_ms() + 20 * 3'600'000LL);
    channels::zalo::ClientOptions zo;
    zo.api_base_url = mock.base_url();
    zo.oauth_base_url = mock.base_url();
    zo.number_hint = [](const std::string&) {
      return std::string("Gõ số");
    };
    zalo = std::make_unique<channels::zalo::Client>(http, *tokens, std::vector{zalo_account()}, zo,
                                                    clock, metrics);
    channels::messenger::ClientOptions mo;
    mo.api_base_url = mock.base_url() + "/v25.0";
    messenger = std::make_unique<channels::messenger::Client>(http, std::vector{page_account()}, mo,
                                                              clock, metrics);
  }

  ~ClientTest() override {
    mock.stop();
    // A pool thread may still be waking the DB executor after a test's future is ready: join the
    // pool before the executor is destroyed (ThreadSanitizer saw the race).
    pool.join();
  }

  void seed(const std::string& refresh, const std::string& access, std::int64_t expires) {
    db->run_sync([&](storage::Store& s) {
      s.tokens.seed("zalo:go-vap", refresh, access, expires, clock.now_ms(), true);
    });
  }

  std::optional<storage::TokenRow> token_row() {
    return db->run_sync([](storage::Store& s) { return s.tokens.get("zalo:go-vap"); });
  }

  template <class T>
  T run(asio::awaitable<T> aw) {
    return asio::co_spawn(pool, std::move(aw), asio::use_future).get();
  }

  Delivery delivery(ChannelKind ch, std::string text, std::int64_t ago = 60'000) {
    Delivery d;
    d.outbox_id = 1;
    d.kind = MessageKind::kReply;
    d.message.text = std::move(text);
    d.account = ch == ChannelKind::kZalo ? kOaId : kPage;
    d.user_id = "u1";
    d.language = "vi";
    d.last_interaction_at = clock.now_ms() - ago;
    return d;
  }

  SendResult send_zalo(const Delivery& d) { return run(zalo->send(d)); }

  struct Expected {
    std::string fault;
    SendResult::Kind kind;
    std::chrono::milliseconds after;
  };

  // Each fault once, then what the client decided.
  void expect_outcomes(mock::Platform platform, const std::vector<Expected>& cases) {
    const ChannelKind ch =
        platform == mock::Platform::kZalo ? ChannelKind::kZalo : ChannelKind::kMessenger;
    for (const Expected& c : cases) {
      mock.fail(platform, {c.fault, 1, 0ms});
      const Delivery d = delivery(ch, "x");
      auto r = ch == ChannelKind::kZalo ? send_zalo(d) : run(messenger->send(d));
      EXPECT_EQ(r.kind, c.kind) << c.fault << ": " << r.error;
      EXPECT_EQ(r.retry_after, c.after) << c.fault;
      EXPECT_FALSE(r.error.empty()) << c.fault;
    }
  }

  SendResult send_messenger(const Delivery& d) { return run(messenger->send(d)); }

  testing::TempDir dir;
  FakeClock clock{1'795'831'200'000};
  Metrics metrics;
  mock::MockPlatform mock;
  asio::thread_pool pool{2};
  net::HttpClient http{pool.get_executor()};
  std::unique_ptr<storage::DbExecutor> db;
  std::unique_ptr<app::DbTokenStore> tokens;
  std::unique_ptr<channels::zalo::Client> zalo;
  std::unique_ptr<channels::messenger::Client> messenger;
};

TEST_F(ClientTest, ZaloSendsWithTheAccessTokenHeaderAndRecordsTheMessageId) {
  auto r = send_zalo(delivery(ChannelKind::kZalo, "Xin chào"));
  EXPECT_EQ(r.kind, SendResult::Kind::kSent) << r.error;
  EXPECT_EQ(r.window, "free");
  EXPECT_EQ(r.parts_sent, 1);
  auto calls = mock.calls(mock::Platform::kZalo);
  ASSERT_EQ(calls.size(), 1u);
  EXPECT_EQ(calls[0].account, kOaId);
  EXPECT_EQ(calls[0].text, "Xin chào");
  EXPECT_EQ(r.platform_message_id, calls[0].message_id);
}

TEST_F(ClientTest, ZaloWindowRules) {
  auto paid = send_zalo(delivery(ChannelKind::kZalo, "sau 3 ngày", 3 * 86'400'000LL));
  EXPECT_EQ(paid.kind, SendResult::Kind::kSent);
  EXPECT_EQ(paid.window, "paid");
  auto outside = send_zalo(delivery(ChannelKind::kZalo, "sau 8 ngày", 8 * 86'400'000LL));
  EXPECT_EQ(outside.kind, SendResult::Kind::kSkip);
  EXPECT_EQ(mock.calls(mock::Platform::kZalo).size(), 1u);  // nothing sent past 7 days
}

TEST_F(ClientTest, ZaloErrorCodesMapToWhatToDo) {
  using K = SendResult::Kind;
  expect_outcomes(mock::Platform::kZalo, {{"http500", K::kRetry, 0ms},
                                          {"rate_limit", K::kRetry, 60s},
                                          {"outside_window", K::kSkip, 0ms},
                                          {"unavailable", K::kGiveUp, 0ms}});
  EXPECT_EQ(send_zalo(delivery(ChannelKind::kZalo, "x")).kind, SendResult::Kind::kSent);
}

TEST_F(ClientTest, ZaloSlowAnswersTimeOutAsRetries) {
  channels::zalo::ClientOptions zo;
  zo.api_base_url = mock.base_url();
  zo.oauth_base_url = mock.base_url();
  zo.timeout = 300ms;
  channels::zalo::Client impatient(http, *tokens, {zalo_account()}, zo, clock, metrics);
  mock.fail(mock::Platform::kZalo, {"slow", 1, 2000ms});
  auto r = run(impatient.send(delivery(ChannelKind::kZalo, "x")));
  EXPECT_EQ(r.kind, SendResult::Kind::kRetry);
}

TEST_F(ClientTest, ZaloRefusedTemplateFallsBackToNumberedText) {
  mock.fail(mock::Platform::kZalo, {"template_refused", 1, 0ms});
  Delivery d = delivery(ChannelKind::kZalo, "Chọn");
  d.message = with_buttons("Chọn", 2);
  auto r = send_zalo(d);
  EXPECT_EQ(r.kind, SendResult::Kind::kSent) << r.error;
  auto calls = mock.calls(mock::Platform::kZalo);
  ASSERT_EQ(calls.size(), 2u);
  EXPECT_EQ(calls[0].outcome, "-201");
  EXPECT_NE(calls[1].text.find("1. Lựa chọn số 1"), std::string::npos);
  // The OA is remembered as template-less: no second refusal.
  send_zalo(d);
  EXPECT_EQ(mock.calls(mock::Platform::kZalo).size(), 3u);
}

TEST_F(ClientTest, ZaloLongMessageKeepsProgressAcrossRetries) {
  Delivery d = delivery(ChannelKind::kZalo, long_text(100));
  const auto parts = channels::zalo::render(d.message, "u1", true, "Gõ số").size();
  ASSERT_GE(parts, 3u);
  auto first = send_zalo(d);  // all parts
  EXPECT_EQ(first.parts_sent, static_cast<int>(parts));
  mock.reset();
  d.parts_sent = 1;  // as if part 1 went out on an earlier attempt
  auto rest = send_zalo(d);
  EXPECT_EQ(rest.kind, SendResult::Kind::kSent);
  EXPECT_EQ(mock.calls(mock::Platform::kZalo).size(), parts - 1);
}

TEST_F(ClientTest, ExpiredAccessTokenIsRefreshedOnceAndTheSendSucceeds) {
  mock.expire_access_token(kOaId);
  auto r = send_zalo(delivery(ChannelKind::kZalo, "x"));
  EXPECT_EQ(r.kind, SendResult::Kind::kSent) << r.error;
  EXPECT_EQ(mock.calls(mock::Platform::kZalo, "refresh").size(), 1u);
  auto row = token_row();
  ASSERT_TRUE(row);
  EXPECT_EQ(row->state, TokenHealth::kOk);
  EXPECT_EQ(row->refresh_token, mock.zalo_oa(kOaId)->refresh_token);
  EXPECT_EQ(row->access_token, mock.zalo_oa(kOaId)->access_token);
  EXPECT_EQ(row->rotations, 1);
}

TEST_F(ClientTest, OneRefreshAtATimeWhateverTheNumberOfSenders) {
  seed("refresh-0", "access-0", clock.now_ms() + 60'000);  // inside refresh_ahead: refresh due
  mock.hold_refresh(mock::Hold::kBeforeRotation);
  std::vector<Delivery> deliveries(8,
                                   delivery(ChannelKind::kZalo, "x"));  // alive while the sends run
  std::vector<std::future<SendResult>> sends;
  for (const auto& d : deliveries)
    sends.push_back(asio::co_spawn(pool, zalo->send(d), asio::use_future));
  for (int i = 0; i < 500 && !mock.refresh_held(); ++i) std::this_thread::sleep_for(10ms);
  ASSERT_TRUE(mock.refresh_held());
  std::this_thread::sleep_for(100ms);
  mock.release_refresh();
  for (auto& f : sends) {
    auto r = f.get();
    EXPECT_EQ(r.kind, SendResult::Kind::kSent) << r.error;
  }
  EXPECT_EQ(mock.calls(mock::Platform::kZalo, "refresh").size(), 1u);
  EXPECT_EQ(zalo->refreshes(), 1u);
}

TEST_F(ClientTest, TokensAreProactivelyRefreshedAheadOfExpiry) {
  run(zalo->keep_fresh());  // 20 h left: nothing to do
  EXPECT_EQ(mock.calls(mock::Platform::kZalo, "refresh").size(), 0u);
  clock.advance(19h);  // 1 h left, within the 2 h ahead
  run(zalo->keep_fresh());
  EXPECT_EQ(mock.calls(mock::Platform::kZalo, "refresh").size(), 1u);
  EXPECT_GT(token_row()->access_expires_at,
            clock.now_ms() + 24 * 3'600'000LL);  // expires_in "90000" s
}

TEST_F(ClientTest, ARefusedRefreshMarksTheTokensLostAndKeepsMessagesQueued) {
  mock.expire_access_token(kOaId);
  mock.fail(mock::Platform::kZalo, {"refresh_refused", 1, 0ms});
  auto r = send_zalo(delivery(ChannelKind::kZalo, "x"));
  EXPECT_EQ(r.kind, SendResult::Kind::kRetry);
  EXPECT_NE(r.error.find("authorise"), std::string::npos) << r.error;
  EXPECT_EQ(token_row()->state, TokenHealth::kLost);
  // No refresh loop: later sends wait without calling the platform again.
  auto again = send_zalo(delivery(ChannelKind::kZalo, "x"));
  EXPECT_EQ(again.kind, SendResult::Kind::kRetry);
  EXPECT_EQ(mock.calls(mock::Platform::kZalo, "refresh").size(), 1u);
}

TEST_F(ClientTest, AFailedRefreshCallKeepsTheStoredPairUsable) {
  seed("refresh-0", "access-0", clock.now_ms() + 60'000);
  mock.fail(mock::Platform::kZalo, {"refresh_http500", 1, 0ms});
  auto r = send_zalo(delivery(ChannelKind::kZalo, "x"));
  EXPECT_EQ(r.kind, SendResult::Kind::kSent) << r.error;  // the old access token still works
  auto row = token_row();
  EXPECT_EQ(row->refresh_token, "refresh-0");
  EXPECT_EQ(row->state, TokenHealth::kRefreshing);  // outcome unknown until the next try
  run(zalo->keep_fresh());                          // no hammering: the next try waits a minute
  EXPECT_EQ(mock.calls(mock::Platform::kZalo, "refresh").size(), 1u);
  clock.advance(61s);
  run(zalo->keep_fresh());  // the next try uses the same refresh token: it was never used
  EXPECT_EQ(mock.calls(mock::Platform::kZalo, "refresh").size(), 2u);
  EXPECT_EQ(token_row()->state, TokenHealth::kOk);
  EXPECT_EQ(token_row()->refresh_token, mock.zalo_oa(kOaId)->refresh_token);
}

TEST_F(ClientTest, MessengerSendsInsideTheWindowWithTheRightType) {
  auto r = send_messenger(delivery(ChannelKind::kMessenger, "Xin chào"));
  EXPECT_EQ(r.kind, SendResult::Kind::kSent) << r.error;
  auto calls = mock.calls(mock::Platform::kMessenger);
  ASSERT_EQ(calls.size(), 1u);
  EXPECT_EQ(calls[0].body["messaging_type"], "RESPONSE");
  EXPECT_EQ(r.platform_message_id, calls[0].message_id);

  Delivery notice = delivery(ChannelKind::kMessenger, "Nhắc lịch", 3'600'000);
  notice.kind = MessageKind::kReminder;
  EXPECT_EQ(send_messenger(notice).kind, SendResult::Kind::kSent);
  EXPECT_EQ(mock.calls(mock::Platform::kMessenger).back().body["messaging_type"], "UPDATE");
}

TEST_F(ClientTest, MessengerWindowAndHumanAgentTag) {
  auto late = send_messenger(delivery(ChannelKind::kMessenger, "x", 25 * 3'600'000LL));
  EXPECT_EQ(late.kind, SendResult::Kind::kSkip);
  Delivery staff = delivery(ChannelKind::kMessenger, "Cán bộ trả lời", 3 * 86'400'000LL);
  staff.kind = MessageKind::kStaff;
  EXPECT_EQ(send_messenger(staff).kind, SendResult::Kind::kSent);
  auto calls = mock.calls(mock::Platform::kMessenger);
  ASSERT_EQ(calls.size(), 1u);
  EXPECT_EQ(calls[0].body["messaging_type"], "MESSAGE_TAG");
  EXPECT_EQ(calls[0].body["tag"], "HUMAN_AGENT");
  staff.last_interaction_at = clock.now_ms() - 8 * 86'400'000LL;
  EXPECT_EQ(send_messenger(staff).kind, SendResult::Kind::kSkip);
}

TEST_F(ClientTest, MessengerErrorCodesMapToWhatToDo) {
  using K = SendResult::Kind;
  expect_outcomes(mock::Platform::kMessenger, {{"http500", K::kRetry, 0ms},
                                               {"rate_limit", K::kRetry, 60s},
                                               {"outside_window", K::kSkip, 0ms},
                                               {"unavailable", K::kGiveUp, 0ms},
                                               {"expired_token", K::kRetry, 10min}});
  EXPECT_EQ(
      metrics.value("outreach_platform_alerts_total", {{"channel", "messenger"}, {"code", "190"}}),
      1.0);
}

Delivery with_template(Delivery d,
                       std::string name,
                       std::vector<std::pair<std::string, std::string>> params) {
  d.kind = MessageKind::kBroadcast;
  d.message.platform_template = PlatformTemplate{std::move(name), "vi", std::move(params)};
  return d;
}

TEST_F(ClientTest, ZaloTemplateBeyondTheWindowReadsTheQuotaAndStopsAtZero) {
  // Twenty days since the person wrote: a consultation message would be skipped, a template goes.
  const std::int64_t ago = 20 * 86'400'000LL;
  EXPECT_EQ(send_zalo(delivery(ChannelKind::kZalo, "x", ago)).kind, SendResult::Kind::kSkip);
  const auto tpl = [&](std::vector<std::pair<std::string, std::string>> p) {
    return with_template(delivery(ChannelKind::kZalo, "Thông báo", ago), "240001", std::move(p));
  };
  auto r = send_zalo(tpl({{"title", "Lớp tập huấn nhãn hiệu"}, {"ward", "Gò Vấp"}}));
  ASSERT_EQ(r.kind, SendResult::Kind::kSent) << r.error;
  EXPECT_EQ(r.window, "template");
  auto calls = mock.calls(mock::Platform::kZalo, "template");
  ASSERT_EQ(calls.size(), 1u);
  EXPECT_EQ(calls[0].body["user_id"], "u1");
  EXPECT_EQ(calls[0].body["template_id"], "240001");
  EXPECT_EQ(calls[0].body["template_data"]["title"], "Lớp tập huấn nhãn hiệu");
  EXPECT_EQ(r.platform_message_id, calls[0].message_id);
  EXPECT_EQ(metrics.value("outreach_zalo_template_quota_remaining", {{"account", "go-vap"}}), 1.0);

  // A parameter the template does not have: refused for good, no retry.
  r = send_zalo(tpl({{"title", "x"}, {"date", "18/05"}}));
  EXPECT_EQ(r.kind, SendResult::Kind::kGiveUp);
  EXPECT_NE(r.error.find("-201"), std::string::npos) << r.error;
  // Not a follower: refused for good.
  mock.fail(mock::Platform::kZalo, {"unavailable", 1, 0ms});
  r = send_zalo(tpl({{"title", "x"}, {"ward", "y"}}));
  EXPECT_EQ(r.kind, SendResult::Kind::kGiveUp);
  EXPECT_NE(r.error.find("-213"), std::string::npos) << r.error;
  // The last one of the quota goes; then the client waits an hour without calling Zalo.
  ASSERT_EQ(send_zalo(tpl({{"title", "x"}, {"ward", "y"}})).kind, SendResult::Kind::kSent);
  const auto before = mock.calls(mock::Platform::kZalo, "template").size();
  r = send_zalo(tpl({{"title", "x"}, {"ward", "y"}}));
  EXPECT_EQ(r.kind, SendResult::Kind::kRetry);
  EXPECT_EQ(r.retry_after, 1h);
  EXPECT_NE(r.error.find("quota"), std::string::npos) << r.error;
  EXPECT_EQ(mock.calls(mock::Platform::kZalo, "template").size(), before);
  clock.advance(61min);
  r = send_zalo(tpl({{"title", "x"}, {"ward", "y"}}));
  EXPECT_EQ(r.kind, SendResult::Kind::kRetry);  // Zalo says -211: still none left
  EXPECT_NE(r.error.find("-211"), std::string::npos) << r.error;
}

TEST_F(ClientTest, ZaloTemplateRefreshesAnExpiredTokenOnce) {
  mock.fail(mock::Platform::kZalo, {"expired_token", 1, 0ms});
  Delivery d = with_template(delivery(ChannelKind::kZalo, "x", 9 * 86'400'000LL), "240001",
                             {{"title", "a"}, {"ward", "b"}});
  auto r = send_zalo(d);
  EXPECT_EQ(r.kind, SendResult::Kind::kSent) << r.error;
  EXPECT_EQ(zalo->refreshes(), 1u);
  mock.fail(mock::Platform::kZalo, {"night", 1, 0ms});
  r = send_zalo(d);
  EXPECT_EQ(r.kind, SendResult::Kind::kRetry);
  EXPECT_EQ(r.retry_after, 1h);
}

TEST_F(ClientTest, MessengerUtilityTemplateGoesBeyondTheWindow) {
  const std::int64_t ago = 3 * 86'400'000LL;
  EXPECT_EQ(send_messenger(delivery(ChannelKind::kMessenger, "x", ago)).kind,
            SendResult::Kind::kSkip);
  auto r = send_messenger(with_template(delivery(ChannelKind::kMessenger, "x", ago), "ward_update",
                                        {{"", "Lớp tập huấn nhãn hiệu"}}));
  ASSERT_EQ(r.kind, SendResult::Kind::kSent) << r.error;
  EXPECT_EQ(r.window, "utility");
  auto calls = mock.calls(mock::Platform::kMessenger, "template");
  ASSERT_EQ(calls.size(), 1u);
  EXPECT_EQ(calls[0].body["messaging_type"], "UTILITY");
  EXPECT_EQ(calls[0].body["message"]["template"]["name"], "ward_update");
  EXPECT_EQ(calls[0].body["message"]["template"]["language"]["code"], "vi");
  EXPECT_EQ(calls[0].body["message"]["template"]["components"][0]["parameters"][0]["text"],
            "Lớp tập huấn nhãn hiệu");
  // A template the page does not have: refused for good.
  r = send_messenger(with_template(delivery(ChannelKind::kMessenger, "x", ago), "no_such", {}));
  EXPECT_EQ(r.kind, SendResult::Kind::kGiveUp);
}

TEST(MessageJson, ATemplateSurvivesTheOutbox) {
  OutboundMessage m;
  m.text = "Thông báo";
  m.platform_template = PlatformTemplate{"240001", "vi", {{"title", "A \"B\""}, {"ward", "C"}}};
  const auto back = outbound_from_json(nlohmann::json(m).dump());
  ASSERT_TRUE(back);
  ASSERT_TRUE(back->platform_template);
  EXPECT_EQ(*back->platform_template, *m.platform_template);
  EXPECT_FALSE(outbound_from_json(R"({"text":"x","template":{"params":[["a"]]}})"));
}

}  // namespace
}  // namespace outreach
