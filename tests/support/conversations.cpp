#include "tests/support/conversations.hpp"

#include <set>
#include <stdexcept>

#include <SQLiteCpp/Statement.h>
#include <yaml-cpp/yaml.h>

#include "bot/core/local_time.hpp"
#include "bot/core/text.hpp"
#include "bot/text/unicode.hpp"
#include "handlers/phone.hpp"

namespace outreach::testing {
namespace {

std::vector<std::string> strings(const YAML::Node& n, const std::string& where) {
  std::vector<std::string> out;
  if (!n.IsDefined() || n.IsNull())
    return out;
  if (!n.IsSequence())
    throw std::runtime_error(where + ": must be a list of texts");
  for (const auto& v : n) out.push_back(v.as<std::string>());
  return out;
}

// The form's step the bot is asking, or "" when no booking form is in progress.
std::string asked_step(TurnHarness& h, const std::string& user) {
  auto p = h.store().people.find("web", "web", user);
  if (!p)
    return {};
  const auto state = h.store().conversations.load(p->id);
  if (state.flow != "booking")
    return {};
  return state.step == "_confirm" ? "confirm" : state.step;
}

struct Made {
  std::string topic, day, time, mode, name, phone, stage;
};

std::optional<Made> booking_of(TurnHarness& h, const std::string& user) {
  auto p = h.store().people.find("web", "web", user);
  if (!p)
    return std::nullopt;
  SQLite::Statement q(h.db(),
                      "SELECT topic, starts_at, mode, name, phone, stage FROM bookings "
                      "WHERE person_id = :p AND status IN ('booked', 'held') ORDER BY id DESC");
  q.bind(":p", static_cast<int64_t>(p->id));
  if (!q.executeStep())
    return std::nullopt;
  Made m;
  m.topic = q.getColumn(0).getString();
  const std::int64_t start = q.getColumn(1).getInt64();
  m.day = local_time::iso_date(local_time::day_of(start));
  m.time = local_time::hhmm(start);
  m.mode = q.getColumn(2).getString();
  m.name = q.getColumn(3).getString();
  m.phone = q.getColumn(4).getString();
  m.stage = q.getColumn(5).getString();
  return m;
}

std::string national(const std::string& phone) {
  if (auto p = handlers::parse_vn_phone(phone))
    return "0" + p->e164.substr(3);
  return phone;
}

// Names compare as a person reads them: letters without accents, any case, single spaces.
std::string loose(const std::string& s) {
  std::string out;
  for (const auto& w : text::words(text::fold(s))) out += (out.empty() ? "" : " ") + w;
  return out;
}

std::string last_words(const std::vector<OutboundMessage>& replies) {
  std::string out;
  for (const auto& m : replies) out += (out.empty() ? "" : " / ") + m.text;
  if (out.size() > 300)
    out = std::string(text::prefix_code_points(out, 150)) + "…";
  return out;
}

}  // namespace

std::vector<ConversationScript> load_scripts(const std::string& path) {
  const YAML::Node root = YAML::LoadFile(path);
  if (!root.IsSequence())
    throw std::runtime_error(path + ": must be a list of scripts");
  std::vector<ConversationScript> out;
  for (const auto& n : root) {
    ConversationScript s;
    s.id = n["id"].as<std::string>("");
    const std::string where = path + ": " + s.id;
    if (s.id.empty())
      throw std::runtime_error(path + ": a script without an id");
    s.persona = n["persona"].as<std::string>("");
    s.opening = strings(n["opening"], where + ".opening");
    for (const auto& kv : n["answers"])
      s.answers[kv.first.as<std::string>()] =
          strings(kv.second, where + ".answers." + kv.first.as<std::string>());
    // Asides as a list of { at: STEP, say: [...] } or as a mapping STEP: [...].
    const YAML::Node asides = n["asides"];
    if (asides && asides.IsMap())
      for (const auto& kv : asides)
        s.asides[kv.first.as<std::string>()] = strings(kv.second, where + ".asides");
    else
      for (const auto& a : asides)
        s.asides[a["at"].as<std::string>()] = strings(a["say"], where + ".asides");
    const YAML::Node expect = n["expect"];
    if (!expect.IsMap())
      throw std::runtime_error(where + ": expect must be a mapping");
    if (expect["booked"].IsDefined())
      s.expect_booking = expect["booked"].as<bool>();
    for (const auto& kv : expect)
      if (kv.first.as<std::string>() != "booked")
        s.expect[kv.first.as<std::string>()] = kv.second.as<std::string>();
    out.push_back(std::move(s));
  }
  return out;
}

ConversationOutcome play(const ConversationScript& script,
                         SharedContent& content,
                         std::vector<std::string>* transcript) {
  TurnHarness h(content);
  h.clock().set(kScriptNow);
  const std::string user = script.id;
  ConversationOutcome out;
  out.id = script.id;
  std::vector<OutboundMessage> last;
  std::string last_typed;
  auto send = [&](const std::string& typed) {
    ++out.turns;
    last_typed = typed;
    struct Log {
      std::vector<OutboundMessage>& replies;
      std::vector<std::string>* lines;
      ~Log() {
        if (lines == nullptr)
          return;
        for (const auto& m : replies) {
          std::string line = "< " + m.text;
          for (const auto& b : m.buttons) line += " [" + b.title + "]";
          for (const auto& i : m.items) line += " {" + i.title + "}";
          lines->push_back(line);
        }
      }
    } log{last, transcript};
    if (transcript != nullptr)
      transcript->push_back("> " + typed);
    h.clock().advance(std::chrono::seconds(20));  // people take a moment to type
    if (typed.size() > 2 && typed.front() == '[' && typed.back() == ']') {
      const std::string label = loose(typed.substr(1, typed.size() - 2));
      for (const auto& m : last) {
        for (const auto& b : m.buttons)
          if (!b.payload.empty() && loose(b.title).find(label) != std::string::npos) {
            last = h.press(b.payload, user);
            return;
          }
        for (const auto& i : m.items)
          if (loose(i.title).find(label) != std::string::npos) {
            last = h.press(i.payload, user);
            return;
          }
      }
      last = h.say(typed.substr(1, typed.size() - 2), user);  // no such button: they type it
      return;
    }
    last = h.say(typed, user);
  };
  for (const auto& o : script.opening) send(o);
  std::map<std::string, std::size_t> used;
  std::set<std::string> asided;
  bool gave_up = false;
  for (int guard = 0; guard < 80; ++guard) {
    const std::string step = asked_step(h, user);
    if (step.empty())
      break;
    if (auto a = script.asides.find(step); a != script.asides.end() && asided.insert(step).second) {
      for (const auto& s : a->second) send(s);
      continue;
    }
    auto it = script.answers.find(step);
    std::size_t& n = used[step];
    if (it == script.answers.end() || n >= it->second.size()) {
      gave_up = true;
      out.why = "gave up at step '" + step + "' after typing «" + last_typed +
                "» (the bot said: " + last_words(last) + ")";
      break;
    }
    send(it->second[n++]);
  }
  if (gave_up)
    return out;
  if (!asked_step(h, user).empty()) {
    out.why = "still in the form after 80 turns";
    return out;
  }
  const auto made = booking_of(h, user);
  if (!script.expect_booking) {
    out.completed = !made.has_value();
    if (!out.completed)
      out.why = "booked, but meant to stop";
    return out;
  }
  if (!made) {
    out.why = "no booking (the bot said: " + last_words(last) + ")";
    return out;
  }
  const std::map<std::string, std::string> got = {
      {"topic", made->topic}, {"day", made->day},   {"time", made->time},
      {"mode", made->mode},   {"name", made->name}, {"phone", national(made->phone)},
      {"stage", made->stage}};
  for (const auto& [key, want] : script.expect) {
    auto g = got.find(key);
    if (g == got.end())
      continue;
    const bool same = key == "name" ? loose(g->second) == loose(want) : g->second == want;
    if (!same) {
      out.why += (out.why.empty() ? "" : ", ") + key + " " + g->second + " (meant " + want + ")";
    }
  }
  out.completed = out.why.empty();
  return out;
}

}  // namespace outreach::testing
