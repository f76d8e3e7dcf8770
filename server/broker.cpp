// Reactor: drain the ROUTER, decide and apply in order, group-commit, then reply and publish.
#include "server/broker.hpp"

#include <malloc.h>
#include <unistd.h>
#include <sys/socket.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>
#include <ctime>

#include "core/commands.hpp"
#include "core/protocol.hpp"
#include "core/request_checks.hpp"
#include "core/visibility.hpp"
#include "server/audit.hpp"
#include "server/ldap_auth.hpp"
#include "server/staff_requests.hpp"
#include "server/transport_policy.hpp"

namespace wm::server {

using core::json;

namespace {

constexpr int kHighWaterMark = 100000;
// The largest frame the ROUTER takes: a request up to the protocol's limit, and a little more
// so that a slightly oversized one is answered `too_large` rather than cut off. Larger frames
// make ZeroMQ drop the connection (ZMQ_MAXMSGSIZE) before they are queued.
constexpr std::size_t kMaxFrameBytes = core::kMaxRequestBytes + 4096;

// The request id of a refused frame, for the client to match its answer, without the full
// parse for a large one: a flooder's 64 KiB frames cost a JSON parse each (~0.3 ms), slower
// than they arrive. Small frames (all real requests) are decoded as usual; in a large one the
// last "id":"..." is taken (encoders write "id" after "body"); a wrong guess only costs its
// sender the match.
std::string refused_request_id(std::string_view frame) {
  if (frame.size() <= 4096) {
    auto decoded = core::decode_request(frame);
    auto* req = std::get_if<core::Request>(&decoded);
    return req ? req->id : std::string{};
  }
  static constexpr std::string_view kKey = R"("id":")";
  auto at = frame.rfind(kKey);
  if (at == std::string_view::npos) return {};
  auto rest = frame.substr(at + kKey.size(), 200);
  auto end = rest.find('"');
  if (end == std::string_view::npos || rest.substr(0, end).find('\\') != std::string_view::npos) return {};
  return std::string(rest.substr(0, end));
}

double mono_seconds() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

// CPU time of the calling thread: unlike wall time it does not grow when the machine is busy
// with other processes, so it shows what the reactor itself spent.
double thread_cpu_ms() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

// A ROUTER identity for the log (binary, 5 bytes by default).
std::string hex_id(const std::string& id) {
  static const char* digits = "0123456789abcdef";
  std::string out;
  for (unsigned char c : id.substr(0, 8)) {
    out += digits[c >> 4];
    out += digits[c & 15];
  }
  return out;
}

// Retries are per sender: the same id from another device is another request.
std::string retry_key(const std::string& principal, const std::string& id) {
  std::string key;
  key.reserve(principal.size() + id.size() + 1);
  key += principal;
  key += '\n';  // neither a key name nor a request id holds a newline that matters here
  key += id;
  return key;
}

// FNV-1a over the request frame: stable across restarts (it is journaled), cheap on the hot
// path. A retry repeats its frame unchanged (BrokerClient resends the same bytes); 0 is
// reserved for "unknown".
std::uint64_t request_fingerprint(std::string_view frame) {
  std::uint64_t h = 14695981039346656037ull;
  for (unsigned char c : frame) {
    h ^= c;
    h *= 1099511628211ull;
  }
  return h ? h : 1;
}

}  // namespace

Broker::Broker(std::shared_ptr<const core::Region> region, BrokerOptions options)
    : region_(std::move(region)), options_(std::move(options)),
      limiter_(options_.rate_limit, options_.rate_burst),
      connections_(options_.curve ? options_.connections_per_key : 0),
      lockout_(options_.login_attempts, options_.lockout_minutes,
               options_.data_dir + "/login-lockouts.json") {
  store_ = std::make_unique<Store>(options_.data_dir);
  audit_open(options_.data_dir, options_.keys_dir);
  recover();
}

Broker::~Broker() {
  router_.close();
  pub_.close();
}

RecoveredState recover_state(Store& store, std::shared_ptr<const core::Region> region,
                             bool from_checkpoint) {
  RecoveredState out;
  out.state = std::make_unique<core::State>(region);
  // Start from the newest checkpoint (1M events replay in seconds; a checkpoint in ~0.1 s).
  if (auto cp = from_checkpoint ? store.latest_checkpoint() : std::nullopt) {
    try {
      out.state->load_snapshot(core::json::parse(cp->second));
      out.checkpoint_seq = cp->first;
    } catch (const std::exception& e) {
      spdlog::warn("checkpoint at seq {} unusable ({}), replaying the whole journal", cp->first,
                   e.what());
      out.state = std::make_unique<core::State>(region);
    }
  }
  store.for_each_event(out.checkpoint_seq, [&](core::Event&& e) {
    out.state->apply(e);
    ++out.events;
  });
  return out;
}

