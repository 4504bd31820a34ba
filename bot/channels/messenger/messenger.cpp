#include "bot/channels/messenger/messenger.hpp"

#include <algorithm>

#include "bot/channels/json_fields.hpp"
#include "bot/core/log.hpp"
#include "bot/core/text.hpp"
#include "bot/net/crypto.hpp"
#include "bot/text/unicode.hpp"

namespace outreach::channels::messenger {
namespace asio = boost::asio;
using Json = nlohmann::json;
using namespace std::chrono_literals;

namespace {

constexpr std::size_t kMaxText = 2000;
constexpr std::size_t kMaxQuickReplies = 13;
constexpr std::size_t kMaxQuickReplyTitle = 20;
constexpr std::int64_t kStandardWindowMs = 24LL * 3600 * 1000;
constexpr std::int64_t kHumanAgentWindowMs = 7LL * 24 * 3600 * 1000;

// Our payloads are "name" or "name:arg" of letters, digits and - _ : (see handlers.hpp).
bool looks_like_payload(std::string_view s) {
  return !s.empty() && s.size() <= 200 && std::all_of(s.begin(), s.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == ':';
  });
}

std::string clean(std::string_view s) {
  return text::nfc(text::clean_input(s, kMaxText));
}

// One messaging[] (or standby[]) item → at most one event.
std::optional<InboundEvent> parse_event(json::Value ev, const Account& account, bool standby) {
  if (ev.type() != json::Type::OBJECT)
    return std::nullopt;
  InboundEvent e;
  e.channel = ChannelKind::kMessenger;
  e.account = account.page_id;
  e.timestamp_ms = json::number(ev, "timestamp");
  const std::string sender = json::nested_id(ev, "sender");
  const std::string recipient = json::nested_id(ev, "recipient");
  e.user_id = sender;
  const std::string stamp = std::to_string(e.timestamp_ms);
  const auto message = json::member(ev, "message", json::Type::OBJECT);
  if (standby) {
    if (sender.empty())
      return std::nullopt;
    e.kind = EventKind::kOther;
    e.fact = Standby{};
    e.event_id = "standby:" + sender + ":" + stamp;
    if (message && json::has(*message, "mid"))
      e.event_id = "standby:" + json::text(*message, "mid");
    return e;
  }
  if (message) {
    const json::Value m = *message;
    const std::string mid = json::text(m, "mid");
    if (json::boolean(m, "is_echo")) {
      // What the page sent, coming back. Ours carry our metadata; anything else was a person
      // answering from the page inbox (or another tool): staff took over this conversation.
      if (json::str(m, "metadata") == kMetadata)
        return std::nullopt;
      e.user_id = recipient;
      e.kind = EventKind::kOther;
      e.fact = StaffReply{clean(json::str(m, "text"))};
      e.event_id = mid.empty() ? "echo:" + recipient + ":" + stamp : mid;
      return e.user_id.empty() ? std::nullopt : std::optional(e);
    }
    if (sender.empty())
      return std::nullopt;  // plugin users (user_ref) cannot be answered here
    e.event_id = mid.empty() ? "message:" + sender + ":" + stamp : mid;
    if (auto quick = json::member(m, "quick_reply", json::Type::OBJECT)) {
      e.kind = EventKind::kPostback;
      e.payload = json::text(*quick, "payload").substr(0, 1000);
      e.text = clean(json::text(m, "text"));
      return e;
    }
    e.kind = EventKind::kMessage;
    e.text = clean(json::text(m, "text"));
    if (auto attachment = json::first(m, "attachments"))
      e.attachment = json::text(attachment, "type");
    return e;
  }
  if (sender.empty())
    return std::nullopt;
  if (auto postback = json::member(ev, "postback", json::Type::OBJECT)) {
    const json::Value pb = *postback;
    const std::string payload = json::text(pb, "payload");
    e.event_id = json::has(pb, "mid") ? json::text(pb, "mid")
                                      : "postback:" + sender + ":" + stamp + ":" + payload;
    if (payload == "GET_STARTED") {
      e.kind = EventKind::kFollow;
      if (auto referral = json::member(pb, "referral", json::Type::OBJECT)) {
        const std::string ref = json::text(*referral, "ref");
        if (looks_like_payload(ref)) {  // m.me/<page>?ref=ex:labelling opens that explainer
          e.kind = EventKind::kPostback;
          e.payload = ref;
        }
      }
      return e;
    }
    e.kind = EventKind::kPostback;
    e.payload = payload.substr(0, 1000);
    e.text = clean(json::text(pb, "title"));
    return e;
  }
  if (auto referral = json::member(ev, "referral", json::Type::OBJECT)) {
    const std::string ref = json::text(*referral, "ref");
    e.event_id = "referral:" + sender + ":" + stamp;
    if (looks_like_payload(ref)) {
      e.kind = EventKind::kPostback;
      e.payload = ref;
    } else {
      e.kind = EventKind::kFollow;
    }
    return e;
  }
  for (const std::string_view receipt : {"delivery", "read"}) {
    const auto r = json::member(ev, receipt, json::Type::OBJECT);
    if (!r)
      continue;
    const std::int64_t watermark = json::number(*r, "watermark");
    e.kind = EventKind::kOther;
    Receipt fact;
    fact.kind = receipt == "read" ? Receipt::Kind::kRead : Receipt::Kind::kDelivered;
    fact.watermark = watermark;
    if (auto mids = json::array(r, "mids"))
      for (json::Value id : *mids)
        if (std::string_view s; id.get(s) == simdjson::SUCCESS)
          fact.ids.emplace_back(s);
    e.fact = std::move(fact);
    e.event_id = std::string(receipt) + ":" + sender + ":" + std::to_string(watermark);
    return e;
  }
  e.kind = EventKind::kOther;  // optins, reactions, anything new: stored, never an error
  e.fact = UnknownEvent{};
  e.event_id =
      "event:" + sender + ":" + stamp + ":" + net::sha256_hex(json::dump(ev)).substr(0, 12);
  return e;
}

}  // namespace

