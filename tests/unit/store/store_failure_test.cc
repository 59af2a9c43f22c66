// A group commit whose LevelDB write fails: every writer in it gets
// Internal, and neither the cache nor the pending overlay keeps anything
// that was not acknowledged.
#include <atomic>
#include <filesystem>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "gtest/gtest.h"
#include "kernel/store/leveldb_store.h"
#include "leveldb/env.h"

namespace berth::store {
namespace {

// Fails every append while `fail` is set, as a full or broken disk would.
class FailingFile : public leveldb::WritableFile {
 public:
  FailingFile(leveldb::WritableFile* base, const std::atomic<bool>* fail)
      : base_(base), fail_(fail) {}
  leveldb::Status Append(const leveldb::Slice& data) override {
    if (*fail_) return leveldb::Status::IOError("injected append failure");
    return base_->Append(data);
  }
  leveldb::Status Close() override { return base_->Close(); }
  leveldb::Status Flush() override { return base_->Flush(); }
  leveldb::Status Sync() override { return base_->Sync(); }

 private:
  std::unique_ptr<leveldb::WritableFile> base_;
  const std::atomic<bool>* fail_;
};

class FailingEnv : public leveldb::EnvWrapper {
 public:
  FailingEnv() : EnvWrapper(leveldb::Env::Default()) {}
  leveldb::Status NewWritableFile(const std::string& name,
                                  leveldb::WritableFile** result) override {
    leveldb::Status s = target()->NewWritableFile(name, result);
    if (s.ok()) *result = new FailingFile(*result, &fail);
    return s;
  }
  leveldb::Status NewAppendableFile(const std::string& name,
                                    leveldb::WritableFile** result) override {
    leveldb::Status s = target()->NewAppendableFile(name, result);
    if (s.ok()) *result = new FailingFile(*result, &fail);
    return s;
  }
  std::atomic<bool> fail{false};
};

StatusOr<Object> Create(Store& s, const std::string& key,
                        const std::string& data, uint64_t* seen_rev = nullptr) {
  return s.Create(key, [&](uint64_t rev) {
    if (seen_rev != nullptr) *seen_rev = rev;
    return StatusOr<NewValue>(NewValue{data, {}, false});
  });
}

TEST(StoreFailureTest, FailedCommitFailsItsWritersAndRollsBack) {
  char tmpl[] = "/tmp/berth-store-fail-XXXXXX";
  ASSERT_NE(mkdtemp(tmpl), nullptr);
  const std::string dir = tmpl;
  {
    FailingEnv env;
    auto store = OpenLevelDbStoreWithEnv(dir, {}, &env);
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    Store& s = **store;
    ASSERT_TRUE(Create(s, "/ok", "kept").ok());
    auto w = s.Watch("/", 0, nullptr);
    ASSERT_TRUE(w.ok());
    std::vector<Event> events;
    ASSERT_TRUE((*w)->Next(&events, std::chrono::milliseconds(100)));
    ASSERT_EQ(events.size(), 1u);

    env.fail = true;
    std::vector<std::thread> threads;
    std::atomic<int> internal{0};
    for (int t = 0; t < 8; ++t) {
      threads.emplace_back([&, t] {
        const std::string key = "/bad/" + std::to_string(t);
        if (Create(s, key, "lost").status().code() == Status::Code::kInternal) {
          ++internal;
        }
      });
    }
    threads.emplace_back([&] {
      auto r = s.GuaranteedUpdate("/ok", [](const Object&, uint64_t) {
        return StatusOr<NewValue>(NewValue{"overwritten", {}, false});
      });
      if (r.status().code() == Status::Code::kInternal) ++internal;
    });
    for (std::thread& t : threads) t.join();
    EXPECT_EQ(internal, 9);

    EXPECT_EQ(s.CurrentRevision(), 1u);
    EXPECT_EQ(*s.Get("/ok")->data, "kept");
    EXPECT_EQ(s.Count("/bad/"), 0u);
    events.clear();
    ASSERT_TRUE((*w)->Next(&events, std::chrono::milliseconds(50)));
    EXPECT_TRUE(events.empty());
    // The overlay forgot the failed create (else AlreadyExists) and the
    // revision counter went back to the durable revision.
    uint64_t rev = 0;
    EXPECT_EQ(Create(s, "/bad/0", "again", &rev).status().code(),
              Status::Code::kInternal);
    EXPECT_EQ(rev, 2u);
  }
  {
    auto store = OpenLevelDbStore(dir, {});
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    EXPECT_EQ((*store)->CurrentRevision(), 1u);
    EXPECT_EQ(*(*store)->Get("/ok")->data, "kept");
    EXPECT_EQ((*store)->Count("/bad/"), 0u);
  }
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace berth::store