void Broker::recover() {
  auto start = std::chrono::steady_clock::now();
  RecoveredState recovered = recover_state(*store_, region_);
  checkpoint_seq_ = recovered.checkpoint_seq;
  std::uint64_t n = recovered.events;
  state_ = std::move(recovered.state);
  replies_.clear();
  reply_order_.clear();
  core::Millis since = options_.clock.now() - options_.dedup_window_ms;
  // Only the ids: a retry of a committed request reads its reply back from the journal.
  // Replies journaled before schema 3 name no sender: on plain transport every sender is
  // "local"; under CURVE they cannot be matched to a key and answer no retry.
  int unowned = 0;
  for (auto& r : store_->replies_since(since)) {
    if (r.principal.empty()) {
      if (options_.curve) {
        ++unowned;
        continue;
      }
      r.principal = "local";
    }
    remember_reply(retry_key(r.principal, r.id), std::string(), r.fingerprint, r.row);
  }
  if (unowned)
    spdlog::warn("{} replies journaled before the upgrade name no sender; their retries are decided afresh",
                 unowned);
  recovered_events_ = n;
  recovery_seconds_ =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  spdlog::info("recovered {} events (seq {}) in {:.3f} s", n, state_->seq(), recovery_seconds_);
}

std::optional<core::CurveKeys> Broker::internal_client_keys(core::Principal who) {
  if (!options_.curve || !registry_) return std::nullopt;
  core::CurveKeys keys{server_public_, core::generate_key_pair()};
  registry_->add_internal(keys.device.public_key, std::move(who));
  return keys;
}

void Broker::bind() {
  std::string server_secret;
  if (!options_.curve)
    for (const auto* endpoint : {&options_.command_endpoint, &options_.event_endpoint})
      if (auto why = plain_endpoint_problem(*endpoint)) throw std::runtime_error(*why);
  if (options_.curve) {
    std::string keys = options_.keys_dir.empty() ? options_.data_dir + "/keys" : options_.keys_dir;
    auto server_keys = load_or_create_server_keys(keys);
    server_secret = server_keys.secret_key;
    server_public_ = server_keys.public_key;
    registry_ = std::make_shared<LiveRegistry>(KeyRegistry::file_in(keys));
    zap_ = std::make_unique<ZapHandler>(context_, registry_);  // must exist before the binds
  }
  auto secure = [&](zmq::socket_t& s, const char* domain) {
    if (!options_.curve) return;
    s.set(zmq::sockopt::curve_server, 1);
    s.set(zmq::sockopt::curve_secretkey, server_secret);
    s.set(zmq::sockopt::zap_domain, domain);
  };
  router_ = zmq::socket_t(context_, zmq::socket_type::router);
  secure(router_, ZapHandler::kCommandDomain);
  router_.set(zmq::sockopt::router_mandatory, 1);
  // No handover: a routing id stays with the connection (and so the CURVE key) that has it.
  // With handover a peer presenting another's routing id took over that peer's replies; our
  // clients never set one (the ROUTER generates it), so a reconnect simply gets a new id.
  router_.set(zmq::sockopt::router_handover, 0);
  // Per connection (ZeroMQ's high-water marks are per peer), a share of the key's budget:
  // what a flooding key can make the broker hold is bounded by memory_budget_mb, not by
  // 100,000 frames x the frame limit (1.9 GB in 20 s from one kiosk key, issue 15), nor by
  // opening more connections (connections_per_key). A full receive queue makes ZeroMQ stop
  // reading that connection (TCP pushes back on the sender); nothing is dropped.
  const int shares = connections_.cap() > 0 ? connections_.cap() : 1;
  const std::size_t half_budget =
      (static_cast<std::size_t>(std::max(1, options_.memory_budget_mb)) << 19) / shares;
  const int rcvhwm = static_cast<int>(std::max<std::size_t>(16, half_budget / kMaxFrameBytes));
  const int sndhwm = static_cast<int>(std::clamp<std::size_t>(half_budget / 1024, 1000, kHighWaterMark));
  router_.set(zmq::sockopt::sndhwm, sndhwm);
  router_.set(zmq::sockopt::rcvhwm, rcvhwm);
  router_.set(zmq::sockopt::backlog, 1024);
  router_.set(zmq::sockopt::linger, 0);
  router_.set(zmq::sockopt::maxmsgsize, static_cast<int64_t>(kMaxFrameBytes));
  if (connections_.cap() > 0)
    spdlog::info("per device key: at most {} connections ({} MiB budget); per connection: at most "
                 "{} requests ({} KiB each) queued in, {} replies out",
                 connections_.cap(), options_.memory_budget_mb, rcvhwm, kMaxFrameBytes / 1024, sndhwm);
  else
    spdlog::info("per connection: at most {} requests ({} KiB each) queued in, {} replies out ({} MiB budget)",
                 rcvhwm, kMaxFrameBytes / 1024, sndhwm, options_.memory_budget_mb);
  router_.bind(options_.command_endpoint);
  pub_ = zmq::socket_t(context_, zmq::socket_type::pub);
  secure(pub_, "wartemarke");
  pub_.set(zmq::sockopt::sndhwm, kHighWaterMark);
  pub_.set(zmq::sockopt::backlog, 1024);
  pub_.set(zmq::sockopt::linger, 0);
  pub_.bind(options_.event_endpoint);
  verifier_ = std::make_unique<PinVerifier>(context_, options_.login_queue);
  stats_worker_ = std::make_unique<StatsWorker>(context_, region_, options_.data_dir);
  if (const core::Ldap& ldap = region_->security.ldap; ldap.enabled()) {
    if (ldap.plaintext())
      spdlog::error("[security.ldap] allow_plaintext: staff passwords go to {} IN THE CLEAR; "
                    "for tests only, never in a county", ldap.url);
    // Not a load error: kiosks and counters read the same configuration without the CA file.
    if (!ldap.ca_file.empty() && ::access(ldap.ca_file.c_str(), R_OK) != 0)
      spdlog::error("[security.ldap] ca_file {} is not readable: every directory login will be "
                    "answered unavailable", ldap.ca_file);
    spdlog::info("staff logins with auth = \"ldap\": simple bind to {} ({}, timeout {} s)", ldap.url,
                 ldap.url.starts_with("ldaps://") ? "TLS" : ldap.starttls ? "StartTLS" : "plaintext",
                 ldap.timeout_s);
    directory_ = std::make_unique<PinVerifier>(
        context_, options_.login_queue,
        [ldap](const std::string& name, const std::string& password) {
          std::string why;
          auto t0 = std::chrono::steady_clock::now();
          BindResult r = ldap_simple_bind(ldap, name, password, why);
          auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - t0).count();
          // The bind name and the outcome, never the password.
          if (r == BindResult::unavailable)
            spdlog::error("LDAP bind as '{}' undecided after {} ms: {}", name, ms, why);
          else
            spdlog::info("LDAP bind as '{}': {} ({} ms)", name, r == BindResult::ok ? "accepted" : why, ms);
          return r == BindResult::ok        ? PinVerifier::Result::match
                 : r == BindResult::refused ? PinVerifier::Result::mismatch
                                            : PinVerifier::Result::unavailable;
        });
  }
  if (options_.curve) {  // plain clients fail before ZAP: only a socket monitor sees them
    // Polled by the reactor: it learns which connections went away (connections per key).
    monitors_.push_back(std::make_unique<HandshakeMonitor>(context_, router_, "commands",
                                                           HandshakeMonitor::Mode::polled));
    monitors_.push_back(std::make_unique<HandshakeMonitor>(context_, pub_, "events"));
  }
}

