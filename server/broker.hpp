// The central broker: one reactor thread owns the state, journals, then replies and publishes.
#pragma once

#include <algorithm>
#include <atomic>
#include <deque>
#include <map>
#include <functional>
#include <memory>
#include <string>
#include <unordered_map>
#include <zmq.hpp>

#include "core/clock.hpp"
#include "core/permissions.hpp"
#include "core/stats.hpp"
#include "core/visibility.hpp"
#include "core/state.hpp"
#include "server/login_lockout.hpp"
#include "server/pin_verifier.hpp"
#include "server/stats_worker.hpp"
#include "server/key_connections.hpp"
#include "server/rate_limit.hpp"
#include "server/store.hpp"
#include "server/handshake_monitor.hpp"
#include "server/zap.hpp"

namespace wm::server {

struct BrokerOptions {
  std::string command_endpoint = "tcp://127.0.0.1:5570";
  std::string event_endpoint = "tcp://127.0.0.1:5571";
  std::string data_dir = "wartemarke-data";
  core::Clock clock;
  int max_batch = 512;                       // requests per group commit
  int batch_budget_us = 1000;                // ... and reactor time spent deciding them
  core::Millis dedup_window_ms = 3600'000;   // how long a retry gets the first answer
  core::Millis client_expiry_ms = 5000;      // forget clients silent this long
  bool curve = false;        // CURVE + ZAP on both sockets; false = plain (local demo only)
  // Plain only: what every peer is (security.plain_role); nullopt = every request refused.
  // bind() refuses plain transport on anything but loopback/ipc endpoints.
  std::optional<core::Principal> plain_peer;
  std::string keys_dir;      // server key and device registry; empty = <data_dir>/keys
  std::uint64_t checkpoint_every = 100000;   // events between state checkpoints; 0 = never
  double rate_limit = 200;   // requests per second per connection ([security]); 0 = no limit
  double rate_burst = 400;
  // The most one device key's connections may make the broker hold, in MiB ([security]
  // memory_budget_mb), shared by its at most connections_per_key connections (CURVE; plain:
  // one connection's share). Of each connection's share, half for requests received and not
  // yet read by the reactor (RCVHWM = that / the largest frame accepted), half for its replies
  // not yet sent (SNDHWM = that / 1 KiB, a typical reply with ZeroMQ's overhead; at most 100,000).
  int memory_budget_mb = 32;
  // Connections one device key may hold on the command socket at once ([security]
  // connections_per_key); one more is closed at its first request. 0 = no cap.
  int connections_per_key = 4;
  int login_attempts = 5;    // wrong PINs before a staff login is locked; 0 = never
  int lockout_minutes = 15;
  // staff.login PIN verifies (Argon2id, ~0.1 s each) waiting or running on the verifier thread;
  // more logins at once are answered `unavailable` (busy) instead of queueing without bound.
  std::size_t login_queue = 16;
  // Called by the reactor thread about once a second while it is healthy (systemd watchdog):
  // a reactor stuck in a commit or a loop stops calling it, and systemd restarts the broker.
  std::function<void()> on_alive;
  // After a checkpoint: hand freed pages back to the system (its JSON is a transient peak of
  // several times the state). Default: glibc's malloc_trim; wartemarke-server built with
  // jemalloc purges its arenas instead.
  std::function<void()> release_memory;
};

// The state a broker starts from: the newest usable checkpoint and the journal after it, or
// (from_checkpoint = false) the whole journal from its first event. Throws what the store or
// State::apply throws on a journal it cannot read. Used at start and by `wartemarke restore`.
struct RecoveredState {
  std::unique_ptr<core::State> state;
  std::uint64_t checkpoint_seq = 0;  // the checkpoint it started from; 0 = none
  std::uint64_t events = 0;          // events replayed after it
};
RecoveredState recover_state(Store& store, std::shared_ptr<const core::Region> region,
                             bool from_checkpoint = true);

struct ClientInfo {
  std::string kind;
  std::string name;
  std::string office;
  core::Millis last_seen = 0;
};

class Broker {
 public:
  Broker(std::shared_ptr<const core::Region> region, BrokerOptions options);
  ~Broker();

