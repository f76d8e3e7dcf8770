// ESC/POS renderer: code page mapping, golden bytes of a sample ticket, interpreter round trip,
// simulated printer output and fault conditions.
#define BOOST_TEST_MODULE hw_escpos
#include <boost/test/unit_test.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "wm/hw/escpos.hpp"
#include "wm/hw/escpos_raster.hpp"
#include "wm/hw/sim_printer.hpp"
#include "wm/hw/ticket.hpp"

using namespace wm::hw;
namespace fs = std::filesystem;

namespace {
Bytes text_bytes(std::string_view utf8) {
  EscPos p;
  p.init();
  const size_t header = p.bytes().size();
  p.text(utf8);
  return Bytes(p.bytes().begin() + static_cast<long>(header), p.bytes().end());
}
Bytes ascii(std::string_view s) { return Bytes(s.begin(), s.end()); }
Bytes cat(std::initializer_list<Bytes> parts) {
  Bytes out;
  for (const auto& p : parts) out.insert(out.end(), p.begin(), p.end());
  return out;
}

struct TempDir {
  fs::path path = fs::temp_directory_path() / ("wm-hw-escpos-" + std::to_string(::getpid()));
  TempDir() { fs::remove_all(path); }
  ~TempDir() { fs::remove_all(path); }
};
}  // namespace