void Broker::remember_reply(const std::string& key, const std::string& reply,
                            std::uint64_t fingerprint, std::int64_t row) {
  if (replies_.emplace(key, KnownReply{reply, row, fingerprint}).second)
    reply_order_.emplace_back(options_.clock.now(), key);
}

void Broker::run() {
  started_at_ = core::real_now();
  zmq::pollitem_t items[] = {{router_.handle(), 0, ZMQ_POLLIN, 0},
                             {verifier_->handle(), 0, ZMQ_POLLIN, 0},
                             {stats_worker_->handle(), 0, ZMQ_POLLIN, 0},
                             {directory_ ? directory_->handle() : nullptr, 0, ZMQ_POLLIN, 0}};
  const int polled = directory_ ? 4 : 3;  // the directory's verdicts only with [security.ldap]
  core::Millis last_prune = 0;
  purge_personal();  // a broker started after the retention period forgets at once
  while (!stop_.load()) {
    try {
      zmq::poll(items, polled, std::chrono::milliseconds(100));
    } catch (const zmq::error_t& e) {
      if (e.num() == EINTR) continue;
      throw;
    }
    const double iteration_start = mono_seconds(), iteration_cpu = thread_cpu_ms();
    if (!monitors_.empty()) {  // connections gone: before their successors' first requests
      gone_fds_.clear();
      monitors_.front()->drain(gone_fds_);
      for (int fd : gone_fds_) connections_.disconnected(fd);
    }
    if ((items[0].revents | items[1].revents | (polled > 3 ? items[3].revents : 0)) & ZMQ_POLLIN)
      handle_batch();
    if (items[2].revents & ZMQ_POLLIN) finish_stats();
    core::Millis now = core::real_now();
    if (now - last_heartbeat_ >= 1000) {
      for (auto& [who, n] : limiter_.take_refusals(mono_seconds()))  // a line per flooder and second
        spdlog::warn("rate limit: {} requests refused from connection {}", n, hex_id(who));
      for (auto& [key, n] : connections_.take_closed())
        spdlog::warn("connections per key: closed {} connection(s) of {}: it already holds {} "
                     "([security] connections_per_key)", n, key_name(key), connections_.cap());
      connections_.prune(mono_seconds());
      heartbeat();
      expire_clients();
      close_due_days();
      if (options_.on_alive) options_.on_alive();
      last_heartbeat_ = now;
    }
    if (now - last_prune >= 60000) {
      core::Millis cutoff = options_.clock.now() - options_.dedup_window_ms;
      std::int64_t through = 0;  // journal rows grow with time: prune by row, no index needed
      while (!reply_order_.empty() && reply_order_.front().first < cutoff) {
        if (auto it = replies_.find(reply_order_.front().second); it != replies_.end()) {
          through = std::max(through, it->second.row);
          replies_.erase(it);
        }
        reply_order_.pop_front();
      }
      try {
        if (through > 0) store_->prune_replies(through);
      } catch (const std::exception& e) {
        spdlog::warn("pruning request ids failed: {}", e.what());
      }
      purge_personal();
      last_prune = now;
    }
    // Keys at their cap: new command connections with them are refused in the handshake.
    if (zap_ && connections_.take_changed()) zap_->set_full_command_keys(connections_.full_keys());
    const double iteration_end = mono_seconds();
    stall_.note(iteration_end, (iteration_end - iteration_start) * 1e3, thread_cpu_ms() - iteration_cpu);
  }
  spdlog::info("broker stopped at seq {}", state_->seq());
}

