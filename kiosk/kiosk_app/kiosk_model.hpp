// The kiosk's visitor flow as a plain state machine: intents in, broker/printer effects out.
#pragma once

#include <nlohmann/json.hpp>

#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "core/config.hpp"

namespace wm::kiosk {

using json = nlohmann::json;

enum class Screen {
  services,        // the first screen: languages and switches on top, service tiles
                   // (first concern), "I have an appointment"; offline it says so instead
  language,        // the language list, reachable from every screen
  second_service,  // from the summary: the services one counter serves with the first
  appointment,     // booking code keypad
  consent,         // ID capture, from the summary: consent text, "Ja" and "Nein" alike
  id_scan,         // waiting for the card on the reader
  id_confirm,      // what was read, accept or discard
  summary,         // estimate, documents, nearby office, print; offers a second concern
                   // and ID capture where they apply
  busy,            // waiting for the broker
  printing,        // ticket issued, printer working
  done,            // "Bitte entnehmen Sie Ihr Ticket"
  print_failed,    // the number very large, retry
  unavailable,     // broker unreachable or refused: no ticket was issued
  returned,        // a parked visitor is back in the queue
  closed,          // outside the opening hours: the next opening (shown by the view-model)
};
std::string_view screen_name(Screen s);
inline std::ostream& operator<<(std::ostream& os, Screen s) { return os << screen_name(s); }

// Identity fields as the broker accepts them (core::identity_fields()); never logged.
struct Identity {
  std::string document_type, issuing_state, document_number, surname, given_names,
      nationality, birth_date, sex, expiry;
  bool expired = false;
  json to_json() const;  // only non-empty fields
};

// What the visitor asked for in one frame; views fill it, the model applies it.
struct Intents {
  bool activity = false;  // any touch: keeps the idle timer from firing
  std::optional<std::string> language{};
  bool open_language = false;
  bool back = false;
  bool start_over = false;
  std::optional<std::string> service{};
  bool add_second = false;  // summary: "Noch ein Anliegen?"
  bool add_id = false;      // summary: read the ID card (leads to the consent screen)
  bool appointment = false;
  std::optional<std::string> code{};  // booking code submitted
  bool code_edited = false;
  bool consent_yes = false, consent_skip = false;
  bool id_accept = false, id_discard = false;
  bool print = false;
  bool retry_print = false;
  bool finish = false;
  bool retry = false;               // after "unavailable"
  std::optional<std::string> scanned{};  // a line from the barcode scanner (keyboard wedge)
};

// Side effects the app carries out (Station requests, printer jobs) and reports back.
struct Effect {
  enum class Kind { issue, checkin, ticket_return, print, device_status } kind;
  json body;  // request body; for print: the issue reply plus "language"
  // For requests: the id to send. "Try again" after a lost answer repeats the first id, so the
  // broker returns the ticket it may already have issued instead of issuing a second one.
  std::string request_id{};
};

enum class Pending { none, issue, checkin, ticket_return };

struct KioskOptions {
  double idle_timeout = 60;   // seconds without a touch before everything is forgotten
  // The last seconds of idle_timeout are a warning with a way to stay (WCAG 2.2.1: at least 20 s
  // to extend with a simple action); at most half of idle_timeout (short ones in tests, demos).
  double idle_warning = 20;
  double done_timeout = 12;   // "please take your ticket" stays this long
  std::string default_lang = "de";
};

// Why a request failed, in words the screen translates (kiosk.error.<reason>).
enum class Failure { none, unavailable, unknown_code, code_used, code_not_today, not_parked,
                     unknown_ticket, refused, closed };
inline std::ostream& operator<<(std::ostream& os, Failure f) { return os << int(f); }

class KioskModel {
 public:
  KioskModel(const core::Region& region, std::string kiosk_id, KioskOptions options = {});