Webhook::Webhook(std::vector<Account> accounts, bool accept_sha1)
    : accounts_(std::move(accounts)), accept_sha1_(accept_sha1) {}

const Account* Webhook::by_page(std::string_view page_id) const {
  for (const auto& a : accounts_)
    if (a.page_id == page_id)
      return &a;
  return nullptr;
}

Result<std::string> Webhook::subscribe(std::string_view mode,
                                       std::string_view verify_token,
                                       std::string_view challenge) const {
  if (mode != "subscribe" || verify_token.empty() || challenge.empty() || challenge.size() > 128)
    return Errc::kBadSignature;
  for (const auto& a : accounts_)
    if (!a.verify_token.empty() && net::constant_time_equal(a.verify_token, verify_token))
      return std::string(challenge);
  return Errc::kBadSignature;
}

Result<std::vector<InboundEvent>> Webhook::handle(std::string_view signature_256,
                                                  std::string_view signature_sha1,
                                                  std::string_view body) const {
  // Which app secret signed it: try each distinct one (a deployment has one or a few apps).
  std::string given;
  bool sha1 = false;
  if (signature_256.starts_with("sha256=")) {
    given = net::lower_hex(signature_256.substr(7));
  } else if (accept_sha1_ && signature_sha1.starts_with("sha1=")) {
    given = net::lower_hex(signature_sha1.substr(5));
    sha1 = true;
  }
  if (given.empty())
    return Errc::kBadSignature;
  const std::string* secret = nullptr;
  for (auto a = accounts_.begin(); a != accounts_.end(); ++a) {
    const bool seen = std::any_of(accounts_.begin(), a, [&](const Account& b) {
      return b.app_secret == a->app_secret;  // each distinct secret is tried once
    });
    if (seen)
      continue;
    const std::string expected =
        sha1 ? net::hmac_sha1_hex(a->app_secret, body) : net::hmac_sha256_hex(a->app_secret, body);
    if (net::constant_time_equal(given, expected))
      secret = &a->app_secret;
  }
  if (secret == nullptr)
    return Errc::kBadSignature;

  const auto root = json::parse(body);
  if (!root || root->type() != json::Type::OBJECT)
    return Errc::kMalformedPayload;
  std::vector<InboundEvent> out;
  const auto entries = json::array(root, "entry");
  if (json::str(root, "object") != "page" || !entries)
    return out;
  for (json::Value entry : *entries) {
    if (entry.type() != json::Type::OBJECT)
      continue;
    const std::string page = json::text(entry, "id");
    const Account* account = by_page(page);
    if (account == nullptr || account->app_secret != *secret) {
      log::warn("messenger", "unknown_page", {{"page", page}});  // a page id is not personal data
      continue;
    }
    for (const auto& [field, standby] :
         {std::pair{"messaging", false}, std::pair{"standby", true}}) {
      const auto events = json::array(entry, field);
      if (!events)
        continue;
      for (json::Value ev : *events)
        if (auto e = parse_event(ev, *account, standby))
          out.push_back(std::move(*e));
    }
  }
  return out;
}