void Broker::StallWindow::note(double now_s, double wall, double cpu) {
  if (now_s - start_s >= 10) {  // a new window; the last one is still reported
    prev_wall_ms = wall_ms;
    prev_cpu_ms = cpu_ms;
    wall_ms = cpu_ms = 0;
    start_s = now_s;
  }
  wall_ms = std::max(wall_ms, wall);
  cpu_ms = std::max(cpu_ms, cpu);
}

void Broker::handle_batch() {
  // Reused across batches: growing fresh vectors of events and replies every batch made
  // large allocations that cost malloc_consolidate ~6 % of the reactor under load.
  std::vector<Pending>& pending = pending_;
  std::vector<core::Event>& published = published_;
  pending.clear();
  published.clear();
  Batch batch;
  batch.events.swap(spare_events_);
  batch.events.clear();
  batch.replies.swap(spare_replies_);
  batch.replies.clear();
  batch.time = options_.clock.now();
  bool writes = false;
  // A batch ends after max_batch requests or batch_budget_us of deciding, whichever first:
  // every reply waits for the whole batch's commit, and while the reactor decides a long
  // batch the clients it has answered sit idle. Bounded by time, replies leave sooner and
  // clients' next requests overlap the reactor's work (mixed throughput 0.39x -> 0.48x of
  // the raw baseline, mean of four paired runs; see docs/benchmarks.md).
  auto batch_start = std::chrono::steady_clock::now();
  auto budget = std::chrono::microseconds(options_.batch_budget_us);
  finish_logins(batch, pending);  // verdicts that arrived: in this batch's commit
  if (!batch.events.empty() || !batch.personal.empty()) writes = true;
  for (int i = 0; i < options_.max_batch; ++i) {
    if (i > 0 && std::chrono::steady_clock::now() - batch_start >= budget) break;
    std::vector<zmq::message_t> frames;
    zmq::message_t msg;
    if (!router_.recv(msg, zmq::recv_flags::dontwait)) break;
    frames.push_back(std::move(msg));
    while (frames.back().more()) {
      zmq::message_t part;
      if (!router_.recv(part, zmq::recv_flags::dontwait)) break;
      frames.push_back(std::move(part));
    }
    Pending p;
    p.identity = std::move(frames[0]);
    std::string_view payload;
    if (frames.size() == 3 && frames[1].size() == 0) {
      p.delimiter = true;
      payload = frames[2].to_string_view();
    } else if (frames.size() == 2) {
      payload = frames[1].to_string_view();
    } else {
      spdlog::warn("dropping request with {} frames", frames.size());
      p.reply = core::encode_error({}, core::ErrorCode::bad_envelope,
                                   "expected [empty, payload] frames");
      pending.push_back(std::move(p));
      continue;
    }
    current_identity_ = p.identity.to_string();
    const char* user = zmq_msg_gets(frames.back().handle(), "User-Id");
    if (!admit_connection(user ? user : "", frames.back())) continue;
    if (!limiter_.allow(current_identity_, mono_seconds())) {
      // Refused before any work; the id lets the client match the answer to its request.
      p.reply = core::encode_error(refused_request_id(payload), core::ErrorCode::rate_limited,
                                   "too many requests from this connection; slow down");
      pending.push_back(std::move(p));
      continue;
    }
    current_user_ = user ? user : "";
    current_delimiter_ = p.delimiter;
    std::size_t before = batch.events.size() + batch.personal.size();
    deferred_job_.reset();
    answer_later_ = false;
    try {
      p.reply = handle_request(payload, batch, published);
      if (deferred_job_) {  // a login being verified: answered with its verdict
        if (auto it = logins_.find(*deferred_job_); it != logins_.end()) {
          // Every copy gets the answer, as a retry of a decided request does; bounded (a
          // peer repeating one id in a loop): the newest copies are answered.
          auto& peers = it->second.peers;
          if (peers.size() >= 8) peers.erase(peers.begin());
          peers.emplace_back(current_identity_, p.delimiter);
        }
        continue;
      }
      if (answer_later_) continue;  // a past day's statistics: finish_stats answers
    } catch (const StoreError& e) {
      // A journal read failing inside a request (a retry's reply, the outbox, past days'
      // statistics) refuses that request, not the broker: reads precede any change to the
      // state, so nothing of this request is in the batch.
      spdlog::error("request refused, the journal cannot be read: {}", e.what());
      auto id = core::decode_request(payload);
      auto* req = std::get_if<core::Request>(&id);
      p.reply = core::encode_error(req ? req->id : std::string{}, core::ErrorCode::unavailable,
                                   "the server cannot read its journal; try again later");
    } catch (const std::exception& e) {
      // Any other failure of one request (a damaged journal row that does not parse, a bug)
      // is that request's error too; the broker serves on.
      spdlog::error("request failed: {}", e.what());
      auto id = core::decode_request(payload);
      auto* req = std::get_if<core::Request>(&id);
      p.reply = core::encode_error(req ? req->id : std::string{}, core::ErrorCode::internal,
                                   "internal error");
    }
    if (batch.events.size() + batch.personal.size() != before) writes = true;
    pending.push_back(std::move(p));
  }
  if (writes || !batch.replies.empty()) {
    try {
      auto commit_start = std::chrono::steady_clock::now();
      store_->commit(batch);
      commit_ms_ = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() -
                                                             commit_start).count();
    } catch (const std::exception& e) {
      // Nothing of this batch is durable: answer every request with an error and rebuild the
      // in-memory state from the journal, so no one sees a change that was not written.
      spdlog::error("journal commit failed, {} requests refused: {}", pending.size(), e.what());
      for (auto& p : pending) {
        auto reply = core::decode_reply(p.reply);
        p.reply = core::encode_error(reply ? reply->id : std::string{}, core::ErrorCode::unavailable,
                                     "the server cannot write its journal; nothing was changed");
        send_reply(p);
      }
      try {
        recover();
      } catch (const std::exception& e2) {
        spdlog::critical("cannot re-read the journal after a failed commit: {}", e2.what());
      }
      return;
    }
  }
  for (auto& p : pending) send_reply(p);
  // Committed replies live on in the journal; memory keeps only their ids (100k replies of
  // ~450 bytes each were a fifth of the broker's RSS at 100k tickets).
  for (std::size_t i = 0; i < batch.replies.size(); ++i)
    if (auto it = replies_.find(retry_key(batch.replies[i].principal, batch.replies[i].id));
        it != replies_.end()) {
      std::string().swap(it->second.frame);
      if (i < batch.reply_rows.size()) it->second.row = batch.reply_rows[i];
    }
  // Every event of the batch is published, in journal order (handle_request and add_event
  // add each to both lists; publishing the journaled copy saves copying every event twice).
  for (std::size_t i = 0; i < batch.events.size(); ++i)
    publish(batch.events[i], i < batch.bodies.size() ? &batch.bodies[i] : nullptr);
  batch.events.swap(spare_events_);
  batch.replies.swap(spare_replies_);
  // After the replies: the checkpoint delays only the next batch, and only every N events.
  if (options_.checkpoint_every > 0 && state_->seq() - checkpoint_seq_ >= options_.checkpoint_every) {
    try {
      store_->save_checkpoint(state_->seq(), options_.clock.now(), state_->checkpoint().dump());
      checkpoint_seq_ = state_->seq();
    } catch (const std::exception& e) {
      spdlog::warn("checkpoint failed (recovery replays more): {}", e.what());
    }
    // The checkpoint's JSON document and text are transient (~4x the state at 100k tickets);
    // give those pages back, or the broker keeps that peak as its RSS for good.
    if (options_.release_memory)
      options_.release_memory();
    else
      malloc_trim(0);
  }
}

