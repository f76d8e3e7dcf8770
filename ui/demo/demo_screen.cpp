// Demo screen: header, question, service tiles, language and accessibility choices, code pad.
#include "ui/demo/demo_screen.hpp"

#include <array>
#include <map>

#include "ui/keypad.hpp"
#include "ui/widgets.hpp"

namespace wm::ui::demo {

namespace {

struct Texts {
  const char* heading;
  const char* subheading;
  const char* code_title;
  std::array<std::pair<const char*, const char*>, 6> services;
};

// Service names come from the office's service catalog in real apps; the demo carries its own.
const std::map<std::string, Texts>& texts() {
  static const std::map<std::string, Texts> t{
      {"de",
       {"Wie können wir Ihnen helfen?", "Bitte wählen Sie Ihr Anliegen.", "Buchungscode eingeben",
        {{{"Kfz-Zulassung", "Neuzulassung, Umschreibung, Außerbetriebsetzung"},
          {"Führerschein", "Umtausch, Ersatz, internationaler Führerschein"},
          {"Wohngeld", "Antrag abgeben, Fragen zum Bescheid"},
          {"Schwerbehindertenausweis", "Antrag, Verlängerung, Merkzeichen"},
          {"Beglaubigung", "Kopien und Unterschriften amtlich beglaubigen"},
          {"Fischereischein", "Erteilung und Verlängerung"}}}}},
      {"en",
       {"How can we help you?", "Please choose your concern.", "Enter booking code",
        {{{"Vehicle registration", "New registration, transfer, deregistration"},
          {"Driving licence", "Exchange, replacement, international licence"},
          {"Housing benefit", "Hand in an application, questions about a decision"},
          {"Disability ID card", "Application, extension, additional marks"},
          {"Certification", "Official certification of copies and signatures"},
          {"Fishing licence", "Issue and renewal"}}}}},
      {"pl",
       {"W czym możemy pomóc?", "Proszę wybrać sprawę.", "Wpisz kod rezerwacji",
        {{{"Rejestracja pojazdu", "Pierwsza rejestracja, przerejestrowanie, wyrejestrowanie"},
          {"Prawo jazdy", "Wymiana, duplikat, międzynarodowe prawo jazdy"},
          {"Dodatek mieszkaniowy", "Złożenie wniosku, pytania dotyczące decyzji"},
          {"Legitymacja osoby niepełnosprawnej", "Wniosek, przedłużenie, oznaczenia"},
          {"Poświadczenie", "Urzędowe poświadczenie kopii i podpisów"},
          {"Karta wędkarska", "Wydanie i przedłużenie"}}}}},
      {"cs",
       {"S čím vám můžeme pomoci?", "Vyberte prosím svou záležitost.", "Zadejte rezervační kód",
        {{{"Registrace vozidla", "Nová registrace, přepis, vyřazení z provozu"},
          {"Řidičský průkaz", "Výměna, náhrada, mezinárodní řidičský průkaz"},
          {"Příspěvek na bydlení", "Podání žádosti, dotazy k rozhodnutí"},
          {"Průkaz osoby se zdravotním postižením", "Žádost, prodloužení, označení"},
          {"Ověření", "Úřední ověření kopií a podpisů"},
          {"Rybářský lístek", "Vydání a prodloužení"}}}}},
      {"uk",
       {"Чим ми можемо вам допомогти?", "Будь ласка, оберіть вашу справу.",
        "Введіть код бронювання",
        {{{"Реєстрація транспортного засобу", "Перша реєстрація, перереєстрація, зняття з обліку"},
          {"Посвідчення водія", "Обмін, дублікат, міжнародне посвідчення"},
          {"Житлова допомога", "Подання заяви, питання щодо рішення"},
          {"Посвідчення особи з інвалідністю", "Заява, продовження, позначки"},
          {"Засвідчення", "Офіційне засвідчення копій і підписів"},
          {"Посвідчення рибалки", "Видача та продовження"}}}}},
      {"ru",
       {"Чем мы можем вам помочь?", "Пожалуйста, выберите ваш вопрос.",
        "Введите код бронирования",
        {{{"Регистрация транспортного средства",
           "Первичная регистрация, перерегистрация, снятие с учёта"},
          {"Водительское удостоверение", "Обмен, дубликат, международное удостоверение"},
          {"Жилищное пособие", "Подача заявления, вопросы по решению"},
          {"Удостоверение лица с инвалидностью", "Заявление, продление, отметки"},
          {"Заверение", "Официальное заверение копий и подписей"},
          {"Удостоверение рыболова", "Выдача и продление"}}}}},
      {"tr",
       {"Size nasıl yardımcı olabiliriz?", "Lütfen işleminizi seçin.", "Rezervasyon kodunu girin",
        {{{"Araç tescili", "Yeni tescil, devir, trafikten çekme"},
          {"Sürücü belgesi", "Değişim, yenileme, uluslararası sürücü belgesi"},
          {"Konut yardımı", "Başvuru teslimi, karar hakkında sorular"},
          {"Engelli kimlik kartı", "Başvuru, uzatma, ek işaretler"},
          {"Onay", "Fotokopi ve imzaların resmî onayı"},
          {"Balıkçılık belgesi", "Düzenleme ve uzatma"}}}}},
  };
  return t;
}

constexpr std::array kServiceIds = {"kfz", "fs", "wg", "sba", "begl", "fisch"};
constexpr std::array kWaits = {25, 10, 15, 20, 5, 10};

void draw_header(Frame& f, const DemoView& v, Rect r) {
  const Palette& c = f.colors();
  f.draw_list()->AddRectFilled(r.min(), r.max(), c.header);
  if (f.theme().high_contrast) {
    f.draw_list()->AddLine(ImVec2(r.x, r.y + r.h), ImVec2(r.x + r.w, r.y + r.h), c.border,
                           f.theme().border);
  }
  Rect inner = r.inset(f.theme().margin, 0);
  Rect clock = inner.take_right(f.px(160));
  text_wrapped(f, inner.inset(0, (inner.h - f.font_size(FontRole::heading)) / 2),
               v.office, FontRole::heading, Align::left, c.on_header, "demo.office", 1);
  text_centered(f, clock, v.clock, FontRole::heading, c.on_header);
}

void draw_services(Frame& f, const DemoView& v, Rect body, bool portrait, DemoIntents& out) {
  const Theme& th = f.theme();
  Rect title = body.take_top(f.font_size(FontRole::title) * 1.3f, f.px(4));
  text_wrapped(f, title, v.heading, FontRole::title, Align::left, std::nullopt, "demo.heading", 1);
  if (portrait) {  // landscape has no height to spare: the question says enough
    Rect sub = body.take_top(f.font_size(FontRole::body) * 1.4f, th.gap);
    text_wrapped(f, sub, v.subheading, FontRole::body, Align::left, f.colors().text_muted,
                 "demo.subheading", 1);
  } else {
    body.take_top(0, th.gap * 0.5f);
  }

  // Footer from the bottom up: navigation, accessibility, languages.
  Rect nav = body.take_bottom(th.touch_min, th.gap);
  const float toggle_h = std::max(th.touch_min, f.font_size(FontRole::body_bold) * 2.6f);
  Rect a11y = portrait ? body.take_bottom(toggle_h, th.gap) : Rect{};
  const int lang_rows = portrait ? 2 : 1;
  Rect langs = body.take_bottom(th.touch_min * lang_rows + th.gap * (lang_rows - 1), th.gap * 1.5f);
  Rect tiles = body;

  const int cols = portrait ? 2 : 3;
  const int rows = int((v.services.size() + cols - 1) / cols);
  for (std::size_t i = 0; i < v.services.size(); ++i) {
    const auto& s = v.services[i];
    const std::string badge = f.t("common.minutes", {{"n", std::to_string(s.wait_minutes)}});
    if (tile(f, "demo.service." + s.id, s.title, s.description,
             grid_cell(tiles, cols, rows, th.gap, int(i)), TileOptions{.badge = badge})) {
      out.service = s.id;
    }
  }
  if (auto code = language_buttons(f, "demo.lang", langs, portrait ? 4 : 7)) out.language = code;

  if (portrait) {
    accessibility_toggles(f, "demo.a11y", a11y);
  } else {
    accessibility_toggles(f, "demo.a11y", nav.take_left(nav.w * 0.5f, th.gap));
  }
  Rect back = nav.take_left((nav.w - th.gap) / 2, th.gap);
  out.back = touch_button(f, "demo.back", f.t("common.back"), back,
                          ButtonOptions{.kind = ButtonKind::secondary});
  out.enter_code = touch_button(f, "demo.next", f.t("common.next"), nav);
}

void draw_code(Frame& f, const DemoView& v, Rect body, DemoIntents& out) {
  const Theme& th = f.theme();
  auto it = texts().find(f.lang());
  const char* title = it != texts().end() ? it->second.code_title : texts().at("de").code_title;
  text_wrapped(f, body.take_top(f.font_size(FontRole::title) * 1.3f, th.gap), title,
               FontRole::title, Align::left, std::nullopt, "demo.code_title", 1);
  entry_field(f, "demo.code_field", body.take_top(f.px(120), th.gap * 2), v.code, 8);
  Rect nav = body.take_bottom(th.touch_min, th.gap);
  out.back = touch_button(f, "demo.back", f.t("common.back"), nav.take_left(nav.w * 0.4f),
                          ButtonOptions{.kind = ButtonKind::secondary});
  out.code = v.code;
  const KeypadEvent ev = keypad(f, "demo.pad", body, KeypadLayout::alphanumeric, out.code, 8);
  out.code_changed = ev == KeypadEvent::changed;
  out.code_submitted = ev == KeypadEvent::submitted;
}

}  // namespace

DemoView make_demo_view(const std::string& lang, DemoPage page) {
  auto it = texts().find(lang);
  const Texts& t = it != texts().end() ? it->second : texts().at("de");
  DemoView v;
  v.page = page;
  v.office = "Bürgerbüro Görlitz";
  v.clock = "09:41";
  v.heading = t.heading;
  v.subheading = t.subheading;
  for (std::size_t i = 0; i < t.services.size(); ++i) {
    v.services.push_back({kServiceIds[i], t.services[i].first, t.services[i].second, kWaits[i]});
  }
  return v;
}

DemoIntents draw_demo_screen(Frame& f, const DemoView& v) {
  DemoIntents out;
  Rect screen = f.viewport();
  const bool portrait = screen.h >= screen.w;
  draw_header(f, v, screen.take_top(f.px(110)));
  if (v.connection_lost) {
    banner(f, "demo.banner", f.t("common.connection_lost"), screen.take_top(f.px(72)),
           Severity::warning, true);
  }
  Rect body = screen.inset(f.theme().margin, f.theme().margin * 0.75f);
  if (v.page == DemoPage::services) {
    draw_services(f, v, body, portrait, out);
  } else {
    draw_code(f, v, body, out);
  }
  return out;
}

}  // namespace wm::ui::demo
