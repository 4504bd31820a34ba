#pragma once
// The staff console at /console/: server-rendered pages, forms that work without JavaScript.
//   GET  /console/login, POST /console/login      sign in (throttled, one generic message)
//   POST /console/logout                           sign out
//   GET  /console/                                 what the account's role may use
//   GET  /console/inbox?status=active|open|pending|snoozed|resolved   advisor, admin: handoffs
//   GET  /console/inbox/<id>                       one conversation, with the reply form
//   POST /console/inbox/<id>/<reply|take|snooze|reopen|resolve>   (reply: text; snooze: hours)
//   GET  /console/inbox/wait?since=VERSION         long poll: {"version","open"} on a change
//   GET  /console/bookings?day=YYYY-MM-DD&days=N   advisor, admin: sessions, and per booking
//   POST /console/bookings/<ref>/<confirm|cancel|attended|no_show>   (cancel: a reason)
//   GET  /console/bookings.csv?day=…&days=…        the same as CSV
//   GET  /console/questions                        editor, admin: unanswered questions sent to
//   staff POST /console/questions/<id>/<attach|dismiss|teach>  (attach: question, answer) →
//         learned.yaml; (teach: phrase, term) → lexicon.yaml
//   GET  /console/staff, POST /console/staff       admin: accounts; add
//   POST /console/staff/<email>/<disable|enable>   admin
//   GET  /console/audit?since=YYYY-MM-DD&actor=&action=   admin: the audit log
//   GET  /console/events[/<id>[/registrations.csv]]  admin, editor: registrations (events_page.cpp)
//   GET|POST /console/events/<id>/checkin          admin, editor, checkin: the door page
//   POST /console/events/<id>/links[/<n>/revoke]   admin, editor: volunteers' check-in links
//   GET|POST /console/door/<token>                 the door page by a volunteer's link
//   GET  /console/lang?to=vi|en                    the console's language (a cookie)
// Sessions: a 256-bit random id in an HttpOnly, SameSite=Strict cookie (Secure except plain
// HTTP to localhost, `console.secure_cookie`), stored as its SHA-256; idle and absolute
// timeouts. Every POST needs the session's CSRF token and a same-origin Origin header, or 403.
// Login failures per account: from the third in a row each next attempt waits 1, 2, 4 … 60 s;
// from the tenth the account is locked for 15 minutes. Per address the same from the eleventh
// (locked at the fiftieth): many staff share an office's address. Roles: admin everything;
// editor the unanswered questions, broadcasts and events; advisor the handoff inbox and
// bookings; checkin the events' door pages. A page outside the role is 403. Every action writes an
// audit row. Thread-safety: handle() is called concurrently from io threads; state lives in SQLite
// (the writer connection) and passwords are hashed on the console's own pool.

#include <boost/asio/awaitable.hpp>
#include <boost/asio/thread_pool.hpp>

#include "bot/console/accounts.hpp"
#include "bot/console/options.hpp"
#include "bot/core/clock.hpp"
#include "bot/server/http_server.hpp"
#include "content/store.hpp"
#include "handlers/broadcast.hpp"
#include "storage/db_executor.hpp"

namespace outreach::console {

struct ConsoleDeps {
  ConsoleOptions options;
  storage::DbExecutor& writer;
  content::ContentStore& content;
  const Clock& clock;
  boost::asio::thread_pool& hashing;  // Argon2 runs here, never on an io or the DB thread
  CommonPasswords common;
  std::function<void()> outbox_written;  // wakes the sender after an action queued a message
  // Content files are written and reloaded here (the App's thread for reloads), never on an io
  // thread; reload_content reloads and builds the understanding, as SIGHUP does.
  boost::asio::thread_pool& blocking;
  std::function<content::LoadReport()> reload_content;
  // Broadcasts: the options, and a call that wakes the scheduler after one was sent or resumed.
  handlers::BroadcastOptions broadcast = {};
  std::function<void()> jobs_written = {};
};

class Console {
 public:
  explicit Console(ConsoleDeps deps);

  boost::asio::awaitable<server::Response> handle(server::Request& req, server::RequestInfo& info);

 private:
  ConsoleDeps d_;
};

}  // namespace outreach::console