std::string Broker::handle_request(std::string_view frame, Batch& batch,
                                   std::vector<core::Event>& published) {
  auto decoded = core::decode_request(frame);
  if (auto* err = std::get_if<core::ProtocolError>(&decoded)) {
    spdlog::warn("rejected request: {} ({})", err->message, core::to_string(err->code));
    return core::encode_error(err->id, err->code, err->message, err->field);
  }
  auto& req = std::get<core::Request>(decoded);
  // The one dispatch path: decoded and validated against the declared row (above), its
  // references checked, then role and office scope, then the retry lookup keyed by
  // (sender, id), then the handler. Staff and gateway requests take the same path.
  auto who = sender();
  if (!who)
    return core::encode_error(req.id, core::ErrorCode::forbidden,
                              options_.curve ? "not permitted: this device's key is not registered or was revoked"
                                             : "not permitted: plain transport grants nothing here (security.plain_role)");
  if (auto bad = core::check_references(req, *state_, *region_)) {
    spdlog::warn("rejected {} from {}: {} ({})", req.type, who->name, bad->message,
                 core::to_string(bad->code));
    return core::encode_error(req.id, bad->code, bad->message, bad->field);
  }
  // Before the retry lookup: a replayed request id must not hand one device another's answer.
  if (auto why = core::check_permission(*who, req, *state_, *region_)) {
    spdlog::warn("forbidden {} from {}: {}", req.type, who->name, *why);
    return core::encode_error(req.id, core::ErrorCode::forbidden, "not permitted: " + *why);
  }
  core::Millis now = options_.clock.now();
  auto& client = clients_[current_identity_];
  client.last_seen = core::real_now();

  const std::string key = retry_key(who->name, req.id);
  const std::uint64_t fingerprint = request_fingerprint(frame);
  if (auto it = login_jobs_.find(key); it != login_jobs_.end()) {  // its PIN is being verified
    if (logins_.at(it->second).fingerprint != fingerprint)
      return core::encode_error(req.id, core::ErrorCode::bad_envelope,
                                "request id already used by this device for a different request; "
                                "a retry repeats its request unchanged, a new request needs a new id",
                                "id");
    deferred_job_ = it->second;
    return {};
  }
  if (auto it = replies_.find(key); it != replies_.end()) {  // a retry, or a reused id
    if (it->second.fingerprint != 0 && it->second.fingerprint != fingerprint) {
      spdlog::warn("request id '{}' from {} reused for another {} request: refused", req.id,
                   who->name, req.type);
      return core::encode_error(
          req.id, core::ErrorCode::bad_envelope,
          "request id already used by this device for a different request; a retry repeats "
          "its request unchanged, a new request needs a new id",
          "id");
    }
    if (!it->second.frame.empty()) return it->second.frame;  // in this batch, not yet committed
    if (auto journaled = store_->reply_at(it->second.row)) return *journaled;
  }

  // The row's handler: the server's own (a switch over every ServerHandler, so a new one that
  // is not answered here does not compile), else the core handler the row names (decide()).
  const core::MessageSpec* row = core::find_message(req.type);  // decode_request found it
  core::json extra;  // staff.login adds the staff profile to counter.open's reply
  switch (row ? row->server : core::ServerHandler::none) {
    case core::ServerHandler::presence: {
      if (req.type == "hello" || req.body.contains("client")) {
        client.kind = req.body.value("client", "");
        client.name = req.body.value("name", "");
        client.office = req.body.value("office", "");
        // Stations that name themselves need not repeat their office: the config knows it
        // (an offline alert without its office is useless to an office head).
        if (client.office.empty() && !client.name.empty())
          if (const auto* o = region_->office_of_station(client.name)) client.office = o->id;
      }
      note_presence(client, batch, published);
      return core::encode_ok(req.id, json{{"time", now},
                                          {"seq", state_->seq()},
                                          {"protocol", core::kProtocolVersion},
                                          {"clock_speed", options_.clock.speed()},
                                          {"region", region_->id},
                                          {"clients", clients_.size()},
                                          {"commit_ms", commit_ms_},
                                          {"stall_ms", stall_.wall()},
                                          {"stall_cpu_ms", stall_.cpu()}});
    }
    case core::ServerHandler::stats:
      if (auto reply = handle_stats(req, *who, core::viewer_of(*who, *state_))) return *reply;
      answer_later_ = true;
      return {};
    case core::ServerHandler::staff_login:
      if (auto reply = start_login(req, *who, key, fingerprint, now)) return *reply;
      return {};  // deferred_job_: answered with the verdict
    case core::ServerHandler::identity_read:
    case core::ServerHandler::outbox_fetch:
    case core::ServerHandler::outbox_ack: {
      auto sp = handle_staff_request(req, *state_, *store_, batch, *who);
      if (!sp) break;  // not reached: handle_staff_request answers all three
      if (sp->reply) {
        if (sp->remember) {
          batch.replies.push_back({req.id, *sp->reply, who->name, fingerprint});
          remember_reply(key, *sp->reply, fingerprint);
        }
        return *sp->reply;
      }
      extra = std::move(sp->extra);
      req = std::move(*sp->then);
      // The session belongs to the device key that logged in (see core::check_session).
      req.body["station"] = who->name;
      break;
    }
    case core::ServerHandler::none:
      break;
  }

  return decide_and_apply(req, *who, key, fingerprint, std::move(extra), batch);
}

