#pragma once
// The content model: everything staff edit under content/ — UI strings, menus, topics,
// offices, forms (flows) and policy explainers — as one immutable Snapshot.
// Thread-safety: a Snapshot is immutable once published; share it as shared_ptr<const>.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "bot/core/local_time.hpp"

namespace outreach::content {

// Languages the bot speaks; every user-facing text exists in both.
inline constexpr std::string_view kVi = "vi";
inline constexpr std::string_view kEn = "en";

struct Bilingual {
  std::string vi;
  std::string en;

  const std::string& in(std::string_view lang) const {
    return lang == kEn && !en.empty() ? en : vi;
  }
};

struct Office {
  std::string id;
  Bilingual name;
  Bilingual how;
  std::string address;
  std::string phone;
  std::string hours;
  std::string url;
};

// A subject this service does not answer but residents often ask a ward about (land papers,
// taxes, identity cards…): the bot says which office does, instead of guessing an explainer.
struct Referral {
  std::string id;
  Bilingual subject;  // "nhà, đất (sổ hồng…)" — completes "Câu hỏi về {subject} không thuộc…"
  std::string office;  // offices.yaml id
  std::vector<std::string> keywords;
  std::vector<std::string> examples;
  // Words that make a question ours even with the subject's words in it ("hộ kinh doanh …
  // thành lập công ty" is turning a household business into a company, not a new company).
  std::vector<std::string> unless;
};

// wards.yaml: the 2025 reorganisation in one line per old ward of the former Gò Vấp district
// ("phường 7 cũ giờ là phường gì" → Hạnh Thông), with the explainer that tells the whole story.
struct OldWards {
  std::string explainer;              // an explainer id (ward-reorganization)
  std::vector<std::string> asked_by;  // words that ask where an old ward is now ("cũ", "giờ")
  std::map<int, Bilingual> now;       // old ward number → the ward it belongs to now
};

struct Topic {
  std::string id;
  std::string kind;   // explainer | intent
  std::string group;  // id of a TopicGroup (explainer topics)
  Bilingual title;
};

struct TopicGroup {
  std::string id;
  Bilingual title;
  std::vector<std::string> also;  // other names people use for it ("shtt", "đo lường")
  bool news = true;               // a topic of announcements people can subscribe to
};

struct Source {
  std::string title;
  std::string date;  // YYYY-MM-DD
  std::string url;
};

struct Page {
  std::string heading;
  std::string body;  // Markdown (a small subset: paragraphs, "- " lists, **bold**)
};

struct Explainer {
  std::string id;
  std::string lang;
  std::string title;
  std::vector<std::string> topics;
  std::vector<std::string> keywords;
  std::vector<std::string> examples;
  std::string summary;
  std::vector<Source> sources;
  std::string reviewed_on;
  std::string review_by;
  std::int64_t review_by_day = 0;  // local day number (bot/core/local_time.hpp)
  std::string contact;             // office id
  std::vector<std::string> related;
  // Phrases that show a question is not one this explainer answers, though it shares its words
  // ("tiền điện cao quá, có cách nào giảm": saving, not a meter to check); both versions' count.
  std::vector<std::string> unless;
  std::vector<Page> pages;
  std::string file;
};

struct MenuItem {
  std::string id;
  std::string label;    // UI key
  std::string payload;  // what pressing it posts back
};

struct Choice {
  std::string value;
  std::string label;              // UI key
  std::vector<std::string> also;  // other ways people say it ("gặp mặt", "zoom"), any language
};

struct FlowStep {
  std::string id;
  std::string
      kind;  // choice | text | number | name, or a kind a capability adds (custom_step_kinds)
  std::string prompt;  // UI key
  std::vector<Choice> choices;
  bool optional = false;
  int min_length = 1;
  int max_length = 500;
  std::int64_t min = 0;
  std::int64_t max = 0;
  std::string invalid;  // UI key shown when the answer does not fit
  // A question typed at this step is its answer (what the person wants to ask), not a question
  // for the bot to answer while the form waits.
  bool takes_questions = false;
  // Other names of the step, for "sửa …" / "đổi …" at the summary ("giờ", "sđt").
  std::vector<std::string> also;
};

struct Flow {
  std::string id;
  std::vector<FlowStep> steps;
  std::string confirm;    // UI key of the summary shown before committing ({step ids})
  std::string done;       // UI key after committing
  std::string cancelled;  // UI key when the person cancels
  std::string file;

