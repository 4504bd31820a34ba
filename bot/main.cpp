// outreach-bot: argv only. The commands themselves are bot/app/commands.hpp.
#include <iostream>

#include <CLI/CLI.hpp>

#include "bot/app/app.hpp"
#include "bot/app/commands.hpp"

#ifndef OUTREACH_VERSION
#define OUTREACH_VERSION "dev"
#endif

using outreach::app::CommonOptions;

int main(int argc, char** argv) {
  CLI::App cli{
      "outreach-bot — the chat assistant of the Gò Vấp wards' science, technology and innovation "
      "programme.\nRuns the web chat (and the Zalo OA and Messenger webhooks) on one SQLite "
      "file.\n\n"
      "Start with:  outreach-bot serve      then open http://127.0.0.1:8080/\n"
      "Or talk to it here:  outreach-bot chat"};
  cli.set_version_flag("--version", std::string("outreach-bot ") + OUTREACH_VERSION);
  cli.require_subcommand(1);
  cli.fallthrough();  // global options may also follow the subcommand
  CommonOptions o;
  cli.add_option("-c,--config", o.config_path,
                 "YAML config file (every key is optional; see deploy/outreach-bot.example.yaml)")
      ->check(CLI::ExistingFile)
      ->envname("OUTREACH_CONFIG");
  cli.add_option("--database", o.database,
                 "SQLite file (overrides database.path; default var/outreach.sqlite3)");
  cli.add_option("--content", o.content, "content folder (overrides content_dir; default content)");
  cli.add_option("--log-level", o.log_level, "debug, info, warn, error or off")
      ->check(CLI::IsMember({"debug", "info", "warn", "error", "off"}));

  auto* serve_cmd = cli.add_subcommand("serve", "run the server: web chat, webhooks, /metrics");
  serve_cmd->add_option("--address", o.address,
                        "listen address (overrides listen.address; default 127.0.0.1)");
  serve_cmd
      ->add_option("--port", o.port,
                   "listen port, 0 for any free port (overrides listen.port; default 8080)")
      ->check(CLI::Range(0, 65535));
  auto* chat_cmd = cli.add_subcommand(
      "chat", "talk to the bot in this terminal, through the same pipeline as every channel");
  auto* migrate_cmd =
      cli.add_subcommand("migrate", "create or upgrade the database schema, then exit");
  auto* config_cmd = cli.add_subcommand(
      "check-config", "validate the configuration and print the effective values");
  auto* content_cmd = cli.add_subcommand(
      "check-content", "validate content/ and list every problem with its file and line");
  auto* ask_cmd = cli.add_subcommand(
      "ask", "read questions (one per line) on stdin and say how the bot understands each");
  bool ask_json = false;
  ask_cmd->add_flag("--json", ask_json,
                    "one JSON object per line (for ../shared/eval/evaluate.py)");
  auto* questions_cmd = cli.add_subcommand(
      "questions", "list the questions the bot could not answer with confidence, for staff");
  int question_days = 30;
  questions_cmd->add_option("--days", question_days, "how far back (default 30)")
      ->check(CLI::Range(1, 3650));

  auto* tokens_cmd = cli.add_subcommand(
      "zalo-tokens",
      "store a Zalo OA's tokens (first set-up, or after an OA admin authorised the app again)");
  outreach::app::ZaloTokenInput tokens;
  tokens_cmd->add_option("--account", tokens.account, "the OA's id in zalo.accounts")->required();
  tokens_cmd->add_option("--refresh-token", tokens.refresh_token,
                         "the refresh token (default: read one line from stdin, so it stays out of "
                         "the shell history)");
  tokens_cmd->add_option("--access-token", tokens.access_token,
                         "the access token, if you have a fresh one");
  tokens_cmd
      ->add_option("--expires-in", tokens.expires_in_s,
                   "seconds the access token has left (Zalo: 90000 when new)")
      ->check(CLI::Range(0, 90000));
  auto* dead_cmd = cli.add_subcommand("dead-letters",
                                      "list the messages the sender gave up on, with the reason");
  int dead_limit = 50;
  std::int64_t requeue = 0;
  bool requeue_all = false;
  dead_cmd->add_option("--limit", dead_limit, "how many to list (default 50)")
      ->check(CLI::Range(1, 10000));
  dead_cmd->add_option("--requeue", requeue, "put this one back in the queue")
      ->check(CLI::PositiveNumber);
  dead_cmd->add_flag("--requeue-all", requeue_all, "put every dead letter back in the queue");
  auto* setup_cmd = cli.add_subcommand(
      "messenger-setup",
      "set each Facebook page's Get Started button, greeting and persistent menu from content");
  std::string setup_account;
  bool setup_dry_run = false;
  setup_cmd->add_option("--account", setup_account,
                        "only this page (its id in messenger.accounts)");
  setup_cmd->add_flag("--dry-run", setup_dry_run, "print what would be sent, call nothing");

  auto* bookings_cmd = cli.add_subcommand(
      "bookings",
      "the Startup Advisory Office's bookings: list, export (CSV), confirm, cancel, mark");
  bookings_cmd->require_subcommand(1);
  outreach::app::BookingsCommand bk;
  auto* bk_list = bookings_cmd->add_subcommand("list", "list bookings by day (default: today)");
  auto* bk_export =
      bookings_cmd->add_subcommand("export", "write bookings as CSV (UTF-8) to stdout");
  for (auto* sub : {bk_list, bk_export}) {
    sub->add_option("--from", bk.from, "first day, YYYY-MM-DD (default: today)");
    sub->add_option("--to", bk.to, "last day, YYYY-MM-DD (default: --from)");
    sub->add_option("--advisor", bk.advisor, "only this advisor (its id in booking.yaml)");
  }
  auto* bk_confirm =
      bookings_cmd->add_subcommand("confirm", "confirm a booking (the person is told)");
  auto* bk_cancel =
      bookings_cmd->add_subcommand("cancel", "cancel a booking; the person is told the reason");
  auto* bk_mark = bookings_cmd->add_subcommand("mark", "record attendance after the session");
  for (auto* sub : {bk_confirm, bk_cancel, bk_mark})
    sub->add_option("ref", bk.ref, "the booking's reference, e.g. TV-7K3M9Q")->required();
  bk_cancel->add_option("--reason", bk.reason, "why (sent to the person)")->required();
  bk_mark->add_option("status", bk.status, "attended or no_show")
      ->required()
      ->check(CLI::IsMember({"attended", "no_show"}));

  auto* events_cmd = cli.add_subcommand(
      "events", "events' registrations: list, export (CSV) and check a ticket in at the door");
  events_cmd->require_subcommand(1);
  outreach::app::EventsCommand ev;
  auto* ev_list = events_cmd->add_subcommand("list", "every event with its registrations");
  auto* ev_export =
      events_cmd->add_subcommand("export", "write an event's registrations as CSV to stdout");
  auto* ev_checkin = events_cmd->add_subcommand(
      "checkin", "check a ticket in (exit 0: ok; 3: already, unknown, cancelled…)");
  for (auto* sub : {ev_export, ev_checkin})
    sub->add_option("event", ev.event, "the event's id (its file name in content/events)")
        ->required();
  ev_checkin->add_option("code", ev.code, "the ticket's code, as printed or scanned")->required();
  ev_export->add_option("--xlsx", ev.xlsx, "write a spreadsheet (.xlsx) to this file instead");

  auto* staff_cmd = cli.add_subcommand(
      "staff", "the console's staff accounts: add, list, role, disable, enable, reset");
  staff_cmd->require_subcommand(1);
  outreach::app::StaffCommand st;
  auto* st_add = staff_cmd->add_subcommand(
      "add", "add an account; its password is the first line of stdin (a prompt on a terminal)");
  st_add->add_option("--role", st.role, "admin, editor, advisor or checkin")
      ->required()
      ->check(CLI::IsMember({"admin", "editor", "advisor", "checkin"}));
  auto* st_list = staff_cmd->add_subcommand("list", "list the accounts");
  auto* st_role =
      staff_cmd->add_subcommand("role", "give an account another role; its sessions end at once");
  st_role->add_option("--role", st.role, "admin, editor, advisor or checkin")
      ->required()
      ->check(CLI::IsMember({"admin", "editor", "advisor", "checkin"}));
  auto* st_disable =
      staff_cmd->add_subcommand("disable", "disable an account; its sessions end at once");
  auto* st_enable = staff_cmd->add_subcommand("enable", "enable a disabled account");
  auto* st_reset = staff_cmd->add_subcommand(
      "reset", "set a new password, read from stdin; the account's sessions end");
  for (auto* sub : {st_add, st_role, st_disable, st_enable, st_reset})
    sub->add_option("email", st.email, "the account's email")->required();
  auto* audit_cmd = cli.add_subcommand("audit", "the audit log of staff actions, newest first");
  outreach::app::AuditCommand au;
  audit_cmd->add_option("--since", au.since,
                        "from this local day, YYYY-MM-DD (default: 7 days ago)");
  audit_cmd->add_option("--actor", au.actor, "only this staff email (or cli, admin-api)");
  audit_cmd->add_option("--action", au.action, "only this action (login, booking_cancel…)");
  audit_cmd->add_option("--limit", au.limit, "at most this many rows (default 200)")
      ->check(CLI::Range(1, 100000));

  auto* bc_cmd = cli.add_subcommand(
      "broadcast",
      "announcements to subscribers: create FILE.yaml, list, plan, send, pause, resume, cancel, "
      "status");
  bc_cmd->require_subcommand(1);
  outreach::app::BroadcastCommand bc;
  auto* bc_create = bc_cmd->add_subcommand("create", "create a draft from an announcement (YAML)");
  bc_create->add_option("file", bc.file, "the announcement, e.g. deploy/demo/broadcast.yaml")
      ->required();
  auto* bc_list = bc_cmd->add_subcommand("list", "the latest broadcasts");
  auto* bc_plan = bc_cmd->add_subcommand(
      "plan", "who it reaches and by which path, and the estimated cost (nothing is sent)");
  auto* bc_send = bc_cmd->add_subcommand("send", "start sending a planned broadcast");
  auto* bc_pause = bc_cmd->add_subcommand("pause", "stop queueing more messages for now");
  auto* bc_resume = bc_cmd->add_subcommand("resume", "go on with a paused broadcast");
  auto* bc_cancel = bc_cmd->add_subcommand("cancel", "stop for good; nobody left is sent to");
  auto* bc_status = bc_cmd->add_subcommand("status", "progress and report counts");
  for (auto* sub : {bc_plan, bc_send, bc_pause, bc_resume, bc_cancel, bc_status})
    sub->add_option("id", bc.id, "the broadcast's number")->required();
  bc_plan->add_flag("--json", bc.json, "the plan as JSON (as the admin API returns it)");
  bc_status->add_flag("--json", bc.json, "the report as JSON");
  bc_status->add_flag("--csv", bc.csv, "the report as CSV");
  bc_status->add_flag("--watch", bc.watch, "follow it until it is done (a progress bar)");

  try {
    cli.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return cli.exit(e);
  }
  try {
    if (*serve_cmd)
      return outreach::app::serve(o);
    if (*chat_cmd)
      return outreach::app::chat(o);
    if (*migrate_cmd)
      return outreach::app::migrate(o, std::cout);
    if (*config_cmd)
      return outreach::app::check_config(o, std::cout);
    if (*content_cmd)
      return outreach::app::check_content(o, std::cout);
    if (*ask_cmd)
      return outreach::app::ask(o, ask_json, std::cin, std::cout, std::cerr);
    if (*questions_cmd)
      return outreach::app::questions(o, question_days, std::cout);
    if (*tokens_cmd)
      return outreach::app::zalo_tokens(o, tokens, std::cin, std::cout, std::cerr);
    if (*dead_cmd)
      return outreach::app::dead_letters(outreach::app::effective_config(o), dead_limit,
                                         requeue_all ? -1 : requeue, std::cout);
    if (*bookings_cmd) {
      for (auto* sub : {bk_list, bk_export, bk_confirm, bk_cancel, bk_mark})
        if (*sub)
          bk.action = sub->get_name();
      return outreach::app::bookings(outreach::app::effective_config(o), bk, std::cout, std::cerr);
    }
    if (*events_cmd) {
      for (auto* sub : {ev_list, ev_export, ev_checkin})
        if (*sub)
          ev.action = sub->get_name();
      return outreach::app::events(outreach::app::effective_config(o), ev, std::cout, std::cerr);
    }
    if (*staff_cmd) {
      for (auto* sub : {st_add, st_list, st_role, st_disable, st_enable, st_reset})
        if (*sub)
          st.action = sub->get_name();
      return outreach::app::staff(outreach::app::effective_config(o), st, std::cin, std::cout,
                                  std::cerr);
    }
    if (*bc_cmd) {
      for (auto* sub :
           {bc_create, bc_list, bc_plan, bc_send, bc_pause, bc_resume, bc_cancel, bc_status})
        if (*sub)
          bc.action = sub->get_name();
      return outreach::app::broadcast(outreach::app::effective_config(o), bc, std::cout, std::cerr);
    }
    if (*audit_cmd)
      return outreach::app::audit(outreach::app::effective_config(o), au, std::cout, std::cerr);
    if (*setup_cmd)
      return outreach::app::messenger_setup(outreach::app::effective_config(o), setup_account,
                                            setup_dry_run, std::cout, std::cerr);
  } catch (const outreach::app::ConfigError& e) {
    std::cerr << "outreach-bot: the configuration has problems:\n";
    for (const auto& p : e.problems()) std::cerr << "  " << p << "\n";
    return 2;
  } catch (const outreach::app::StartupError& e) {
    std::cerr << "outreach-bot: cannot start: " << e.what() << "\n";
    return 1;
  } catch (const std::exception& e) {
    std::cerr << "outreach-bot: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