std::string Broker::decide_and_apply(core::Request& req, const core::Principal& whom,
                                     const std::string& key, std::uint64_t fingerprint,
                                     core::json extra, Batch& batch) {
  const core::Principal* who = &whom;
  const core::Millis now = options_.clock.now();
  core::Decision d = core::decide(req, *state_, now);
  if (d.error) {
    std::string reply = core::encode_error(req.id, d.error->code, d.error->message, d.error->field);
    return reply;  // errors change nothing; a retry is decided afresh
  }
  if (extra.is_object()) d.reply.update(extra);
  if (req.type == "case.list" && !who->offices.empty()) {
    // A back office limited to some offices lists only their cases.
    auto& cases = d.reply["cases"];
    auto out = core::json::array();
    for (auto& c : cases)
      if (who->may_act_in(c.value("office", ""))) out.push_back(std::move(c));
    cases = std::move(out);
  }
  // Any role may ask for any office's snapshot: it gets what it may see (core/visibility),
  // with the sealed free text it may read filled back in from the personal store.
  if (req.type == "snapshot" || req.type == "case.list") {
    d.reply = core::project_snapshot(std::move(d.reply), core::viewer_of(*who, *state_));
    core::unseal(d.reply, [this](const std::string& key) { return read_sealed(key); });
  }
  const core::MessageSpec* spec = core::find_message(req.type);
  if (!audit_decision(*who, d.events))
    return core::encode_error(req.id, core::ErrorCode::unavailable,
                              "the audit log cannot be written; try again later");
  for (auto& e : d.events) {
    e.seq = state_->seq() + 1;
    e.oseq = e.office.empty() ? 0 : state_->office_seq(e.office) + 1;
    e.time = now;
    try {
      state_->apply(e);
    } catch (const std::exception& ex) {
      spdlog::error("event {} for request {} does not apply: {}", e.type, req.id, ex.what());
      return core::encode_error(req.id, core::ErrorCode::internal, "internal error");
    }
    batch.events.push_back(std::move(e));  // published from the batch after the commit
  }
  for (auto& p : d.personal) batch.personal.push_back(std::move(p));
  std::string reply = core::encode_ok(req.id, d.reply);
  if (spec && spec->writes) {
    batch.replies.push_back({req.id, reply, who->name, fingerprint});
    remember_reply(key, reply, fingerprint);
  }
  return reply;
}

