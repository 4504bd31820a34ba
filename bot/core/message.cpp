#include "bot/core/message.hpp"

#include <array>
#include <utility>

#include "bot/core/text.hpp"

namespace outreach {
namespace {

using Json = nlohmann::json;

constexpr std::array<std::pair<ChannelKind, std::string_view>, 4> kChannels{{
    {ChannelKind::kWeb, "web"},
    {ChannelKind::kCli, "cli"},
    {ChannelKind::kZalo, "zalo"},
    {ChannelKind::kMessenger, "messenger"},
}};

constexpr std::array<std::pair<EventKind, std::string_view>, 5> kEventKinds{{
    {EventKind::kMessage, "message"},
    {EventKind::kPostback, "postback"},
    {EventKind::kFollow, "follow"},
    {EventKind::kUnfollow, "unfollow"},
    {EventKind::kOther, "other"},
}};

// Appends `s` as a JSON string (valid UTF-8 assumed: the caller checked).
void append_json_string(std::string& out, std::string_view s) {
  static constexpr char kHex[] = "0123456789abcdef";
  out += '"';
  for (const char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += ch;
    } else if (c < 0x20) {
      const char* brief = c == '\b'   ? "\\b"
                          : c == '\t' ? "\\t"
                          : c == '\n' ? "\\n"
                          : c == '\f' ? "\\f"
                          : c == '\r' ? "\\r"
                                      : nullptr;
      if (brief != nullptr) {
        out += brief;
        continue;
      }
      out += "\\u00";
      out += kHex[c >> 4];
      out += kHex[c & 0xF];
    } else {
      out += ch;
    }
  }
  out += '"';
}

std::string str_or_empty(const Json& j, const char* key) {
  auto it = j.find(key);
  if (it == j.end() || !it->is_string())
    return {};
  return it->get<std::string>();
}

}  // namespace

std::string_view to_string(ChannelKind c) {
  for (const auto& [k, name] : kChannels)
    if (k == c)
      return name;
  return "unknown";
}

std::optional<ChannelKind> channel_from_string(std::string_view s) {
  for (const auto& [k, name] : kChannels)
    if (name == s)
      return k;
  return std::nullopt;
}

std::string_view to_string(EventKind k) {
  for (const auto& [kind, name] : kEventKinds)
    if (kind == k)
      return name;
  return "other";
}

std::optional<EventKind> event_kind_from_string(std::string_view s) {
  for (const auto& [kind, name] : kEventKinds)
    if (name == s)
      return kind;
  return std::nullopt;
}

void to_json(Json& j, const InboundEvent& e) {
  j = Json{{"channel", to_string(e.channel)},
           {"account", e.account},
           {"user_id", e.user_id},
           {"event_id", e.event_id},
           {"kind", to_string(e.kind)},
           {"timestamp_ms", e.timestamp_ms}};
  if (!e.text.empty())
    j["text"] = e.text;
  if (!e.payload.empty())
    j["payload"] = e.payload;
  if (!e.display_name.empty())
    j["display_name"] = e.display_name;
  if (!e.language.empty())
    j["language"] = e.language;
  if (!e.extra.empty())
    j["extra"] = e.extra;
}

std::string to_json_text(const InboundEvent& e) {
  for (const std::string* s :
       {&e.account, &e.user_id, &e.event_id, &e.text, &e.payload, &e.display_name, &e.language})
    if (!text::valid_utf8(*s))  // what the adapters never pass on; nlohmann then replaces it
      return Json(e).dump(-1, ' ', false, Json::error_handler_t::replace);
  std::string out;
  out.reserve(128 + e.account.size() + e.user_id.size() + e.event_id.size() + e.text.size() +
              e.payload.size() + e.display_name.size());
  auto field = [&out](std::string_view key, std::string_view value) {
    out += out.empty() ? '{' : ',';
    append_json_string(out, key);
    out += ':';
    append_json_string(out, value);
  };
  // Keys in the order nlohmann (a std::map) writes them, so both forms are byte-identical.
  field("account", e.account);
  field("channel", to_string(e.channel));
  if (!e.display_name.empty())
    field("display_name", e.display_name);
  field("event_id", e.event_id);
  if (!e.extra.empty()) {
    out += ",\"extra\":";
    out += e.extra.dump(-1, ' ', false, Json::error_handler_t::replace);
  }
  field("kind", to_string(e.kind));
  if (!e.language.empty())
    field("language", e.language);
  if (!e.payload.empty())
    field("payload", e.payload);
  if (!e.text.empty())
    field("text", e.text);
  out += ",\"timestamp_ms\":";
  out += std::to_string(e.timestamp_ms);
  field("user_id", e.user_id);
  out += '}';
  return out;
}

void to_json(Json& j, const Button& b) {
  j = Json{{"title", b.title}};
  if (!b.payload.empty())
    j["payload"] = b.payload;
  if (!b.url.empty())
    j["url"] = b.url;
}

void to_json(Json& j, const ListItem& i) {
  j = Json{{"title", i.title}, {"payload", i.payload}};
  if (!i.subtitle.empty())
    j["subtitle"] = i.subtitle;
}

void to_json(Json& j, const OutboundMessage& m) {
  j = Json::object();
  if (!m.text.empty())
    j["text"] = m.text;
  if (!m.buttons.empty())
    j["buttons"] = m.buttons;
  if (!m.items.empty())
    j["items"] = m.items;
  if (!m.image_url.empty())
    j["image_url"] = m.image_url;
}

Result<InboundEvent> inbound_from_json(std::string_view json_text) {
  Json j = Json::parse(json_text, nullptr, false);
  if (j.is_discarded() || !j.is_object())
    return Errc::kMalformedPayload;
  auto channel = channel_from_string(str_or_empty(j, "channel"));
  auto kind = event_kind_from_string(str_or_empty(j, "kind"));
  if (!channel || !kind)
    return Errc::kMalformedPayload;
  InboundEvent e;
  e.channel = *channel;
  e.kind = *kind;
  e.account = str_or_empty(j, "account");
  e.user_id = str_or_empty(j, "user_id");
  e.event_id = str_or_empty(j, "event_id");
  e.text = str_or_empty(j, "text");
  e.payload = str_or_empty(j, "payload");
  e.display_name = str_or_empty(j, "display_name");
  e.language = str_or_empty(j, "language");
  if (auto it = j.find("timestamp_ms"); it != j.end() && it->is_number_integer())
    e.timestamp_ms = it->get<std::int64_t>();
  if (auto it = j.find("extra"); it != j.end() && it->is_object())
    e.extra = *it;
  return e;
}

Result<OutboundMessage> outbound_from_json(std::string_view json_text) {
  Json j = Json::parse(json_text, nullptr, false);
  if (j.is_discarded() || !j.is_object())
    return Errc::kMalformedPayload;
  OutboundMessage m;
  m.text = str_or_empty(j, "text");
  m.image_url = str_or_empty(j, "image_url");
  if (auto it = j.find("buttons"); it != j.end() && it->is_array()) {
    for (const auto& b : *it) {
      if (!b.is_object())
        return Errc::kMalformedPayload;
      m.buttons.push_back(
          {str_or_empty(b, "title"), str_or_empty(b, "payload"), str_or_empty(b, "url")});
    }
  }
  if (auto it = j.find("items"); it != j.end() && it->is_array()) {
    for (const auto& i : *it) {
      if (!i.is_object())
        return Errc::kMalformedPayload;
      m.items.push_back(
          {str_or_empty(i, "title"), str_or_empty(i, "subtitle"), str_or_empty(i, "payload")});
    }
  }
  return m;
}

}  // namespace outreach
