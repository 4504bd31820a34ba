#include <algorithm>
#include <tuple>

#include <SQLiteCpp/Transaction.h>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <nlohmann/json.hpp>

#include "bot/console/page.hpp"
#include "bot/core/local_time.hpp"
#include "bot/core/text.hpp"
#include "storage/db_executor.hpp"

namespace outreach::console {

namespace asio = boost::asio;
namespace http = boost::beast::http;
using server::Response;

namespace {

constexpr std::int64_t kDayMs = 24LL * 3600 * 1000;
constexpr std::size_t kMaxReply = 2000;

// How long the platform still lets staff answer: Zalo OA 7 days after the person's last
// message; Messenger 7 days with the HUMAN_AGENT tag; the web chat while the visitor's page is
// open (or when they come back).
std::string window_left(const Page& p, const storage::HandoffRow& h, std::int64_t now) {
  if (h.channel == "web" || h.channel == "cli")
    return p.tr("khi khách còn mở trang chat (hoặc quay lại)",
                "while the visitor's page is open (or when they come back)");
  const std::int64_t left = h.last_person_at + 7 * kDayMs - now;
  if (left <= 0)
    return p.tr("đã hết hạn trả lời trên nền tảng", "the platform no longer allows an answer");
  const std::int64_t hours = left / (3600 * 1000);
  return hours >= 48 ? std::to_string(hours / 24) + p.tr(" ngày", " days")
                     : std::to_string(hours) + p.tr(" giờ", " hours");
}

std::string status_name(const Page& p, const std::string& status) {
  if (status == "open")
    return p.tr("Đang chờ", "Open");
  if (status == "pending")
    return p.tr("Đang xử lý", "Pending");
  if (status == "snoozed")
    return p.tr("Tạm hoãn", "Snoozed");
  return p.tr("Đã xong", "Resolved");
}

std::string author_name(const Page& p, const storage::HandoffMessage& m) {
  if (m.author == "person")
    return p.tr("Người dân", "Person");
  if (m.author == "staff")
    return m.staff;
  if (m.author == "platform")
    return p.tr("Cán bộ (trên Zalo/Facebook)", "Staff (on Zalo/Facebook)");
  return p.tr("Trợ lý tự động", "Assistant");
}

std::string who_label(const Page& p, const storage::HandoffRow& h) {
  std::string out = h.display_name.empty()
                        ? p.tr("Khách", "Visitor") + " #" + std::to_string(h.person_id)
                        : h.display_name;
  return out + " · " + h.channel;
}

}  // namespace

// The handoff inbox (advisor, admin): the list, one thread, its actions, the long poll.
asio::awaitable<Response> inbox_page(Ctx& c) {
  Page& page = c.page;
  const Session& s = c.s;
  c.info.route = "console_inbox";
  if (!may_use_inbox(s.role))
    co_return c.forbidden();
  if (c.path == "/console/inbox/wait") {
    // Long poll: answers when the inbox changed from `since`, or after 25 s.
    const std::string since = field(c.q, "since");
    auto executor = co_await asio::this_coro::executor;
    asio::steady_timer timer(executor);
    std::pair<std::string, int> v;
    for (int i = 0; i < 25; ++i) {
      v = co_await c.d.writer.run([&](storage::Store& st) {
        st.handoffs.wake_snoozed(c.d.clock.now_ms());
        return st.handoffs.version();
      });
      if (v.first != since)
        break;
      timer.expires_after(std::chrono::seconds(1));
      co_await timer.async_wait(asio::use_awaitable);
    }
    Response res = server::make_response(
        c.req, 200, nlohmann::json{{"version", v.first}, {"open", v.second}}.dump(),
        "application/json");
    res.set(http::field::cache_control, "no-store");
    co_return res;
  }
  if (c.post()) {
    const std::string rest = c.path.substr(std::string_view("/console/inbox/").size());
    const auto slash = rest.find('/');
    const std::int64_t id = std::atoll(rest.substr(0, slash).c_str());
    const std::string verb = slash == std::string::npos ? "" : rest.substr(slash + 1);
    const std::string reply(text::trim(field(*c.form, "text")));
    if (verb == "reply" && (reply.empty() || reply.size() > kMaxReply))
      co_return page.html(400, page.tr("Không gửi được", "Not sent"),
                          "<p class=\"problem\" role=\"alert\">" +
                              page.tr("Tin trả lời trống hoặc dài quá 2.000 ký tự.",
                                      "The reply is empty or longer than 2,000 characters.") +
                              "</p><p><a href=\"/console/inbox/" + std::to_string(id) + "\">" +
                              page.tr("Quay lại", "Back") + "</a></p>",
                          &s);
    auto snapshot = c.d.content.snapshot();
    const bool done = co_await c.d.writer.run([&](storage::Store& st) {
      SQLite::Transaction t(st.db);
      const auto h = st.handoffs.find(id);
      if (!h || h->status == "resolved")
        return false;
      bool ok = true;
      if (verb == "reply") {
        OutboundMessage m;
        m.text = reply;
        st.outbox.enqueue(h->person_id, MessageKind::kStaff, m, c.now);
        st.handoffs.add_message(id, "staff", s.staff.email, reply, c.now);
        if (h->status != "pending" || h->assignee != s.staff.email)
          st.handoffs.take(id, s.staff.email, c.now);
      } else if (verb == "take") {
        ok = st.handoffs.take(id, s.staff.email, c.now);
      } else if (verb == "snooze") {
        const int hours = std::clamp(std::atoi(field(*c.form, "hours").c_str()), 1, 72);
        ok = st.handoffs.snooze(id, c.now + hours * 3600LL * 1000, c.now);
      } else if (verb == "reopen") {
        ok = st.handoffs.reopen(id, c.now);
      } else if (verb == "resolve") {
        ok = st.handoffs.resolve(id, c.now);
        if (ok && snapshot) {  // the person is told the bot answers again
          OutboundMessage m;
          m.text = snapshot->ui(h->language, "handoff.resolved");
          st.outbox.enqueue(h->person_id, MessageKind::kStaff, m, c.now);
          st.handoffs.add_message(id, "bot", "", m.text, c.now);
        }
      } else {
        return false;
      }
      if (!ok)
        return false;
      // Who did what to which conversation; never the text (it is in the thread).
      st.staff.audit(c.now, s.staff.email, "handoff_" + verb, std::to_string(id), c.address, "");
      t.commit();
      return true;
    });
    if (!done)
      co_return page.html(409, page.tr("Không làm được", "Not done"),
                          "<p class=\"problem\" role=\"alert\">" +
                              page.tr("Cuộc trò chuyện không còn hoặc đã xong.",
                                      "The conversation is gone or already resolved.") +
                              "</p><p><a href=\"/console/inbox\">" +
                              page.tr("Về hộp thư", "Back to the inbox") + "</a></p>",
                          &s);
    if (c.d.outbox_written && (verb == "reply" || verb == "resolve"))
      c.d.outbox_written();
    co_return page.redirect(verb == "resolve" ? "/console/inbox"
                                              : "/console/inbox/" + std::to_string(id));
  }
  if (c.path != "/console/inbox") {  // one conversation
    const std::int64_t id =
        std::atoll(c.path.substr(std::string_view("/console/inbox/").size()).c_str());

    struct Thread {
      std::optional<storage::HandoffRow> h;
      std::vector<storage::HandoffMessage> messages;
      std::pair<std::string, int> version;
    };

    const Thread t = co_await c.d.writer.run([&](storage::Store& st) {
      Thread out;
      out.h = st.handoffs.find(id);
      if (out.h)
        out.messages = st.handoffs.messages(id);
      out.version = st.handoffs.version();
      return out;
    });
    if (!t.h)
      co_return page.html(404, page.tr("Không tìm thấy", "Not found"),
                          "<p><a href=\"/console/inbox\">" +
                              page.tr("Về hộp thư", "Back to the inbox") + "</a></p>",
                          &s);
    const storage::HandoffRow& h = *t.h;
    std::string b =
        "<p class=\"meta\">" + esc(who_label(page, h)) + " · " + esc(status_name(page, h.status)) +
        (h.assignee.empty() ? "" : " · " + esc(h.assignee)) + " · " +
        page.tr("Còn trả lời được: ", "Can answer: ") + esc(window_left(page, h, c.now)) +
        "</p><ol class=\"thread\" id=\"thread\" data-version=\"" + esc(t.version.first) +
        "\" data-open=\"" + std::to_string(t.version.second) + "\">";
    for (const auto& m : t.messages)
      b += "<li class=\"msg " + esc(m.author) + "\"><span class=\"from\">" +
           esc(author_name(page, m)) + " · " + esc(local_time::timestamp(m.at)) + "</span><p>" +
           esc(m.text) + "</p></li>";
    b += "</ol>";
    const std::string act = "/console/inbox/" + std::to_string(id) + "/";
    auto button = [&](const std::string& verb, const std::string& label,
                      const std::string& extra = "") {
      return "<form method=\"post\" action=\"" + act + verb + "\" class=\"inline\">" +
             Page::csrf_field(s.csrf) + extra + "<button type=\"submit\">" + label +
             "</button></form>";
    };
    if (h.status != "resolved") {
      b += "<form method=\"post\" action=\"" + act + "reply\" class=\"card\">" +
           Page::csrf_field(s.csrf) + "<label for=\"reply\">" + page.tr("Trả lời", "Reply") +
           "</label><textarea id=\"reply\" name=\"text\" rows=\"3\" maxlength=\"2000\" "
           "required></textarea><button type=\"submit\">" +
           page.tr("Gửi", "Send") + "</button></form><p class=\"actions\">";
      if (h.status != "pending" || h.assignee != s.staff.email)
        b += button("take", page.tr("Nhận xử lý", "Take it"));
      if (h.status != "snoozed")
        b += button("snooze", page.tr("Tạm hoãn 4 giờ", "Snooze 4 hours"),
                    "<input type=\"hidden\" name=\"hours\" value=\"4\">");
      else
        b += button("reopen", page.tr("Mở lại", "Reopen"));
      b += button("resolve", page.tr("Xong, trả lại cho trợ lý", "Resolve, back to the bot")) +
           "</p>";
    }
    b += "<p><a href=\"/console/inbox\">" + page.tr("Về hộp thư", "Back to the inbox") +
         "</a></p><script src=\"/console/static/inbox.js\" defer></script>";
    co_return page.html(200, page.tr("Cuộc trò chuyện", "Conversation"), b, &s);
  }
  std::string status = field(c.q, "status");
  if (status != "open" && status != "pending" && status != "snoozed" && status != "resolved")
    status = "active";
  const std::vector<std::string> statuses =
      status == "active" ? std::vector<std::string>{"open", "pending", "snoozed"}
                         : std::vector<std::string>{status};

  struct Listing {
    std::vector<storage::HandoffRow> rows;
    std::vector<std::vector<storage::HandoffMessage>> last;
    std::pair<std::string, int> version;
  };

  const Listing l = co_await c.d.writer.run([&](storage::Store& st) {
    Listing out;
    st.handoffs.wake_snoozed(c.now);
    out.rows = st.handoffs.list(statuses);
    for (const auto& r : out.rows) out.last.push_back(st.handoffs.messages(r.id, 2));
    out.version = st.handoffs.version();
    return out;
  });
  std::string b = "<nav class=\"filters\" aria-label=\"" + page.tr("Lọc", "Filter") + "\">";
  for (const auto& [key, vi, en] :
       {std::tuple{"active", "Chưa xong", "Active"}, std::tuple{"open", "Đang chờ", "Open"},
        std::tuple{"pending", "Đang xử lý", "Pending"},
        std::tuple{"snoozed", "Tạm hoãn", "Snoozed"},
        std::tuple{"resolved", "Đã xong", "Resolved"}})
    b += std::string("<a href=\"/console/inbox?status=") + key + "\"" +
         (status == key ? " aria-current=\"page\"" : "") + ">" + page.tr(vi, en) + "</a> ";
  b += "</nav><div id=\"inbox\" data-version=\"" + esc(l.version.first) + "\" data-open=\"" +
       std::to_string(l.version.second) + "\">";
  if (l.rows.empty())
    b += "<p>" + page.tr("Không có cuộc trò chuyện nào.", "No conversations.") + "</p>";
  else
    b += "<ul class=\"inbox\">";
  for (std::size_t i = 0; i < l.rows.size(); ++i) {
    const auto& r = l.rows[i];
    b += "<li><a href=\"/console/inbox/" + std::to_string(r.id) + "\"><strong>" +
         esc(who_label(page, r)) + "</strong> · " + esc(status_name(page, r.status)) +
         (r.assignee.empty() ? "" : " · " + esc(r.assignee)) + "</a><span class=\"meta\">" +
         page.tr("Còn trả lời được: ", "Can answer: ") + esc(window_left(page, r, c.now)) +
         "</span>";
    for (const auto& m : l.last[i])
      b += "<p class=\"msg " + esc(m.author) + "\">" + esc(author_name(page, m)) + ": " +
           esc(m.text.substr(0, 300)) + "</p>";
    b += "</li>";
  }
  if (!l.rows.empty())
    b += "</ul>";
  b += "</div><script src=\"/console/static/inbox.js\" defer></script>";
  co_return page.html(200, page.tr("Hộp thư hỗ trợ", "Inbox"), b, &s);
}

}  // namespace outreach::console
