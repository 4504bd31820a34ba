#pragma once
// Channel-neutral vocabulary: what arrives (InboundEvent) and what goes out (OutboundMessage).
// Platform JSON ends in the channel adapters; everything past them speaks only these types.
// Both serialise to JSON for the inbox and outbox tables.
// Thread-safety: plain values.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "bot/core/errc.hpp"

namespace outreach {

enum class ChannelKind { kWeb, kCli, kZalo, kMessenger };

std::string_view to_string(ChannelKind c);
std::optional<ChannelKind> channel_from_string(std::string_view s);

enum class EventKind {
  kMessage,   // the person typed (or sent an attachment)
  kPostback,  // the person pressed a button; `payload` holds its value
  kFollow,    // followed the OA / pressed Get Started / opened the web chat
  kUnfollow,
  kOther,  // recorded, never answered: what it was is InboundEvent::fact
};

std::string_view to_string(EventKind k);
std::optional<EventKind> event_kind_from_string(std::string_view s);

// What a platform tells us that is not a message (an event of kind kOther). The channel
// adapters make them; the dispatcher records them in the turn's transaction and never answers.
struct Receipt {  // the person's app received or showed our messages
  enum class Kind { kDelivered, kRead } kind = Kind::kDelivered;
  std::vector<std::string> ids;  // the platform's ids of our messages
  std::int64_t watermark = 0;    // Messenger: every message sent before this time; 0: none
};

struct StaffReply {  // staff answered in the platform's own tool (Zalo OA chat, page inbox)
  std::string text;  // what they wrote (shown in the console's thread), bounded by the adapter
};

struct SharedInfo {  // the person shared their details (Zalo's information request)
  std::string name;
  std::string phone;
  std::string address;
};

struct Reaction {  // a reaction to a message; kept for the statistics
  std::string icon;
};

struct Standby {};  // another app owns the Messenger thread (handover protocol)

struct UnknownEvent {};  // anything else, new kinds included: stored, never an error

using PlatformFact = std::variant<UnknownEvent, Receipt, StaffReply, SharedInfo, Reaction, Standby>;

// The name a fact has in records and in the stored event ("receipt", "staff_reply"…).
std::string_view fact_name(const PlatformFact& f);

struct InboundEvent {
  ChannelKind channel = ChannelKind::kWeb;
  std::string account;   // Zalo OA id, Facebook page id, "web", "cli"
  std::string user_id;   // the platform's id of the person (web: visitor id)
  std::string event_id;  // the platform's id of this event: the dedupe key
  EventKind kind = EventKind::kMessage;
  std::string text;          // NFC, bounded by the adapter
  std::string payload;       // button payload for kPostback (and quick replies)
  std::string display_name;  // when the platform gives one
  std::string language;      // "vi" / "en" hint from the channel, may be empty
  std::int64_t timestamp_ms = 0;
  std::string platform_event;  // the platform's name of the event (Zalo: "user_send_text")
  std::string attachment;      // the kind of a file sent ("image", "sticker"…), if any
  PlatformFact fact;           // what an event of kind kOther was
};

// Why a message goes out; the platforms' rules differ by it (Messenger: RESPONSE for a reply,
// HUMAN_AGENT only for staff; broadcasts give way to everything else).
enum class MessageKind { kReply, kNotice, kReminder, kBroadcast, kStaff };

std::string_view to_string(MessageKind k);  // "reply", "notice", "reminder", "broadcast", "staff"
// The stored text back as a kind; anything else reads as kNotice.
MessageKind message_kind_from_string(std::string_view s);

// A button either posts `payload` back or opens `url`.
struct Button {
  std::string title;
  std::string payload;
  std::string url;
};

struct ListItem {
  std::string title;
  std::string subtitle;
  std::string payload;
};

// A template the platform approved beforehand, sent instead of the text to a person beyond the
// platform's free window: a Zalo ZBS template by user id (`name` is its template_id, `params`
// its template_data by name) or a Messenger utility template (`name`, `language`, `params` the
// body's parameters in order). The text stays with it for our own records.
struct PlatformTemplate {
  std::string name;
  std::string language;
  std::vector<std::pair<std::string, std::string>> params;
  bool operator==(const PlatformTemplate&) const = default;
};

struct OutboundMessage {
  std::string text;
  std::vector<Button> buttons;  // quick replies / buttons (rendered per channel)
  std::vector<ListItem> items;  // a list to pick from
  std::string image_url;
  std::optional<PlatformTemplate> platform_template;
};

// The event as the JSON text stored in the inbox, written directly (this runs for every webhook
// event before it is stored). The platform's details are the object "extra", as stored by every
// release so far: {"event", "attachment", "type" (fact_name), and the fact's own fields}.
// Strings that are not UTF-8 (no adapter passes them on) are written with U+FFFD in place of
// the bad bytes.
std::string to_json_text(const InboundEvent& e);
void to_json(nlohmann::json& j, const Button& b);
void to_json(nlohmann::json& j, const ListItem& i);
void to_json(nlohmann::json& j, const OutboundMessage& m);

// Non-throwing parsers for rows written by to_json.
[[nodiscard]] Result<InboundEvent> inbound_from_json(std::string_view json_text);
[[nodiscard]] Result<OutboundMessage> outbound_from_json(std::string_view json_text);

}  // namespace outreach
