// SDL/ImGui setup, event routing and the sleeping frame loop.
#include "ui/app.hpp"

#include <imgui.h>
#include <imgui_impl_sdl.h>
#include <imgui_impl_sdlrenderer.h>
#include <imgui_internal.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <ctime>
#include <chrono>
#include <cmath>
#include <cstdarg>
#include <cstdio>
#include <stdexcept>

#include "core/i18n/languages.hpp"
#include "ui/screenshot.hpp"

namespace wm::ui {

namespace {

constexpr double kAnimationFrame = 1.0 / 60.0;
constexpr int kIdleWaitMs = 1000;  // only to re-check the quit flag; no frame is drawn
// Without a native event wait: how often to look for input. Touch via evdev (KMSDRM) wants a
// short interval; drivers without any input (dummy, offscreen) only have SDL's signal events
// (SIGTERM -> SDL_QUIT) to look for.
constexpr int kInputPollMs = 10;
constexpr int kNoInputPollMs = 250;
constexpr float kDesignShortSide = 1080.f;

void log_imgui_error(void* user, const char* fmt, ...) {
  char buf[512];
  va_list ap;
  va_start(ap, fmt);
  std::vsnprintf(buf, sizeof buf, fmt, ap);
  va_end(ap);
  ++*static_cast<int*>(user);
  spdlog::error("ui: recovered ImGui stack error: {}", buf);
}

// Ends the root window even if the screen left windows, IDs or styles open: a missing
// End()/PopID() is logged and repaired instead of aborting the kiosk (IM_ASSERT is live).
void close_root(ImGuiWindow* root, int& errors) {
  ImGuiContext& g = *ImGui::GetCurrentContext();
  while (g.CurrentWindow && g.CurrentWindow != root && g.CurrentWindowStack.Size > 1) {
    log_imgui_error(&errors, "window '%s' left open", g.CurrentWindow->Name);
    ImGui::ErrorCheckEndWindowRecover(log_imgui_error, &errors);
    if (g.CurrentWindow->Flags & ImGuiWindowFlags_ChildWindow) {
      ImGui::EndChild();
    } else {
      ImGui::End();
    }
  }
  ImGui::ErrorCheckEndWindowRecover(log_imgui_error, &errors);
  ImGui::End();
  ImGui::ErrorCheckEndFrameRecover(log_imgui_error, &errors);
}

}  // namespace

App::App(AppConfig config) : config_(std::move(config)), settings_(config_.display) {
  if (config_.screenshot) {
    // Screenshots are headless unless the caller chose a video driver explicitly.
    SDL_setenv("SDL_VIDEODRIVER", "dummy", 0);
    // A one-shot screenshot renders on a fixed clock; periodic ones run on the real clock.
    if (config_.fixed_dt <= 0 && config_.screenshot_every <= 0) config_.fixed_dt = kAnimationFrame;
  }
  init_window();
  init_imgui();

  auto assets = find_assets_dir(config_.assets_dir);
  catalog_ = i18n::Catalog::load_dir(assets / "i18n", catalog_errors_);
  for (const auto& e : catalog_errors_) spdlog::error("i18n: {}", e.to_string());
  apply_settings();
}

App::~App() {
  ImGui_ImplSDLRenderer_Shutdown();
  ImGui_ImplSDL2_Shutdown();
  ImGui::DestroyContext();
  if (renderer_) SDL_DestroyRenderer(renderer_);
  if (window_) SDL_DestroyWindow(window_);
  SDL_Quit();
}

void App::init_window() {
  SDL_SetHint(SDL_HINT_RENDER_DRIVER, config_.render_driver.c_str());
  // With the software renderer under X11, an accelerated window framebuffer costs ~140 MB
  // and is slower.
  if (config_.render_driver == "software") SDL_SetHint(SDL_HINT_FRAMEBUFFER_ACCELERATION, "0");
  // SDL turns SIGINT/SIGTERM into SDL_QUIT: the loop then ends cleanly.
  if (SDL_Init(SDL_INIT_VIDEO | SDL_INIT_EVENTS) != 0) {
    throw std::runtime_error(std::string("SDL_Init failed: ") + SDL_GetError());
  }
  Uint32 flags = SDL_WINDOW_SHOWN;
  if (config_.fullscreen) {
    flags |= SDL_WINDOW_FULLSCREEN_DESKTOP;
  } else {
    flags |= SDL_WINDOW_RESIZABLE;
  }
  window_ = SDL_CreateWindow(config_.title.c_str(), SDL_WINDOWPOS_CENTERED,
                             SDL_WINDOWPOS_CENTERED, config_.width, config_.height, flags);
  if (!window_) {
    std::string why = SDL_GetError();
    SDL_Quit();
    throw std::runtime_error("cannot create window: " + why);
  }
  renderer_ = SDL_CreateRenderer(window_, -1, 0);
  if (!renderer_) {
    std::string why = SDL_GetError();
    SDL_DestroyWindow(window_);
    SDL_Quit();
    throw std::runtime_error("cannot create renderer '" + config_.render_driver + "': " + why);
  }
  SDL_RendererInfo info{};
  SDL_GetRendererInfo(renderer_, &info);
  const std::string driver = SDL_GetCurrentVideoDriver() ? SDL_GetCurrentVideoDriver() : "";
  native_wait_ = driver == "x11" || driver == "wayland" || driver == "windows" || driver == "cocoa";
  input_poll_ms_ = driver == "dummy" || driver == "offscreen" ? kNoInputPollMs : kInputPollMs;
  spdlog::info("ui: {} {}x{} on video driver '{}', renderer '{}'",
               config_.fullscreen ? "fullscreen" : "window", width(), height(),
               SDL_GetCurrentVideoDriver(), info.name ? info.name : "?");
  wake_event_ = SDL_RegisterEvents(1);
  if (config_.fullscreen || !config_.show_cursor) SDL_ShowCursor(SDL_DISABLE);
  start_ticks_ = SDL_GetPerformanceCounter();
}

void App::init_imgui() {
  IMGUI_CHECKVERSION();
  ImGui::CreateContext();
  ImGuiIO& io = ImGui::GetIO();
  io.IniFilename = nullptr;  // a public kiosk must not write imgui.ini into its cwd
  io.LogFilename = nullptr;
  // We hide or keep the cursor ourselves; the backend would re-show it every frame.
  io.ConfigFlags |= ImGuiConfigFlags_NoMouseCursorChange;
  // A blinking caret would need continuous frames; a steady one needs none.
  io.ConfigInputTextCursorBlink = false;
  ImGui_ImplSDL2_InitForSDLRenderer(window_);
  ImGui_ImplSDLRenderer_Init(renderer_);
}

int App::width() const {
  int w = 0, h = 0;
  SDL_GetWindowSize(window_, &w, &h);
  return w;
}

int App::height() const {
  int w = 0, h = 0;
  SDL_GetWindowSize(window_, &w, &h);
  return h;
}

double App::now() const {
  if (config_.fixed_dt > 0) return fixed_now_;
  return double(SDL_GetPerformanceCounter() - start_ticks_) / double(SDL_GetPerformanceFrequency());
}

void App::apply_settings() {
  if (!i18n::find_language(settings_.lang)) {
    spdlog::warn("ui: unknown language '{}', using German", settings_.lang);
    settings_.lang = std::string(i18n::kSourceLanguage);
  }
  const float scale = std::max(0.25f, float(std::min(width(), height())) / kDesignShortSide);
  const bool fonts_stale =
      !fonts_built_ || settings_.large_text != applied_.large_text || scale != font_scale_;
  if (fonts_built_ && !fonts_stale && settings_ == applied_) return;

  ImGuiIO& io = ImGui::GetIO();
  if (fonts_stale) {
    fonts_.build(*io.Fonts, config_.fonts, scale, settings_.large_text);
    io.FontDefault = fonts_.get(FontRole::body);
    if (fonts_built_) {
      // The backend made a texture from the old atlas; replace it.
      ImGui_ImplSDLRenderer_DestroyFontsTexture();
      ImGui_ImplSDLRenderer_CreateFontsTexture();
    }
    fonts_built_ = true;
    font_scale_ = scale;
  }
  theme_ = make_theme(settings_, scale);
  apply_to_imgui_style(theme_, ImGui::GetStyle());
  if (!tr_ || tr_->lang() != settings_.lang) {
    tr_ = std::make_unique<i18n::Translator>(catalog_, settings_.lang);
  }
  applied_ = settings_;
  owed_frames_ = std::max(owed_frames_, 1);
}

void App::request_redraw() {
  if (!wake_pending_.exchange(true)) {
    SDL_Event e{};
    e.type = wake_event_;
    SDL_PushEvent(&e);  // thread-safe, and wakes SDL_WaitEventTimeout
  }
  {
    std::lock_guard lock(wake_mutex_);
    ++wake_seq_;
  }
  wake_cv_.notify_all();  // wakes wait_without_native()
}

void App::post(std::function<void()> task) {
  {
    std::lock_guard lock(posted_mutex_);
    posted_.push_back(std::move(task));
  }
  wake_pending_.store(false);  // make sure this post's wake-up event is really sent
  request_redraw();
}

void App::request_quit() {
  quit_.store(true);
  request_redraw();
}

void App::run_posted() {
  std::vector<std::function<void()>> tasks;
  {
    std::lock_guard lock(posted_mutex_);
    tasks.swap(posted_);
  }
  for (auto& t : tasks) t();
}

void App::handle_event(const SDL_Event& e) {
  if (e.type == wake_event_) {
    owed_frames_ = std::max(owed_frames_, 1);
    return;
  }
  switch (e.type) {
    case SDL_QUIT:
      quit_.store(true);
      return;
    case SDL_WINDOWEVENT:
      if (e.window.event == SDL_WINDOWEVENT_CLOSE) quit_.store(true);
      if (e.window.event == SDL_WINDOWEVENT_EXPOSED ||
          e.window.event == SDL_WINDOWEVENT_SIZE_CHANGED ||
          e.window.event == SDL_WINDOWEVENT_RESTORED) {
        owed_frames_ = std::max(owed_frames_, 1);
      }
      break;
    default:
      break;
  }
  if (pointer_.handle_event(e, width(), height())) {
    // Two frames: one to deliver the input, one to show what the screen made of it.
    owed_frames_ = std::max(owed_frames_, 2);
    return;
  }
  if (ImGui_ImplSDL2_ProcessEvent(&e)) owed_frames_ = std::max(owed_frames_, 2);
}

bool App::wants_frame() const {
  if (owed_frames_ > 0 || pointer_.busy() || wake_pending_.load() || !(settings_ == applied_)) {
    return true;
  }
  const double t = now();
  if (t < schedule_.animate_until && t >= last_frame_time_ + kAnimationFrame * 0.9) return true;
  return schedule_.redraw_at > 0 && t >= schedule_.redraw_at;
}

int App::wait_timeout_ms() const {
  if (wants_frame()) return 0;
  const double t = now();
  double next = -1;
  if (t < schedule_.animate_until) next = last_frame_time_ + kAnimationFrame;
  if (schedule_.redraw_at > 0 && (next < 0 || schedule_.redraw_at < next)) next = schedule_.redraw_at;
  if (next < 0) return kIdleWaitMs;
  return std::clamp(int(std::ceil((next - t) * 1000.0)), 1, kIdleWaitMs);
}

void App::pump_events(int timeout_ms) {
  SDL_Event e;
  if (timeout_ms > 0) {
    if (native_wait_) {
      if (SDL_WaitEventTimeout(&e, timeout_ms)) handle_event(e);
    } else {
      wait_without_native(timeout_ms);
    }
  }
  while (SDL_PollEvent(&e)) handle_event(e);
}

// Sleeps until an SDL event is queued, another thread calls request_redraw(), or the timeout
// (the next animation or redraw deadline) passes; SDL is pumped every input_poll_ms_ only.
void App::wait_without_native(int timeout_ms) {
  using Clock = std::chrono::steady_clock;
  const auto until = Clock::now() + std::chrono::milliseconds(timeout_ms);
  std::unique_lock lock(wake_mutex_);
  const std::uint64_t seen = wake_seq_;
  while (true) {
    lock.unlock();
    SDL_PumpEvents();
    const bool queued = SDL_HasEvents(SDL_FIRSTEVENT, SDL_LASTEVENT) == SDL_TRUE;
    lock.lock();
    if (queued || wake_seq_ != seen || quit_.load()) return;
    const auto now = Clock::now();
    if (now >= until) return;
    const auto next = std::min(until, now + std::chrono::milliseconds(input_poll_ms_));
    if (wake_cv_.wait_until(lock, next, [&] { return wake_seq_ != seen; })) return;
  }
}

void App::render(const DrawFn& draw) {
  wake_pending_.store(false);
  run_posted();
  apply_settings();

  const double t = now();
  const double dt = config_.fixed_dt > 0 ? config_.fixed_dt
                    : last_frame_time_ < 0 ? kAnimationFrame
                                           : std::max(1e-4, t - last_frame_time_);
  ImGui_ImplSDLRenderer_NewFrame();
  ImGui_ImplSDL2_NewFrame();
  ImGuiIO& io = ImGui::GetIO();
  io.DeltaTime = float(dt);
  // Our pointer replaces the backend's SDL_GetMouseState() sample (see pointer.hpp).
  const PointerState p = pointer_.next_frame();
  io.MousePos = p.pos;
  io.MouseDown[0] = p.down;
  for (int b = 1; b < 5; ++b) io.MouseDown[b] = false;
  ImGui::NewFrame();
  widgets_.begin_frame();
  schedule_.redraw_at = 0;  // screens re-declare their timers every frame

  const Rect viewport{0, 0, io.DisplaySize.x, io.DisplaySize.y};
  ImGui::SetNextWindowPos(ImVec2(0, 0));
  ImGui::SetNextWindowSize(io.DisplaySize);
  ImGui::Begin("##wm_root", nullptr,
               ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove |
                   ImGuiWindowFlags_NoSavedSettings | ImGuiWindowFlags_NoBringToFrontOnFocus |
                   ImGuiWindowFlags_NoScrollWithMouse);
  ImGuiWindow* root = ImGui::GetCurrentWindow();
  Frame frame(theme_, fonts_, widgets_, *tr_, settings_, viewport, t, dt, schedule_);
  try {
    draw(frame);
  } catch (...) {
    // Leave ImGui in a sane state so the app can show an error screen next frame.
    close_root(root, ui_errors_);
    ImGui::EndFrame();
    widgets_.end_frame();
    throw;
  }
  close_root(root, ui_errors_);
  ImGui::Render();
  widgets_.end_frame();

  const ImVec4 bg = ImGui::ColorConvertU32ToFloat4(theme_.c.background);
  SDL_SetRenderDrawColor(renderer_, Uint8(bg.x * 255), Uint8(bg.y * 255), Uint8(bg.z * 255), 255);
  SDL_RenderClear(renderer_);
  ImGui_ImplSDLRenderer_RenderDrawData(ImGui::GetDrawData());
  SDL_RenderPresent(renderer_);

  ++frames_;
  last_frame_time_ = t;
  if (config_.fixed_dt > 0) fixed_now_ += config_.fixed_dt;
  owed_frames_ = std::max(0, owed_frames_ - 1);
}

void App::step(const DrawFn& draw) {
  pump_events(0);
  render(draw);
}

int App::run(const DrawFn& draw) {
  const bool periodic = config_.screenshot && config_.screenshot_every > 0;
  if (config_.screenshot && !periodic) {
    // Frames after the first two (fonts, first layout, connection) are timed, wall and this
    // thread's CPU, so `wartemarke bench` reads the cost of one frame from the log.
    constexpr int kWarmup = 2;
    double wall = 0, cpu = 0;
    int timed = 0;
    for (int i = 0; i < config_.frames && !quit_.load(); ++i) {
      const auto w0 = std::chrono::steady_clock::now();
      const double c0 = thread_cpu_seconds();
      step(draw);
      if (i < kWarmup) continue;
      cpu += thread_cpu_seconds() - c0;
      wall += std::chrono::duration<double>(std::chrono::steady_clock::now() - w0).count();
      ++timed;
    }
    if (timed > 0)
      spdlog::info("ui: frame time {:.3f} ms wall, {:.3f} ms cpu (mean of {} frames at {}x{})",
                   1000 * wall / timed, 1000 * cpu / timed, timed, width(), height());
    if (!save_png(*config_.screenshot)) return 1;
    spdlog::info("ui: screenshot written to {}", config_.screenshot->string());
    return 0;
  }
  double next_shot = now() + std::min(3.0, config_.screenshot_every);  // first once connected
  while (!quit_.load()) {
    int wait = wait_timeout_ms();
    if (periodic) wait = std::clamp(int(std::ceil((next_shot - now()) * 1000.0)), 0, wait);
    pump_events(wait);
    if (quit_.load()) break;
    const bool shot_due = periodic && now() >= next_shot;
    if (wants_frame() || shot_due) render(draw);
    if (shot_due) {
      save_png(periodic_screenshot_path(*config_.screenshot));
      next_shot = now() + config_.screenshot_every;
    }
  }
  return 0;
}

double thread_cpu_seconds() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) / 1e9;
}