  const FlowStep* step(std::string_view step_id) const;
  int index_of(std::string_view step_id) const;  // -1 when unknown
};

// The Startup Advisory Office's booking set-up (booking.yaml).
struct BookingTopic {
  std::string id;
  Bilingual title;
  std::vector<std::string> also;  // other ways people name it ("nhãn hiệu", "thuế")
};

struct Advisor {
  std::string id;
  Bilingual name;  // a role or a name, as the office wants it shown
  std::vector<std::string> topics;
  // Opening hours by weekday (0 = Sunday): [from, to) in minutes after midnight, local time.
  std::vector<std::pair<int, int>> hours[7];
  int seats = 1;  // 1: a private session; more: a group clinic
  // The console accounts (emails, lower case) that are this advisor: their bookings page shows
  // this advisor's sessions by default.
  std::vector<std::string> staff;
};

struct BookingSetup {
  bool enabled = false;  // false when booking.yaml is absent
  std::string office;    // offices.yaml id shown as the contact
  Bilingual place;
  std::string map_url;
  Bilingual online;  // empty: no online option
  std::vector<BookingTopic> topics;
  std::vector<Advisor> advisors;
  int slot_minutes = 45;
  int buffer_minutes = 15;
  int min_notice_hours = 12;
  int max_days_ahead = 30;
  std::map<std::int64_t, Bilingual> holidays;  // local day number → name
  int late_cancel_hours = 4;                   // no change or cancel in the chat closer than this
  int max_active = 2;                          // active bookings per person
  int max_reschedules = 2;                     // per booking
  int waitlist_offer_minutes = 120;            // how long a freed seat is held for the next in line
  std::vector<int> reminder_minutes = {24 * 60, 120};  // before the session

  const BookingTopic* topic(std::string_view id) const;
  const Advisor* advisor(std::string_view id) const;
};

// Phrases that mean an intent (menu, help, booking…), matched after folding: `phrases` only as
// the whole message, `anywhere` also inside a longer one.
// An event people can find and register for (content/events/<id>.yaml, events/FORMAT.md).
// Times are unix ms (written in local time, Asia/Ho_Chi_Minh). Registering is the flow
// "events_<id>" the loader builds from the questions (name and phone first), whose prompts are
// UI strings "event.<id>.*" it adds to the snapshot.
struct EventQuestion {
  std::string id;
  std::string kind;  // choice | text
  Bilingual text;
  bool optional = false;
  int max_length = 300;

  struct Option {
    std::string value;
    Bilingual label;
    std::vector<std::string> also;
  };

  std::vector<Option> choices;
};

struct Event {
  std::string id;
  bool example = false;
  std::string status = "published";  // published | cancelled | draft
  Bilingual title;
  Bilingual summary;
  std::int64_t starts_at = 0;
  std::int64_t ends_at = 0;
  Bilingual place;
  std::string map_url;
  bool online = false;
  std::string online_url;
  std::string organiser;              // offices.yaml id
  std::vector<std::string> topics;    // topic group ids and topic ids
  std::vector<std::string> audience;  // empty: everyone
  int capacity = 0;                   // 0: information only
  std::int64_t registration_opens = 0;
  std::int64_t registration_closes = 0;  // default: the start
  bool waitlist = false;
  int offer_hours = 4;
  int cancel_until_hours = 2;
  std::vector<std::int64_t> reminders_ms = {24 * 3600 * 1000LL, 2 * 3600 * 1000LL};
  std::vector<EventQuestion> questions;
  std::string file;

  std::string flow_id() const { return "events_" + id; }

  bool published() const { return status == "published"; }

  bool registers() const { return capacity > 0; }

