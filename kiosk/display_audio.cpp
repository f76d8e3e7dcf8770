// Gong, espeak-ng synthesis to buffers, SDL playback and the announcement queue.
#include "kiosk/display_audio.hpp"

#include <SDL.h>
#include <espeak-ng/speak_lib.h>
#include <spdlog/spdlog.h>

#include <chrono>
#include <cmath>

namespace wm::kiosk {

namespace {

// espeak-ng keeps global state: one synthesis at a time, and its callback appends here.
std::mutex g_espeak_mu;
std::vector<std::int16_t>* g_target = nullptr;

int on_synth(short* wav, int count, espeak_EVENT*) {
  if (wav && count > 0 && g_target) g_target->insert(g_target->end(), wav, wav + count);
  return 0;  // continue
}

}  // namespace

EspeakSynth::EspeakSynth() {
  std::lock_guard lock(g_espeak_mu);
  static int rate = espeak_Initialize(AUDIO_OUTPUT_SYNCHRONOUS, 500, nullptr, 0);
  rate_ = rate > 0 ? rate : 0;
  if (!rate_) spdlog::error("display: espeak-ng did not initialise; announcements stay silent");
  else espeak_SetSynthCallback(on_synth);
}

AudioClip EspeakSynth::speak(const std::string& text, const std::string& lang) {
  AudioClip clip;
  clip.rate = rate_ ? rate_ : 22050;
  clip.label = text;
  if (!rate_) return clip;
  std::lock_guard lock(g_espeak_mu);
  if (espeak_SetVoiceByName(lang.c_str()) != EE_OK) {
    spdlog::warn("display: no espeak-ng voice for '{}'", lang);
    return clip;
  }
  espeak_SetParameter(espeakRATE, 150, 0);  // a little slower than default: a waiting room echoes
  g_target = &clip.samples;
  espeak_Synth(text.c_str(), text.size() + 1, 0, POS_CHARACTER, 0, espeakCHARS_UTF8, nullptr,
               nullptr);
  espeak_Synchronize();
  g_target = nullptr;
  return clip;
}

AudioClip make_gong(int rate) {
  AudioClip clip;
  clip.rate = rate;
  clip.label = "gong";
  const double tones[2] = {659.25, 523.25};
  for (double f : tones) {
    const int n = rate * 7 / 10;
    for (int i = 0; i < n; ++i) {
      double t = double(i) / rate;
      double env = std::exp(-3.0 * t) * std::min(1.0, t * 200);
      double s = env * (0.6 * std::sin(2 * M_PI * f * t) + 0.2 * std::sin(4 * M_PI * f * t));
      clip.samples.push_back(static_cast<std::int16_t>(s * 12000));
    }
  }
  clip.samples.insert(clip.samples.end(), rate / 4, 0);  // a breath before speech
  return clip;
}

SdlAudioSink::SdlAudioSink() {
  if (!(SDL_WasInit(SDL_INIT_AUDIO) & SDL_INIT_AUDIO) && SDL_InitSubSystem(SDL_INIT_AUDIO) != 0)
    spdlog::warn("display: no audio ({}); announcements are silent", SDL_GetError());
}

SdlAudioSink::~SdlAudioSink() {
  if (device_) SDL_CloseAudioDevice(device_);
}

void SdlAudioSink::play(const AudioClip& clip) {
  if (clip.samples.empty()) return;
  if (!device_ || rate_ != clip.rate) {
    if (device_) SDL_CloseAudioDevice(device_);
    SDL_AudioSpec want{}, have{};
    want.freq = clip.rate;
    want.format = AUDIO_S16SYS;
    want.channels = 1;
    want.samples = 2048;
    device_ = SDL_OpenAudioDevice(nullptr, 0, &want, &have, 0);
    rate_ = clip.rate;
    if (!device_) {
      spdlog::warn("display: cannot open audio device: {}", SDL_GetError());
      return;
    }
    SDL_PauseAudioDevice(device_, 0);
  }
  SDL_QueueAudio(device_, clip.samples.data(),
                 static_cast<Uint32>(clip.samples.size() * sizeof(std::int16_t)));
  // Wait for the clip to finish (plus a margin), never longer than its duration + 2 s.
  const auto limit = std::chrono::steady_clock::now() +
                     std::chrono::milliseconds(clip.samples.size() * 1000 / clip.rate + 2000);
  while (SDL_GetQueuedAudioSize(device_) > 0 && std::chrono::steady_clock::now() < limit)
    SDL_Delay(10);
}

Announcer::Announcer(std::unique_ptr<SpeechSynth> synth, std::unique_ptr<AudioSink> sink)
    : synth_(std::move(synth)), sink_(std::move(sink)), worker_([this] { loop(); }) {}

Announcer::~Announcer() {
  {
    std::lock_guard lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  worker_.join();
}

void Announcer::enqueue(SpokenCall call) {
  {
    std::lock_guard lock(mu_);
    queue_.push_back(std::move(call));
  }
  cv_.notify_all();
}

void Announcer::drain() {
  std::unique_lock lock(mu_);
  cv_.wait(lock, [&] { return stop_ || (queue_.empty() && !busy_); });
}

std::size_t Announcer::announced() const {
  std::lock_guard lock(mu_);
  return announced_;
}

void Announcer::loop() {
  const AudioClip gong = make_gong();
  for (;;) {
    SpokenCall call;
    {
      std::unique_lock lock(mu_);
      cv_.wait(lock, [&] { return stop_ || !queue_.empty(); });
      if (stop_) return;
      call = std::move(queue_.front());
      queue_.pop_front();
      busy_ = true;
    }
    sink_->play(gong);
    for (const auto& [lang, text] : call.texts) sink_->play(synth_->speak(text, lang));
    {
      std::lock_guard lock(mu_);
      busy_ = false;
      ++announced_;
    }
    cv_.notify_all();
  }
}

}  // namespace wm::kiosk