  // Binds the sockets; throws zmq::error_t or StoreError with a clear message.
  void bind();
  // Runs until stop() (thread-safe, signal-safe) is called.
  void run();
  void stop() { stop_.store(true); }

  const core::State& state() const { return *state_; }
  double recovery_seconds() const { return recovery_seconds_; }
  std::uint64_t recovered_events() const { return recovered_events_; }
  // Keys for a client inside this process (the HTTP side) after bind(): a fresh pair known
  // only to this broker's ZAP handler, acting as `who`. nullopt on a plain-transport broker.
  std::optional<core::CurveKeys> internal_client_keys(core::Principal who);

 private:
  struct Pending {
    zmq::message_t identity;
    bool delimiter = false;
    std::string reply;
  };

  void recover();
  void handle_batch();
  std::string handle_request(std::string_view frame, Batch& batch, std::vector<core::Event>& published);
  void send_reply(Pending& p);
  // The part of handle_request after the server's own handlers: decide, apply, remember.
  std::string decide_and_apply(core::Request& req, const core::Principal& who, const std::string& key,
                               std::uint64_t fingerprint, core::json extra, Batch& batch);
  // staff.login, first half (locks, then the verify handed to verifier_): a reply now, or
  // nullopt with deferred_job_ set (the reply follows with the verdict).
  std::optional<std::string> start_login(const core::Request& req, const core::Principal& who,
                                         const std::string& key, std::uint64_t fingerprint,
                                         core::Millis now);
  // Verdicts that arrived: each login's second half, its answer queued for every peer that
  // sent it (the request and its retries while it was verified).
  void finish_logins(Batch& batch, std::vector<Pending>& pending);
  // `journaled_body`: the event's body as the store wrote it, if at hand. Strips private
  // fields from `e` in place: call it last, on an event already journaled and applied.
  void publish(core::Event& e, const std::string* journaled_body = nullptr);
  void heartbeat();
  void expire_clients();
  // Connections per device key: false = drop this request unanswered (its connection is one
  // too many for its key and is being closed).
  bool admit_connection(const std::string& key, const zmq::message_t& last_frame);
  // Writes the audit lines a decision needs before it is applied (a call out of order, a
  // counter moved to other services); false = the log cannot be written (refuse it).
  bool audit_decision(const core::Principal& who, const std::vector<core::Event>& events);
  std::string key_name(const std::string& key);  // for the log: the device's name
  // `key`: retry_key(sender, request id); `fingerprint`: request_fingerprint of its frame.
  void remember_reply(const std::string& key, const std::string& reply, std::uint64_t fingerprint,
                      std::int64_t row = 0);
  std::optional<core::Principal> sender();
  void purge_personal();  // retention (policy.retention_hours, 0 = end of day)
  // A sealed free text (case notes, questions, park reasons) by its key, while it is kept.
  std::optional<std::string> read_sealed(const std::string& key);
  // Presence of stations (client.online/offline events) and day statistics: broker_stats.cpp.
  void note_presence(const ClientInfo& client, Batch& batch, std::vector<core::Event>& published);
  void expire_presence(const std::vector<ClientInfo>& gone);
  // End of day: journals day.closed for every office whose day is due (core/day_close.hpp).
  void close_due_days();
  void add_event(core::Event e, Batch& batch, std::vector<core::Event>& published);
  // Today's figures now; a past day's from past_stats_ or, the first time, from stats_worker_:
  // then it returns nullopt and the answer follows (finish_stats).
  std::optional<std::string> handle_stats(const core::Request& req, const core::Principal& who,
                                          const core::Viewer& viewer);
  // Replays that finished: cached, and every request that waited for the day answered.
  void finish_stats();
  // Finished days never change: their replayed statistics (all offices) by day, bounded.
  std::map<std::string, core::DayStats> past_stats_;
  // Requests waiting for a past day's replay, by day (at most kMaxReplays days at once).
  struct StatsWaiter {
    std::string identity;
    bool delimiter = false;
    std::string id, office;
    core::Principal who;
    core::Viewer viewer;
  };
  static constexpr std::size_t kMaxReplays = 4;
  std::map<std::string, std::vector<StatsWaiter>> stats_waiting_;
  bool current_delimiter_ = false;  // of the request being handled (for answers that follow)
  bool answer_later_ = false;       // set by handle_request: the answer follows, not now