std::optional<std::string> Broker::start_login(const core::Request& req, const core::Principal& who,
                                              const std::string& key, std::uint64_t fingerprint,
                                              core::Millis now) {
  auto started = login_start(req, *state_, &lockout_, who.name, now);
  if (auto* answer = std::get_if<StaffOutcome>(&started)) return answer->reply.value_or(std::string());
  auto& check = std::get<PinCheck>(started);
  // An unknown login is verified too (the same cost, see login_start); login_finish ignores
  // its verdict.
  const std::uint64_t job = ++next_login_job_;
  PinVerifier& checker = check.directory && directory_ ? *directory_ : *verifier_;
  if (!checker.submit(job, std::move(check.hash), std::move(check.secret))) {
    spdlog::warn("staff login from {} refused: {} {} checks already waiting", who.name,
                 checker.in_flight(), &checker == verifier_.get() ? "PIN" : "LDAP");
    return core::encode_error(req.id, core::ErrorCode::unavailable,
                              "the server is busy checking other logins; try again in a moment");
  }
  logins_.emplace(job, PendingLogin{req, who, key, fingerprint, {}});
  login_jobs_.emplace(key, job);
  deferred_job_ = job;
  return std::nullopt;
}

void Broker::finish_logins(Batch& batch, std::vector<Pending>& pending) {
  auto take = [this]() -> std::optional<PinVerifier::Verdict> {
    if (auto v = verifier_->take()) return v;
    if (directory_) return directory_->take();
    return std::nullopt;
  };
  while (auto verdict = take()) {
    auto it = logins_.find(verdict->job);
    if (it == logins_.end()) continue;  // not reached: every job is recorded
    PendingLogin login = std::move(it->second);
    logins_.erase(it);
    login_jobs_.erase(login.key);
    std::string reply;
    try {
      core::Millis now = options_.clock.now();
      StaffOutcome o = login_finish(login.req, *state_, &lockout_, login.who.name, now, verdict->match,
                                    verdict->unavailable);
      if (o.reply) {
        reply = *o.reply;
      } else {
        core::Request open = std::move(*o.then);
        // The session belongs to the device key that logged in (see core::check_session).
        open.body["station"] = login.who.name;
        reply = decide_and_apply(open, login.who, login.key, login.fingerprint, std::move(o.extra), batch);
      }
    } catch (const std::exception& e) {
      spdlog::error("staff login failed: {}", e.what());
      reply = core::encode_error(login.req.id, core::ErrorCode::internal, "internal error");
    }
    for (auto& [identity, delimiter] : login.peers) {
      Pending p;
      p.identity = zmq::message_t(identity.data(), identity.size());
      p.delimiter = delimiter;
      p.reply = reply;
      pending.push_back(std::move(p));
    }
  }
}

std::optional<std::string> Broker::read_sealed(const std::string& key) {
  try {
    if (auto data = store_->read_personal(key)) return data->value("text", "");
  } catch (const std::exception& e) {
    spdlog::warn("sealed text {} unreadable: {}", key, e.what());
  }
  return std::nullopt;
}

void Broker::purge_personal() {
  core::Millis now = options_.clock.now();
  int hours = region_->policy.retention_hours;
  core::Millis cutoff = hours > 0 ? now - static_cast<core::Millis>(hours) * 3600'000
                                  : core::local_time_of(core::local_day(now), "00:00").value_or(now);
  try {
    if (int n = store_->purge_personal(cutoff)) spdlog::info("retention: {} personal records deleted", n);
  } catch (const std::exception& e) {
    spdlog::warn("retention purge failed (retried in a minute): {}", e.what());
  }
}

std::optional<core::Principal> Broker::sender() {
  // Plain transport exists only for a local demo: every peer is what the config grants it.
  if (!options_.curve) return options_.plain_peer;
  if (current_user_.empty() || !registry_) return std::nullopt;
  return registry_->principal(current_user_);
}