std::vector<Json> render(const OutboundMessage& m,
                         const std::string& psid,
                         const std::string& messaging_type,
                         const std::string& tag,
                         const std::string& hint) {
  // Text, then list items as numbered lines, then links as lines.
  std::string body = m.text;
  std::vector<std::pair<std::string, std::string>> replies;  // title, payload
  int n = 0;
  for (const auto& i : m.items) {
    body += n == 0 ? "\n\n" : "\n";
    ++n;
    body += std::to_string(n) + ". " + i.title;
    replies.emplace_back(std::to_string(n), i.payload);
  }
  for (const auto& b : m.buttons) {
    if (!b.payload.empty()) {
      std::string title(text::prefix_code_points(b.title, kMaxQuickReplyTitle));
      if (title.size() < b.title.size())
        title = std::string(text::prefix_code_points(b.title, kMaxQuickReplyTitle - 1)) + "…";
      replies.emplace_back(title, b.payload);
    } else if (!b.url.empty()) {
      body += "\n🔗 " + b.title + ": " + b.url;
    }
  }
  if (replies.size() > kMaxQuickReplies) {  // too many choices for buttons: number them all
    body = render_numbered(m, hint);
    replies.clear();
  }
  auto base = [&](Json message) {
    Json j = {{"recipient", {{"id", psid}}},
              {"messaging_type", messaging_type},
              {"message", std::move(message)}};
    if (!tag.empty())
      j["tag"] = tag;
    return j;
  };
  std::vector<Json> parts;
  // An image (a ticket's QR code) goes first, by URL (the platform fetches it: https only).
  if (m.image_url.starts_with("https://"))
    parts.push_back(base({{"attachment", {{"type", "image"}, {"payload", {{"url", m.image_url}}}}},
                          {"metadata", kMetadata}}));
  auto texts = text::split_for_limit(body, kMaxText - 1);
  if (texts.empty())
    texts.emplace_back("…");
  for (std::size_t i = 0; i < texts.size(); ++i) {
    Json message = {{"text", texts[i]}, {"metadata", kMetadata}};
    if (i + 1 == texts.size() && !replies.empty()) {
      Json qr = Json::array();
      for (const auto& [title, payload] : replies)
        qr.push_back(
            {{"content_type", "text"}, {"title", title}, {"payload", payload.substr(0, 1000)}});
      message["quick_replies"] = qr;
    }
    parts.push_back(base(std::move(message)));
  }
  return parts;
}

Json render_utility(const PlatformTemplate& t, const std::string& psid) {
  Json params = Json::array();
  for (const auto& [name, value] : t.params) params.push_back({{"type", "text"}, {"text", value}});
  Json tmpl = {{"name", t.name}, {"language", {{"code", t.language.empty() ? "vi" : t.language}}}};
  if (!params.empty())
    tmpl["components"] = Json::array({{{"type", "body"}, {"parameters", params}}});
  return {{"recipient", {{"id", psid}}},
          {"messaging_type", "UTILITY"},
          {"message", {{"template", std::move(tmpl)}}}};
}

Client::Client(net::HttpClient& http,
               std::vector<Account> accounts,
               ClientOptions options,
               const Clock& clock,
               Metrics& metrics)
    : http_(http),
      accounts_(std::move(accounts)),
      options_(std::move(options)),
      clock_(clock),
      metrics_(metrics) {
  for (const auto& a : accounts_)
    limiters_[a.page_id] = std::make_unique<RateLimiter>(options_.rate_per_second, 1000ms);
}

const Account* Client::account_for(std::string_view page_id) const {
  for (const auto& a : accounts_)
    if (a.page_id == page_id)
      return &a;
  return nullptr;
}

