// Durability through the API: writers create, patch and delete ConfigMaps
// over HTTPS while the server is killed with SIGKILL; after a restart on the
// same data dir every write the server acknowledged (2xx) is there — created
// objects with their data, deleted objects gone, each counter at least at
// its last acknowledged value.
#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include <atomic>
#include <chrono>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "tests/support/api_client.h"
#include "tests/support/process.h"

namespace berth::testing {
namespace {

constexpr char kPath[] = "/api/v1/namespaces/default/configmaps";

struct Acknowledged {
  std::mutex mu;
  std::map<std::string, std::string> created;  // name -> data.value
  std::set<std::string> deleted;
  // Deletes sent but not acknowledged: either outcome is correct.
  std::set<std::string> delete_unknown;
  std::map<std::string, int> counters;  // name -> last acknowledged n
};

std::string ConfigMap(const std::string& name, const std::string& value) {
  return "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{"
         "\"name\":\"" +
         name + "\"},\"data\":{\"value\":\"" + value + "\"}}";
}

void Writer(int id, const std::string& url, const std::string& data_dir,
            const std::atomic<bool>& stop, Acknowledged& acks,
            std::atomic<int>& acked) {
  ApiClient client(url, data_dir);
  const std::string counter = "counter-" + std::to_string(id);
  if (client.Request("POST", kPath, ConfigMap(counter, "0")).status != 201) {
    return;
  }
  for (int i = 1; !stop.load(); ++i) {
    const std::string name = "w" + std::to_string(id) + "-" + std::to_string(i);
    const std::string value = "v" + std::to_string(i * 7 + id);
    auto created = client.Request("POST", kPath, ConfigMap(name, value));
    if (created.status == 0) return;  // the server is gone
    if (created.status == 201) {
      std::lock_guard<std::mutex> l(acks.mu);
      acks.created[name] = value;
      ++acked;
    }
    auto patched =
        client.Request("PATCH", std::string(kPath) + "/" + counter,
                       "{\"data\":{\"value\":\"" + std::to_string(i) + "\"}}",
                       "application/merge-patch+json");
    if (patched.status == 0) return;
    if (patched.status == 200) {
      std::lock_guard<std::mutex> l(acks.mu);
      acks.counters[counter] = i;
    }
    if (i % 5 == 0 && created.status == 201) {
      auto deleted = client.Request("DELETE", std::string(kPath) + "/" + name);
      if (deleted.status == 0) {
        std::lock_guard<std::mutex> l(acks.mu);
        acks.delete_unknown.insert(name);
        return;
      }
      if (deleted.status == 200) {
        std::lock_guard<std::mutex> l(acks.mu);
        acks.deleted.insert(name);
      }
    }
  }
}

TEST(ApiKill9Test, EveryAcknowledgedWriteSurvivesSigkill) {
  TempDir dir;
  BerthServer server(dir.path() + "/data");
  ASSERT_TRUE(server.Start()) << server.log();

  Acknowledged acks;
  std::atomic<bool> stop{false};
  std::atomic<int> acked{0};
  std::vector<std::thread> writers;
  for (int i = 0; i < 16; ++i) {
    writers.emplace_back(Writer, i, server.url(), server.data_dir(),
                         std::cref(stop), std::ref(acks), std::ref(acked));
  }
  // Kill while the load runs: once a few hundred creates are acknowledged.
  const auto deadline =
      std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (acked.load() < 400 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  server.Kill();
  stop = true;
  for (auto& t : writers) t.join();
  ASSERT_GE(acked.load(), 400) << server.log();

  ASSERT_TRUE(server.Start()) << server.log();
  ApiClient client(server.url(), server.data_dir());
  auto list = client.Request("GET", kPath);
  ASSERT_EQ(list.status, 200) << list.body << list.error;
  rapidjson::Document doc;
  doc.Parse(list.body.c_str());
  ASSERT_TRUE(doc.IsObject() && doc.HasMember("items"));
  std::map<std::string, std::string> stored;
  for (const auto& item : doc["items"].GetArray()) {
    // Only the writers' ConfigMaps: default also holds the server's own
    // kube-root-ca.crt.
    if (!item.HasMember("data") || !item["data"].HasMember("value")) continue;
    stored[item["metadata"]["name"].GetString()] =
        item["data"]["value"].GetString();
  }

  size_t checked = 0;
  for (const auto& [name, value] : acks.created) {
    if (acks.deleted.count(name)) {
      EXPECT_EQ(stored.count(name), 0u) << name << " was deleted (acked)";
      continue;
    }
    if (acks.delete_unknown.count(name)) continue;
    auto it = stored.find(name);
    ASSERT_NE(it, stored.end()) << "acknowledged create lost: " << name;
    EXPECT_EQ(it->second, value) << name;
    ++checked;
  }
  for (const auto& [name, n] : acks.counters) {
    auto it = stored.find(name);
    ASSERT_NE(it, stored.end()) << name;
    EXPECT_GE(std::stoi(it->second), n)
        << "acknowledged patch of " << name << " lost";
  }
  EXPECT_GT(checked, 0u);
  EXPECT_FALSE(acks.deleted.empty());
  EXPECT_EQ(server.Stop(), 0) << server.log();
}

}  // namespace
}  // namespace berth::testing
