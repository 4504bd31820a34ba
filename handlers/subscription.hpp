#pragma once
// Subscriptions to announcements, in the chat (issue 19): "nhận tin", "nhận tin về sở hữu trí
// tuệ", the menu's "Nhận tin"; "STOP", "hủy nhận tin", "đừng gửi nữa".
//
// A message that names what the person wants (topics, ward, who they are) is read by
// read_subscription: names found whole among the words as the bot reads them (the topic groups
// of topics.yaml with their `also:` names and their topics' titles; the wards and audiences of
// the subscribe flow), then what is left, cut at "và", "với", commas, is ranked like a question
// and the explainer found gives its group ("kiểm định cân" → measurement and quality). A message
// naming topics subscribes at once (the reply shows what was recorded, the consent wording and
// how to stop); otherwise the subscribe form asks topics, ward and audience, then shows the
// consent wording to confirm. The consent is kept with its time and the version of the wording
// (FNV-1a 64 of the text, the text kept once in consent_wordings).
// Thread-safety: pure functions; handlers run on the DB thread like every handler.

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "content/model.hpp"
#include "handlers/form_reading.hpp"
#include "handlers/turn.hpp"

namespace outreach::handlers {

// The explainers a text asks about: the one answered with confidence, or the few a "did you
// mean" would offer, or none (the understanding's ranking).
using ExplainerFinder = std::function<std::vector<std::string>(std::string_view)>;

struct SubscriptionRequest {
  std::vector<std::string> topics;  // topic group ids named, in topics.yaml order
  bool all_topics = false;          // "tất cả chủ đề", "mọi tin"
  std::string ward;                 // ward id or "other", "" when not said
  std::string audience;             // audience id, "" when not said
  bool asks_about = false;          // a question about the service, not a request
};

SubscriptionRequest read_subscription(std::string_view text,
                                      const content::Snapshot& content,
                                      const WordReader& read,
                                      const ExplainerFinder& find);

// "nếu tôi hủy nhận tin thì sau này đăng ký lại được không": a question about stopping, answered
// rather than acted on.
bool asks_about_stopping(std::string_view text);

// "Dữ liệu của tôi": the person's subscription in one line, or that there is none.
std::string subscription_summary(const Turn& turn, storage::Store& tx);

// The version of a consent wording: "<lang>-<16 hex digits>".
std::string consent_version(std::string_view lang, std::string_view wording);

}  // namespace outreach::handlers