asio::awaitable<SendResult> Client::send(const Delivery& d) {
  const Account* account = account_for(d.account);
  if (account == nullptr)
    co_return SendResult::give_up("no Facebook page configured with id " + d.account);
  const std::int64_t since = clock_.now_ms() - d.last_interaction_at;
  std::string messaging_type = d.kind == MessageKind::kReply ? "RESPONSE" : "UPDATE";
  std::string tag;
  std::vector<Json> parts;
  if (d.message.platform_template) {
    parts.push_back(render_utility(*d.message.platform_template, d.user_id));
  } else if (since > kStandardWindowMs) {
    if (d.kind != MessageKind::kStaff || since > kHumanAgentWindowMs)
      co_return SendResult::skip("outside Messenger's 24-hour window");
    messaging_type = "MESSAGE_TAG";  // a person answering, up to 7 days
    tag = "HUMAN_AGENT";
  }
  if (parts.empty()) {
    const std::string hint =
        options_.number_hint ? options_.number_hint(d.language) : std::string{};
    parts = render(d.message, d.user_id, messaging_type, tag, hint);
  }
  SendResult result;
  if (d.message.platform_template)
    result.window = "utility";
  result.parts_sent = d.parts_sent;
  auto retry = [&](std::string why, std::chrono::milliseconds after = {}) {
    SendResult r = SendResult::retry(std::move(why), after);
    r.parts_sent = result.parts_sent;
    return r;
  };
  for (std::size_t i = static_cast<std::size_t>(d.parts_sent); i < parts.size(); ++i) {
    co_await limiters_.at(account->page_id)->acquire(d.kind == MessageKind::kBroadcast);
    net::HttpCall call;
    call.url = options_.api_base_url + "/me/messages?access_token=" + account->page_token;
    call.headers = {{"Content-Type", "application/json"}};
    call.body = parts[i].dump();
    call.timeout = options_.timeout;
    std::string why;
    auto reply = co_await http_.request(std::move(call), &why);
    if (!reply)
      co_return retry("Messenger send: " + why);
    // Read what the answer says before the next co_await (the parse belongs to this thread).
    const auto j = json::parse(reply->body);
    const bool is_object = j && j->type() == json::Type::OBJECT;
    if (reply->status == 200 && is_object && json::has(*j, "message_id")) {
      result.platform_message_id = json::text(*j, "message_id");
      result.parts_sent = static_cast<int>(i + 1);
      continue;
    }
    const auto err = is_object ? json::member(*j, "error") : std::nullopt;
    if (reply->status >= 500 || !err)
      co_return retry("Messenger send: HTTP " + std::to_string(reply->status));
    const std::int64_t code = json::number(*err, "code");
    const std::int64_t sub = json::number(*err, "error_subcode");
    const std::string described = "Messenger error " + std::to_string(code) +
                                  (sub ? "/" + std::to_string(sub) : "") + ": " +
                                  json::str(*err, "message");
    if (code == 10 && sub == 2018278) {
      SendResult r = SendResult::skip(described + " (outside the window)");
      r.parts_sent = result.parts_sent;
      co_return r;
    }
    if (code == 551 || code == 100)
      co_return SendResult::give_up(described);
    if (code == 190 || code == 200 || (code == 10 && sub == 1893063)) {
      // The page token or the page itself: a person must act. Keep the message queued.
      log::error("messenger", "page_problem", {{"account", account->id}, {"error", described}});
      metrics_.inc("outreach_platform_alerts_total",
                   {{"channel", "messenger"}, {"code", std::to_string(code)}});
      co_return retry(described, 10min);
    }
    if (code == 613 || code == 4)
      co_return retry(described, 60s);
    co_return retry(described);  // 1200, 2, 2018300, 2018321, anything new
  }
  co_return result;
}

asio::awaitable<Result<std::string>> Client::set_profile(const Account& account,
                                                         Json profile,
                                                         std::string* detail) {
  net::HttpCall call;
  call.url = options_.api_base_url + "/me/messenger_profile?access_token=" + account.page_token;
  call.headers = {{"Content-Type", "application/json"}};
  call.body = profile.dump();
  call.timeout = options_.timeout;
  std::string why;
  auto reply = co_await http_.request(std::move(call), &why);
  if (!reply) {
    if (detail)
      *detail = why;
    co_return make_error_code(Errc::kUnavailable);
  }
  if (reply->status != 200) {
    if (detail) {
      *detail = "HTTP " + std::to_string(reply->status);
      const auto j = json::parse(reply->body);
      if (auto err = j ? json::member(*j, "error", json::Type::OBJECT) : std::nullopt)
        *detail += ": " + json::str(*err, "message") + " (code " +
                   std::to_string(json::number(*err, "code")) + ")";
    }
    co_return make_error_code(Errc::kPlatformRejected);
  }
  co_return reply->body;
}

}  // namespace outreach::channels::messenger