  // Whether registration is open at `now` (published, with seats, within its dates).
  bool registration_open(std::int64_t now) const {
    return published() && registers() && now >= registration_opens && now < registration_closes &&
           now < starts_at;
  }
};

struct Intent {
  std::string id;
  std::vector<std::string> phrases;
  std::vector<std::string> anywhere;
  std::string negated;  // the intent meant when a negation comes before an `anywhere` phrase
  // Words or phrases that rule the intent out wherever they appear in the message ("quán cà phê
  // mở nhạc có phải trả tiền bản quyền" is a copyright question, not a request to play music).
  std::vector<std::string> unless;
  // Groups of words or phrases (`together:`): a phrase of every group anywhere in the message is
  // the intent ("hội thảo" + "sắp tới": an event asked for; a topic may sit between them).
  std::vector<std::vector<std::string>> together;
  // false (`ranked: false`): matched by its phrases only, never a document of the ranking index,
  // so that adding one does not move how explainers rank.
  bool ranked = true;
  // false (`in_chat: false`): not asked in a message of everyday chat (chat_words.yaml): "người
  // yêu cũ nhắn tin lại" asks for no announcements.
  bool in_chat = true;
};

// A question people asked that staff attached to its answer (learned.yaml, written by the
// console's /console/questions or by hand): the bot answers it, as a whole message read the way
// it reads every message, with that answer.
struct LearnedQuestion {
  std::string question;
  std::string answer;   // as written: "explainer:<id>", "referral:<id>" or "off-topic"
  std::string payload;  // what it means: "ex:<id>", "referral:<id>", "fallback:smalltalk"
  int line = 0;
};

// The learned.yaml answer for an explainer, a referral or off-topic, and back.
std::string learned_answer_payload(std::string_view answer);  // '' when not one of the three

// "dk" → "đăng ký": what an abbreviation or teencode means.
struct Abbreviation {
  std::string key;        // as written in the file
  std::string expansion;  // with diacritics
  std::string english;    // what it means in an English message ("cds": digital transformation);
                          // empty: an English message reads it as the Vietnamese meaning
  bool capitals = false;  // the key is written in capitals: it means this only when typed so, in
                          // a message not all in capitals ("AI" is trí tuệ nhân tạo, "ai" who)
};

// lexicon.yaml: an everyday way of saying a concept ("logo", "bảng giá", "shopee") and the
// content's own term for it (nhãn hiệu, niêm yết giá, thương mại điện tử). The term is added to
// what is ranked, the everyday words kept; the bot says how it read the question.
struct LexiconEntry {
  std::string phrase;  // as people say it; "tiền điện … giảm": the second part a few words later
  std::string term;  // the content's term, with diacritics
};

// A lexicon phrase's two parts around "…" (or "..."); the second is empty for a plain phrase.
std::pair<std::string, std::string> lexicon_parts(std::string_view phrase);
// How lexicon phrases are compared: folded words, and " … " between the parts of one said apart
// ("tien dien … giam"); empty when there are no words, or a "…" without words on both sides.
std::string lexicon_key(std::string_view phrase);
// Everyday phrases one term may have in lexicon.yaml.
constexpr std::size_t kMaxLexiconPhrases = 40;

struct Snapshot {
  std::map<std::string, std::string, std::less<>> ui_vi;  // dotted key → text
  std::map<std::string, std::string, std::less<>> ui_en;
  std::vector<MenuItem> main_menu;
  std::map<std::string, Topic, std::less<>> topics;
  std::vector<std::string> topic_order;  // as listed in topics.yaml
  std::vector<TopicGroup> topic_groups;
  std::map<std::string, Office, std::less<>> offices;
  std::map<std::string, Referral, std::less<>> referrals;
  std::map<std::string, Explainer, std::less<>> explainers_vi;
  std::map<std::string, Explainer, std::less<>> explainers_en;
  std::map<std::string, Flow, std::less<>> flows;
  BookingSetup booking;
  std::vector<Intent> intents;
  std::vector<std::string> negations;  // "không", "đừng"… (intents.yaml _negations)
  // "chứ không phải", "not the"… (intents.yaml _not_this): the words right after say what the
  // question is not about, so they do not rank it.
  std::vector<std::string> not_this;
  std::vector<Abbreviation> abbreviations;
  std::vector<std::string> neutral_words;  // place names etc., ignored when ranking
  OldWards old_wards;
  std::vector<LexiconEntry> lexicon;
  std::vector<std::string> chat_words;   // everyday chat (food, love, weather…): not our field
  std::vector<LearnedQuestion> learned;  // learned.yaml, in file order
  std::map<std::string, Event, std::less<>> events;  // events/*.yaml by id
  std::int64_t loaded_at_ms = 0;
  std::string dir;

  // The UI string `key` in `lang` (falling back to Vietnamese, then to the key itself so a
  // missing string is visible rather than blank).
  const std::string& ui(std::string_view lang, std::string_view key) const;

  // The explainer in `lang`, falling back to the Vietnamese one.
  const Explainer* explainer(std::string_view id, std::string_view lang) const;
  const Flow* flow(std::string_view id) const;
  const Office* office(std::string_view id) const;
  const Referral* referral(std::string_view id) const;
  const Event* event(std::string_view id) const;

  // A word of `term` that is in no explainer's title or keywords (so a lexicon phrase mapped to
  // it could not help ranking); '' when every word is.
  std::string word_not_in_content(std::string_view term) const;
};

// Days since 1970-01-01 for a YYYY-MM-DD date; nullopt when malformed or impossible (the
// calendar lives in bot/core/local_time.hpp; content files name their dates this way).
using local_time::parse_date;

// Step kinds beyond choice / text / number that capabilities implement (phone, booking…).
const std::vector<std::string_view>& custom_step_kinds();

// UI keys the code uses; check-content refuses content that lacks any of them.
const std::vector<std::string_view>& required_ui_keys();

}  // namespace outreach::content
