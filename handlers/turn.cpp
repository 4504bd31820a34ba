#include "handlers/turn.hpp"

#include "bot/core/text.hpp"

namespace outreach::handlers {

std::string Turn::ui(std::string_view key, const Vars& vars) const {
  const std::string& t = content.ui(person.language, key);
  return vars.empty() ? t : text::fill(t, vars);
}

OutboundMessage& Turn::say(std::string text, std::vector<Button> buttons) {
  OutboundMessage m;
  m.text = std::move(text);
  m.buttons = std::move(buttons);
  replies.push_back(std::move(m));
  return replies.back();
}

Button Turn::button(std::string_view ui_key, std::string payload) const {
  return Button{content.ui(person.language, ui_key), std::move(payload), {}};
}

std::pair<std::string_view, std::string_view> split_payload(std::string_view payload) {
  const auto colon = payload.find(':');
  if (colon == std::string_view::npos)
    return {payload, {}};
  return {payload.substr(0, colon), payload.substr(colon + 1)};
}

}  // namespace outreach::handlers
