// Per-frame glue of the dashboard: Station replica and events → model → view → model, and the
// `stats` request for a picked past day (answered on the station thread, taken up per frame).
#pragma once

#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>

#include "core/client/station.hpp"
#include "counter/dashboard/dashboard_model.hpp"
#include "counter/dashboard/dashboard_view.hpp"

namespace wm::counter {

class DashboardRunner {
 public:
  DashboardRunner(std::shared_ptr<const core::Region> region, core::Station& station)
      : station_(station), model_(std::move(region)) {}

  // Takes the station's new events and any `stats` answer, updates the model, draws, applies
  // the clicks and sends the request a newly picked day needs.
  void frame(ui::Frame& f) {
    const core::Millis now = station_.broker_now();
    model_.update(*station_.state(), station_.take_events(), now);
    // A panic is heard, not only seen: once per panic (counter and time), in the words of
    // its banner, in the dashboard's language.
    if (on_panic)
      for (const auto& a : model_.alerts())
        if (a.kind == AlertKind::panic && sounded_.emplace(a.id, a.since).second)
          on_panic(f.lang(), alert_text(f, model_.region(), a));
    take_answer();
    apply(model_, draw_dashboard(f, model_, now, station_.online(), station_.has_data()), now);
    fetch();
    send_profile();
    // Waits grow without events: refresh the figures every few seconds.
    f.redraw_after(5.0);
  }
  DashboardModel& model() { return model_; }
  // Called once per new panic with the language and the words to say (main.cpp: a gong and
  // espeak-ng through the display's audio).
  std::function<void(const std::string& lang, const std::string& words)> on_panic;

  // Requests the model's pending day, if any (also used by tests without a frame).
  void fetch() {
    auto day = model_.take_fetch();
    if (!day) return;
    auto inbox = inbox_;
    station_.submit("stats", core::json{{"day", *day}},
                    [inbox, d = *day](const core::Reply& r) {
                      std::lock_guard lock(inbox->mu);
                      inbox->answer = Answer{d, r};
                    });
  }
  // Sends the counter.profile the editor asks for, if any; its answer comes back to the editor.
  void send_profile() {
    auto req = model_.editor().take_request();
    if (!req) return;
    auto inbox = inbox_;
    station_.submit("counter.profile", core::json{{"counter", req->counter}, {"services", req->services}},
                    [inbox](const core::Reply& r) {
                      std::lock_guard lock(inbox->mu);
                      inbox->profile = r;
                    });
  }
  // Hands an arrived `stats` or `counter.profile` answer to the model.
  void take_answer() {
    std::optional<core::Reply> profile;
    {
      std::lock_guard lock(inbox_->mu);
      profile.swap(inbox_->profile);
    }
    if (profile) model_.editor().answered(profile->ok, profile->message);
    std::optional<Answer> a;
    {
      std::lock_guard lock(inbox_->mu);
      a.swap(inbox_->answer);
    }
    if (!a) return;
    if (!a->reply.ok) {
      model_.past_stats_failed(a->day);
      return;
    }
    try {
      model_.past_stats_arrived(a->day, core::day_stats_from_json(a->reply.body));
    } catch (const std::exception&) {
      model_.past_stats_failed(a->day);
    }
  }

 private:
  struct Answer {
    std::string day;
    core::Reply reply;
  };
  struct Inbox {
    std::mutex mu;
    std::optional<Answer> answer;  // the latest only: an older pick's answer is moot
    std::optional<core::Reply> profile;  // of the counter.profile sent
  };
  core::Station& station_;
  DashboardModel model_;
  std::shared_ptr<Inbox> inbox_ = std::make_shared<Inbox>();
  std::set<std::pair<std::string, core::Millis>> sounded_;  // panics announced: (id, since)
};

}  // namespace wm::counter
