#include "bot/channels/channel.hpp"

namespace outreach::channels {

std::string_view to_string(SendResult::Kind k) {
  switch (k) {
    case SendResult::Kind::kSent:
      return "sent";
    case SendResult::Kind::kRetry:
      return "retry";
    case SendResult::Kind::kGiveUp:
      return "gave_up";
    case SendResult::Kind::kSkip:
      return "skipped";
  }
  return "unknown";
}

std::string render_numbered(const OutboundMessage& m, std::string_view hint) {
  std::string out = m.text;
  int n = 0;
  auto line = [&](const std::string& title) {
    out += "\n" + std::to_string(++n) + ". " + title;
  };
  if (!m.items.empty() || !m.buttons.empty())
    out += "\n";
  for (const auto& i : m.items) line(i.subtitle.empty() ? i.title : i.title + " — " + i.subtitle);
  for (const auto& b : m.buttons)
    if (!b.payload.empty())
      line(b.title);
  for (const auto& b : m.buttons)
    if (b.payload.empty() && !b.url.empty())
      out += "\n🔗 " + b.title + ": " + b.url;
  if (n > 0 && !hint.empty())
    out += "\n" + std::string(hint);
  if (!m.image_url.empty())
    out += "\n" + m.image_url;
  return out;
}

}  // namespace outreach::channels
