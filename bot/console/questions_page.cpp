#include <algorithm>
#include <functional>
#include <map>
#include <set>

#include <SQLiteCpp/Transaction.h>
#include <boost/asio/post.hpp>

#include "bot/console/page.hpp"
#include "bot/core/local_time.hpp"
#include "bot/core/log.hpp"
#include "bot/core/text.hpp"
#include "bot/text/unicode.hpp"
#include "content/learned_file.hpp"
#include "content/loader.hpp"
#include "storage/async.hpp"
#include "storage/db_executor.hpp"

namespace outreach::console {

namespace asio = boost::asio;
using server::Response;

namespace {

constexpr int kListed = 200;

// What happened to the file and the running bot after an attach.
struct Written {
  std::optional<Problem> refused;  // nothing was kept (the file is as it was)
  std::string not_loaded;          // kept, but another file stops the reload: its first problem
};

// The explainer, referral or "off-topic" an answer names, for people; '' when it names nothing
// the content has.
std::string answer_label(const Page& p, const content::Snapshot& s, std::string_view answer) {
  if (answer == "off-topic")
    return p.tr("Ngoài phạm vi (trả lời lịch sự là trợ lý không phụ trách)",
                "Off-topic (say politely that it is outside the bot's field)");
  const std::string payload = content::learned_answer_payload(answer);
  if (payload.starts_with("ex:")) {
    const auto* e = s.explainer(payload.substr(3), p.en() ? content::kEn : content::kVi);
    return e ? e->title : "";
  }
  if (payload.starts_with("referral:")) {
    const auto* r = s.referral(payload.substr(9));
    return r ? p.tr("Chuyển: ", "Referral: ") + r->subject.in(p.en() ? content::kEn : content::kVi)
             : "";
  }
  return {};
}

// The question's closest answer as learned.yaml names it ("ip-trademark" → explainer:…).
std::string closest_answer(const std::string& best) {
  if (best.empty())
    return {};
  return best.starts_with("referral:") ? best : "explainer:" + best;
}

std::string answer_select(const Page& p,
                          const content::Snapshot& s,
                          const std::string& id,
                          const std::string& chosen) {
  const std::string_view lang = p.en() ? content::kEn : content::kVi;
  auto option = [&](const std::string& value, const std::string& label) {
    return "<option value=\"" + esc(value) + "\"" + (value == chosen ? " selected" : "") + ">" +
           esc(label) + "</option>";
  };
  std::string b = "<select id=\"answer-" + id + "\" name=\"answer\" required><option value=\"\">" +
                  p.tr("— chọn câu trả lời —", "— choose the answer —") +
                  "</option><optgroup label=\"" + p.tr("Bài giải thích", "Explainers") + "\">";
  std::vector<std::pair<std::string, std::string>> explainers;
  for (const auto& [eid, e] : s.explainers_vi)
    explainers.emplace_back(s.explainer(eid, lang)->title, eid);
  std::sort(explainers.begin(), explainers.end());
  for (const auto& [title, eid] : explainers) b += option("explainer:" + eid, title);
  b += "</optgroup><optgroup label=\"" +
       p.tr("Việc của cơ quan khác (chỉ nơi hỏi)", "Other offices' subjects (referral)") + "\">";
  for (const auto& [rid, r] : s.referrals) b += option("referral:" + rid, r.subject.in(lang));
  b += "</optgroup>" + option("off-topic", answer_label(p, s, "off-topic")) + "</select>";
  return b;
}

// `edit` on the content folder, then a reload, on the App's reload thread: a reload that refuses
// what `edit` wrote to `file` puts the file back as it was.
asio::awaitable<Written> edit_and_reload(
    Ctx& c,
    std::string_view file,
    std::function<Result<void, outreach::Problem>(const std::string& dir)> edit) {
  const std::string dir = c.d.content.dir();
  co_return co_await storage::async_completion<Written>([&](std::function<void(Written)> complete) {
    asio::post(c.d.blocking, [&dir, file, &edit, reload = c.d.reload_content, complete] {
      Written out;
      const std::string before = content::read_content_file(dir, file);
      if (auto r = edit(dir); !r) {
        out.refused = r.error();
        return complete(std::move(out));
      }
      const content::LoadReport report = reload();
      if (!report.ok()) {
        const auto mine = std::find_if(
            report.problems.begin(), report.problems.end(),
            [file](const content::Problem& p) { return !p.warning && p.file == file; });
        const auto first = std::find_if(report.problems.begin(), report.problems.end(),
                                        [](const content::Problem& p) { return !p.warning; });
        if (mine != report.problems.end()) {
          (void)content::write_content_file(dir, file, before);
          out.refused = Problem{Errc::kInvalidInput, mine->to_string()};
        } else if (first != report.problems.end()) {
          out.not_loaded = first->to_string();
        }
      }
      complete(std::move(out));
    });
  });
}

// Nothing was written to `file` (`why`): staff read why in their language, then the detail
// (English, with the file) for whoever can mend it: the server's keeper when the disk refused
// the write, the content's keeper when the content checker refused the edit.
Response refused(const Ctx& c,
                 const std::string& title,
                 std::string_view file,
                 const Problem& why,
                 const std::string& back_href,
                 const std::string& back_label) {
  const std::string path = "content/" + std::string(file);
  const bool disk = why.code == Errc::kStorageFailed;
  const std::string lead =
      disk ? c.page.tr("Chưa lưu gì: không ghi được tệp " + path +
                           " nên tệp vẫn như cũ. Máy chủ báo (tiếng Anh, hãy gửi nguyên văn cho "
                           "người quản trị máy chủ): ",
                       "Nothing was saved: " + path +
                           " could not be written, so it is as it was. The server said: ")
           : c.page.tr("Chưa lưu gì: tệp " + path +
                           " vẫn như cũ. Trình kiểm tra nội dung báo (tiếng Anh, hãy gửi nguyên "
                           "văn cho người phụ trách nội dung): ",
                       "Nothing was saved: " + path + " is as it was. The content checker said: ");
  return c.problem(disk ? 500 : 400, title, lead + why.message, back_href, back_label);
}

// Saved to `file`, but another content file stops the reload (its first problem: `note`).
Response saved_not_loaded(const Ctx& c,
                          std::string_view file,
                          const std::string& note,
                          const std::string& back_label) {
  const std::string path = "content/" + std::string(file);
  return c.page.html(
      200, c.page.tr("Đã lưu, chưa nạp", "Saved, not loaded yet"),
      "<p class=\"problem\" role=\"alert\">" +
          c.page.tr("Đã ghi vào " + path +
                        ", nhưng một tệp nội dung khác đang có lỗi nên trợ lý vẫn dùng nội dung "
                        "cũ cho đến khi lỗi được sửa: ",
                    "Written to " + path +
                        ", but another content file has an error, so the bot keeps the content "
                        "it has until that is fixed: ") +
          esc(note) + "</p><p><a href=\"/console/questions\">" + esc(back_label) + "</a></p>",
      &c.s);
}

// Words of `s` without case or diacritics, one space between them ("Bảng  giá" → "bang gia").
std::string folded_words(std::string_view s) {
  std::string out;
  for (const auto& w : text::words(text::fold(s))) out += (out.empty() ? "" : " ") + w;
  return out;
}

// The staff's refusal of an everyday phrase for `term`; '' when it may go into lexicon.yaml.
std::string lexicon_refusal(const Page& page,
                            const content::Snapshot& s,
                            const std::string& phrase,
                            const std::string& term) {
  if (folded_words(phrase).empty() || folded_words(term).empty())
    return page.tr("Hãy điền cả cách nói thường ngày và thuật ngữ của nội dung.",
                   "Give both the everyday phrase and the content's term.");
  if (auto found = content::personal_detail(phrase))
    return page.tr("Cách nói còn thông tin cá nhân (số điện thoại, số giấy tờ hoặc email).",
                   "The phrase holds a personal detail (" + *found + ").");
  if (folded_words(phrase) == folded_words(term))
    return page.tr("Cách nói và thuật ngữ là một: không cần thêm.",
                   "The phrase is the term itself: nothing to add.");
  if (const std::string w = s.word_not_in_content(term); !w.empty())
    return page.tr("Từ '" + w +
                       "' của thuật ngữ không có trong tiêu đề hay từ khoá của bài giải thích "
                       "nào, nên không giúp trợ lý tìm bài: hãy chọn một thuật ngữ trong danh "
                       "sách gợi ý.",
                   "The term's word '" + w +
                       "' is in no explainer's title or keywords, so it cannot help the bot "
                       "find an explainer: choose a term from the suggestions.");
  const std::string key = content::lexicon_key(phrase);
  if (key.empty())  // words, but a "…" without words on both sides
    return page.tr(
        "Cách nói tách đôi cần có chữ ở cả hai bên một dấu “…”, ví dụ “tiền điện … "
        "giảm”.",
        "A phrase said apart needs words on both sides of one “…”, e.g. “power bill "
        "… reduce”.");
  std::size_t under_term = 0;
  for (const content::LexiconEntry& l : s.lexicon) {
    if (content::lexicon_key(l.phrase) == key)
      return page.tr("'" + l.phrase + "' đã có trong từ điển, nghĩa là '" + l.term + "'.",
                     "'" + l.phrase + "' is already in the lexicon, meaning '" + l.term + "'.");
    under_term += folded_words(l.term) == folded_words(term) ? 1 : 0;
  }
  if (under_term >= content::kMaxLexiconPhrases)
    return page.tr(
        "Thuật ngữ '" + term + "' đã có đủ " + std::to_string(content::kMaxLexiconPhrases) +
            " cách nói: hãy chọn một thuật ngữ hẹp hơn trong danh sách gợi ý.",
        "The term '" + term + "' already has " + std::to_string(content::kMaxLexiconPhrases) +
            " phrases: choose a narrower term from the suggestions.");
  return {};
}

// The terms staff may choose for a phrase: the lexicon's own, then explainers' keywords.
std::string term_suggestions(const content::Snapshot& s) {
  std::set<std::string> terms;
  for (const auto& l : s.lexicon) terms.insert(l.term);
  for (const auto& [id, e] : s.explainers_vi)
    for (const auto& k : e.keywords)
      if (k.size() >= 3)
        terms.insert(k);
  std::string b = "<datalist id=\"terms\">";
  for (const auto& t : terms) b += "<option value=\"" + esc(t) + "\">";
  return b + "</datalist>";
}

}  // namespace

// Unanswered questions (editor, admin): the ones people sent to staff, grouped by the closest
// explainer; attach one to its answer (content/learned.yaml, loaded at once), mark it
// off-topic, or set it aside.
asio::awaitable<Response> questions_page(Ctx& c) {
  Page& page = c.page;
  const Session& s = c.s;
  c.info.route = "console_questions";
  if (!may_edit_content(s.role))
    co_return c.forbidden();
  const auto snapshot = c.d.content.snapshot();
  if (!snapshot)
    co_return c.problem(503, page.tr("Chưa sẵn sàng", "Not ready"),
                        page.tr("Nội dung chưa được nạp.", "Content is not loaded."), "/console/",
                        page.tr("Trang chính", "Home"));
  const std::string back_label = page.tr("Về danh sách câu hỏi", "Back to the questions");

  if (c.post()) {
    const std::string rest = c.path.substr(std::string_view("/console/questions/").size());
    const auto slash = rest.find('/');
    const std::int64_t id = std::atoll(rest.substr(0, slash).c_str());
    const std::string verb = slash == std::string::npos ? "" : rest.substr(slash + 1);
    if (verb != "attach" && verb != "dismiss" && verb != "teach")
      co_return c.not_found();
    const auto open =
        co_await c.d.writer.run([&](storage::Store& st) { return st.records.open_question(id); });
    if (!open)
      co_return c.problem(409, page.tr("Không làm được", "Not done"),
                          page.tr("Câu hỏi không còn trong danh sách (đã được xử lý hoặc đã xoá).",
                                  "The question is no longer listed (handled or deleted)."),
                          "/console/questions", back_label);
    if (verb == "teach") {
      // An everyday phrase for one of the content's terms (lexicon.yaml): the question stays
      // listed, to be attached or set aside as well.
      auto field_of = [&](const char* name) {
        std::string v = text::clean_input(c.posted(name), 80);
        std::replace_if(
            v.begin(), v.end(), [](char ch) { return ch == '\n' || ch == '\t'; }, ' ');
        return text::nfc(v);
      };
      const std::string phrase = field_of("phrase");
      const std::string term = field_of("term");
      const std::string refusal = lexicon_refusal(page, *snapshot, phrase, term);
      const std::string here = "/console/questions#q" + std::to_string(id);
      if (!refusal.empty())
        co_return c.problem(400, page.tr("Chưa thêm", "Not added"), refusal, here, back_label);
      const Written w = co_await edit_and_reload(
          c, content::kLexiconFile,
          [&](const std::string& dir) { return content::add_lexicon_phrase(dir, term, phrase); });
      if (w.refused) {
        log::warn("console", "lexicon_refused", {{"why", w.refused->message}});
        co_return refused(c, page.tr("Chưa thêm", "Not added"), content::kLexiconFile, *w.refused,
                          here, back_label);
      }
      co_await c.audit("lexicon_add", std::to_string(id), term);
      if (!w.not_loaded.empty())
        co_return saved_not_loaded(c, content::kLexiconFile, w.not_loaded, back_label);
      co_return page.redirect("/console/questions?done=taught#q" + std::to_string(id));
    }
    std::string how = "dismissed";
    std::string note;
    if (verb == "attach") {
      how = c.posted("answer");
      std::string question = text::clean_input(c.posted("question"), content::kMaxLearnedQuestion);
      std::replace_if(
          question.begin(), question.end(), [](char ch) { return ch == '\n' || ch == '\t'; }, ' ');
      question = text::nfc(question);
      std::string refusal;
      if (question.empty())
        refusal = page.tr("Câu hỏi trống.", "The question is empty.");
      else if (auto found = content::personal_detail(question))
        refusal = page.tr(
            "Câu hỏi còn thông tin cá nhân (số điện thoại, số giấy tờ hoặc email): "
            "hãy xoá đi rồi gắn lại, vì câu hỏi sẽ thành nội dung công khai.",
            "The question still holds a personal detail (" + *found +
                "): remove it and attach again, since the question becomes "
                "public content.");
      else if (answer_label(page, *snapshot, how).empty())
        refusal = page.tr("Hãy chọn một câu trả lời có trong nội dung.",
                          "Choose an answer that the content has.");
      if (!refusal.empty())
        co_return c.problem(400, page.tr("Chưa gắn", "Not attached"), refusal,
                            "/console/questions#q" + std::to_string(id), back_label);
      const content::LearnedEntry entry{question, how, local_time::day_of(c.now)};
      const Written w = co_await edit_and_reload(
          c, content::kLearnedFile,
          [&entry](const std::string& dir) { return content::append_learned(dir, entry); });
      if (w.refused) {
        log::warn("console", "learned_refused", {{"why", w.refused->message}});
        co_return refused(c, page.tr("Chưa gắn", "Not attached"), content::kLearnedFile, *w.refused,
                          "/console/questions#q" + std::to_string(id), back_label);
      }
      note = w.not_loaded;
    }
    co_await c.d.writer.run([&](storage::Store& st) {
      SQLite::Transaction t(st.db);
      st.records.handle_question(id, how, s.staff.email, c.now);
      st.staff.audit(c.now, s.staff.email,
                     verb == "attach" ? "question_attach" : "question_dismiss", std::to_string(id),
                     c.address, how);
      t.commit();
    });
    if (!note.empty())
      co_return saved_not_loaded(c, content::kLearnedFile, note, back_label);
    co_return page.redirect("/console/questions?done=" +
                            std::string(verb == "attach" ? "attached" : "dismissed"));
  }

  const auto rows = co_await c.d.writer.run(
      [](storage::Store& st) { return st.records.open_questions(kListed); });
  std::string b;
  const std::string done = field(c.q, "done");
  if (done == "attached")
    b += "<p class=\"done\" role=\"status\">" +
         page.tr("Đã gắn. Từ bây giờ trợ lý trả lời câu hỏi này bằng câu trả lời đã chọn.",
                 "Attached. From now on the bot answers this question with the chosen answer.") +
         "</p>";
  else if (done == "dismissed")
    b += "<p class=\"done\" role=\"status\">" + page.tr("Đã bỏ qua.", "Set aside.") + "</p>";
  else if (done == "taught")
    b += "<p class=\"done\" role=\"status\">" +
         page.tr(
             "Đã thêm vào từ điển. Từ bây giờ cách nói này được hiểu như thuật ngữ đã chọn, "
             "trong mọi câu hỏi.",
             "Added to the lexicon. From now on this phrase is read as the chosen term, in "
             "every question.") +
         "</p>";
  b += "<p>" +
       page.tr(
           "Những câu trợ lý chưa trả lời chắc chắn mà người hỏi đã đồng ý gửi cho cán bộ, "
           "xếp theo bài giải thích gần nhất. Gắn một câu với câu trả lời đúng: câu được ghi "
           "vào content/learned.yaml và trợ lý trả lời câu đó ngay từ lần sau.",
           "Questions the bot could not answer with confidence, sent to staff by the person "
           "who asked, grouped by the closest explainer. Attach one to its right answer: it "
           "is written to content/learned.yaml and the bot answers it from the next time.") +
       "</p><p>" +
       page.tr(
           "Khi câu hỏi dùng một cách nói thường ngày cho điều nội dung gọi bằng thuật ngữ "
           "(\"logo\" là nhãn hiệu, \"cân điêu\" là kiểm định), hãy dạy cách nói đó: nó "
           "vào content/lexicon.yaml và giúp mọi câu hỏi dùng nó, không chỉ câu này.",
           "When a question uses an everyday phrase for what the content calls by a term "
           "(\"logo\" is nhãn hiệu, \"cân điêu\" is kiểm định), teach the phrase: it goes "
           "into content/lexicon.yaml and helps every question that uses it, not only this "
           "one.") +
       "</p>";
  if (rows.empty()) {
    b += "<p>" + page.tr("Không có câu hỏi nào đang chờ.", "No questions are waiting.") + "</p>";
    co_return page.html(200, page.tr("Câu hỏi chưa trả lời", "Unanswered questions"), b, &s);
  }
  // Groups: the closest answer, the largest group first.
  std::map<std::string, std::vector<const storage::OpenQuestion*>> groups;
  for (const auto& r : rows) groups[closest_answer(r.best)].push_back(&r);
  std::vector<std::pair<std::string, std::vector<const storage::OpenQuestion*>>> ordered(
      groups.begin(), groups.end());
  std::stable_sort(ordered.begin(), ordered.end(),
                   [](const auto& x, const auto& y) { return x.second.size() > y.second.size(); });
  for (const auto& [closest, list] : ordered) {
    const std::string label = closest.empty() ? "" : answer_label(page, *snapshot, closest);
    b += "<section class=\"group\"><h2>" +
         esc(label.empty() ? page.tr("Không gần bài nào", "Close to no explainer")
                           : page.tr("Gần: ", "Close to: ") + label) +
         " <span class=\"meta\">(" + std::to_string(list.size()) +
         ")</span></h2><ul class=\"questions\">";
    for (const storage::OpenQuestion* q : list) {
      const std::string id = std::to_string(q->id);
      const std::string act = "/console/questions/" + id + "/";
      b +=
          "<li id=\"q" + id + "\"><p class=\"asked\">" + esc(q->text) + "</p><p class=\"meta\">" +
          std::to_string(q->times) + page.tr(" lần", q->times == 1 ? " time" : " times") + " · " +
          esc(q->channel) + " · " + esc(local_time::timestamp(q->at)) +
          "</p><form method=\"post\" action=\"" + act + "attach\" class=\"card\">" +
          Page::csrf_field(s.csrf) + "<label for=\"question-" + id + "\">" +
          page.tr("Câu hỏi (xoá tên, số điện thoại, địa chỉ trước khi gắn)",
                  "Question (remove names, phone numbers, addresses before attaching)") +
          "</label><textarea id=\"question-" + id + "\" name=\"question\" rows=\"2\" maxlength=\"" +
          std::to_string(content::kMaxLearnedQuestion) + "\" required>" + esc(q->text) +
          "</textarea><label for=\"answer-" + id + "\">" + page.tr("Trả lời bằng", "Answer with") +
          "</label>" + answer_select(page, *snapshot, id, closest) + "<button type=\"submit\">" +
          page.tr("Gắn", "Attach") + "</button></form><form method=\"post\" action=\"" + act +
          "dismiss\" class=\"inline\">" + Page::csrf_field(s.csrf) +
          "<button type=\"submit\" class=\"secondary\">" +
          page.tr("Bỏ qua (không cần trả lời)", "Set aside (needs no answer)") +
          "</button></form><details class=\"teach\"><summary>" +
          page.tr("Dạy một cách nói (từ điển)", "Teach a phrase (lexicon)") +
          "</summary><form method=\"post\" action=\"" + act + "teach\" class=\"card\">" +
          Page::csrf_field(s.csrf) + "<label for=\"phrase-" + id + "\">" +
          page.tr("Cách nói thường ngày trong câu hỏi", "The everyday phrase in the question") +
          "</label><input id=\"phrase-" + id +
          "\" name=\"phrase\" maxlength=\"80\" required aria-describedby=\"phrase-hint-" + id +
          "\"><p class=\"hint\" id=\"phrase-hint-" + id + "\">" +
          page.tr("Hai phần cách nhau trong câu: viết “tiền điện … giảm”.",
                  "Two parts apart in the question: write “power bill … reduce”.") +
          "</p><label for=\"term-" + id + "\">" +
          page.tr("Thuật ngữ của nội dung mà cách nói ấy chỉ", "The content's term it stands for") +
          "</label><input id=\"term-" + id +
          "\" name=\"term\" list=\"terms\" maxlength=\"80\" required><button type=\"submit\">" +
          page.tr("Thêm vào từ điển", "Add to the lexicon") + "</button></form></details></li>";
    }
    b += "</ul></section>";
  }
  b += term_suggestions(*snapshot);
  co_return page.html(200, page.tr("Câu hỏi chưa trả lời", "Unanswered questions"), b, &s);
}

}  // namespace outreach::console
