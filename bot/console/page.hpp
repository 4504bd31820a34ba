#pragma once
// What the console's pages share (internal to bot/console): HTML escaping, cookies, the page
// frame (Page: language, headers, navigation by role), the signed-in Session, and Ctx, the one
// request as a page sees it. console.cpp signs people in and picks the page; each page lives in
// a file of its own (bookings_page.cpp, inbox_page.cpp, staff_page.cpp, questions_page.cpp,
// broadcasts_page.cpp).
// Thread-safety: a Page and a Ctx belong to one request, on one io thread.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <boost/asio/awaitable.hpp>
#include <boost/beast/http/field.hpp>

#include "bot/console/accounts.hpp"
#include "bot/console/console.hpp"
#include "bot/net/url.hpp"
#include "bot/server/http_server.hpp"

namespace outreach::console {

inline constexpr std::string_view kLangCookie = "ob_lang";

std::string esc(std::string_view s);
std::string header(const server::Request& req, boost::beast::http::field f);
std::string cookie(const server::Request& req, std::string_view name);
bool local_host(std::string_view host);

// The form fields of a POST body (application/x-www-form-urlencoded); nullopt when too large or
// malformed.
std::optional<net::QueryParams> form_of(const server::Request& req);
// One field, '' when absent.
std::string field(const net::QueryParams& q, std::string_view name);

struct Session {
  storage::StaffRow staff;
  std::string id_hash;
  std::string csrf;
  Role role = Role::kCheckin;
};

// Which pages a role may open (the navigation shows only those; each page checks again).
bool may_use_inbox(Role r);     // handoffs and bookings: admin, advisor
bool may_edit_content(Role r);  // unanswered questions, broadcasts (events next): admin, editor

class Page {
 public:
  Page(const ConsoleDeps& d, const server::Request& req);

  bool en() const { return en_; }

  std::string tr(std::string_view vi, std::string_view en) const {
    return std::string(en_ ? en : vi);
  }

  void set_cookie(std::string_view name, std::string_view value, std::int64_t max_age_s);

  // The whole page: header with the navigation of `s`'s role (none when signed out), the title
  // as <h1>, the body (already escaped HTML).
  server::Response html(unsigned status,
                        const std::string& title,
                        const std::string& body,
                        const Session* s = nullptr) const;
  server::Response redirect(std::string_view to) const;

  static std::string csrf_field(const std::string& token);

 private:
  void finish(server::Response& res) const;

  const server::Request& req_;
  bool en_ = false;
  bool secure_ = true;
  std::vector<std::string> cookies_;
};

std::string role_name(const Page& p, Role r);

// One signed-in request, as a page sees it.
struct Ctx {
  const ConsoleDeps& d;
  const server::Request& req;
  server::RequestInfo& info;
  Page& page;
  const Session& s;
  const std::string& path;
  const net::QueryParams& q;
  const net::QueryParams* form;  // the POST's fields (CSRF checked); null for GET
  std::int64_t now;
  std::string address;

  bool post() const { return form != nullptr; }

  // A field of the POST ('' for GET).
  std::string posted(std::string_view name) const { return form ? field(*form, name) : ""; }

  server::Response forbidden() const;
  server::Response not_found() const;
  // An error page: the message, and a link back.
  server::Response problem(unsigned status,
                           const std::string& title,
                           const std::string& message,
                           const std::string& back_href,
                           const std::string& back_label) const;
  // An audit row for this staff member, from this address.
  boost::asio::awaitable<void> audit(std::string action,
                                     std::string object,
                                     std::string detail) const;
};

boost::asio::awaitable<server::Response> bookings_page(Ctx& c);
boost::asio::awaitable<server::Response> staff_page(Ctx& c);
boost::asio::awaitable<server::Response> audit_page(Ctx& c);
boost::asio::awaitable<server::Response> inbox_page(Ctx& c);
boost::asio::awaitable<server::Response> questions_page(Ctx& c);
boost::asio::awaitable<server::Response> broadcasts_page(Ctx& c);
boost::asio::awaitable<server::Response> events_page(Ctx& c);
// The door page reached by a volunteer's check-in link (no session; the token is the key).
boost::asio::awaitable<server::Response> door_by_link(const ConsoleDeps& d,
                                                      const server::Request& req,
                                                      server::RequestInfo& info,
                                                      Page& page,
                                                      std::string_view token,
                                                      bool origin_ok,
                                                      std::int64_t now);

}  // namespace outreach::console
