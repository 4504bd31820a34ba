#pragma once
// The capabilities the bot ships with, one file each:
//   menu.cpp        menu / greeting, help, language switch, fallback (and sending the question
//                   to staff), referral
//   explainers.cpp  browsing policy topics and showing explainers page by page
//   feedback.cpp    the feedback form (flow "feedback")
//   privacy.cpp     "what do you keep about me" and "delete my data" (flow "privacy_delete")
//   subscription.cpp  "nhận tin" (flow "subscribe") and "STOP" (subscription.hpp)
// Each is a Handler reached by its payload prefix; forms register their completion with the
// FlowEngine. Thread-safety: stateless after construction; used on the DB thread.

#include <memory>
#include <string>
#include <vector>

#include "handlers/flow.hpp"
#include "handlers/turn.hpp"

namespace outreach::handlers {

// Payload prefixes (the part before ':').
inline constexpr std::string_view kMenu = "menu";
inline constexpr std::string_view kHelp = "help";
inline constexpr std::string_view kLanguage = "lang";
inline constexpr std::string_view kHandoff = "handoff";
inline constexpr std::string_view kFallback = "fallback";
inline constexpr std::string_view kReferral = "referral";
inline constexpr std::string_view kOldWard = "ward";         // ward:<old ward number>
inline constexpr std::string_view kSmalltalk = "smalltalk";  // fallback:smalltalk
inline constexpr std::string_view kThanks = "thanks";        // fallback:thanks
inline constexpr std::string_view kPolicies = "policies";
inline constexpr std::string_view kExplainer = "ex";
// Where the explainer last shown is kept ({"id", "at"}, the conversation's data outside a form):
// a short question soon after it ("phí bao nhiêu vậy") may be about it.
inline constexpr const char* kLastExplainer = "_last_explainer";
inline constexpr std::string_view kFeedback = "feedback";
inline constexpr std::string_view kPrivacy = "privacy";
inline constexpr std::string_view kBooking = "booking";
inline constexpr std::string_view kEvents = "events";
inline constexpr std::string_view kSubscribe = "subscribe";
inline constexpr std::string_view kUnsubscribe = "unsubscribe";
inline constexpr std::string_view kQuestion = "question";  // question:share

// Conversation data: the unanswered question the person may send to staff ({"id", "text"}),
// kept until their next message.
inline constexpr std::string_view kShareable = "share";
inline constexpr std::size_t kMaxShared = 1000;  // longer questions are not offered

std::vector<std::unique_ptr<Handler>> make_standard_handlers(FlowEngine& flows);

// Adds the main menu's buttons to a reply.
void add_main_menu(const Turn& turn, OutboundMessage& message);

// "thứ Hai, 18/5/2026, 14:30" (Asia/Ho_Chi_Minh) in the person's language.
std::string format_local_time(const Turn& turn, std::int64_t unix_ms);

// {weekday}, {d}, {m}, {y} of local day `day` for the "date.*" strings, in `lang`.
Vars date_vars(const content::Snapshot& content, std::string_view lang, std::int64_t day);

// The `flow.expire` job: if the person's form is still open and past its expiry, drop it and
// tell them (a notice in the outbox). Returns true if it wrote to the outbox.
bool run_flow_expiry_job(storage::Store& tx,
                         const content::Snapshot& content,
                         std::int64_t person_id,
                         std::int64_t now_ms);

// The job that deletes a person who asked to be forgotten, once the confirmation went out.
struct ForgetJob {
  static constexpr std::string_view kKind = "person.forget";
  std::int64_t person_id = 0;
  std::int64_t requested_at = 0;
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(ForgetJob, person_id, requested_at)
void run_forget_job(storage::Store& tx, const ForgetJob& job);

}  // namespace outreach::handlers
