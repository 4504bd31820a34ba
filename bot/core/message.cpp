#include "bot/core/message.hpp"

#include <array>
#include <utility>

#include <nlohmann/json.hpp>

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

std::int64_t int_or_zero(const Json& j, const char* key) {
  auto it = j.find(key);
  return it != j.end() && it->is_number_integer() ? it->get<std::int64_t>() : 0;
}

// The platform's details of a stored event: the object to_json_text writes as "extra".
void read_extra(const Json& x, InboundEvent& e) {
  e.platform_event = str_or_empty(x, "event");
  e.attachment = str_or_empty(x, "attachment");
  if (e.kind != EventKind::kOther)
    return;
  const std::string type = str_or_empty(x, "type");
  if (type == "receipt") {
    Receipt r;
    r.kind =
        str_or_empty(x, "receipt") == "read" ? Receipt::Kind::kRead : Receipt::Kind::kDelivered;
    if (auto it = x.find("ids"); it != x.end() && it->is_array())
      for (const auto& id : *it)
        if (id.is_string())
          r.ids.push_back(id.get<std::string>());
    r.watermark = int_or_zero(x, "watermark");
    e.fact = std::move(r);
  } else if (type == "staff_reply") {
    e.fact = StaffReply{str_or_empty(x, "text")};
  } else if (type == "shared_info") {
    e.fact =
        SharedInfo{str_or_empty(x, "name"), str_or_empty(x, "phone"), str_or_empty(x, "address")};
  } else if (type == "reaction") {
    e.fact = Reaction{str_or_empty(x, "reaction")};
  } else if (type == "standby") {
    e.fact = Standby{};
  } else {
    e.fact = UnknownEvent{};
  }
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

std::string_view to_string(MessageKind k) {
  switch (k) {
    case MessageKind::kReply:
      return "reply";
    case MessageKind::kNotice:
      return "notice";
    case MessageKind::kReminder:
      return "reminder";
    case MessageKind::kBroadcast:
      return "broadcast";
    case MessageKind::kStaff:
      return "staff";
  }
  return "notice";
}

MessageKind message_kind_from_string(std::string_view s) {
  for (MessageKind k : {MessageKind::kReply, MessageKind::kNotice, MessageKind::kReminder,
                        MessageKind::kBroadcast, MessageKind::kStaff})
    if (to_string(k) == s)
      return k;
  return MessageKind::kNotice;
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

std::string_view fact_name(const PlatformFact& f) {
  static constexpr std::array<std::string_view, std::variant_size_v<PlatformFact>> kNames{
      "unknown", "receipt", "staff_reply", "shared_info", "reaction", "standby"};
  return kNames[f.index()];
}

std::string to_json_text(const InboundEvent& e) {
  std::string out;
  out.reserve(160 + e.account.size() + e.user_id.size() + e.event_id.size() + e.text.size() +
              e.payload.size() + e.display_name.size());
  auto string = [&out](std::string_view value) {
    if (text::valid_utf8(value))
      append_json_string(out, value);
    else
      append_json_string(out, text::replace_invalid_utf8(value));
  };
  // Writes `"key":value` after `{` or `,`; `opened` says whether the object has a member yet.
  auto key = [&out](std::string_view name, bool& opened) {
    out += opened ? ',' : '{';
    opened = true;
    append_json_string(out, name);
    out += ':';
  };
  bool top = false;
  auto field = [&](std::string_view name, std::string_view value) {
    key(name, top);
    string(value);
  };
  // Keys in alphabetical order, as every release since the first has written them.
  field("account", e.account);
  field("channel", to_string(e.channel));
  if (!e.display_name.empty())
    field("display_name", e.display_name);
  field("event_id", e.event_id);
  {
    const bool other = e.kind == EventKind::kOther;
    const auto* receipt = std::get_if<Receipt>(&e.fact);
    const auto* shared = std::get_if<SharedInfo>(&e.fact);
    const auto* reaction = std::get_if<Reaction>(&e.fact);
    const auto* staff = std::get_if<StaffReply>(&e.fact);
    bool opened = false;
    auto member = [&](std::string_view name, std::string_view value) {
      if (value.empty())
        return;
      if (!opened)
        out += ",\"extra\":";
      key(name, opened);
      string(value);
    };
    if (other && shared)
      member("address", shared->address);
    member("attachment", e.attachment);
    member("event", e.platform_event);
    if (other && receipt && !receipt->ids.empty()) {
      if (!opened)
        out += ",\"extra\":";
      key("ids", opened);
      out += '[';
      for (std::size_t i = 0; i < receipt->ids.size(); ++i) {
        if (i > 0)
          out += ',';
        string(receipt->ids[i]);
      }
      out += ']';
    }
    if (other && shared) {
      member("name", shared->name);
      member("phone", shared->phone);
    }
    if (other && reaction)
      member("reaction", reaction->icon);
    if (other && receipt)
      member("receipt", receipt->kind == Receipt::Kind::kRead ? "read" : "delivered");
    if (other && staff)
      member("text", staff->text);
    if (other)
      member("type", fact_name(e.fact));
    if (other && receipt && receipt->watermark != 0) {
      key("watermark", opened);
      out += std::to_string(receipt->watermark);
    }
    if (opened)
      out += '}';
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
  if (const auto& t = m.platform_template) {
    Json params = Json::array();
    for (const auto& [k, v] : t->params) params.push_back(Json::array({k, v}));
    j["template"] = {{"name", t->name}, {"language", t->language}, {"params", params}};
  }
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
    read_extra(*it, e);
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
  if (auto it = j.find("template"); it != j.end()) {
    if (!it->is_object())
      return Errc::kMalformedPayload;
    PlatformTemplate t{str_or_empty(*it, "name"), str_or_empty(*it, "language"), {}};
    if (auto p = it->find("params"); p != it->end() && p->is_array()) {
      for (const auto& kv : *p) {
        if (!kv.is_array() || kv.size() != 2 || !kv[0].is_string() || !kv[1].is_string())
          return Errc::kMalformedPayload;
        t.params.emplace_back(kv[0].get<std::string>(), kv[1].get<std::string>());
      }
    }
    m.platform_template = std::move(t);
  }
  return m;
}

}  // namespace outreach