BOOST_AUTO_TEST_CASE(german_umlauts_and_sharp_s_map_to_pc858) {
  BOOST_TEST(text_bytes("äöüÄÖÜß€") ==
                 (Bytes{0x84, 0x94, 0x81, 0x8E, 0x99, 0x9A, 0xE1, 0xD5}),
             boost::test_tools::per_element());
  BOOST_TEST(text_bytes("Straße 1") == (Bytes{'S', 't', 'r', 'a', 0xE1, 'e', ' ', '1'}),
             boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(init_selects_pc858) {
  EscPos p;
  p.init();
  BOOST_TEST(p.bytes() == (Bytes{0x1B, '@', 0x1B, 't', 19}), boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(other_scripts_transliterate_switch_or_stay_visible) {
  // Polish: letters as letters in PC852 (ESC t 18); ó stays there rather than switching back.
  BOOST_TEST(text_bytes("Łódź") == (Bytes{0x1B, 't', 18, 0x9D, 0xA2, 'd', 0xAB}),
             boost::test_tools::per_element());
  // Cyrillic switches to PC866 and back for the umlaut.
  BOOST_TEST(text_bytes("Пр ä") == (Bytes{0x1B, 't', 17, 0x8F, 0xE0, ' ', 0x1B, 't', 19, 0x84}),
             boost::test_tools::per_element());
  // Unknown characters, invalid UTF-8 and control bytes become a visible '?', never raw bytes.
  BOOST_TEST(text_bytes("中\xff\x1b") == ascii("???"), boost::test_tools::per_element());
  BOOST_TEST(text_bytes("„Hallo“ – ok") == ascii("\"Hallo\" - ok"), boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(polish_czech_and_turkish_letters_print_as_letters) {
  // Issue 16 item 11: "Prosze czekac", "yaklasik" on paper before. PC852 = ESC t 18,
  // PC857 = ESC t 13; bytes from the code page tables (Python's cp852/cp857).
  BOOST_TEST(text_bytes("Proszę czekać") ==
                 cat({ascii("Prosz"), {0x1B, 't', 18, 0xA9}, ascii(" czeka"), {0x86}}),
             boost::test_tools::per_element());
  BOOST_TEST(text_bytes("Přepážka") ==
                 cat({ascii("P"), {0x1B, 't', 18, 0xFD}, ascii("ep"), {0xA0, 0xA7}, ascii("ka")}),
             boost::test_tools::per_element());
  BOOST_TEST(text_bytes("yaklaşık İş") ==
                 cat({ascii("yakla"), {0x1B, 't', 13, 0x9F, 0x8D}, ascii("k "), {0x98, 0x9F}}),
             boost::test_tools::per_element());
  // German after Turkish stays in PC857 (it has the umlauts); € needs PC858 again.
  BOOST_TEST(text_bytes("ş ü €") == (Bytes{0x1B, 't', 13, 0x9F, ' ', 0x81, ' ', 0x1B, 't', 19, 0xD5}),
             boost::test_tools::per_element());
  // A dash is ASCII on every page: no switch for it.
  BOOST_TEST(text_bytes("ą – ą") == (Bytes{0x1B, 't', 18, 0xA5, ' ', '-', ' ', 0xA5}),
             boost::test_tools::per_element());
  // The simulator reads the letters back.
  for (const char* s : {"Proszę czekać, Łódź", "Přepážka č. 3", "yaklaşık İş, Gişe"}) {
    EscPos p;
    p.init();
    p.line(s);
    BOOST_TEST(interpret_escpos(p.bytes()).text().find(s) != std::string::npos, s);
  }
}

BOOST_AUTO_TEST_CASE(wrapping_counts_printer_columns) {
  const auto lines = wrap_text("Geburtsurkunde (nur bei Erstausstellung) für Kinder", 20);
  BOOST_TEST_REQUIRE(lines.size() == 3u);
  BOOST_TEST(lines[0] == "Geburtsurkunde (nur");
  BOOST_TEST(lines[2] == "für Kinder");
  BOOST_TEST(wrap_text("ABCDEFGHIJ", 4).size() == 3u);  // hard split of a long word
}

BOOST_AUTO_TEST_CASE(golden_bytes_of_a_small_ticket) {
  TicketPrint t;
  t.office_name = "Bürgerbüro";
  t.number = "A-1";
  t.qr_url = "https://x.de/s";
  t.footer_lines = {"Straße"};
  const Bytes rule = cat({Bytes(48, '-'), Bytes{0x0A}});
  const Bytes expected = cat({
      {0x1B, 0x40, 0x1B, 0x74, 0x13},                    // init, PC858
      {0x1B, 0x61, 0x01},                                // centre
      {0x1B, 0x45, 0x01, 0x1D, 0x21, 0x11},              // bold, 2x2
      {'B', 0x81, 'r', 'g', 'e', 'r', 'b', 0x81, 'r', 'o', 0x0A},
      {0x1D, 0x21, 0x00, 0x1B, 0x45, 0x00},
      rule,
      ascii("Ihre Nummer\n"),
      {0x1B, 0x45, 0x01, 0x1D, 0x21, 0x55},              // number: bold, 6x6
      ascii("A-1\n"),
      {0x1D, 0x21, 0x00, 0x1B, 0x45, 0x00},
      rule,
      ascii("Wartestatus auf dem Handy:\n"),
      {0x1D, 0x28, 0x6B, 0x04, 0x00, 0x31, 0x41, 0x32, 0x00},  // QR model 2
      {0x1D, 0x28, 0x6B, 0x03, 0x00, 0x31, 0x43, 0x06},        // module 6 dots
      {0x1D, 0x28, 0x6B, 0x03, 0x00, 0x31, 0x45, 0x31},        // EC level M
      {0x1D, 0x28, 0x6B, 0x11, 0x00, 0x31, 0x50, 0x30},        // store 14 + 3 bytes
      ascii("https://x.de/s"),
      {0x1D, 0x28, 0x6B, 0x03, 0x00, 0x31, 0x51, 0x30},        // print
      {0x0A},
      {'S', 't', 'r', 'a', 0xE1, 'e', 0x0A},
      {0x1D, 0x56, 0x42, 0x60},                                // feed 96 dots, partial cut
  });
  BOOST_TEST(render_ticket(t) == expected, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(interpreter_reads_back_what_the_renderer_wrote) {
  const TicketPrint t = sample_ticket("de");
  const EscPosDocument doc = interpret_escpos(render_ticket(t));
  BOOST_TEST(doc.unknown_commands == 0);
  const std::string text = doc.text();
  BOOST_TEST(text.find("Bürgerbüro Görlitz\n") != std::string::npos);
  BOOST_TEST(text.find("Gebühr: 37,00 € (EC-Karte möglich)") != std::string::npos);
  BOOST_TEST(text.find("[QR: " + t.qr_url + "]") != std::string::npos);
  BOOST_TEST(text.find("Будь ласка") != std::string::npos);
  bool found_number = false;
  for (const auto& b : doc.blocks)
    if (const auto* l = std::get_if<PrintedLine>(&b))
      for (const auto& r : l->runs)
        if (r.text == U"A-042") found_number = r.bold && r.width == 6 && r.height == 6 && l->align == 1;
  BOOST_TEST(found_number);
}

BOOST_AUTO_TEST_CASE(simulated_printer_writes_png_and_text) {
  TempDir dir;
  SimPrinter p(dir.path.string());
  PrinterIdentity id;
  BOOST_TEST((p.identity(id) == PrintError::ok));
  BOOST_TEST(id.command_set == "ESCPOS");
  const PrintResult r = p.print(sample_ticket("en"));
  BOOST_TEST_REQUIRE(r.ok(), r.detail);
  const fs::path png = dir.path / "ticket-0001.png";
  BOOST_TEST(p.last_png() == png.string());
  BOOST_TEST_REQUIRE(fs::exists(png));
  std::ifstream in(png, std::ios::binary);
  unsigned char head[24];
  in.read(reinterpret_cast<char*>(head), 24);
  BOOST_TEST(head[1] == 'P');
  const int width = head[16] << 24 | head[17] << 16 | head[18] << 8 | head[19];
  const int height = head[20] << 24 | head[21] << 16 | head[22] << 8 | head[23];
  BOOST_TEST(width == 576);
  BOOST_TEST(height > 800);
  std::stringstream txt;
  txt << std::ifstream(dir.path / "ticket-0001.txt").rdbuf();
  BOOST_TEST(txt.str().find("Your number\nA-042\n") != std::string::npos);
  BOOST_TEST(p.print(sample_ticket()).ok());
  BOOST_TEST(fs::exists(dir.path / "ticket-0002.png"));
}

BOOST_AUTO_TEST_CASE(rasterizer_puts_ink_where_the_number_is) {
  auto ink = [](const std::string& number) {
    TicketPrint t;
    t.number = number;
    const GrayImage img = rasterize(interpret_escpos(render_ticket(t)));
    BOOST_TEST(img.width == 576);
    long dark = 0;
    for (auto px : img.pixels) dark += px < 128;
    return dark;
  };
  // Two 6x digits are a lot of black compared to the label and rules alone.
  BOOST_TEST(ink("88") > ink("") + 4000);
}

BOOST_AUTO_TEST_CASE(simulated_faults_via_control_file_and_api) {
  TempDir dir;
  fs::create_directories(dir.path);
  SimPrinter p(dir.path.string());
  std::ofstream(dir.path / "control") << "paper_end\n";
  PrintResult r = p.print(sample_ticket());
  BOOST_TEST(to_string(r.error) == "paper_end");
  BOOST_TEST(!fs::exists(dir.path / "ticket-0001.png"));
  std::ofstream(dir.path / "control") << "near_end\n";
  r = p.print(sample_ticket());
  BOOST_TEST(r.ok());
  BOOST_TEST(r.paper_near_end);
  fs::remove(dir.path / "control");
  p.set_conditions({.cover_open = true});
  BOOST_TEST(to_string(p.print(sample_ticket()).error) == "cover_open");
  p.set_conditions({.offline = true});
  BOOST_TEST(to_string(p.status().blocking()) == "offline");
  p.set_conditions({.unplugged = true});
  BOOST_TEST(to_string(p.print(sample_ticket()).error) == "unplugged");
  p.set_conditions({});
  BOOST_TEST(p.status().ready());
}

BOOST_AUTO_TEST_CASE(status_byte_decoding_and_device_id) {
  PrinterStatus s;
  BOOST_TEST(decode_status(0x12, 0x12, 0x12, s));
  BOOST_TEST(s.ready());
  BOOST_TEST(decode_status(0x1A, 0x32, 0x7E, s));
  BOOST_TEST(s.paper_end);
  BOOST_TEST(to_string(s.blocking()) == "paper_end");
  BOOST_TEST(!decode_status(0x00, 0x12, 0x12, s));  // not a status byte
  BOOST_TEST(to_string(s.blocking()) == "protocol_error");
  PrinterIdentity id;
  const std::string raw = "MFG:EPSON;CMD:ESCPOS;MDL:TM-T88V;";
  Bytes reply = {0, static_cast<std::uint8_t>(raw.size() + 2)};
  reply.insert(reply.end(), raw.begin(), raw.end());
  BOOST_TEST(parse_device_id(reply, id));
  BOOST_TEST(id.describe() == "EPSON TM-T88V (ESCPOS)");
}
