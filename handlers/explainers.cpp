// Browsing policy topics and reading explainers: the summary first, details page by page
// behind "Xem thêm", with the sources and the office to ask.
#include <charconv>

#include "bot/core/local_time.hpp"
#include "bot/core/text.hpp"
#include "content/store.hpp"
#include "handlers/handlers.hpp"

namespace outreach::handlers {
namespace {

// "2017-04-14" → "14/4/2017"
std::string display_date(std::string_view ymd) {
  if (ymd.size() != 10)
    return std::string(ymd);
  auto strip = [](std::string_view s) {
    return std::string(s.front() == '0' ? s.substr(1) : s);
  };
  return strip(ymd.substr(8, 2)) + "/" + strip(ymd.substr(5, 2)) + "/" +
         std::string(ymd.substr(0, 4));
}

class PoliciesHandler final : public Handler {
 public:
  std::string_view name() const override { return kPolicies; }

  void handle(Turn& turn, storage::Store& tx, std::string_view group) override {
    turn.handler = "policies";
    const content::Snapshot& c = turn.content;
    if (group.empty()) {
      OutboundMessage& m = turn.say(turn.ui("policies.prompt"));
      for (const auto& g : c.topic_groups)
        m.items.push_back({g.title.in(turn.lang()), {}, "policies:" + g.id});
      m.buttons.push_back(turn.button("explainer.menu", "menu"));
      return;
    }
    const content::TopicGroup* found = nullptr;
    for (const auto& g : c.topic_groups)
      if (g.id == group)
        found = &g;
    if (found == nullptr)
      return handle(turn, tx, {});
    OutboundMessage& m =
        turn.say(turn.ui("policies.group", {{"group", found->title.in(turn.lang())}}));
    // In the order of topics.yaml, each explainer under its first topic.
    for (const std::string& topic : c.topic_order) {
      auto t = c.topics.find(topic);
      if (t == c.topics.end() || t->second.group != group)
        continue;
      for (const auto& [id, e] : c.explainers_vi) {
        if (e.topics.front() != topic)
          continue;
        const content::Explainer* shown = c.explainer(id, turn.lang());
        m.items.push_back({shown->title, {}, "ex:" + id});
      }
    }
    m.buttons.push_back(turn.button("explainer.back_to_topics", "policies"));
    m.buttons.push_back(turn.button("explainer.menu", "menu"));
  }
};

class ExplainerHandler final : public Handler {
 public:
  std::string_view name() const override { return kExplainer; }

  void handle(Turn& turn, storage::Store&, std::string_view arg) override {
    turn.handler = "explainer";
    const auto [id, page_text] = split_payload(arg);
    const content::Explainer* e = turn.content.explainer(id, turn.lang());
    if (e == nullptr && turn.person.is_new) {  // a first contact through an old link
      turn.outcome = "greeted";
      add_main_menu(turn, turn.say(turn.ui("greeting")));
      return;
    }
    if (e == nullptr) {
      turn.outcome = "not_found";
      OutboundMessage& m = turn.say(turn.ui("explainer.not_found"));
      m.buttons.push_back(turn.button("menu.policies", "policies"));
      m.buttons.push_back(turn.button("explainer.menu", "menu"));
      return;
    }
    turn.outcome = std::string(e->id);
    if (!turn.state.in_flow())
      turn.state.data[kLastExplainer] = {{"id", e->id}, {"at", turn.now_ms}};
    std::size_t page = 0;
    std::from_chars(page_text.data(), page_text.data() + page_text.size(), page);
    if (page > e->pages.size())
      page = e->pages.size();
    if (page == 0)
      return summary(turn, *e);
    details(turn, *e, page);
  }

 private:
  static void summary(Turn& turn, const content::Explainer& e) {
    std::string text;
    if (e.review_by_day != 0 && e.review_by_day < local_time::day_of(turn.now_ms))
      text += turn.ui("explainer.updating") + "\n\n";
    text += e.title + "\n\n" + e.summary + "\n\n";
    std::string sources;
    for (const auto& s : e.sources) {
      if (!sources.empty())
        sources += "; ";
      sources += s.title + " (" + display_date(s.date) + ")";
    }
    text += turn.ui("explainer.sources", {{"sources", sources}});
    OutboundMessage& m = turn.say(std::move(text));
    if (!e.pages.empty())
      m.buttons.push_back(turn.button("explainer.more", "ex:" + e.id + ":1"));
    related(turn, e, m);
  }

  static void details(Turn& turn, const content::Explainer& e, std::size_t page) {
    const content::Page& p = e.pages[page - 1];
    std::string text = p.heading.empty() ? p.body : p.heading + "\n\n" + p.body;
    const bool last = page == e.pages.size();
    if (last) {
      if (const content::Office* o = turn.content.office(e.contact)) {
        text += "\n\n" + turn.ui("explainer.contact", {{"office", o->name.in(turn.lang())},
                                                       {"how", o->how.in(turn.lang())}});
        if (!o->url.empty())
          text += " " + o->url;
      }
    }
    OutboundMessage& m = turn.say(std::move(text));
    if (!last)
      m.buttons.push_back(
          turn.button("explainer.next_page", "ex:" + e.id + ":" + std::to_string(page + 1)));
    related(turn, e, m);
  }

  static void related(Turn& turn, const content::Explainer& e, OutboundMessage& m) {
    for (const auto& r : e.related) {
      if (const content::Explainer* other = turn.content.explainer(r, turn.lang()))
        m.buttons.push_back(Button{other->title, "ex:" + other->id, {}});
      if (m.buttons.size() >= 3)
        break;
    }
    m.buttons.push_back(turn.button("explainer.menu", "menu"));
  }
};

}  // namespace

std::vector<std::unique_ptr<Handler>> make_explainer_handlers() {
  std::vector<std::unique_ptr<Handler>> out;
  out.push_back(std::make_unique<PoliciesHandler>());
  out.push_back(std::make_unique<ExplainerHandler>());
  return out;
}

}  // namespace outreach::handlers
