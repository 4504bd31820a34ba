#include <algorithm>

#include <nlohmann/json.hpp>

#include "bot/console/page.hpp"
#include "bot/core/local_time.hpp"
#include "handlers/booking.hpp"
#include "storage/db_executor.hpp"

namespace outreach::console {

namespace asio = boost::asio;
namespace http = boost::beast::http;
using server::Response;

// The Startup Advisory Office's sessions by day: confirm, cancel with a reason, attendance, CSV.
asio::awaitable<Response> bookings_page(Ctx& c) {
  Page& page = c.page;
  const Session& s = c.s;
  c.info.route = "console_bookings";
  if (!may_use_inbox(s.role))
    co_return c.forbidden();
  auto snapshot = c.d.content.snapshot();
  if (!snapshot)
    co_return page.html(
        503, page.tr("Chưa sẵn sàng", "Not ready"),
        "<p>" + page.tr("Nội dung chưa được nạp.", "Content is not loaded.") + "</p>", &s);
  if (c.post()) {
    const std::string rest = c.path.substr(std::string_view("/console/bookings/").size());
    const auto slash = rest.find('/');
    handlers::StaffAction action;
    action.ref = rest.substr(0, slash);
    const std::string verb = slash == std::string::npos ? "" : rest.substr(slash + 1);
    using Kind = handlers::StaffAction::Kind;
    if (verb == "confirm") {
      action.kind = Kind::kConfirm;
    } else if (verb == "cancel") {
      action.kind = Kind::kCancel;
      action.reason = field(*c.form, "reason");
    } else if (verb == "attended" || verb == "no_show") {
      action.kind = Kind::kAttendance;
      action.attendance = verb;
    } else {
      co_return page.html(404, page.tr("Không tìm thấy", "Not found"), "", &s);
    }
    action.actor = s.staff.email;
    action.address = c.address;
    auto done = co_await c.d.writer.run(
        [&](storage::Store& st) { return handlers::staff_action(st, *snapshot, action, c.now); });
    if (!done)
      co_return page.html(done.error().code == Errc::kNotFound ? 404 : 409,
                          page.tr("Không làm được", "Not done"),
                          "<p class=\"problem\" role=\"alert\">" + esc(done.error().message) +
                              "</p><p><a href=\"/console/bookings\">" +
                              page.tr("Quay lại lịch", "Back to the bookings") + "</a></p>",
                          &s);
    if (c.d.outbox_written)
      c.d.outbox_written();
    co_return page.redirect(
        "/console/bookings?day=" + local_time::iso_date(local_time::day_of(done->starts_at)) +
        "&done=" + verb);
  }
  const std::string day = field(c.q, "day");
  const int span = std::clamp(std::atoi(field(c.q, "days").c_str()), 1, 31);
  std::string to;
  if (const auto first = local_time::parse_date(day))
    to = local_time::iso_date(*first + span - 1);
  const auto days = handlers::booking_days(day, to, c.now);
  if (!days)
    co_return page.html(400, page.tr("Ngày không hợp lệ", "Not a date"),
                        "<p class=\"problem\">" + esc(days.error().message) + "</p>", &s);
  // An advisor sees their own sessions by default (booking.yaml: advisors[].staff), and
  // everyone's with advisor=all; a named advisor shows that one.
  std::string advisor = field(c.q, "advisor");
  if (advisor.empty() && s.role == Role::kAdvisor)
    for (const auto& a : snapshot->booking.advisors)
      if (std::find(a.staff.begin(), a.staff.end(), s.staff.email) != a.staff.end())
        advisor = a.id;
  if (advisor == "all")
    advisor.clear();
  auto [rows, waiting] = co_await c.d.writer.run([&](storage::Store& st) {
    return std::pair{handlers::bookings_on(st, *days, advisor),
                     st.bookings.waitlist_on(days->first_day, days->last_day)};
  });
  if (c.path.ends_with(".csv")) {
    Response res =
        server::make_response(c.req, 200, "\xEF\xBB\xBF" + handlers::bookings_csv(rows, *snapshot),
                              "text/csv; charset=utf-8");
    res.set(http::field::content_disposition, "attachment; filename=\"bookings.csv\"");
    res.set(http::field::cache_control, "no-store");
    co_await c.audit("booking_export", local_time::iso_date(days->first_day), "");
    co_return res;
  }
  const std::string first = local_time::iso_date(days->first_day);
  std::string b =
      "<form method=\"get\" action=\"/console/bookings\" class=\"filters\"><label "
      "for=\"day\">" +
      page.tr("Từ ngày", "From") + "</label><input id=\"day\" name=\"day\" type=\"date\" value=\"" +
      first + "\"><label for=\"days\">" + page.tr("Số ngày", "Days") +
      "</label><input id=\"days\" name=\"days\" type=\"number\" min=\"1\" "
      "max=\"31\" value=\"" +
      std::to_string(span) + "\"><label for=\"advisor\">" + page.tr("Chuyên viên", "Advisor") +
      "</label><select id=\"advisor\" name=\"advisor\"><option value=\"all\">" +
      page.tr("Tất cả", "All") + "</option>";
  for (const auto& a : snapshot->booking.advisors)
    b += "<option value=\"" + esc(a.id) + "\"" + (a.id == advisor ? " selected" : "") + ">" +
         esc(a.name.in(page.en() ? content::kEn : content::kVi)) + "</option>";
  b += "</select><button type=\"submit\">" + page.tr("Xem", "Show") +
       "</button> <a href=\"/console/bookings.csv?day=" + first +
       "&amp;days=" + std::to_string(span) +
       "&amp;advisor=" + esc(advisor.empty() ? "all" : advisor) + "\">CSV</a></form>";
  if (rows.empty())
    b += "<p>" +
         page.tr("Không có lịch hẹn nào trong những ngày này.", "No bookings on these days.") +
         "</p>";
  else
    b += "<div class=\"table\"><table><thead><tr><th>" + page.tr("Mã", "Ref") + "</th><th>" +
         page.tr("Thời gian", "Time") + "</th><th>" + page.tr("Chuyên viên", "Advisor") +
         "</th><th>" + page.tr("Người đặt", "Person") + "</th><th>" +
         page.tr("Trạng thái", "Status") + "</th><th>" + page.tr("Thao tác", "Actions") +
         "</th></tr></thead><tbody>";
  for (const auto& r : rows) {
    const std::string act = "/console/bookings/" + esc(r.ref) + "/";
    auto button = [&](const std::string& verb, const std::string& label) {
      return "<form method=\"post\" action=\"" + act + verb + "\" class=\"inline\">" +
             Page::csrf_field(s.csrf) + "<button type=\"submit\">" + label + "</button></form>";
    };
    std::string actions;
    if (r.status == "booked" && !r.confirmed_at)
      actions += button("confirm", page.tr("Xác nhận", "Confirm"));
    if (r.status == "booked" || r.status == "held")
      actions += "<form method=\"post\" action=\"" + act + "cancel\" class=\"inline\">" +
                 Page::csrf_field(s.csrf) + "<label class=\"sr\" for=\"reason-" + esc(r.ref) +
                 "\">" + page.tr("Lý do hủy", "Reason") + "</label><input id=\"reason-" +
                 esc(r.ref) + "\" name=\"reason\" required maxlength=\"500\" placeholder=\"" +
                 page.tr("Lý do hủy", "Reason") + "\"><button type=\"submit\">" +
                 page.tr("Hủy", "Cancel") + "</button></form>";
    if ((r.status == "booked" || r.status == "attended" || r.status == "no_show") &&
        r.starts_at <= c.now)
      actions += button("attended", page.tr("Có mặt", "Attended")) +
                 button("no_show", page.tr("Vắng", "No show"));
    b += "<tr><td>" + esc(r.ref) + "</td><td>" + esc(local_time::timestamp(r.starts_at)) +
         "</td><td>" + esc(r.advisor) + "</td><td>" + esc(r.name) + "<br>" + esc(r.phone) +
         "</td><td>" + esc(r.status) + (r.confirmed_at ? " ✓" : "") + "</td><td>" + actions +
         "</td></tr>";
  }
  if (!rows.empty())
    b += "</tbody></table></div>";
  // The waitlist of full days: who waits, in line order; a freed seat is offered to the first.
  b += "<h2>" + page.tr("Danh sách chờ", "Waitlist") + "</h2>";
  if (waiting.empty())
    b += "<p>" +
         page.tr("Không ai đang chờ chỗ trong những ngày này.",
                 "Nobody is waiting for a seat on these days.") +
         "</p>";
  else
    b += "<div class=\"table\"><table><thead><tr><th>" + page.tr("Ngày", "Day") + "</th><th>" +
         page.tr("Lĩnh vực", "Field") + "</th><th>" + page.tr("Người chờ", "Person") + "</th><th>" +
         page.tr("Trạng thái", "Status") + "</th></tr></thead><tbody>";
  for (const auto& w : waiting) {
    const auto details = nlohmann::json::parse(w.details, nullptr, false);
    auto detail = [&](const char* key) {
      return details.is_object() ? details.value(key, std::string{}) : std::string{};
    };
    const content::BookingTopic* topic = snapshot->booking.topic(w.topic);
    b += "<tr><td>" + esc(local_time::iso_date(w.day)) + "</td><td>" +
         esc(topic ? topic->title.in(page.en() ? content::kEn : content::kVi) : w.topic) +
         "</td><td>" + esc(detail("name")) + "<br>" + esc(detail("phone")) + "</td><td>" +
         (w.status == "offered" ? page.tr("đã mời vào chỗ trống", "offered a freed seat")
                                : page.tr("đang chờ", "waiting")) +
         "</td></tr>";
  }
  if (!waiting.empty())
    b += "</tbody></table></div>";
  co_return page.html(200, page.tr("Lịch tư vấn", "Bookings"), b, &s);
}

}  // namespace outreach::console
