#pragma once
// Conversation scripts: how people really type their way through a form, played against the
// real turn pipeline (TurnHarness) to measure how often they end with what they meant. The
// scripts (tests/fixtures/booking-conversations.yaml) are written by someone who did not write
// the form engine; a script says what the person types each time the bot asks a step, so the
// person reacts to what the bot asks, as a person would, and gives up when out of answers.
// Used by bench/forms_bench (the table of bench/run forms) and by the floor test.
// Thread-safety: single-threaded.

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "tests/support/turn_harness.hpp"

namespace outreach::testing {

// Thursday 2026-12-03 10:00 Asia/Ho_Chi_Minh: the clock the scripts were written against.
inline constexpr std::int64_t kScriptNow = 1'796'266'800'000;

struct ConversationScript {
  std::string id;
  std::string persona;
  std::vector<std::string> opening;                         // typed before the form starts
  std::map<std::string, std::vector<std::string>> answers;  // step id → tries, in order
  std::map<std::string, std::vector<std::string>> asides;   // step id → typed before answering
  bool expect_booking = true;
  std::map<std::string, std::string> expect;  // topic, day, time, mode, name, phone, stage
};

// Reads a scripts file; throws std::runtime_error naming the file and script on a bad shape.
std::vector<ConversationScript> load_scripts(const std::string& path);

struct ConversationOutcome {
  std::string id;
  bool completed = false;  // ended as the person meant (the intended booking, or none)
  int turns = 0;           // messages the person sent
  std::string why;         // for a miss: what went wrong, and the bot's last words
};

// Plays one script on a fresh harness (its own database, the clock at kScriptNow) reading
// `content`, loaded once for all the scripts of a run.
// `transcript`, when given, receives every message of the conversation ("> typed", "< said").
ConversationOutcome play(const ConversationScript& script,
                         SharedContent& content,
                         std::vector<std::string>* transcript = nullptr);

}  // namespace outreach::testing
