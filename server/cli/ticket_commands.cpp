// wartemarke issue / open / next / call / recall / no-show / start / finish / transfer / park ...
#include <iostream>

#include "server/cli/cli.hpp"

namespace wm::cli {
namespace {

void print_result(Context& ctx, const std::string& type, const json& reply) {
  if (ctx.json_output) {
    std::cout << reply.dump() << "\n";
    return;
  }
  if (reply.contains("ticket") && reply["ticket"].is_object()) {
    const json& t = reply["ticket"];
    std::cout << t.value("number", "?") << "  " << t.value("state", "") << "  " << t.value("id", "");
    if (reply.contains("estimate_ms")) std::cout << "  estimate " << estimate_text(reply["estimate_ms"]);
    if (reply.contains("counter_name")) std::cout << "  -> " << reply["counter_name"].get<std::string>();
    std::cout << "\n";
  } else if (reply.contains("number")) {
    std::cout << reply["number"].get<std::string>() << "  " << type;
    if (reply.value("no_show", false)) std::cout << "  (recall limit reached: no-show)";
    if (reply.contains("case")) std::cout << "  case " << reply["case"].get<std::string>() << " -> " << reply.value("unit", "");
    if (reply.contains("next_service"))
      std::cout << "  next: " << reply["next_service"].get<std::string>()
                << (reply.value("stays", false) ? " (stays here)" : " (waits again)");
    std::cout << "\n";
  } else {
    std::cout << reply.dump() << "\n";
  }
}

// Registers a counter command `name COUNTER` with optional extra options filled by `extra`.
template <typename Extra>
void counter_command(CLI::App& app, Context& ctx, int& exit_code, const std::string& name,
                     const std::string& type, const std::string& help, Extra extra) {
  auto* cmd = app.add_subcommand(name, help);
  auto counter = std::make_shared<std::string>();
  auto body = std::make_shared<json>(json::object());
  cmd->add_option("counter", *counter, "counter id, e.g. goerlitz-1")->required();
  auto fill = extra(cmd);
  cmd->callback([&ctx, &exit_code, counter, body, fill, type] {
    json b = fill();
    b["counter"] = *counter;
    auto client = ctx.client();
    print_result(ctx, type, client.request(type, b));
    (void)exit_code;
  });
}

auto no_extra = [](CLI::App*) { return [] { return json::object(); }; };

}  // namespace

void add_ticket_commands(CLI::App& app, Context& ctx, int& exit_code) {
  {
    auto* cmd = app.add_subcommand("issue", "issue a ticket (as a kiosk would)");
    auto office = std::make_shared<std::string>();
    auto services = std::make_shared<std::vector<std::string>>();
    auto lang = std::make_shared<std::string>("de");
    auto priority = std::make_shared<std::string>("normal");
    auto source = std::make_shared<std::string>("cli");
    cmd->add_option("-o,--office", *office, "office id")->required();
    cmd->add_option("-s,--service", *services, "service id (repeat for a second concern)")->required();
    cmd->add_option("-l,--lang", *lang, "visitor's language");
    cmd->add_option("-p,--priority", *priority, "normal or priority_needs");
    cmd->add_option("--source", *source,
                    "cli (staff: not bound by the opening hours) or kiosk (as a walk-in; a kiosk key must say kiosk)")
        ->check(CLI::IsMember({"cli", "kiosk"}));
    cmd->callback([&ctx, office, services, lang, priority, source] {
      auto client = ctx.client();
      json r = client.request("ticket.issue", json{{"office", *office},
                                                   {"services", *services},
                                                   {"language", *lang},
                                                   {"priority", *priority},
                                                   {"source", *source}});
      print_result(ctx, "issued", r);
    });
  }
  for (auto [name, type, help] : std::initializer_list<std::array<const char*, 3>>{
           {"next", "counter.next", "call the next ticket to a counter"},
           {"recall", "counter.recall", "call the counter's current ticket again"},
           {"no-show", "counter.no_show", "the called visitor did not come"},
           {"start", "counter.start", "the visitor arrived: start serving"},
           {"close", "counter.close", "close a counter"},
           {"pause", "counter.pause", "pause a counter"},
           {"resume", "counter.resume", "resume a counter"}})
    counter_command(app, ctx, exit_code, name, type, help, no_extra);

  counter_command(app, ctx, exit_code, "open", "counter.open", "open a counter", [](CLI::App* c) {
    auto staff = std::make_shared<std::string>();
    c->add_option("--staff", *staff, "staff login");
    return [staff] { return staff->empty() ? json::object() : json{{"staff", *staff}}; };
  });
  counter_command(app, ctx, exit_code, "call", "counter.call", "call a specific ticket (number or id)",
                  [](CLI::App* c) {
                    auto t = std::make_shared<std::string>();
                    c->add_option("ticket", *t, "ticket number (K017) or id")->required();
                    return [t] { return json{{"ticket", *t}}; };
                  });
  counter_command(app, ctx, exit_code, "finish", "counter.finish", "finish the current concern",
                  [](CLI::App* c) {
                    auto outcome = std::make_shared<std::string>("erledigt");
                    auto notes = std::make_shared<std::string>();
                    auto forward = std::make_shared<bool>(false);
                    c->add_option("--outcome", *outcome, "outcome");
                    c->add_option("--notes", *notes, "notes for the back office");
                    c->add_flag("--forward", *forward, "hand the case to the back office");
                    return [=] {
                      json b{{"outcome", *outcome}, {"forward", *forward}};
                      if (!notes->empty()) b["notes"] = *notes;
                      return b;
                    };
                  });
  counter_command(app, ctx, exit_code, "transfer", "counter.transfer",
                  "send the visitor to another service or counter, keeping the place",
                  [](CLI::App* c) {
                    auto service = std::make_shared<std::string>();
                    auto to = std::make_shared<std::string>();
                    c->add_option("--service", *service, "target service id");
                    c->add_option("--to-counter", *to, "target counter id");
                    return [=] {
                      json b = json::object();
                      if (!service->empty()) b["service"] = *service;
                      if (!to->empty()) b["to_counter"] = *to;
                      return b;
                    };
                  });
  counter_command(app, ctx, exit_code, "park", "counter.park", "park the visitor with a reason",
                  [](CLI::App* c) {
                    auto reason = std::make_shared<std::string>();
                    c->add_option("--reason", *reason, "why, e.g. 'Kennzeichen holen'")->required();
                    return [reason] { return json{{"reason", *reason}}; };
                  });

  for (auto [name, type, help] : std::initializer_list<std::array<const char*, 3>>{
           {"return", "ticket.return", "a parked visitor returns to the queue"},
           {"reactivate", "ticket.reactivate", "a no-show ticket waits again"},
           {"cancel", "ticket.cancel", "cancel a ticket"},
           {"ticket", "ticket.status", "show a ticket's status"}}) {
    auto* cmd = app.add_subcommand(name, help);
    auto id = std::make_shared<std::string>();
    cmd->add_option("ticket", *id, "ticket id")->required();
    std::string t = type;
    cmd->callback([&ctx, id, t] {
      auto client = ctx.client();
      print_result(ctx, t, client.request(t, json{{"ticket", *id}}));
    });
  }
}

}  // namespace wm::cli
