// Query strings and URLs (bot/net/url.hpp, net::Url::parse), read with Boost.URL.
#include "bot/net/url.hpp"

#include <gtest/gtest.h>

#include "bot/net/http_client.hpp"

namespace outreach {
namespace {

TEST(Url, QueryParametersAreDecodedAsAFormIs) {
  const auto q = net::parse_query("visitor=abc-123&lang=en&name=Nguy%E1%BB%85n+V%C4%83n+A&x=");
  ASSERT_TRUE(q.has_value());
  EXPECT_EQ(q->at("visitor"), "abc-123");
  EXPECT_EQ(q->at("lang"), "en");
  EXPECT_EQ(q->at("name"), "Nguyễn Văn A");  // '+' is a space, %-escapes are UTF-8 bytes
  EXPECT_EQ(q->at("x"), "");
  EXPECT_EQ(net::parse_query("a=1+%2B+2")->at("a"), "1 + 2");  // an escaped '+' stays a plus
  EXPECT_EQ(net::parse_query("hub.mode=subscribe&hub.challenge=1158201444")->at("hub.challenge"),
            "1158201444");
}

TEST(Url, AQueryInsideARequestTargetEndsWhereTheQueryEnds) {
  // The query of "GET /chat/ui?lang=en HTTP/1.1" as the server sees it: not NUL-terminated.
  const std::string_view request_line = "GET /chat/ui?lang=en&after=7 HTTP/1.1\r\n";
  const auto q = net::parse_query(request_line.substr(13, 15));
  ASSERT_TRUE(q.has_value());
  EXPECT_EQ(q->at("lang"), "en");
  EXPECT_EQ(q->at("after"), "7");
  const auto last = net::parse_query(request_line.substr(13, 7));
  ASSERT_TRUE(last.has_value());
  EXPECT_EQ(last->at("lang"), "en");
  EXPECT_EQ(last->size(), 1u);
}

TEST(Url, QueryEdgeCases) {
  EXPECT_TRUE(net::parse_query("")->empty());
  const auto q = net::parse_query("a=1&&=nameless&b&a=2&c=x=y");
  ASSERT_TRUE(q.has_value());
  EXPECT_EQ(q->size(), 3u);    // a, b, c; the parameters without a name are skipped
  EXPECT_EQ(q->at("a"), "2");  // the last value wins
  EXPECT_EQ(q->at("b"), "");
  EXPECT_EQ(q->at("c"), "x=y");
  std::string many;
  for (int i = 0; i < 40; ++i) many += "k" + std::to_string(i) + "=v&";
  const auto capped = net::parse_query(many, 16);
  ASSERT_TRUE(capped.has_value());
  EXPECT_EQ(capped->size(), 16u);
  EXPECT_TRUE(capped->contains("k0"));
  EXPECT_FALSE(capped->contains("k16"));
}

TEST(Url, MalformedQueriesAreRefusedNotGuessed) {
  // The hand-written decoders read "%-1" as the byte 0xFF and threw on "%zz"; a query with a
  // broken escape or a character that must be escaped is refused as a whole.
  for (const char* bad : {"a=%zz", "a=%-1", "a=%4", "a=%", "visitor=abc&after=%G1", "a=b c",
                          "a=<script>", "a=\"x\"", "a=x|y"}) {
    const auto q = net::parse_query(bad);
    ASSERT_FALSE(q.has_value()) << bad;
    EXPECT_EQ(q.error(), Errc::kMalformedPayload) << bad;
  }
  EXPECT_EQ(net::parse_query("a=%00")->at("a"), std::string(1, '\0'));  // valid, if odd
}

TEST(Url, EncodeKeepsOnlyUnreservedCharacters) {
  EXPECT_EQ(net::url_encode("abc-._~XYZ019"), "abc-._~XYZ019");
  EXPECT_EQ(net::url_encode("a b+c/d=e&f"), "a%20b%2Bc%2Fd%3De%26f");
  EXPECT_EQ(net::url_encode("đ"), "%C4%91");
  EXPECT_EQ(net::parse_query("t=" + net::url_encode("x+y z&w=%"))->at("t"), "x+y z&w=%");
}

TEST(Url, ParsesTheBaseUrlsOfThePlatforms) {
  auto u = net::Url::parse("https://openapi.zalo.me/v3.0/oa/message/cs");
  ASSERT_TRUE(u.has_value());
  EXPECT_EQ(u->scheme, "https");
  EXPECT_EQ(u->host, "openapi.zalo.me");
  EXPECT_EQ(u->port, "443");
  EXPECT_EQ(u->target, "/v3.0/oa/message/cs");
  u = net::Url::parse("http://127.0.0.1:18080/v21.0/me/messages?access_token=a%2Bb");
  ASSERT_TRUE(u.has_value());
  EXPECT_EQ(u->host, "127.0.0.1");
  EXPECT_EQ(u->port, "18080");
  EXPECT_EQ(u->target, "/v21.0/me/messages?access_token=a%2Bb");  // escapes kept for the wire
  EXPECT_EQ(net::Url::parse("http://example.com")->target, "/");
  EXPECT_EQ(net::Url::parse("http://example.com?x=1")->target, "/?x=1");
  u = net::Url::parse(std::string_view("http://example.com/a?b=1 and more").substr(0, 24));
  ASSERT_TRUE(u.has_value());
  EXPECT_EQ(u->target, "/a?b=1");
  u = net::Url::parse("http://[::1]:8080/x");
  ASSERT_TRUE(u.has_value());
  EXPECT_EQ(u->host, "::1");
  EXPECT_EQ(u->port, "8080");
  for (const char* bad :
       {"ftp://example.com/", "example.com/x", "http://", "http://:80/", "http://example.com:0/",
        "http://example.com:65536/", "http://example.com:/", "https://exa mple.com/", "http:/x"})
    EXPECT_FALSE(net::Url::parse(bad).has_value()) << bad;
}

}  // namespace
}  // namespace outreach
