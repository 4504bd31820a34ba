#include "content/store.hpp"

#include <charconv>

namespace outreach::content {

const FlowStep* Flow::step(std::string_view step_id) const {
  for (const auto& s : steps)
    if (s.id == step_id)
      return &s;
  return nullptr;
}

int Flow::index_of(std::string_view step_id) const {
  for (std::size_t i = 0; i < steps.size(); ++i)
    if (steps[i].id == step_id)
      return static_cast<int>(i);
  return -1;
}

const std::string& Snapshot::ui(std::string_view lang, std::string_view key) const {
  if (lang == kEn) {
    if (auto it = ui_en.find(key); it != ui_en.end())
      return it->second;
  }
  if (auto it = ui_vi.find(key); it != ui_vi.end())
    return it->second;
  static const std::string kMissing = "[?]";
  return kMissing;
}

const Explainer* Snapshot::explainer(std::string_view id, std::string_view lang) const {
  if (lang == kEn) {
    if (auto it = explainers_en.find(id); it != explainers_en.end())
      return &it->second;
  }
  auto it = explainers_vi.find(id);
  return it == explainers_vi.end() ? nullptr : &it->second;
}

const Flow* Snapshot::flow(std::string_view id) const {
  auto it = flows.find(id);
  return it == flows.end() ? nullptr : &it->second;
}

const BookingTopic* BookingSetup::topic(std::string_view id) const {
  for (const auto& t : topics)
    if (t.id == id)
      return &t;
  return nullptr;
}

const Advisor* BookingSetup::advisor(std::string_view id) const {
  for (const auto& a : advisors)
    if (a.id == id)
      return &a;
  return nullptr;
}

const std::vector<std::string_view>& custom_step_kinds() {
  static const std::vector<std::string_view> kKinds = {"phone", "booking_topic", "booking_slot"};
  return kKinds;
}

const Office* Snapshot::office(std::string_view id) const {
  auto it = offices.find(id);
  return it == offices.end() ? nullptr : &it->second;
}

const Referral* Snapshot::referral(std::string_view id) const {
  auto it = referrals.find(id);
  return it == referrals.end() ? nullptr : &it->second;
}

std::optional<std::int64_t> day_from_civil(int y, int m, int d) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  if (y < 1900 || y > 2200 || m < 1 || m > 12 || d < 1 || d > kDays[m - 1] + (m == 2 && leap))
    return std::nullopt;
  // Days from civil (H. Hinnant's algorithm).
  y -= m <= 2;
  const int era = y / 400;
  const int yoe = y - era * 400;
  const int doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return static_cast<std::int64_t>(era) * 146097 + doe - 719468;
}

CivilDate civil_from_day(std::int64_t day) {
  // Civil from days (H. Hinnant's algorithm).
  const std::int64_t z = day + 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const std::int64_t doe = z - era * 146097;
  const std::int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const std::int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const std::int64_t mp = (5 * doy + 2) / 153;
  const std::int64_t d = doy - (153 * mp + 2) / 5 + 1;
  const std::int64_t m = mp < 10 ? mp + 3 : mp - 9;
  const std::int64_t y = yoe + era * 400 + (m <= 2);
  return {static_cast<int>(y), static_cast<int>(m), static_cast<int>(d)};
}

int weekday_of(std::int64_t day) {
  return static_cast<int>(((day % 7) + 11) % 7);  // 1970-01-01 was a Thursday (4)
}

std::optional<std::int64_t> parse_date(std::string_view ymd) {
  if (ymd.size() != 10 || ymd[4] != '-' || ymd[7] != '-')
    return std::nullopt;
  int y = 0;
  int m = 0;
  int d = 0;
  auto num = [](std::string_view s, int& out) {
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
    return ec == std::errc{} && p == s.data() + s.size();
  };
  if (!num(ymd.substr(0, 4), y) || !num(ymd.substr(5, 2), m) || !num(ymd.substr(8, 2), d))
    return std::nullopt;
  return day_from_civil(y, m, d);
}

