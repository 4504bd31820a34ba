#pragma once
// Channel-neutral vocabulary: what arrives (InboundEvent) and what goes out (OutboundMessage).
// Platform JSON ends in the channel adapters; everything past them speaks only these types.
// Both serialise to JSON for the inbox and outbox tables.
// Thread-safety: plain values.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

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
  kOther,  // recorded, never answered
};

std::string_view to_string(EventKind k);
std::optional<EventKind> event_kind_from_string(std::string_view s);

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
  nlohmann::json extra = nlohmann::json::object();  // attachments, platform event name…
};

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

struct OutboundMessage {
  std::string text;
  std::vector<Button> buttons;  // quick replies / buttons (rendered per channel)
  std::vector<ListItem> items;  // a list to pick from
  std::string image_url;
};

void to_json(nlohmann::json& j, const InboundEvent& e);
// The same JSON text as nlohmann::json(e).dump(), written directly: no intermediate document
// (this runs for every webhook event before it is stored).
std::string to_json_text(const InboundEvent& e);
void to_json(nlohmann::json& j, const Button& b);
void to_json(nlohmann::json& j, const ListItem& i);
void to_json(nlohmann::json& j, const OutboundMessage& m);

// Non-throwing parsers for rows written by to_json.
[[nodiscard]] Result<InboundEvent> inbound_from_json(std::string_view json_text);
[[nodiscard]] Result<OutboundMessage> outbound_from_json(std::string_view json_text);

}  // namespace outreach
