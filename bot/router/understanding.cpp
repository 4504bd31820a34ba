#include "bot/router/understanding.hpp"

#include <algorithm>

#include "bot/text/unicode.hpp"

namespace outreach::router {
namespace {

constexpr std::size_t kShortMessageWords = 8;

}  // namespace

std::string Understanding::normalize(std::string_view text) {
  std::string out;
  for (const auto& w : text::words(text::fold(text))) {
    if (!out.empty())
      out += ' ';
    out += w;
  }
  return out;
}

Understanding::Understanding(const content::Snapshot& snapshot) {
  for (const content::Intent& intent : snapshot.intents) {
    for (const std::string& phrase : intent.phrases) {
      const std::string folded = normalize(phrase);
      if (folded.empty())
        continue;
      if (intent.id.starts_with("flow:")) {
        flow_commands_.emplace(folded, intent.id);
        continue;
      }
      exact_.emplace(folded, intent.id);
      if (folded.find(' ') != std::string::npos)
        contained_.emplace_back(" " + folded + " ", intent.id);
    }
  }
  // Longer phrases first, so "xoa du lieu cua toi" wins over "du lieu cua toi".
  std::stable_sort(contained_.begin(), contained_.end(),
                   [](const auto& a, const auto& b) { return a.first.size() > b.first.size(); });
  for (const auto& [id, e] : snapshot.explainers_vi) {
    exact_.emplace(normalize(e.title), "ex:" + id);
    for (const auto& k : e.keywords) exact_.emplace(normalize(k), "ex:" + id);
    if (const content::Explainer* en = snapshot.explainer(id, content::kEn); en != &e) {
      exact_.emplace(normalize(en->title), "ex:" + id);
      for (const auto& k : en->keywords) exact_.emplace(normalize(k), "ex:" + id);
    }
  }
}

Interpretation Understanding::interpret(std::string_view text) const {
  const std::string folded = normalize(text);
  if (folded.empty())
    return {};
  if (auto it = exact_.find(folded); it != exact_.end())
    return {it->second, folded};
  const auto words = static_cast<std::size_t>(std::count(folded.begin(), folded.end(), ' ') + 1);
  if (words <= kShortMessageWords) {
    const std::string padded = " " + folded + " ";
    for (const auto& [phrase, payload] : contained_)
      if (padded.find(phrase) != std::string::npos)
        return {payload, folded};
  }
  return {};
}

std::optional<std::string> Understanding::flow_command(std::string_view text) const {
  auto it = flow_commands_.find(normalize(text));
  if (it == flow_commands_.end())
    return std::nullopt;
  return it->second;
}

}  // namespace outreach::router