void Broker::send_reply(Pending& p) {
  try {
    if (!router_.send(p.identity, zmq::send_flags::sndmore | zmq::send_flags::dontwait)) return;
    if (p.delimiter) router_.send(zmq::message_t{}, zmq::send_flags::sndmore);
    router_.send(zmq::buffer(p.reply), zmq::send_flags::dontwait);
  } catch (const zmq::error_t& e) {
    // EHOSTUNREACH: the client is gone. It will retry with the same id and get this answer.
    spdlog::debug("reply not delivered: {}", e.what());
  }
}

void Broker::publish(core::Event& e, const std::string* journaled_body) {
  std::string topic = e.office.empty() ? "r/" : "o/" + e.office + "/";
  // The PUB socket cannot restrict what a key subscribes to: it carries exactly the public
  // projection. Event types declared all-public are spliced in as the store encoded them; the
  // others are projected in place (the event is done with: journaled and applied), encoded once.
  std::string stripped;
  if (!journaled_body || !core::public_as_is(e)) {
    core::project_event(e, core::Viewer::screen());
    stripped = e.body.dump();
    journaled_body = &stripped;
  }
  // The object event_to_json makes, keys in another order.
  std::string payload;
  {
    payload.reserve(journaled_body->size() + 128);
    payload += R"({"v":1,"seq":)";
    payload += std::to_string(e.seq);
    payload += R"(,"oseq":)";
    payload += std::to_string(e.oseq);
    payload += R"(,"time":)";
    payload += std::to_string(e.time);
    payload += R"(,"office":)";
    payload += json(e.office).dump();
    payload += R"(,"type":)";
    payload += json(e.type).dump();
    payload += R"(,"body":)";
    payload += *journaled_body;
    payload += '}';
  }
  pub_.send(zmq::buffer(topic), zmq::send_flags::sndmore);
  pub_.send(zmq::buffer(payload), zmq::send_flags::dontwait);
}

void Broker::heartbeat() {
  json oseq = json::object();
  for (const auto& o : region_->offices) oseq[o.id] = state_->office_seq(o.id);
  json hb{{"v", 1}, {"type", "heartbeat"}, {"seq", state_->seq()}, {"oseq", oseq},
          {"time", options_.clock.now()}};
  std::string payload = hb.dump();
  pub_.send(zmq::buffer(std::string_view("hb")), zmq::send_flags::sndmore);
  pub_.send(zmq::buffer(payload), zmq::send_flags::dontwait);
}

bool Broker::audit_decision(const core::Principal& who, const std::vector<core::Event>& events) {
  for (const auto& e : events) {
    if (e.type == "ticket.called" && e.body.contains("reason")) {
      const core::Ticket* t = state_->ticket(e.body.value("ticket", ""));
      const core::CounterRuntime* rt = state_->counter(e.body.value("counter", ""));
      if (!audit(audit_actor(who.name, rt ? rt->staff : ""), "call.out_of_order",
                 e.office + "/" + (t ? t->number : "?"),
                 "reason=" + e.body.value("reason", "") + " next=" + e.body.value("next", "")))
        return false;
    } else if (e.type == "counter.profile_changed") {
      std::string services;
      for (const auto& s : e.body.value("profile", json::array()))
        services += (services.empty() ? "" : ",") + s.get<std::string>();
      if (!audit(audit_actor(who.name, ""), "counter.profile", e.body.value("counter", ""), services))
        return false;
    }
  }
  return true;
}

bool Broker::admit_connection(const std::string& key, const zmq::message_t& last_frame) {
  if (connections_.cap() <= 0 || key.empty()) return true;
  const int fd = zmq_msg_get(last_frame.handle(), ZMQ_SRCFD);
  auto administrator = [this](const std::string& k) {
    auto who = registry_ ? registry_->principal(k) : std::nullopt;
    return who && (who->role == core::DeviceRole::admin || who->role == core::DeviceRole::cli);
  };
  switch (connections_.note(key, current_identity_, fd, mono_seconds(), administrator)) {
    case KeyConnections::Verdict::serve:
      return true;
    case KeyConnections::Verdict::drop:
      return false;
    case KeyConnections::Verdict::close:
      // A ROUTER cannot drop a peer; shutting its descriptor down makes ZeroMQ end the
      // connection and free its queues. Not if a connection within the cap sits on that
      // descriptor (the gone one's number reused before its disconnect was seen).
      if (fd >= 0 && !connections_.fd_in_use(fd)) ::shutdown(fd, SHUT_RDWR);
      return false;
  }
  return false;
}

std::string Broker::key_name(const std::string& key) {
  if (registry_)
    if (auto who = registry_->principal(key)) return "'" + who->name + "'";
  return "key " + key.substr(0, 8) + "...";
}

void Broker::expire_clients() {
  core::Millis cutoff = core::real_now() - options_.client_expiry_ms;
  std::vector<ClientInfo> gone;
  std::erase_if(clients_, [&](const auto& kv) {
    if (kv.second.last_seen >= cutoff) return false;
    gone.push_back(kv.second);
    if (!kv.second.kind.empty())
      spdlog::info("client {} '{}' silent for {} ms, forgotten", kv.second.kind, kv.second.name,
                   options_.client_expiry_ms);
    return true;
  });
  expire_presence(gone);
}

}  // namespace wm::server
