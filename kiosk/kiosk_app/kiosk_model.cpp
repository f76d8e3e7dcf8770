// The kiosk's visitor flow: what each intent, reply and printer result does.
#include "kiosk/kiosk_app/kiosk_model.hpp"

#include "core/clock.hpp"
#include "core/service_combinations.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <stdexcept>

namespace wm::kiosk {

std::string_view screen_name(Screen s) {
  switch (s) {
    case Screen::services: return "services";
    case Screen::language: return "language";
    case Screen::second_service: return "second_service";
    case Screen::appointment: return "appointment";
    case Screen::consent: return "consent";
    case Screen::id_scan: return "id_scan";
    case Screen::id_confirm: return "id_confirm";
    case Screen::summary: return "summary";
    case Screen::busy: return "busy";
    case Screen::printing: return "printing";
    case Screen::done: return "done";
    case Screen::print_failed: return "print_failed";
    case Screen::unavailable: return "unavailable";
    case Screen::returned: return "returned";
    case Screen::closed: return "closed";
  }
  return "?";
}

json Identity::to_json() const {
  json j = json::object();
  auto put = [&](const char* k, const std::string& v) {
    if (!v.empty()) j[k] = v;
  };
  put("document_type", document_type);
  put("issuing_state", issuing_state);
  put("document_number", document_number);
  put("surname", surname);
  put("given_names", given_names);
  put("nationality", nationality);
  put("birth_date", birth_date);
  put("sex", sex);
  put("expiry", expiry);
  return j;
}

std::optional<std::string> token_from_scan(const std::string& text, const std::string&) {
  auto pos = text.find("/t/");
  if (pos == std::string::npos) return std::nullopt;
  std::string token = text.substr(pos + 3);
  token = token.substr(0, token.find_first_of("?# \r\n\t"));
  if (token.empty() || token.size() > 100) return std::nullopt;
  for (char c : token)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_')) return std::nullopt;
  return token;
}

KioskModel::KioskModel(const core::Region& region, std::string kiosk_id, KioskOptions options)
    : region_(region), kiosk_id_(std::move(kiosk_id)), options_(std::move(options)) {
  const core::Office* office = region_.office_of_station(kiosk_id_);
  if (!office || !region_.find_kiosk(kiosk_id_))
    throw std::invalid_argument("unknown kiosk '" + kiosk_id_ + "'");
  office_ = office->id;
  lang_ = options_.default_lang;
}

void KioskModel::reset(double now) {
  screen_ = before_language_ = Screen::services;
  touched_ = false;
  lang_ = options_.default_lang;
  clear_choice();
  code_.clear();
  failure_ = code_failure_ = Failure::none;
  ticket_ = json();
  returned_number_.clear();
  issue_id_.clear();
  issue_body_ = json();
  printing_ = false;
  print_attempts_ = 0;
  last_activity_ = now;
  ++resets_;
}

void KioskModel::clear_choice() {
  services_.clear();
  identity_.reset();
  consent_ = false;
}

std::vector<std::string> KioskModel::second_choices() const {
  if (services_.size() != 1) return {};
  return core::combinable_services(region_, office_, services_.front());
}

bool KioskModel::can_add_second() const { return !second_choices().empty(); }

bool KioskModel::can_add_id() const { return offers_id_capture() && !identity_; }

bool KioskModel::offers_id_capture() const {
  for (const auto& id : services_)
    if (const core::Service* s = region_.find_service(id); s && s->id_capture) return true;
  return false;
}

std::string KioskModel::ticket_number() const {
  if (ticket_.is_object() && ticket_.contains("ticket"))
    return ticket_["ticket"].value("number", "");
  return {};
}

void KioskModel::request(Effect::Kind kind, json body, Pending p) {
  pending_ = p;
  failure_ = Failure::none;
  effects_.push_back({kind, std::move(body)});
  go(Screen::busy);
}

void KioskModel::print(double now) {
  // The same issued ticket every time: a retry reprints, it never asks for a new number.
  json job = ticket_;
  job["language"] = lang_;
  effects_.push_back({Effect::Kind::print, std::move(job)});
  printing_ = true;
  ++print_attempts_;
  last_activity_ = now;
  go(Screen::printing);
}

void KioskModel::handle_scan(const std::string& raw) {
  std::string text = raw;
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) text.pop_back();
  if (text.empty()) return;
  if (auto token = token_from_scan(text, region_.network.public_url)) {
    request(Effect::Kind::ticket_return, json{{"token", *token}}, Pending::ticket_return);
    return;
  }
  // Anything else is read as a booking code (the appointment confirmation's QR holds it).
  if (text.size() > 32) return;
  code_ = text;
  request(Effect::Kind::checkin, json{{"office", office_}, {"code", text}, {"language", lang_}},
          Pending::checkin);
}

