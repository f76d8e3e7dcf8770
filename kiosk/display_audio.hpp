// Display sound: a gong and offline speech (espeak-ng) rendered to PCM buffers, played one
// after the other by a worker thread so announcements queue and never cut each other off.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace wm::kiosk {

struct AudioClip {
  std::vector<std::int16_t> samples;  // mono
  int rate = 22050;
  std::string label;                  // "gong" or the spoken text, for tests and logs
};

// Text to speech into a buffer. Behind an interface so tests can count what was spoken.
class SpeechSynth {
 public:
  virtual ~SpeechSynth() = default;
  // Empty clip if the language has no voice or synthesis failed (logged).
  virtual AudioClip speak(const std::string& text, const std::string& lang) = 0;
};

// espeak-ng in synchronous mode: synthesis lands in our callback, never on a sound card.
class EspeakSynth : public SpeechSynth {
 public:
  EspeakSynth();
  AudioClip speak(const std::string& text, const std::string& lang) override;
  bool ok() const { return rate_ > 0; }

 private:
  int rate_ = 0;
};

// Where finished clips go. play() returns when the clip has been played (so the next one
// never starts early).
class AudioSink {
 public:
  virtual ~AudioSink() = default;
  virtual void play(const AudioClip& clip) = 0;
};

// SDL audio output (SDL_AUDIODRIVER=dummy in tests). Opens the device lazily per rate.
class SdlAudioSink : public AudioSink {
 public:
  SdlAudioSink();
  ~SdlAudioSink() override;
  void play(const AudioClip& clip) override;

 private:
  std::uint32_t device_ = 0;
  int rate_ = 0;
};

// A two-tone gong (E5 then C5 with decay), synthesized so no sound file has to ship.
AudioClip make_gong(int rate = 22050);

struct SpokenCall {
  std::vector<std::pair<std::string, std::string>> texts;  // (language, text), German first
};

// Queue of calls to speak; a worker renders gong + texts and plays them in order.
class Announcer {
 public:
  Announcer(std::unique_ptr<SpeechSynth> synth, std::unique_ptr<AudioSink> sink);
  ~Announcer();
  void enqueue(SpokenCall call);
  // Blocks until everything queued has been played (tests, shutdown).
  void drain();
  std::size_t announced() const;

 private:
  void loop();
  std::unique_ptr<SpeechSynth> synth_;
  std::unique_ptr<AudioSink> sink_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::deque<SpokenCall> queue_;
  bool busy_ = false;
  bool stop_ = false;
  std::size_t announced_ = 0;
  std::thread worker_;
};

}  // namespace wm::kiosk