  std::shared_ptr<const core::Region> region_;
  BrokerOptions options_;
  std::unique_ptr<Store> store_;
  std::unique_ptr<core::State> state_;
  zmq::context_t context_{1};
  std::shared_ptr<LiveRegistry> registry_;
  std::string server_public_;  // CURVE only
  std::unique_ptr<ZapHandler> zap_;  // after context_: it closes its socket first
  std::vector<std::unique_ptr<HandshakeMonitor>> monitors_;  // CURVE: refused handshakes
  zmq::socket_t router_;
  zmq::socket_t pub_;
  std::unique_ptr<PinVerifier> verifier_;  // after context_ (its sockets close first)
  std::unique_ptr<StatsWorker> stats_worker_;  // after context_, as verifier_
  // LDAP binds for auth = "ldap" staff ([security.ldap]), on a thread of their own: a slow or
  // dead directory (up to timeout_s per bind) holds up neither the reactor nor local PINs.
  std::unique_ptr<PinVerifier> directory_;
  std::atomic<bool> stop_{false};
  RateLimiter limiter_;  // per ROUTER identity, checked before a request is decided
  KeyConnections connections_;  // per device key (CURVE), checked before the rate limit
  std::vector<int> gone_fds_;   // reused: descriptors the command socket's monitor saw go
  LoginGuards lockout_;  // wrong staff PINs per login and per station
  // Logins whose PIN is being verified, by verifier job; and the job by retry key, so a retry
  // while it is verified waits for the same verdict instead of verifying (and counting) twice.
  struct PendingLogin {
    core::Request req;
    core::Principal who;
    std::string key;
    std::uint64_t fingerprint = 0;
    std::vector<std::pair<std::string, bool>> peers;  // ROUTER identity, delimiter
  };
  std::unordered_map<std::uint64_t, PendingLogin> logins_;
  std::unordered_map<std::string, std::uint64_t> login_jobs_;
  std::uint64_t next_login_job_ = 0;
  std::optional<std::uint64_t> deferred_job_;  // set by handle_request: answer later
  // (sender, request id) -> its reply: the frame while its batch is being committed, then
  // only the journal row it was written to (a retry reads it back from there). The request's
  // fingerprint tells a retry from another request that reuses the id.
  struct KnownReply {
    std::string frame;
    std::int64_t row = 0;
    std::uint64_t fingerprint = 0;  // 0: unknown (kept before journal schema 3)
  };
  std::unordered_map<std::string, KnownReply> replies_;
  std::deque<std::pair<core::Millis, std::string>> reply_order_;
  std::unordered_map<std::string, ClientInfo> clients_;  // by ROUTER identity
  std::vector<Pending> pending_;            // handle_batch's, kept for their capacity
  std::vector<core::Event> published_;
  std::vector<core::Event> spare_events_;
  std::vector<KeptReply> spare_replies_;
  std::string current_identity_;
  std::string current_user_;  // ZAP user id (Z85 key) of the request being handled
  core::Millis last_heartbeat_ = 0;
  core::Millis started_at_ = 0;  // real time run() began, for presence after a restart
  double commit_ms_ = 0;  // duration of the last group commit, for /metrics
  // The longest reactor iteration (the work after one poll: a batch, its commit, the periodic
  // chores), wall and thread CPU time, over the last 10-20 s: any stall here is a stall for
  // every office. Reported with ping/hello (`stall_ms`, `stall_cpu_ms`) and on /metrics.
  struct StallWindow {
    double start_s = 0, wall_ms = 0, cpu_ms = 0, prev_wall_ms = 0, prev_cpu_ms = 0;
    void note(double now_s, double wall, double cpu);
    double wall() const { return std::max(wall_ms, prev_wall_ms); }
    double cpu() const { return std::max(cpu_ms, prev_cpu_ms); }
  } stall_;
  double recovery_seconds_ = 0;
  std::uint64_t checkpoint_seq_ = 0;  // seq of the newest stored checkpoint
  std::uint64_t recovered_events_ = 0;
};

}  // namespace wm::server
