// The declared protocol tables are complete: every request row has a handler, roles, an office
// resolver and a docs entry; every event an applier, fields with a visibility and a docs entry;
// and docs/protocol.md lists exactly the declared requests and events (issue 14).
#define BOOST_TEST_MODULE core_table
#include <boost/test/unit_test.hpp>

#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "core/commands.hpp"
#include "core/permissions.hpp"
#include "core/protocol.hpp"
#include "core/state.hpp"
#include "tests/core/scenario.hpp"

using namespace wm::core;
using namespace wm::test;

namespace {

std::string read(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// The rows of the markdown table(s) between the heading `from` and the next heading of level
// `until` ("## " or "### "): first cell (the `type`) -> the whole line.
std::map<std::string, std::string> doc_rows(const std::string& doc, const std::string& from,
                                            const std::string& until) {
  std::map<std::string, std::string> rows;
  std::size_t pos = doc.find("\n" + from + "\n");
  BOOST_REQUIRE_MESSAGE(pos != std::string::npos, "docs/protocol.md has no '" << from << "'");
  std::istringstream in(doc.substr(pos + from.size() + 2));
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind(until, 0) == 0 || (until == "### " && line.rfind("## ", 0) == 0)) break;
    if (line.rfind("| `", 0) != 0) continue;
    std::size_t end = line.find('`', 3);
    if (end == std::string::npos) continue;
    std::string type = line.substr(3, end - 3);
    BOOST_TEST(rows.emplace(type, line).second, type << " documented twice");
  }
  return rows;
}

const std::string& protocol_doc() {
  static const std::string doc = read(source_path("docs/protocol.md"));
  return doc;
}

// The body fields that name an office, and the resolver that must cover each (offices_of).
const std::map<std::string, OfficeFrom> kReferences{
    {"office", OfficeFrom::office}, {"counter", OfficeFrom::counter},
    {"to_counter", OfficeFrom::counter}, {"kiosk", OfficeFrom::kiosk},
    {"device", OfficeFrom::device}, {"name", OfficeFrom::station},
    {"ticket", OfficeFrom::ticket}, {"token", OfficeFrom::token},
    {"case", OfficeFrom::case_}, {"appointments", OfficeFrom::appointments},
};
constexpr OfficeFrom kAllResolvers[] = {
    OfficeFrom::office, OfficeFrom::counter, OfficeFrom::kiosk,  OfficeFrom::device,
    OfficeFrom::station, OfficeFrom::ticket, OfficeFrom::token,  OfficeFrom::case_,
    OfficeFrom::appointments};

// Rows without roles: only administrators (admin, cli keys) may send them, and the docs say so.
const std::set<std::string> kAdminOnly{"counter.open", "day.close"};

}  // namespace

BOOST_AUTO_TEST_CASE(every_request_row_has_a_handler_roles_and_an_office_resolver) {
  std::set<std::string> types;
  for (const auto& row : message_specs()) {
    BOOST_TEST_CONTEXT(row.type) {
      BOOST_TEST(types.insert(row.type).second, "declared twice");
      // Exactly one handler: core decides it, or the server answers it (server/broker.cpp
      // switches over every ServerHandler, so each one named here is answered there).
      BOOST_TEST((row.decide != nullptr) != (row.server != ServerHandler::none),
                 "needs exactly one handler, core (decide) or server (" << to_string(row.server) << ")");
      if (row.roles.empty())
        BOOST_TEST(kAdminOnly.count(row.type), "no roles: admin-only rows are listed in kAdminOnly");
      else
        BOOST_TEST(!kAdminOnly.count(row.type));
      for (auto r : row.roles)
        BOOST_TEST((r != DeviceRole::admin && r != DeviceRole::cli), "admin and cli are implicit");
      // The resolver covers every reference the row declares, and only declared ones: the
      // office check then sees every office the request can name (the decoder refuses
      // undeclared fields).
      std::set<OfficeFrom> needed;
      for (const auto& f : row.fields)
        if (auto it = kReferences.find(f.name); it != kReferences.end()) {
          BOOST_TEST(has(row.offices, it->second), "field '" << f.name << "' is not resolved to an office");
          needed.insert(it->second);
        }
      for (auto r : kAllResolvers)
        if (has(row.offices, r))
          BOOST_TEST(needed.count(r), "resolves an office from a field it does not declare");
      if (row.offices == OfficeFrom::none) {
        // Global rows touch no office; with a scope they are cut down to the key's offices.
        BOOST_TEST((row.scope == Scope::any || row.filtered), "global but neither 'any' nor filtered");
      }
      if (row.scope == Scope::own_device) BOOST_TEST(has(row.offices, OfficeFrom::device));
    }
  }
}

