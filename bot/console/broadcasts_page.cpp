#include <map>

#include <SQLiteCpp/Transaction.h>
#include <nlohmann/json.hpp>

#include "bot/console/page.hpp"
#include "handlers/broadcast.hpp"
#include "storage/db_executor.hpp"

namespace outreach::console {

namespace asio = boost::asio;
using server::Response;
using Json = nlohmann::json;

namespace {

constexpr std::string_view kBase = "/console/broadcasts";

// What the composer's fields held, to fill the form again after a refusal.
using Fields = std::map<std::string, std::vector<std::string>>;

std::string one(const Fields& f, const std::string& k) {
  const auto it = f.find(k);
  return it == f.end() || it->second.empty() ? std::string() : it->second.front();
}

bool has(const Fields& f, const std::string& k, const std::string& v) {
  const auto it = f.find(k);
  return it != f.end() && std::find(it->second.begin(), it->second.end(), v) != it->second.end();
}

Fields fields_of(const net::QueryParams& form) {
  Fields f;
  for (const auto& [k, v] : form) f[k].push_back(v);
  return f;
}

// "2026-12-10T09:00" (an <input type="datetime-local">) → "2026-12-10 09:00".
std::string local_time_field(std::string v) {
  if (v.size() == 16 && v[10] == 'T')
    v[10] = ' ';
  return v;
}

// The composer's fields as the announcement document the CLI and the API take.
Json document_of(const Fields& f) {
  Json doc = {{"title", one(f, "title")}, {"text", {{"vi", one(f, "text_vi")}}}};
  if (!one(f, "text_en").empty())
    doc["text"]["en"] = one(f, "text_en");
  Json buttons = Json::array();
  if (!one(f, "explainer").empty())
    buttons.push_back({{"explainer", one(f, "explainer")}});
  if (has(f, "menu", "1"))
    buttons.push_back({{"menu", true}});
  if (!buttons.empty())
    doc["buttons"] = buttons;
  Json segment = Json::object();
  for (const char* k : {"topics", "wards", "audiences", "channels"})
    if (f.contains(k))
      segment[k] = f.at(k);
  if (!segment.empty())
    doc["segment"] = segment;
  if (!one(f, "send_at").empty())
    doc["send_at"] = local_time_field(one(f, "send_at"));
  if (!one(f, "expires_at").empty())
    doc["expires_at"] = local_time_field(one(f, "expires_at"));
  if (const std::string budget = one(f, "budget_vnd"); !budget.empty() && budget != "0")
    doc["beyond_free_window"] = {{"zalo_paid_cs", {{"budget_vnd", std::atoll(budget.c_str())}}}};
  return doc;
}

std::string checkboxes(const std::string& name,
                       const std::vector<std::pair<std::string, std::string>>& options,
                       const Fields& f) {
  std::string out = "<div class=\"choices\">";
  for (const auto& [value, label] : options) {
    const std::string id = name + "-" + value;
    out += "<span class=\"choice\"><input type=\"checkbox\" id=\"" + esc(id) + "\" name=\"" + name +
           "\" value=\"" + esc(value) + "\"" + (has(f, name, value) ? " checked" : "") +
           "><label for=\"" + esc(id) + "\">" + esc(label) + "</label></span>";
  }
  return out + "</div>";
}

std::vector<std::pair<std::string, std::string>> flow_choices(const Page& p,
                                                              const content::Snapshot& s,
                                                              std::string_view step) {
  std::vector<std::pair<std::string, std::string>> out;
  const auto f = s.flows.find("subscribe");
  if (f == s.flows.end())
    return out;
  if (const auto* st = f->second.step(step))
    for (const auto& ch : st->choices)
      out.emplace_back(ch.value, s.ui(p.en() ? "en" : "vi", ch.label));
  return out;
}

std::string composer(const Ctx& c, const content::Snapshot& s, const Fields& f) {
  const Page& p = c.page;
  const std::string lang = p.en() ? "en" : "vi";
  std::vector<std::pair<std::string, std::string>> topics;
  for (const auto& g : s.topic_groups)
    if (g.news)
      topics.emplace_back(g.id, g.title.in(lang));
  std::string explainers = "<option value=\"\">" + p.tr("(không có)", "(none)") + "</option>";
  for (const auto& [id, e] : s.explainers_vi)
    explainers += "<option value=\"" + esc(id) + "\"" +
                  (one(f, "explainer") == id ? " selected" : "") + ">" + esc(e.title) + "</option>";
  const auto input = [&](const std::string& name, const std::string& label,
                         const std::string& attrs) {
    return "<label for=\"" + name + "\">" + label + "</label><input id=\"" + name + "\" name=\"" +
           name + "\" value=\"" + esc(one(f, name)) + "\" " + attrs + ">";
  };
  return "<form method=\"post\" action=\"/console/broadcasts/new\" class=\"composer\">" +
         Page::csrf_field(c.s.csrf) +
         input("title", p.tr("Tên (chỉ cán bộ thấy)", "Name (seen by staff only)"),
               "required maxlength=\"200\"") +
         "<label for=\"text_vi\">" + p.tr("Nội dung (tiếng Việt)", "Text (Vietnamese)") +
         "</label><textarea id=\"text_vi\" name=\"text_vi\" rows=\"5\" maxlength=\"2000\" "
         "required>" +
         esc(one(f, "text_vi")) + "</textarea><label for=\"text_en\">" +
         p.tr("Nội dung tiếng Anh (cho người chọn tiếng Anh; không bắt buộc)",
              "Text in English (for people who chose English; optional)") +
         "</label><textarea id=\"text_en\" name=\"text_en\" rows=\"3\" maxlength=\"2000\">" +
         esc(one(f, "text_en")) + "</textarea><label for=\"explainer\">" +
         p.tr("Nút mở bài giải thích", "Button to an explainer") +
         "</label><select id=\"explainer\" name=\"explainer\">" + explainers +
         "</select><span class=\"choice\"><input type=\"checkbox\" id=\"menu\" name=\"menu\" "
         "value=\"1\"" +
         (has(f, "menu", "1") ? " checked" : "") + "><label for=\"menu\">" +
         p.tr("Nút “Menu chính”", "A “Main menu” button") + "</label></span><p class=\"hint\">" +
         p.tr("Nút “Dừng nhận tin” luôn được thêm.", "A “Stop news” button is always added.") +
         "</p><fieldset><legend>" +
         p.tr("Chủ đề (trống: mọi người đăng ký)", "Topics (none: every subscriber)") +
         "</legend>" + checkboxes("topics", topics, f) + "</fieldset><fieldset><legend>" +
         p.tr("Phường (trống: mọi phường)", "Wards (none: every ward)") + "</legend>" +
         checkboxes("wards", flow_choices(p, s, "ward"), f) + "</fieldset><fieldset><legend>" +
         p.tr("Đối tượng (trống: tất cả)", "Audiences (none: everyone)") + "</legend>" +
         checkboxes("audiences", flow_choices(p, s, "audience"), f) +
         "</fieldset><fieldset><legend>" + p.tr("Kênh (trống: tất cả)", "Channels (none: all)") +
         "</legend>" +
         checkboxes("channels",
                    {{"zalo", "Zalo OA"},
                     {"messenger", "Messenger"},
                     {"web", p.tr("Web chat", "Web chat")}},
                    f) +
         "</fieldset>" +
         input("send_at", p.tr("Gửi lúc (trống: ngay khi bấm Gửi)", "Send at (empty: when sent)"),
               "type=\"datetime-local\"") +
         input("expires_at",
               p.tr("Hết hạn lúc (không gửi sau giờ này)", "Expires at (nothing goes out after)"),
               "type=\"datetime-local\"") +
         input("budget_vnd",
               p.tr("Ngân sách tin Zalo trả phí 48 giờ – 7 ngày (đồng; 0: không dùng)",
                    "Budget for paid Zalo messages, 48 h – 7 days (VND; 0: none)"),
               "type=\"number\" min=\"0\" step=\"1000\"") +
         "<button type=\"submit\">" + p.tr("Tạo và xem ai sẽ nhận", "Create and see who gets it") +
         "</button></form>";
}

std::string status_label(const Page& p, const std::string& status) {
  static const std::map<std::string, std::pair<const char*, const char*>> kLabels = {
      {"draft", {"Bản nháp", "Draft"}},
      {"planned", {"Đã lập kế hoạch, chưa gửi", "Planned, not sent"}},
      {"sending", {"Đang gửi", "Sending"}},
      {"paused", {"Tạm dừng", "Paused"}},
      {"cancelled", {"Đã hủy", "Cancelled"}},
      {"done", {"Đã gửi xong", "Done"}}};
  const auto it = kLabels.find(status);
  return it == kLabels.end() ? status : p.tr(it->second.first, it->second.second);
}

std::string path_label(const Page& p, const std::string& path) {
  static const std::map<std::string, std::pair<const char*, const char*>> kLabels = {
      {"zalo_cs_free",
       {"Zalo, tin tư vấn miễn phí (≤ 48 giờ)", "Zalo, free consultation (≤ 48 h)"}},
      {"zalo_cs_paid",
       {"Zalo, tin tư vấn trả phí (48 giờ – 7 ngày)", "Zalo, paid consultation (48 h – 7 days)"}},
      {"zalo_template", {"Zalo, mẫu ZBS", "Zalo, ZBS template"}},
      {"messenger_standard", {"Messenger, tin thường (≤ 24 giờ)", "Messenger, standard (≤ 24 h)"}},
      {"messenger_utility", {"Messenger, mẫu tiện ích", "Messenger, utility template"}},
      {"webchat_next_visit", {"Web chat, lần ghé sau", "Web chat, next visit"}},
      {"unreachable", {"Không gửi được", "Unreachable"}}};
  const auto it = kLabels.find(path);
  return it == kLabels.end() ? path : p.tr(it->second.first, it->second.second);
}

std::string plan_table(const Page& p, const Json& plan) {
  if (!plan.is_object() || !plan.contains("paths"))
    return "<p>" + p.tr("Chưa lập kế hoạch.", "Not planned yet.") + "</p>";
  std::string b = "<p>" + p.tr("Người nhận trong nhóm: ", "Recipients in the segment: ") +
                  std::to_string(plan.value("total", 0)) + ". " +
                  p.tr("Bắt đầu gửi: ", "Sending starts: ") + esc(plan.value("starts_at", "")) +
                  ". " + p.tr("Chi phí ước tính: ", "Estimated cost: ") +
                  std::to_string(plan.value("cost_vnd", 0)) + " đ.</p><table><thead><tr><th>" +
                  p.tr("Đường gửi", "Path") + "</th><th>" + p.tr("Số người", "People") +
                  "</th></tr></thead><tbody>";
  for (const auto& [path, n] : plan["paths"].items())
    if (n.get<std::int64_t>() > 0)
      b += "<tr><td>" + esc(path_label(p, path)) + "</td><td>" +
           std::to_string(n.get<std::int64_t>()) + "</td></tr>";
  // value() returns a temporary: keep it alive for the loop (items() only refers to it).
  const Json unreachable = plan.value("unreachable", Json::object());
  for (const auto& [reason, n] : unreachable.items())
    b += "<tr><td>" + p.tr("Không gửi được: ", "Unreachable: ") + esc(reason) + "</td><td>" +
         std::to_string(n.get<std::int64_t>()) + "</td></tr>";
  return b + "</tbody></table>";
}

std::string progress(const Page& p, const handlers::BroadcastReport& r) {
  const std::int64_t finished = r.sent + r.failed + r.skipped;
  // Live while it is sending, and after, while messages it queued still wait for the sender.
  const bool live = r.broadcast.status == "sending" || r.queued > 0;
  std::string b = "<section id=\"progress\" data-live=\"" + std::string(live ? "1" : "0") +
                  "\" aria-live=\"polite\"><h2>" + p.tr("Tiến độ", "Progress") +
                  "</h2><p class=\"status\">" + esc(status_label(p, r.broadcast.status)) +
                  "</p><progress max=\"" + std::to_string(std::max<std::int64_t>(r.total, 1)) +
                  "\" value=\"" + std::to_string(finished) + "\"></progress><table><tbody>";
  const auto row = [&](const std::string& label, std::int64_t n) {
    b += "<tr><td>" + label + "</td><td>" + std::to_string(n) + "</td></tr>";
  };
  row(p.tr("Chờ gửi", "Waiting"), r.waiting);
  row(p.tr("Đã xếp hàng, chờ gửi đi", "Queued"), r.queued);
  row(p.tr("Đã gửi", "Sent"), r.sent);
  row(p.tr("Đã nhận", "Delivered"), r.delivered);
  row(p.tr("Đã xem", "Read"), r.read);
  row(p.tr("Lỗi", "Failed"), r.failed);
  row(p.tr("Bỏ qua", "Skipped"), r.skipped);
  for (const auto& [reason, n] : r.failed_reasons) row(p.tr("Lỗi: ", "Failed: ") + esc(reason), n);
  for (const auto& [reason, n] : r.skipped_reasons)
    row(p.tr("Bỏ qua: ", "Skipped: ") + esc(reason), n);
  return b + "</tbody></table></section>";
}

std::string action_button(const Ctx& c,
                          std::int64_t id,
                          const std::string& verb,
                          const std::string& label) {
  return "<form method=\"post\" action=\"" + std::string(kBase) + "/" + std::to_string(id) + "/" +
         verb + "\" class=\"inline\">" + Page::csrf_field(c.s.csrf) + "<button type=\"submit\">" +
         label + "</button></form>";
}

}  // namespace

// Announcements: the composer, the list, one broadcast's plan, progress and actions.
asio::awaitable<Response> broadcasts_page(Ctx& c) {
  Page& page = c.page;
  const Session& s = c.s;
  c.info.route = "console_broadcasts";
  if (!may_edit_content(s.role))
    co_return c.forbidden();
  auto snapshot = c.d.content.snapshot();
  if (!snapshot)
    co_return c.problem(503, page.tr("Chưa sẵn sàng", "Not ready"),
                        page.tr("Nội dung chưa được nạp.", "Content is not loaded."), "/console/",
                        page.tr("Trang chính", "Home"));
  const handlers::BroadcastActor by{s.staff.email, c.address};
  const std::string title = page.tr("Thông báo", "Announcements");

  if (c.path == kBase && !c.post()) {
    auto list = co_await c.d.writer.run([](storage::Store& st) { return st.broadcasts.list(50); });
    std::string b = "<h2>" + page.tr("Soạn thông báo", "New announcement") + "</h2>" +
                    composer(c, *snapshot, {}) + "<h2>" +
                    page.tr("Đã soạn", "Announcements so far") + "</h2>";
    if (list.empty()) {
      b += "<p>" + page.tr("Chưa có thông báo nào.", "No announcements yet.") + "</p>";
    } else {
      b += "<table><thead><tr><th>#</th><th>" + page.tr("Tên", "Name") + "</th><th>" +
           page.tr("Trạng thái", "Status") + "</th></tr></thead><tbody>";
      for (const auto& x : list)
        b += "<tr><td>" + std::to_string(x.id) + "</td><td><a href=\"" + std::string(kBase) + "/" +
             std::to_string(x.id) + "\">" + esc(x.title) + "</a></td><td>" +
             esc(status_label(page, x.status)) + "</td></tr>";
      b += "</tbody></table>";
    }
    co_return page.html(200, title, b, &s);
  }

  if (c.path == std::string(kBase) + "/new") {
    if (!c.post())
      co_return page.redirect(kBase);
    const Fields f = fields_of(*c.form);
    const Json doc = document_of(f);
    auto created = co_await c.d.writer.run([&](storage::Store& st) {
      SQLite::Transaction tx(st.db, SQLite::TransactionBehavior::IMMEDIATE);
      auto r = handlers::create_broadcast(st, *snapshot, c.d.broadcast, doc, by, c.now);
      if (r) {
        if (auto plan = handlers::plan_broadcast(st, c.d.broadcast, *r, by, c.now); !plan)
          throw std::runtime_error(plan.error().message);
        tx.commit();
      }
      return r;
    });
    if (!created) {
      std::string b = "<div class=\"problem\" role=\"alert\"><p>" +
                      page.tr("Chưa tạo được, vì:", "Not created, because:") + "</p><ul>";
      for (const auto& p : created.error()) b += "<li>" + esc(p) + "</li>";
      b += "</ul></div>" + composer(c, *snapshot, f);
      co_return page.html(400, page.tr("Soạn thông báo", "New announcement"), b, &s);
    }
    co_return page.redirect(std::string(kBase) + "/" + std::to_string(*created));
  }

  // /console/broadcasts/<id>[/<verb>|/report.csv]
  const std::string rest = c.path.substr(kBase.size() + 1);
  const auto slash = rest.find('/');
  const std::int64_t id = std::atoll(rest.substr(0, slash).c_str());
  const std::string verb = slash == std::string::npos ? "" : rest.substr(slash + 1);
  if (c.post()) {
    if (verb == "plan") {
      auto planned = co_await c.d.writer.run([&](storage::Store& st) -> std::optional<Problem> {
        SQLite::Transaction tx(st.db, SQLite::TransactionBehavior::IMMEDIATE);
        auto r = handlers::plan_broadcast(st, c.d.broadcast, id, by, c.now);
        if (!r)
          return r.error();
        tx.commit();
        return std::nullopt;
      });
      if (planned)
        co_return c.problem(planned->code == Errc::kNotFound ? 404 : 409,
                            page.tr("Không làm được", "Not done"), planned->message,
                            std::string(kBase), title);
      co_return page.redirect(std::string(kBase) + "/" + std::to_string(id));
    }
    auto done = co_await c.d.writer.run([&](storage::Store& st) {
      SQLite::Transaction tx(st.db, SQLite::TransactionBehavior::IMMEDIATE);
      auto r = handlers::broadcast_action(st, id, verb, by, c.now);
      if (r)
        tx.commit();
      return r;
    });
    if (!done)
      co_return c.problem(done.error().code == Errc::kNotFound ? 404 : 409,
                          page.tr("Không làm được", "Not done"), done.error().message,
                          std::string(kBase) + "/" + std::to_string(id), title);
    if (c.d.jobs_written)
      c.d.jobs_written();
    co_return page.redirect(std::string(kBase) + "/" + std::to_string(id));
  }
  auto report = co_await c.d.writer.run(
      [&](storage::Store& st) { return handlers::broadcast_report(st, id); });
  if (!report)
    co_return c.not_found();
  if (verb == "report.csv") {
    Response res =
        server::make_response(c.req, 200, "\xEF\xBB\xBF" + handlers::broadcast_report_csv(*report),
                              "text/csv; charset=utf-8");
    res.set(boost::beast::http::field::content_disposition,
            "attachment; filename=\"broadcast-" + std::to_string(id) + ".csv\"");
    co_return res;
  }
  if (!verb.empty())
    co_return c.not_found();
  const auto& b = report->broadcast;
  const Json doc = Json::parse(b.document, nullptr, false);
  const std::string st = b.status;
  std::string body =
      "<p><a href=\"" + std::string(kBase) + "\">" +
      page.tr("← Tất cả thông báo", "← All announcements") +
      "</a></p><blockquote class=\"preview\">" +
      esc(doc.is_object() ? doc.value("text_vi", "") : "") + "</blockquote><h2>" +
      page.tr("Kế hoạch gửi", "Plan") + "</h2>" +
      plan_table(page, b.plan.empty() ? Json() : Json::parse(b.plan, nullptr, false)) +
      "<div class=\"actions\">";
  if (st == "draft" || st == "planned")
    body += action_button(c, id, "plan", page.tr("Lập lại kế hoạch", "Plan again"));
  if (st == "planned")
    body += action_button(c, id, "send", page.tr("Gửi", "Send"));
  if (st == "sending")
    body += action_button(c, id, "pause", page.tr("Tạm dừng", "Pause"));
  if (st == "paused")
    body += action_button(c, id, "resume", page.tr("Tiếp tục", "Resume"));
  if (st != "done" && st != "cancelled")
    body += action_button(c, id, "cancel", page.tr("Hủy", "Cancel"));
  body += "</div>" + progress(page, *report) + "<p><a href=\"" + std::string(kBase) + "/" +
          std::to_string(id) + "/report.csv\">" + page.tr("Tải báo cáo (CSV)", "Report (CSV)") +
          "</a></p><script src=\"/console/static/broadcast.js\" defer></script>";
  co_return page.html(200, b.title, body, &s);
}

}  // namespace outreach::console