std::filesystem::path periodic_screenshot_path(const std::filesystem::path& base) {
  std::time_t t = std::time(nullptr);
  char stamp[16];
  std::strftime(stamp, sizeof stamp, "%H%M%S", std::localtime(&t));
  auto name = base.stem().string() + "-" + stamp + base.extension().string();
  return base.parent_path() / name;
}

bool App::save_png(const std::filesystem::path& file) {
  ImDrawData* dd = ImGui::GetDrawData();
  if (!dd || !dd->Valid) {
    spdlog::error("ui: no frame rendered yet, cannot save {}", file.string());
    return false;
  }
  // Re-render the last frame: after SDL_RenderPresent the back buffer is undefined on
  // accelerated renderers, so reading it would be luck.
  const ImVec4 bg = ImGui::ColorConvertU32ToFloat4(theme_.c.background);
  SDL_SetRenderDrawColor(renderer_, Uint8(bg.x * 255), Uint8(bg.y * 255), Uint8(bg.z * 255), 255);
  SDL_RenderClear(renderer_);
  ImGui_ImplSDLRenderer_RenderDrawData(dd);
  std::string error;
  if (!write_renderer_png(renderer_, file, &error)) {
    spdlog::error("ui: {}", error);
    return false;
  }
  return true;
}

}  // namespace wm::ui
