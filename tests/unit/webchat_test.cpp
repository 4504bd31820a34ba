#include "bot/channels/web/webchat.hpp"

#include <thread>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>
#include <gtest/gtest.h>

#include "bot/channels/channel.hpp"

namespace outreach::channels::web {
namespace {
namespace asio = boost::asio;
using namespace std::chrono_literals;

const std::string kVisitor = "abcdefghijklmnop42";

TEST(WebChat, ParsesTextPayloadAndStart) {
  WebChat chat({});
  auto e = chat.parse_send(
      R"({"visitor":")" + kVisitor + R"(","id":"m1","text":"  Xin cha\u0300o  "})", 5);
  ASSERT_TRUE(e);
  EXPECT_EQ(e->kind, EventKind::kMessage);
  EXPECT_EQ(e->text, "Xin chào");            // trimmed and NFC
  EXPECT_EQ(e->event_id, kVisitor + "/m1");  // ids from browsers are unique per visitor only
  EXPECT_EQ(e->account, "web");
  e = chat.parse_send(
      R"({"visitor":")" + kVisitor + R"(","id":"m2","payload":"menu","text":"Menu"})", 5);
  ASSERT_TRUE(e);
  EXPECT_EQ(e->kind, EventKind::kPostback);
  EXPECT_EQ(e->payload, "menu");
  e = chat.parse_send(R"({"visitor":")" + kVisitor + R"(","id":"m3","type":"start","lang":"en"})",
                      5);
  ASSERT_TRUE(e);
  EXPECT_EQ(e->kind, EventKind::kFollow);
  EXPECT_EQ(e->language, "en");
}

TEST(WebChat, RefusesBadInputWithTheRightError) {
  WebChat chat({.max_text = 10});
  const std::string v = R"("visitor":")" + kVisitor + R"(")";
  EXPECT_EQ(chat.parse_send("nope", 0).error(), Errc::kMalformedPayload);
  EXPECT_EQ(chat.parse_send("[1]", 0).error(), Errc::kMalformedPayload);
  EXPECT_EQ(chat.parse_send(R"({"visitor":"short","id":"a","text":"x"})", 0).error(),
            Errc::kInvalidInput);
  EXPECT_EQ(chat.parse_send("{" + v + R"(,"text":"x"})", 0).error(), Errc::kInvalidInput);  // no id
  EXPECT_EQ(chat.parse_send("{" + v + R"(,"id":"a b","text":"x"})", 0).error(),
            Errc::kInvalidInput);
  EXPECT_EQ(chat.parse_send("{" + v + R"(,"id":"a","text":"   "})", 0).error(),
            Errc::kInvalidInput);
  EXPECT_EQ(chat.parse_send("{" + v + R"(,"id":"a","text":"01234567890"})", 0).error(),
            Errc::kTooLarge);
  EXPECT_EQ(chat.parse_send("{" + v + R"(,"id":"a","type":"hack"})", 0).error(),
            Errc::kInvalidInput);
  EXPECT_EQ(
      chat.parse_send("{" + v + R"(,"id":"a","payload":")" + std::string(300, 'p') + R"("})", 0)
          .error(),
      Errc::kInvalidInput);
}

TEST(WebChat, RateLimitsEachVisitorSeparately) {
  WebChat chat({.messages_per_minute = 30});
  int allowed = 0;
  for (int i = 0; i < 50; ++i) allowed += chat.allow("a", 1000) ? 1 : 0;
  EXPECT_EQ(allowed, 20);  // the burst
  EXPECT_TRUE(chat.allow("b", 1000));
  EXPECT_FALSE(chat.allow("a", 1000));
  EXPECT_TRUE(chat.allow("a", 1000 + 2000));  // one token per two seconds
}

TEST(WebChat, ANotifyBeforeTheWaitIsNotLost) {
  WebChat chat({});
  asio::io_context ioc;
  auto ticket = chat.register_poll(kVisitor);
  chat.notify(kVisitor);  // arrives between reading the transcript and waiting
  const auto t0 = std::chrono::steady_clock::now();
  auto done = asio::co_spawn(ioc, chat.wait(ticket, 5s), asio::use_future);
  ioc.run();
  done.get();
  EXPECT_LT(std::chrono::steady_clock::now() - t0, 1s);
  chat.unregister_poll(ticket);
  EXPECT_EQ(chat.waiting(), 0u);
}

TEST(WebChat, NotifyWakesAWaitingPollAndTimeoutEndsIt) {
  WebChat chat({});
  asio::io_context ioc;
  auto ticket = chat.register_poll(kVisitor);
  auto woken = asio::co_spawn(ioc, chat.wait(ticket, 10s), asio::use_future);
  std::thread t([&] { ioc.run(); });
  for (int i = 0; i < 200 && chat.waiting() == 0; ++i) std::this_thread::sleep_for(1ms);
  ASSERT_EQ(chat.waiting(), 1u);
  const auto t0 = std::chrono::steady_clock::now();
  chat.notify("someone-else-1234567");
  std::this_thread::sleep_for(20ms);
  EXPECT_EQ(chat.waiting(), 1u);  // others' messages don't wake this visitor
  chat.notify(kVisitor);
  t.join();
  woken.get();
  EXPECT_LT(std::chrono::steady_clock::now() - t0, 2s);
  ioc.restart();
  const auto t1 = std::chrono::steady_clock::now();
  auto timed_out = asio::co_spawn(ioc, chat.wait(ticket, 50ms), asio::use_future);
  ioc.run();
  timed_out.get();
  EXPECT_GE(std::chrono::steady_clock::now() - t1, 45ms);
  chat.unregister_poll(ticket);
}

TEST(WebChat, ShutdownReleasesEveryPoll) {
  WebChat chat({});
  asio::io_context ioc;
  auto ticket = chat.register_poll(kVisitor);
  auto f = asio::co_spawn(ioc, chat.wait(ticket, 30s), asio::use_future);
  std::thread t([&] { ioc.run(); });
  for (int i = 0; i < 200 && chat.waiting() == 0; ++i) std::this_thread::sleep_for(1ms);
  ASSERT_EQ(chat.waiting(), 1u);
  const auto t0 = std::chrono::steady_clock::now();
  chat.shutdown();
  // The poll waits 30 s unless shutdown releases it: it must end now, not at its timeout.
  const bool released = f.wait_for(5s) == std::future_status::ready;
  if (!released)
    ioc.stop();
  t.join();
  ASSERT_TRUE(released) << "shutdown() left the poll waiting";
  f.get();
  EXPECT_LT(std::chrono::steady_clock::now() - t0, 5s);
  EXPECT_EQ(chat.waiting(), 0u);
  // A poll that starts after shutdown returns at once too.
  auto late_ticket = chat.register_poll(kVisitor);
  asio::io_context again;
  auto late = asio::co_spawn(again, chat.wait(late_ticket, 30s), asio::use_future);
  std::thread t2([&] { again.run_for(5s); });
  const bool late_released = late.wait_for(5s) == std::future_status::ready;
  if (!late_released)
    again.stop();
  t2.join();
  EXPECT_TRUE(late_released);
}

TEST(Channel, NumberedRenderingMatchesTheChoiceOrder) {
  OutboundMessage m;
  m.text = "Chọn:";
  m.items = {{"Nhãn hiệu", "", "ex:a"}};
  m.buttons = {{"Menu", "menu", ""}, {"Web", "", "https://x.gov.vn"}};
  const std::string out = render_numbered(m, "(Gõ số)");
  EXPECT_EQ(out, "Chọn:\n\n1. Nhãn hiệu\n2. Menu\n🔗 Web: https://x.gov.vn\n(Gõ số)");
}

}  // namespace
}  // namespace outreach::channels::web
