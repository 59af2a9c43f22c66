#include "bench/api/bench_phases.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <mutex>
#include <thread>

#include "bench/api/watch_receiver.h"
#include "berth/json.h"
#include "kernel/api/tls/openssl_util.h"

namespace berth::bench {
namespace {

using Clock = std::chrono::steady_clock;

constexpr char kJson[] =
    "Content-Type: application/json\r\nAccept: application/json\r\n";
constexpr char kTableAccept[] =
    "Accept: application/json;as=Table;v=v1;g=meta.k8s.io,application/json\r\n";

std::string ConfigMapsPath(const std::string& ns) {
  return "/api/v1/namespaces/" + ns + "/configmaps";
}

// "HTTP 409: <the start of the body>", the text an unexpected answer is
// counted under.
Status Unexpected(const HttpResponse& r) {
  return Status::Internal("HTTP " + std::to_string(r.status) + ": " +
                          r.body.substr(0, 160));
}

double Median(std::vector<double> v) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

}  // namespace

std::string PayloadValue(size_t n) {
  static constexpr char kAlphabet[] =
      "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
  std::string v(n, 'x');
  uint32_t x = 2463534242u;
  for (size_t i = 0; i < n; ++i) {
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    v[i] = kAlphabet[x % (sizeof(kAlphabet) - 1)];
  }
  return v;
}

std::string ConfigMapJson(const std::string& ns, const std::string& name,
                          const std::string& value) {
  return "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{"
         "\"name\":\"" +
         name + "\",\"namespace\":\"" + ns + "\"},\"data\":{\"value\":\"" +
         value + "\"}}";
}

Status EnsureNamespace(const Endpoint& server, const std::string& name) {
  auto conn = server.NewConnection();
  auto r = conn->Request(
      "POST", "/api/v1/namespaces", kJson,
      "{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":"
      "\"" +
          name + "\"}}");
  if (!r.ok()) return r.status();
  if (r->status != 201 && r->status != 409) return Unexpected(*r);
  return Status::Ok();
}

LoadResult RunBerthCreates(const Endpoint& server, const LoadOptions& load,
                           const std::string& ns, const std::string& value,
                           std::vector<std::string>* created) {
  std::mutex mu;
  const std::string path = ConfigMapsPath(ns);
  return RunClosedLoop(
      load, [&] { return server.NewConnection(); },
      [&](HttpsConnection& conn, int, uint64_t i) -> Status {
        const std::string name = "bench-" + std::to_string(i);
        auto r =
            conn.Request("POST", path, kJson, ConfigMapJson(ns, name, value));
        if (!r.ok()) return r.status();
        if (r->status != 201) return Unexpected(*r);
        if (created != nullptr) {
          std::lock_guard<std::mutex> lock(mu);
          created->push_back(name);
        }
        return Status::Ok();
      });
}

LoadResult RunEtcdCreates(const Endpoint& etcd, const LoadOptions& load,
                          const std::string& ns, const std::string& value) {
  return RunClosedLoop(
      load, [&] { return etcd.NewConnection(); },
      [&](HttpsConnection& conn, int, uint64_t i) -> Status {
        const std::string name = "bench-" + std::to_string(i);
        const std::string key =
            tls::Base64Encode("/registry/configmaps/" + ns + "/" + name);
        const std::string body =
            "{\"compare\":[{\"key\":\"" + key +
            "\",\"result\":\"EQUAL\",\"target\":\"MOD\",\"mod_revision\":"
            "\"0\"}],\"success\":[{\"request_put\":{\"key\":\"" +
            key + "\",\"value\":\"" +
            tls::Base64Encode(ConfigMapJson(ns, name, value)) + "\"}}]}";
        auto r = conn.Request("POST", "/v3/kv/txn",
                              "Content-Type: application/json\r\n", body);
        if (!r.ok()) return r.status();
        if (r->status != 200) return Unexpected(*r);
        if (r->body.find("\"succeeded\":true") == std::string::npos) {
          return Status::Conflict("txn did not succeed: " +
                                  r->body.substr(0, 160));
        }
        return Status::Ok();
      });
}

LoadResult RunGets(const Endpoint& server, const LoadOptions& load,
                   const std::string& ns,
                   const std::vector<std::string>& names) {
  const std::string prefix = ConfigMapsPath(ns) + "/";
  return RunClosedLoop(
      load, [&] { return server.NewConnection(); },
      [&](HttpsConnection& conn, int, uint64_t i) -> Status {
        if (names.empty()) return Status::NotFound("nothing to GET");
        // A stride coprime to most sizes spreads clients over all objects.
        const std::string& name = names[(i * 7919) % names.size()];
        auto r =
            conn.Request("GET", prefix + name, "Accept: application/json\r\n");
        if (!r.ok()) return r.status();
        if (r->status != 200) return Unexpected(*r);
        return Status::Ok();
      });
}

ListResult RunLists(const Endpoint& server, const std::string& ns, int runs) {
  ListResult result;
  auto conn = server.NewConnection();
  std::vector<double> json_ms, table_ms;
  const std::string path = ConfigMapsPath(ns);
  auto timed = [&](const std::string& accept, std::vector<double>* ms,
                   std::string* body) -> bool {
    const auto start = Clock::now();
    auto r = conn->Request("GET", path, accept);
    const double elapsed =
        std::chrono::duration<double, std::milli>(Clock::now() - start).count();
    if (!r.ok() || r->status != 200) {
      ++result.errors;
      result.causes.push_back(r.ok() ? Unexpected(*r).ToString()
                                     : r.status().ToString());
      return false;
    }
    ms->push_back(elapsed);
    *body = std::move(r->body);
    return true;
  };
  for (int run = 0; run < runs; ++run) {
    std::string body;
    if (timed("Accept: application/json\r\n", &json_ms, &body)) {
      result.json_bytes = static_cast<double>(body.size());
      auto doc = ParseJson(body);
      const Json* items = doc.ok() ? Find(*doc, {"items"}) : nullptr;
      // The bench's own objects: the namespace also holds kube-root-ca.crt.
      result.objects = -1;
      if (items && items->IsArray()) {
        result.objects = 0;
        for (const Json& item : items->GetArray()) {
          if (GetString(item, {"metadata", "name"}).rfind("bench-", 0) == 0) {
            ++result.objects;
          }
        }
      }
    }
    if (timed(kTableAccept, &table_ms, &body)) {
      result.table_bytes = static_cast<double>(body.size());
      auto doc = ParseJson(body);
      const Json* rows = doc.ok() ? Find(*doc, {"rows"}) : nullptr;
      result.rows = -1;
      if (rows && rows->IsArray()) {
        result.rows = 0;
        for (const Json& row : rows->GetArray()) {
          const Json* cells = Member(row, "cells");
          if (cells && cells->IsArray() && !cells->Empty() &&
              (*cells)[0].IsString() &&
              std::string_view((*cells)[0].GetString()).starts_with("bench-")) {
            ++result.rows;
          }
        }
      }
    }
  }
  result.json_median_ms = Median(json_ms);
  result.table_median_ms = Median(table_ms);
  if (!json_ms.empty()) {
    result.json_max_ms = *std::max_element(json_ms.begin(), json_ms.end());
  }
  if (!table_ms.empty()) {
    result.table_max_ms = *std::max_element(table_ms.begin(), table_ms.end());
  }
  return result;
}

WatchResult RunWatch(const Endpoint& server, const std::string& ns,
                     const WatchOptions& options) {
  WatchResult result;
  const std::string path = ConfigMapsPath(ns);
  // The objects the updates go to; the watches start after them.
  int64_t revision = 0;
  {
    auto conn = server.NewConnection();
    for (int w = 0; w < options.writers; ++w) {
      const std::string name = "w-" + std::to_string(w);
      auto r = conn->Request("POST", path, kJson,
                             "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\","
                             "\"metadata\":{\"name\":\"" +
                                 name + "\"},\"data\":{\"sent\":\"0\"}}");
      if (!r.ok() || (r->status != 201 && r->status != 409)) {
        result.causes.push_back(
            "creating " + name + ": " +
            (r.ok() ? Unexpected(*r).ToString() : r.status().ToString()));
        return result;
      }
    }
    auto list = conn->Request("GET", path + "?limit=1", kJson);
    if (list.ok() && list->status == 200) {
      auto doc = ParseJson(list->body);
      if (doc.ok()) {
        revision = std::atoll(
            GetString(*doc, {"metadata", "resourceVersion"}).c_str());
      }
    }
    if (revision == 0) {
      result.causes.push_back("no list resourceVersion to watch from");
      return result;
    }
  }

  WatchReceiver receiver;
  const std::string watch_path =
      path + "?watch=1&resourceVersion=" + std::to_string(revision);
  for (int i = 0; i < options.watchers; ++i) {
    auto conn = server.NewConnection();
    Status s = conn->Send("GET", watch_path, "Accept: application/json\r\n");
    if (!s.ok() && result.causes.size() < 5) {
      result.causes.push_back("opening watch: " + s.ToString());
    }
    receiver.Add(std::move(conn));
  }
  receiver.Start();
  const auto open_deadline = Clock::now() + std::chrono::seconds(60);
  while (receiver.heads_ok() + receiver.failed() < options.watchers &&
         Clock::now() < open_deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  result.watchers_open = receiver.heads_ok();

  // Connected before the clock starts: the first update of each writer
  // would otherwise carry a TCP and TLS handshake into its delivery time.
  std::vector<std::unique_ptr<HttpsConnection>> writer_conns;
  for (int w = 0; w < options.writers; ++w) {
    writer_conns.push_back(server.NewConnection());
    if (Status s = writer_conns.back()->Connect(); !s.ok()) {
      result.causes.push_back("connecting writer: " + s.ToString());
    }
  }
  // Open loop: writer w sends its k-th update at start + k/rate_w, late
  // updates go out at once, so the offered rate stays what was asked.
  std::atomic<uint64_t> seq{0};
  std::mutex mu;
  std::vector<uint32_t> update_us;
  const double per_writer = options.rate / options.writers;
  const auto start = Clock::now() + std::chrono::milliseconds(50);
  const auto end = start + std::chrono::duration<double>(options.seconds);
  std::vector<std::thread> writers;
  for (int w = 0; w < options.writers; ++w) {
    writers.emplace_back([&, w] {
      HttpsConnection* conn = writer_conns[static_cast<size_t>(w)].get();
      const std::string object = path + "/w-" + std::to_string(w);
      std::vector<uint32_t> mine;
      uint64_t ok = 0, errors = 0;
      std::vector<std::string> causes;
      for (uint64_t k = 0;; ++k) {
        auto due = start + std::chrono::duration_cast<Clock::duration>(
                               std::chrono::duration<double>(k / per_writer));
        if (due >= end) break;
        std::this_thread::sleep_until(due);
        const auto sent = Clock::now();
        const std::string patch = "{\"data\":{\"sent\":\"" +
                                  std::to_string(NowNs()) + "\",\"seq\":\"" +
                                  std::to_string(seq.fetch_add(1)) + "\"}}";
        auto r = conn->Request("PATCH", object,
                               "Content-Type: application/merge-patch+json\r\n"
                               "Accept: application/json\r\n",
                               patch);
        if (r.ok() && r->status == 200) {
          ++ok;
          mine.push_back(static_cast<uint32_t>(
              std::chrono::duration_cast<std::chrono::microseconds>(
                  Clock::now() - sent)
                  .count()));
        } else {
          ++errors;
          if (causes.size() < 3) {
            causes.push_back(r.ok() ? Unexpected(*r).ToString()
                                    : r.status().ToString());
          }
        }
      }
      std::lock_guard<std::mutex> lock(mu);
      result.updates_ok += ok;
      result.update_errors += errors;
      update_us.insert(update_us.end(), mine.begin(), mine.end());
      for (auto& c : causes) result.causes.push_back(c);
    });
  }
  for (auto& t : writers) t.join();
  result.update_rate =
      result.updates_ok /
      std::chrono::duration<double>(Clock::now() - start).count();
  result.update = Summarize(&update_us);

  // Wait for the stragglers: until everything arrived or nothing moved for
  // five seconds (lost, not late), at most drain_seconds.
  result.expected = result.updates_ok * static_cast<uint64_t>(options.watchers);
  const auto drain_end =
      Clock::now() + std::chrono::duration<double>(options.drain_seconds);
  uint64_t last = receiver.events();
  auto last_progress = Clock::now();
  while (receiver.events() < result.expected && Clock::now() < drain_end &&
         Clock::now() - last_progress < std::chrono::seconds(5)) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    if (receiver.events() != last) {
      last = receiver.events();
      last_progress = Clock::now();
    }
  }
  receiver.Stop();
  result.received = receiver.events();
  result.lost =
      result.expected > result.received ? result.expected - result.received : 0;
  result.streams_failed = receiver.failed();
  std::vector<uint32_t> delivery = receiver.TakeLatencies();
  result.delivery = Summarize(&delivery);
  return result;
}

}  // namespace berth::bench