void KioskModel::apply(const Intents& in, double now) {
  bool any = in.activity || in.language || in.open_language || in.back || in.start_over ||
             in.service || in.add_second || in.add_id || in.appointment || in.code ||
             in.code_edited || in.consent_yes || in.consent_skip || in.id_accept ||
             in.id_discard || in.print || in.retry_print || in.finish || in.retry || in.scanned;
  if (any) {
    last_activity_ = now;
    touched_ = true;
  }

  if (in.language) {
    // The start screen stays the start screen in the new language (offline too: the words
    // change, nothing starts).
    lang_ = *in.language;
    if (screen_ == Screen::language) screen_ = before_language_;
    return;
  }
  if (in.open_language && screen_ != Screen::language && screen_ != Screen::busy) {
    before_language_ = screen_;
    screen_ = Screen::language;
    return;
  }
  if (in.start_over) {
    // While a ticket is being printed the number must stay on screen (or on paper).
    if (printing_) return;
    reset(now);
    return;
  }
  if (in.scanned && pending_ == Pending::none &&
      (screen_ == Screen::services || screen_ == Screen::appointment ||
       screen_ == Screen::returned)) {
    handle_scan(*in.scanned);
    return;
  }

  switch (screen_) {
    case Screen::closed:  // chosen by the view-model from the hours; nothing on it to tap
      break;
    case Screen::language:
      if (in.back) screen_ = before_language_;
      break;
    case Screen::services:
      // Offline nothing can be issued or checked in: the screen says so and invites nothing.
      if (!online_) break;
      // The common case: this tap and "print" on the summary (docs/kiosk.md, two taps).
      if (in.service && region_.office_offers(office_, *in.service) &&
          region_.find_service(*in.service)) {
        clear_choice();
        services_ = {*in.service};
        go(Screen::summary);
      } else if (in.appointment) {
        code_.clear();
        code_failure_ = Failure::none;
        go(Screen::appointment);
      }
      break;
    case Screen::second_service:
      if (in.service) {
        const auto choices = second_choices();
        if (std::find(choices.begin(), choices.end(), *in.service) != choices.end()) {
          services_.push_back(*in.service);
          go(Screen::summary);
        }
      } else if (in.back) {
        go(Screen::summary);
      }
      break;
    case Screen::appointment:
      if (in.code_edited) code_failure_ = Failure::none;
      if (in.code && !in.code->empty()) {
        code_ = *in.code;
        request(Effect::Kind::checkin,
                json{{"office", office_}, {"code", code_}, {"language", lang_}}, Pending::checkin);
      } else if (in.back) {
        code_.clear();
        code_failure_ = Failure::none;
        go(Screen::services);
      }
      break;
    case Screen::consent:
      // "Ja" and "Nein" weigh the same: one reads the card, the other returns to the summary.
      if (in.consent_yes) {
        consent_ = true;
        go(Screen::id_scan);
      } else if (in.consent_skip || in.back) {
        consent_ = false;
        identity_.reset();
        go(Screen::summary);
      }
      break;
    case Screen::id_scan:
      if (in.consent_skip || in.back) {
        consent_ = false;
        identity_.reset();
        go(in.back ? Screen::consent : Screen::summary);
      }
      break;
    case Screen::id_confirm:
      if (in.id_accept) {
        go(Screen::summary);
      } else if (in.id_discard) {
        identity_.reset();
        consent_ = false;
        go(Screen::summary);
      }
      break;
    case Screen::summary:
      if (in.print && online_ && pending_ == Pending::none) {
        json body{{"office", office_}, {"services", services_}, {"language", lang_},
                  {"source", "kiosk"}, {"kiosk", kiosk_id_}};
        if (consent_ && identity_) {
          body["consent"] = true;
          body["identity"] = identity_->to_json();
        }
        // The same request as the one whose answer was lost keeps its id (see Effect).
        if (issue_id_.empty() || issue_body_ != body) issue_id_ = core::new_uuid();
        issue_body_ = body;
        request(Effect::Kind::issue, std::move(body), Pending::issue);
        effects_.back().request_id = issue_id_;
      } else if (in.add_second && can_add_second()) {
        go(Screen::second_service);
      } else if (in.add_id && can_add_id()) {
        go(Screen::consent);
      } else if (in.back) {
        // One step back: a second concern goes first (its tiles again), then the first.
        // ID data read for this choice goes with it.
        identity_.reset();
        consent_ = false;
        if (services_.size() > 1) {
          services_.resize(1);
          go(Screen::second_service);
        } else {
          clear_choice();
          go(Screen::services);
        }
      }
      break;
    case Screen::print_failed:
      if (in.retry_print) print(now);
      else if (in.finish) reset(now);
      break;
    case Screen::done:
    case Screen::returned:
      if (in.finish) reset(now);
      break;
    case Screen::unavailable:
      if (in.retry) go(services_.empty() ? Screen::services : Screen::summary);
      else if (in.finish) reset(now);
      break;
    case Screen::busy:
    case Screen::printing:
      break;
  }
}

