#pragma once
// Understanding: what a typed message asks for, as a payload the dispatcher can route
// ("menu", "lang:en", "ex:labelling", …). Matching is done on folded text (lower case, no
// diacritics, đ → d) so "XIN CHAO", "xin chào" and "xin chao" are the same.
//   - intents.yaml phrases: the whole message equal to a phrase, or a phrase of two or more
//     words contained in a short message;
//   - explainers: the whole message equal to an explainer's title or one of its keywords.
// Anything else is not understood (the dispatcher answers with the honest fallback).
// Thread-safety: an Understanding is immutable after construction (one per content snapshot);
// safe to share.

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "content/model.hpp"

namespace outreach::router {

struct Interpretation {
  std::string payload;  // empty when not understood
  std::string reading;  // the folded text that matched (for logs at debug)
};

class Understanding {
 public:
  explicit Understanding(const content::Snapshot& snapshot);

  Interpretation interpret(std::string_view text) const;

  // Flow commands (flow:back, flow:cancel, flow:restart, flow:skip) typed as a whole message.
  std::optional<std::string> flow_command(std::string_view text) const;

  // The folded, space-joined words of `text`.
  static std::string normalize(std::string_view text);

 private:
  std::unordered_map<std::string, std::string> exact_;          // folded phrase → payload
  std::vector<std::pair<std::string, std::string>> contained_;  // " phrase " → payload
  std::unordered_map<std::string, std::string> flow_commands_;
};

}  // namespace outreach::router
