#include "bot/channels/zalo/zalo_webhook.hpp"

#include <algorithm>
#include <charconv>

#include "bot/channels/channel.hpp"
#include "bot/channels/json_fields.hpp"
#include "bot/core/log.hpp"
#include "bot/core/text.hpp"
#include "bot/net/crypto.hpp"
#include "bot/text/unicode.hpp"

namespace outreach::channels::zalo {
namespace {

constexpr std::size_t kMaxText = 2000;
using json::nested_id;
using json::str;

}  // namespace

Webhook::Webhook(std::vector<Account> accounts,
                 std::chrono::milliseconds skew,
                 const Clock& clock,
                 std::chrono::milliseconds retry_window)
    : accounts_(std::move(accounts)),
      skew_(skew),
      retry_window_(std::max(skew, retry_window)),
      clock_(clock) {}

const Account* Webhook::by_oa(std::string_view oa_id) const {
  for (const auto& a : accounts_)
    if (a.oa_id == oa_id)
      return &a;
  return nullptr;
}

std::string Webhook::sign(std::string_view app_id,
                          std::string_view body,
                          std::string_view timestamp,
                          std::string_view oa_secret) {
  return "mac=" + net::sha256_hex({app_id, body, timestamp, oa_secret});
}

Result<std::vector<InboundEvent>> Webhook::handle(std::string_view signature_header,
                                                  std::string_view body,
                                                  std::string_view timestamp_header,
                                                  std::string_view num_retry_header) const {
  const auto root = json::parse(body);
  if (!root || root->type() != json::Type::OBJECT)
    return Errc::kMalformedPayload;
  const json::Value j = *root;
  // Zalo probes a newly saved webhook URL with an unsigned "{}": it carries no event.
  if (j.get_object().value_unsafe().size() == 0)
    return std::vector<InboundEvent>{};

  const std::string app_id = json::text(j, "app_id");
  const std::string event_name = str(j, "event_name");
  // The timestamp is in the body (documented); some senders also put it in X-ZEvent-Timestamp.
  std::string timestamp = json::text(j, "timestamp");
  if (timestamp.empty())
    timestamp = std::string(text::trim(timestamp_header));
  // The OA: recipient of what users send, sender of what the OA sends and of receipts, or oa_id.
  const Account* account = nullptr;
  for (const std::string& candidate :
       {json::text(j, "oa_id"), nested_id(j, "recipient"), nested_id(j, "sender")}) {
    if (candidate.empty())
      continue;
    if (const Account* a = by_oa(candidate); a != nullptr && a->app_id == app_id) {
      account = a;
      break;
    }
  }
  if (account == nullptr)
    return Errc::kUnknownAccount;

  std::string_view given = text::trim(signature_header);
  if (given.starts_with("mac="))
    given.remove_prefix(4);
  if (given.empty())
    return Errc::kBadSignature;
  // The documented formula is app_id + body + timestamp + OA secret key; integrators report
  // the OA id first or the app secret instead (zalo-oa.md, "Uncertain"). Every variant is
  // computed and compared in constant time; which one matched is logged once.
  const std::string given_hex = net::lower_hex(given);

  struct Variant {
    std::string_view first, secret;
    int index;
  };

  const Variant variants[] = {{app_id, account->oa_secret, 0},
                              {account->oa_id, account->oa_secret, 1},
                              {app_id, account->app_secret, 2},
                              {account->oa_id, account->app_secret, 3}};
  int matched = -1;
  for (const Variant& v : variants) {
    if (v.secret.empty())
      continue;
    const bool ok =
        net::constant_time_equal(given_hex, net::sha256_hex({v.first, body, timestamp, v.secret}));
    if (ok && matched < 0)
      matched = v.index;
  }
  if (matched < 0)
    return Errc::kBadSignature;
  if (matched > 0 && !variant_logged_[matched].exchange(true)) {
    static constexpr const char* kNames[] = {"app_id+oa_secret", "oa_id+oa_secret",
                                             "app_id+app_secret", "oa_id+app_secret"};
    log::info("zalo", "signature_variant",
              {{"account", account->id}, {"variant", kNames[matched]}});
  }

  std::int64_t ts = 0;
  auto [p, ec] = std::from_chars(timestamp.data(), timestamp.data() + timestamp.size(), ts);
  if (ec != std::errc{} || p != timestamp.data() + timestamp.size())
    return Errc::kStaleTimestamp;
  const std::int64_t now = clock_.now_ms();
  const bool retry = !text::trim(num_retry_header).empty();
  const std::int64_t oldest = now - (retry ? retry_window_ : skew_).count();
  if (ts < oldest || ts > now + skew_.count())
    return Errc::kStaleTimestamp;
  if (retry && ts < now - skew_.count())
    log::info("zalo", "late_retry",
              {{"account", account->id},
               {"num_retry", text::clean_input(num_retry_header, 8)},
               {"age_s", static_cast<long long>((now - ts) / 1000)}});

  InboundEvent e;
  e.channel = ChannelKind::kZalo;
  e.account = account->oa_id;
  e.timestamp_ms = ts;
  e.platform_event = event_name;
  // A missing message is absent: each of its members reads as absent.
  const json::Maybe message = json::member(j, "message", json::Type::OBJECT);
  const std::string msg_id = str(message, "msg_id");
  const bool from_oa = event_name.starts_with("oa_") || event_name == "user_seen_message" ||
                       event_name == "user_received_message";
  e.user_id = from_oa ? nested_id(j, "recipient") : nested_id(j, "sender");
  if (event_name == "follow" || event_name == "unfollow")
    e.user_id = nested_id(j, "follower");
  if (event_name == "user_click_chatnow")
    e.user_id = json::text(j, "user_id");
  if (e.user_id.empty())
    return std::vector<InboundEvent>{};  // nothing we can answer or attribute
  e.event_id = !msg_id.empty() ? msg_id : event_name + ":" + e.user_id + ":" + timestamp;

  std::vector<InboundEvent> out;
  if (event_name == "user_send_text") {
    const std::string typed = text::nfc(text::clean_input(str(message, "text"), kMaxText));
    if (typed.starts_with(kPayloadPrefix)) {
      e.kind = EventKind::kPostback;
      e.payload = typed.substr(kPayloadPrefix.size());
    } else {
      e.kind = EventKind::kMessage;
      e.text = typed;
    }
  } else if (event_name.starts_with("user_send_")) {  // image, link, sticker, location, file…
    e.kind = EventKind::kMessage;
    e.text = event_name == "user_send_link"
                 ? text::nfc(text::clean_input(str(message, "text"), kMaxText))
                 : "";
    if (auto attachment = json::first(message, "attachments"))
      e.attachment = str(attachment, "type");
  } else if (event_name == "follow" || event_name == "user_click_chatnow") {
    e.kind = EventKind::kFollow;
  } else if (event_name == "unfollow") {
    e.kind = EventKind::kUnfollow;
  } else if (event_name.starts_with("oa_send_")) {
    const auto sender = json::member(j, "sender", json::Type::OBJECT);
    if (!sender || !json::has(*sender, "admin_id"))
      return out;  // our own message coming back: nothing to do
    e.kind = EventKind::kOther;
    e.fact = StaffReply{text::nfc(text::clean_input(str(message, "text"), kMaxText))};
  } else if (event_name == "user_seen_message" || event_name == "user_received_message") {
    e.kind = EventKind::kOther;
    Receipt receipt;
    receipt.kind =
        event_name == "user_seen_message" ? Receipt::Kind::kRead : Receipt::Kind::kDelivered;
    if (auto listed = json::array(message, "msg_ids")) {
      for (json::Value id : *listed)
        if (std::string_view s; id.get(s) == simdjson::SUCCESS)
          receipt.ids.emplace_back(s);
    } else if (!msg_id.empty()) {
      receipt.ids.push_back(msg_id);
    }
    e.fact = std::move(receipt);
    e.event_id = event_name + ":" + e.user_id + ":" + timestamp;  // msg_id is ours, not the event's
  } else if (event_name == "user_submit_info") {
    e.kind = EventKind::kOther;
    const json::Maybe info = json::member(j, "info", json::Type::OBJECT);
    // Two shapes are documented: {name, phone, full_address{…}} and {name, phone, address, ward…}.
    std::string address = str(info, "address");
    if (auto full = json::member(info, "full_address", json::Type::OBJECT)) {
      const json::Value fa = *full;
      for (const char* part : {"user_address", "user_ward", "user_district", "user_city"}) {
        const std::string v = str(fa, part);
        if (!v.empty())
          address += (address.empty() ? "" : ", ") + v;
      }
    }
    e.fact = SharedInfo{text::nfc(text::clean_input(str(info, "name"), 120)),
                        text::clean_input(str(info, "phone"), 20),
                        text::nfc(text::clean_input(address, 300))};
  } else if (event_name == "user_reacted_message") {
    e.kind = EventKind::kOther;  // kept for the statistics, not answered
    e.fact = Reaction{text::clean_input(str(message, "react_icon"), 16)};
    e.event_id = event_name + ":" + e.user_id + ":" + timestamp;
  } else {
    e.kind = EventKind::kOther;  // tags, anything new: stored, never an error
    e.fact = UnknownEvent{};
    log::debug("zalo", "unknown_event", {{"event", event_name}});
  }
  out.push_back(std::move(e));
  return out;
}

}  // namespace outreach::channels::zalo