void KioskModel::tick(double now) {
  if (screen_ == Screen::busy || screen_ == Screen::printing) return;  // an answer is due
  if (screen_ == Screen::done && now - entered_done_ >= options_.done_timeout) {
    reset(now);
    return;
  }
  if (!untouched() && now - last_activity_ >= options_.idle_timeout) reset(now);
}

double KioskModel::next_deadline(double now) const {
  if (untouched() || screen_ == Screen::busy || screen_ == Screen::printing) return 0;
  double idle = last_activity_ + options_.idle_timeout;
  if (screen_ == Screen::done) return std::min(idle, entered_done_ + options_.done_timeout);
  // The warning appears before the reset: wake for it first.
  double warn = idle - warning_length();
  return warn > now ? warn : idle;
}

double KioskModel::warning_length() const {
  // A short idle time (tests, demos) keeps its first half free of the dialog.
  return std::min(options_.idle_warning, options_.idle_timeout / 2);
}

std::optional<int> KioskModel::idle_warning(double now) const {
  // Screens where waiting is expected (an answer, the printer) or nothing was entered, and the
  // done screen (its own short timeout: the ticket is printed), never warn.
  if (untouched()) return std::nullopt;
  switch (screen_) {
    case Screen::closed:
    case Screen::busy:
    case Screen::printing:
    case Screen::done: return std::nullopt;
    default: break;
  }
  const double left = last_activity_ + options_.idle_timeout - now;
  if (left > warning_length() || left <= 0) return std::nullopt;
  return static_cast<int>(std::ceil(left));
}

void KioskModel::on_reply(bool ok, const json& body, const std::string& error, double now) {
  Pending p = pending_;
  pending_ = Pending::none;
  last_activity_ = now;
  if (p == Pending::none) return;
  // A definite answer ends the issue request; only a lost one may be repeated under its id.
  if (p == Pending::issue && error != "unavailable") {
    issue_id_.clear();
    issue_body_ = json();
  }
  if (ok && (p == Pending::issue || p == Pending::checkin)) {
    ticket_ = body;
    print(now);
    return;
  }
  if (ok && p == Pending::ticket_return) {
    returned_number_ = body.value("number", "");
    entered_done_ = now;
    go(Screen::returned);
    return;
  }
  // Refused or unreachable: no ticket exists, and the screen says so.
  if (p == Pending::checkin && error != "unavailable") {
    code_failure_ = error == "not_found"       ? Failure::unknown_code
                    : error == "invalid_state" ? Failure::code_used
                                               : Failure::refused;
    if (error == "invalid_state" && body.is_object() &&
        body.value("message", "").find("is on") != std::string::npos)
      code_failure_ = Failure::code_not_today;
    go(Screen::appointment);
    return;
  }
  if (p == Pending::ticket_return && error != "unavailable") {
    failure_ = error == "not_found" ? Failure::unknown_ticket : Failure::not_parked;
    go(Screen::unavailable);
    return;
  }
  failure_ = error == "unavailable"                                        ? Failure::unavailable
             : error == "office_closed" || error == "last_ticket_passed" ? Failure::closed
                                                                         : Failure::refused;
  go(Screen::unavailable);
}

void KioskModel::report_printer(const std::string& state) {
  printer_state_ = state;
  if (state == reported_state_) return;
  reported_state_ = state;
  effects_.push_back({Effect::Kind::device_status,
                      json{{"device", kiosk_id_ + "/printer"}, {"state", state}}});
}

void KioskModel::on_print_result(bool printed, const std::string& state, double now) {
  report_printer(state);
  if (!printing_) return;
  printing_ = false;
  last_activity_ = now;
  if (printed) {
    entered_done_ = now;
    go(Screen::done);
  } else {
    go(Screen::print_failed);
  }
}

void KioskModel::on_printer_state(const std::string& state) { report_printer(state); }

void KioskModel::on_document(std::optional<Identity> id, double now) {
  // Only while this visitor asked for it: a card left on the reader must never fill in
  // another visitor's ticket.
  if (screen_ != Screen::id_scan || !consent_) return;
  last_activity_ = now;
  if (!id) return;  // unreadable: stay on the scan screen, the view says "try again"
  identity_ = std::move(*id);
  go(Screen::id_confirm);
}

std::vector<Effect> KioskModel::take_effects() {
  std::vector<Effect> out;
  out.swap(effects_);
  return out;
}

}  // namespace wm::kiosk
