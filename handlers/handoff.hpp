#pragma once
// The handoff to staff (bot → human); see handoff.cpp. Thread-safety: DB thread only.

#include <string>
#include <string_view>

#include "handlers/handlers.hpp"
#include "storage/handoff_repo.hpp"

namespace outreach::handlers {

// Where the count of messages not understood in a row is kept (the conversation's data, outside
// a form).
inline constexpr const char* kMisses = "_misses";
// Set when the person chose the language themselves (the button, "English", "tiếng Việt"): a
// question without Vietnamese marks then keeps it (the conversation's data, outside a form).
inline constexpr const char* kLanguageChosen = storage::ConversationState::kLanguageChosen;

// Opens (or keeps) the person's conversation with staff, records what they typed and tells
// them when staff answer. `reason`: "asked" or "not_understood".
void open_handoff(Turn& turn, storage::Store& tx, std::string_view reason);

// A turn while the person's handoff `h` is active: what they typed goes to the inbox and the
// bot says nothing; false for what the bot still answers (buttons).
bool handoff_turn(Turn& turn, storage::Store& tx, const storage::HandoffRow& h);

// "Bạn đang chờ cán bộ trả lời…", with the button that ends the handoff.
void say_waiting(Turn& turn);

// "Quay lại trợ lý": the handoff ends and the bot answers again.
void leave_handoff(Turn& turn, storage::Store& tx);

}  // namespace outreach::handlers