BOOST_AUTO_TEST_CASE(core_handlers_decide_their_rows_and_only_those) {
  // A request the server answers is not decided in core: decide() has no handler for it.
  State st(small_region());
  for (const auto& row : message_specs()) {
    if (row.decide) continue;
    BOOST_TEST_CONTEXT(row.type) {
      Decision d = decide(Request{1, "x", row.type, json::object()}, st, at("08:00"));
      BOOST_REQUIRE(d.error.has_value());
      BOOST_TEST(d.error->code == ErrorCode::unknown_type);
    }
  }
}

BOOST_AUTO_TEST_CASE(docs_list_exactly_the_declared_requests) {
  auto rows = doc_rows(protocol_doc(), "### Messages", "## ");
  for (const auto& row : message_specs()) {
    BOOST_TEST_CONTEXT(row.type) {
      auto it = rows.find(row.type);
      BOOST_TEST_REQUIRE((it != rows.end()), "not in the messages table of docs/protocol.md");
      const std::string& line = it->second;
      BOOST_TEST(line.find(std::string(" | ") + (row.writes ? "yes" : "no") + " | ") != std::string::npos,
                 "the 'writes' column does not match");
      for (const auto& f : row.fields) {
        std::string name = f.name;
        if (f.required)
          BOOST_TEST(line.find("**" + name + "**") != std::string::npos, name << " is required: bold");
        else
          BOOST_TEST(line.find(name) != std::string::npos, name << " is not documented");
      }
      if (kAdminOnly.count(row.type)) BOOST_TEST(line.find("administrators") != std::string::npos);
    }
  }
  for (const auto& [type, line] : rows)
    BOOST_TEST(find_message(type) != nullptr, "docs/protocol.md documents an undeclared request " << type);
}

BOOST_AUTO_TEST_CASE(every_event_has_an_applier_declared_fields_and_a_docs_entry) {
  auto rows = doc_rows(protocol_doc(), "## Events", "### ");
  auto visibility_rows = doc_rows(protocol_doc(), "### Visibility and projections (issue 14)", "### ");
  std::set<std::string> applied;
  for (const auto& t : State::applied_event_types()) applied.insert(t);
  std::set<std::string> types;
  for (const auto& spec : event_specs()) {
    BOOST_TEST_CONTEXT(spec.type) {
      BOOST_TEST(types.insert(spec.type).second, "declared twice");
      BOOST_TEST(applied.count(spec.type), "State has no applier for it");
      BOOST_TEST(!spec.fields.empty(), "no declared fields");
      std::set<std::string> names;
      for (const auto& f : spec.fields) {
        BOOST_TEST(!f.name.empty());
        BOOST_TEST(names.insert(f.name).second, f.name << " declared twice");
        BOOST_TEST(visibility_rows.count(std::string(to_string(f.visibility))),
                   f.name << ": visibility " << f.visibility << " is not documented");
      }
      BOOST_TEST(rows.count(spec.type), "not in the events table of docs/protocol.md");
    }
  }
  for (const auto& t : applied) BOOST_TEST(find_event(t) != nullptr, "an applier for undeclared event " << t);
  for (const auto& [type, line] : rows)
    BOOST_TEST(find_event(type) != nullptr, "docs/protocol.md documents an undeclared event " << type);
}

BOOST_AUTO_TEST_CASE(an_unknown_event_type_is_refused_by_apply) {
  State st(small_region());
  BOOST_CHECK_THROW(st.apply(Event{1, 1, at("08:00"), "o1", "no.such", json::object()}),
                    std::invalid_argument);
}