std::int64_t local_day(std::int64_t unix_ms) {
  constexpr std::int64_t kDayMs = 86'400'000;
  constexpr std::int64_t kUtc7 = 7 * 3'600'000;
  const std::int64_t t = unix_ms + kUtc7;
  return t >= 0 ? t / kDayMs : (t - kDayMs + 1) / kDayMs;
}

const std::vector<std::string_view>& required_ui_keys() {
  static const std::vector<std::string_view> kKeys = {"greeting",
                                                      "greeting_named",
                                                      "menu.prompt",
                                                      "help.text",
                                                      "language.switched",
                                                      "fallback.text",
                                                      "fallback.smalltalk",
                                                      "referral.text",
                                                      "error.apology",
                                                      "handoff.text",
                                                      "policies.prompt",
                                                      "policies.group",
                                                      "explainer.more",
                                                      "explainer.next_page",
                                                      "explainer.sources",
                                                      "explainer.contact",
                                                      "explainer.updating",
                                                      "explainer.menu",
                                                      "explainer.not_found",
                                                      "flow.back",
                                                      "flow.cancel",
                                                      "flow.restart",
                                                      "flow.skip",
                                                      "flow.confirm",
                                                      "flow.edit",
                                                      "flow.expired",
                                                      "flow.nothing_before",
                                                      "flow.invalid_choice",
                                                      "flow.too_short",
                                                      "flow.too_long",
                                                      "flow.number_range",
                                                      "flow.not_a_number",
                                                      "flow.empty",
                                                      "flow.step_of",
                                                      "privacy.summary",
                                                      "privacy.delete_confirm",
                                                      "privacy.deleted",
                                                      "privacy.kept",
                                                      "privacy.yes_delete",
                                                      "privacy.no_keep",
                                                      "privacy.channel.web",
                                                      "privacy.channel.cli",
                                                      "privacy.channel.zalo",
                                                      "privacy.channel.messenger",
                                                      "privacy.language.vi",
                                                      "privacy.language.en",
                                                      "unsupported.attachment",
                                                      "understanding.read_as",
                                                      "understanding.did_you_mean",
                                                      "understanding.none_of_these",
                                                      "info.booking",
                                                      "info.events",
                                                      "info.subscribe",
                                                      "info.unsubscribe",
                                                      "number.hint",
                                                      "explainer.back_to_topics",
                                                      "menu.policies",
                                                      "date.datetime",
                                                      "date.weekday.0",
                                                      "date.weekday.1",
                                                      "date.weekday.2",
                                                      "date.weekday.3",
                                                      "date.weekday.4",
                                                      "date.weekday.5",
                                                      "date.weekday.6",
                                                      "web.title",
                                                      "web.subtitle",
                                                      "web.placeholder",
                                                      "web.send",
                                                      "web.offline",
                                                      "web.restart",
                                                      "web.you",
                                                      "web.bot",
                                                      "web.menu"};
  return kKeys;
}

ContentStore::ContentStore(std::string dir, const Clock& clock)
    : dir_(std::move(dir)), clock_(clock) {}

LoadReport ContentStore::reload() {
  std::lock_guard one_at_a_time(reload_mu_);
  LoadReport report = load_content(dir_, local_day(clock_.now_ms()));
  if (report.snapshot) {
    auto s = std::const_pointer_cast<Snapshot>(report.snapshot);
    s->loaded_at_ms = clock_.now_ms();
    publish(report.snapshot);
  }
  return report;
}

std::shared_ptr<const Snapshot> ContentStore::snapshot() const {
  std::lock_guard lock(mu_);
  return current_;
}

void ContentStore::publish(std::shared_ptr<const Snapshot> s) {
  std::lock_guard lock(mu_);
  current_ = std::move(s);
}

}  // namespace outreach::content
