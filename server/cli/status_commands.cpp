// wartemarke status (table or --json) and wartemarke watch (follow the event stream).
#include <csignal>
#include <cstdio>
#include <iostream>

#include "core/client/event_feed.hpp"
#include "core/clock.hpp"
#include "server/cli/cli.hpp"

namespace wm::cli {
namespace {

// printf's %-28s pads by bytes, so "Löbau" (6 bytes, 5 letters) pushed its row one column
// left; pad by code points (UTF-8 lead bytes) instead. Office names are Latin script.
std::string pad_right(const std::string& text, std::size_t width) {
  std::size_t letters = 0;
  for (unsigned char c : text) letters += (c & 0xC0) != 0x80;
  return letters >= width ? text : text + std::string(width - letters, ' ');
}

void print_status(const json& s) {
  std::printf("%-28s %8s %10s %8s %8s %8s\n", "office", "waiting", "longest", "open", "issued",
              "done");
  for (const auto& o : s["offices"]) {
    std::printf("%s %8d %10s %8d %8d %8d\n", pad_right(o["name"].get<std::string>(), 28).c_str(),
                o["waiting"].get<int>(), elapsed_text(o["longest_wait_ms"]).c_str(),
                o["counters_open"].get<int>(), o["issued_today"].get<int>(),
                o["done_today"].get<int>());
    for (const auto& sv : o["services"]) {
      if (sv["waiting"].get<int>() == 0 && !sv["estimate_ms"].is_number()) continue;
      std::printf("    %-24s %8d %10s   estimate %s\n", sv["id"].get<std::string>().c_str(),
                  sv["waiting"].get<int>(), elapsed_text(sv["longest_wait_ms"]).c_str(),
                  sv.value("no_counter_open", false) ? "– (no counter open for this service now)"
                                                     : estimate_text(sv["estimate_ms"]).c_str());
    }
  }
}

std::string describe(const core::State& st, const core::Event& e) {
  std::string text = core::local_hhmm(e.time) + "  #" + std::to_string(e.seq) + "  " + e.type;
  if (e.body.contains("ticket")) {
    const json& t = e.body["ticket"];
    const core::Ticket* ticket = t.is_string() ? st.ticket(t.get<std::string>()) : nullptr;
    if (t.is_object()) text += "  " + t.value("number", "");
    if (ticket) text += "  " + ticket->number;
  }
  if (e.body.contains("counter")) text += "  @" + e.body["counter"].get<std::string>();
  return text;
}

}  // namespace

void add_status_commands(CLI::App& app, Context& ctx, int& exit_code) {
  auto* status = app.add_subcommand("status", "queue summary per office and service");
  auto office = std::make_shared<std::string>();
  status->add_option("-o,--office", *office, "only this office");
  status->callback([&ctx, office] {
    auto client = ctx.client();
    json s = client.request("status", office->empty() ? json::object() : json{{"office", *office}});
    if (ctx.json_output)
      std::cout << s.dump(2) << "\n";
    else
      print_status(s);
  });

  auto* watch = app.add_subcommand("watch", "follow the event stream (Ctrl-C stops)");
  auto woffice = std::make_shared<std::string>();
  auto seconds = std::make_shared<double>(0);
  watch->add_option("-o,--office", *woffice, "only this office");
  watch->add_option("--seconds", *seconds, "stop after this many seconds (0 = never)");
  watch->callback([&ctx, &exit_code, woffice, seconds] {
    install_stop_handler();
    core::EventFeed feed(ctx.zmq, ctx.command_endpoint(), ctx.event_endpoint(), ctx.region_ptr(),
                         *woffice);
    auto start = std::chrono::steady_clock::now();
    bool was_online = false;
    while (!stop_requested()) {
      for (const auto& e : feed.poll(std::chrono::milliseconds(200))) {
        if (ctx.json_output)
          std::cout << core::event_to_json(e).dump() << std::endl;
        else
          std::cout << describe(feed.state(), e) << std::endl;
      }
      if (feed.online() != was_online) {
        was_online = feed.online();
        std::cerr << (was_online ? "connected, state at seq " + std::to_string(feed.state().seq())
                                 : std::string("connection lost, retrying"))
                  << std::endl;
      }
      if (*seconds > 0 &&
          std::chrono::steady_clock::now() - start > std::chrono::duration<double>(*seconds))
        break;
    }
    (void)exit_code;
  });
}

}  // namespace wm::cli