  void apply(const Intents& in, double now);
  // Timeouts (idle, done screen). Call every frame.
  void tick(double now);
  // The broker's answer to the request of the pending effect.
  void on_reply(bool ok, const json& body, const std::string& error_code, double now);
  // The printer's answer to a print effect: state is ok, paper_low, paper_out, cover_open,
  // offline or error.
  void on_print_result(bool printed, const std::string& state, double now);
  // Printer status outside a job (polling, hotplug); reported to the broker when it changes.
  void on_printer_state(const std::string& state);
  // A document on the reader; ignored unless the visitor is on the scan screen.
  void on_document(std::optional<Identity> id, double now);
  void set_online(bool online) { online_ = online; }

  std::vector<Effect> take_effects();

  Screen screen() const { return screen_; }
  const std::string& lang() const { return lang_; }
  const std::vector<std::string>& services() const { return services_; }
  const std::optional<Identity>& identity() const { return identity_; }
  bool consent() const { return consent_; }
  const std::string& code() const { return code_; }
  void set_code(std::string c) { code_ = std::move(c); }
  Failure failure() const { return failure_; }
  Failure code_failure() const { return code_failure_; }
  const json& ticket_reply() const { return ticket_; }  // issue/checkin reply, empty before
  const std::string& issue_request_id() const { return issue_id_; }  // pending or unanswered
  std::string ticket_number() const;
  const std::string& returned_number() const { return returned_number_; }
  const std::string& printer_state() const { return printer_state_; }
  bool online() const { return online_; }
  // Whether a chosen service benefits from the ID data (core::Service::id_capture).
  bool offers_id_capture() const;
  // What the summary offers besides printing. A second concern only when one concern is
  // chosen and some counter of this office serves it together with another service
  // (core::combinable_services); ID capture only when it helps and nothing was read yet.
  bool can_add_second() const;
  bool can_add_id() const;
  // The services the second-concern screen shows: combinable with the first concern.
  std::vector<std::string> second_choices() const;
  int print_attempts() const { return print_attempts_; }
  // Incremented at every reset: the app restores display settings when it changes.
  int resets() const { return resets_; }
  // When, after `now`, the next timeout or the idle warning comes (for a scheduled redraw);
  // 0 = none.
  double next_deadline(double now) const;
  // Seconds left (rounded up) while the idle reset is near and a visitor may still want to
  // stay: the screen warns and any touch keeps everything; nullopt otherwise.
  std::optional<int> idle_warning(double now) const;
  const std::string& kiosk_id() const { return kiosk_id_; }
  const std::string& office() const { return office_; }

 private:
  void go(Screen s) { screen_ = s; }
  // The start screen as the last visitor left it: nothing to warn about or to reset.
  bool untouched() const { return screen_ == Screen::services && !touched_; }
  void clear_choice();
  double warning_length() const;  // idle_warning, at most half the idle time
  void reset(double now);
  void request(Effect::Kind kind, json body, Pending p);
  void print(double now);
  void handle_scan(const std::string& text);
  void report_printer(const std::string& state);

  const core::Region& region_;
  std::string kiosk_id_, office_;
  KioskOptions options_;
  Screen screen_ = Screen::services;
  Screen before_language_ = Screen::services;
  bool touched_ = false;  // any intent since the last reset
  std::string lang_;
  std::vector<std::string> services_;
  std::optional<Identity> identity_;
  bool consent_ = false;
  std::string code_;
  Failure failure_ = Failure::none;
  Failure code_failure_ = Failure::none;
  Pending pending_ = Pending::none;
  json ticket_;
  std::string returned_number_;
  // The last ticket.issue whose answer never came, kept for "try again" with the same body.
  std::string issue_id_;
  json issue_body_;
  std::string printer_state_ = "ok";
  std::string reported_state_;
  bool online_ = false;
  bool printing_ = false;
  int print_attempts_ = 0;
  int resets_ = 0;
  double last_activity_ = 0;
  double entered_done_ = 0;
  std::vector<Effect> effects_;
};

// "http://host/t/<token>" or a bare token → the token; nullopt for anything else.
std::optional<std::string> token_from_scan(const std::string& text,
                                           const std::string& public_url);

}  // namespace wm::kiosk
