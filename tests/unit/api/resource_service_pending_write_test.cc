// Writes that carry no resourceVersion (a binding, a patch, a scale, a
// delete) racing another write that is still waiting for its group commit:
// the store's read cache shows the old revision until that commit, so the
// ResourceService must retry from the newer state its compare-and-swap saw,
// not from the cache, or it used up its attempts and answered 409 "the
// object has been modified" (as pods/binding did against the scheduler's
// status writes). A LevelDB Env that holds the log append keeps the first
// write pending for as long as the test needs, with no timing involved.
#include <gtest/gtest.h>

#include <atomic>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "kernel/api/server/resource_service.h"
#include "kernel/store/leveldb_store.h"
#include "leveldb/env.h"
#include "tests/support/process.h"
#include "tests/support/simple_kind.h"

namespace berth::api {
namespace {

// Holds every log append while held, as a slow disk holds a group commit.
class HoldGate {
 public:
  void Hold() {
    std::lock_guard<std::mutex> lock(mu_);
    held_ = true;
  }
  void Release() {
    std::lock_guard<std::mutex> lock(mu_);
    held_ = false;
    cv_.notify_all();
  }
  // Blocks while held; tells WaitUntilBlocked that a write is stuck.
  void Pass() {
    std::unique_lock<std::mutex> lock(mu_);
    if (!held_) return;
    ++blocked_;
    cv_.notify_all();
    cv_.wait(lock, [this] { return !held_; });
  }
  void WaitUntilBlocked() {
    std::unique_lock<std::mutex> lock(mu_);
    cv_.wait(lock, [this] { return blocked_ > 0; });
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  bool held_ = false;
  int blocked_ = 0;
};

class HeldFile : public leveldb::WritableFile {
 public:
  HeldFile(leveldb::WritableFile* base, HoldGate* gate)
      : base_(base), gate_(gate) {}
  leveldb::Status Append(const leveldb::Slice& data) override {
    gate_->Pass();
    return base_->Append(data);
  }
  leveldb::Status Close() override { return base_->Close(); }
  leveldb::Status Flush() override { return base_->Flush(); }
  leveldb::Status Sync() override { return base_->Sync(); }

 private:
  std::unique_ptr<leveldb::WritableFile> base_;
  HoldGate* gate_;
};

class HeldEnv : public leveldb::EnvWrapper {
 public:
  HeldEnv() : EnvWrapper(leveldb::Env::Default()) {}
  leveldb::Status NewWritableFile(const std::string& name,
                                  leveldb::WritableFile** result) override {
    leveldb::Status s = target()->NewWritableFile(name, result);
    if (s.ok()) *result = new HeldFile(*result, &gate);
    return s;
  }
  leveldb::Status NewAppendableFile(const std::string& name,
                                    leveldb::WritableFile** result) override {
    leveldb::Status s = target()->NewAppendableFile(name, result);
    if (s.ok()) *result = new HeldFile(*result, &gate);
    return s;
  }
  HoldGate gate;
};

// A kind with a status subresource and an "assign" action like
// pods/binding. Once one of its hooks, called for the racing write on the
// test's thread, sees the pending status write, that write has moved past
// the stale cache, so the disk may go on.
class GatedKind : public testing::SimpleKind {
 public:
  explicit GatedKind(HoldGate* gate)
      : SimpleKind("example.com", "Widget", "widgets", true),
        gate_(gate),
        racer_(std::this_thread::get_id()) {
    info_ = SimpleKind::Info();
    info_.status_subresource = true;
  }
  const KindInfo& Info() const override { return info_; }
  void Default(Json& obj, JsonAlloc&) const override { SawPending(obj); }
  DeleteAction PrepareForDelete(Json& obj, JsonAlloc&) const override {
    SawPending(obj);
    return DeleteAction::kDelete;
  }
  std::vector<ActionSubresource> ActionSubresources() const override {
    return {{"assign", "Assignment", "example.com/v1"}};
  }
  StatusOr<SubresourceOutcome> ApplySubresource(const std::string&,
                                                const Json& body, Json& obj,
                                                JsonAlloc& a) const override {
    SetString(EnsureObject(obj, "spec", a), "host",
              GetString(body, {"target", "name"}), a);
    return SubresourceOutcome::kUpdate;
  }

 private:
  void SawPending(const Json& obj) const {
    if (std::this_thread::get_id() == racer_ &&
        GetString(obj, {"status", "by"}) == "writer") {
      gate_->Release();
    }
  }

  KindInfo info_;
  HoldGate* gate_;
  const std::thread::id racer_;
};

class PendingWriteTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto s = store::OpenLevelDbStoreWithEnv(dir_.path() + "/store", {}, &env_);
    ASSERT_TRUE(s.ok()) << s.status().message();
    store_ = std::move(s).value();
    service_ = std::make_unique<ResourceService>(store_.get());
    auto doc = ParseJson(
        R"({"metadata":{"name":"w"},"spec":{"replicas":1,"size":"s"}})");
    ASSERT_TRUE(doc.ok());
    ASSERT_TRUE(
        service_->Create(kind_, "default", std::move(doc).value(), {}).ok());
  }
  void TearDown() override {
    env_.gate.Release();
    if (status_writer_.joinable()) status_writer_.join();
  }

  // Starts a status write (as the scheduler's PodScheduled condition) and
  // returns once it waits for its commit.
  void StartPendingStatusWrite() {
    env_.gate.Hold();
    status_writer_ = std::thread([this] {
      auto r =
          service_->Patch(kind_, "default", "w", "status", PatchType::kMerge,
                          R"({"status":{"by":"writer"}})", {});
      EXPECT_TRUE(r.ok()) << r.status().ToString();
    });
    env_.gate.WaitUntilBlocked();
  }
  // Ends the racing write; joins the status writer once the disk is free.
  void Finish() {
    env_.gate.Release();
    status_writer_.join();
  }
  JsonDoc Stored() {
    auto o = service_->Get(kind_, "default", "w");
    EXPECT_TRUE(o.ok());
    JsonDoc d;
    if (o.ok()) d.Parse(o->data->data(), o->data->size());
    return d;
  }

  testing::TempDir dir_;
  HeldEnv env_;
  GatedKind kind_{&env_.gate};
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<ResourceService> service_;
  std::thread status_writer_;
};

TEST_F(PendingWriteTest, ActionSubresourceWaitsForAPendingStatusWrite) {
  StartPendingStatusWrite();
  auto r = service_->PostSubresource(
      kind_, "default", "w", "assign",
      R"({"apiVersion":"example.com/v1","kind":"Assignment",)"
      R"("metadata":{"name":"w"},"target":{"name":"n1"}})",
      {});
  Finish();
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  JsonDoc stored = Stored();
  EXPECT_EQ(GetString(stored, {"spec", "host"}), "n1");
  EXPECT_EQ(GetString(stored, {"status", "by"}), "writer");
}

TEST_F(PendingWriteTest, PatchWithoutResourceVersionWaitsForAPendingWrite) {
  StartPendingStatusWrite();
  auto r = service_->Patch(kind_, "default", "w", "", PatchType::kMerge,
                           R"({"spec":{"size":"m"}})", {});
  Finish();
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  JsonDoc stored = Stored();
  EXPECT_EQ(GetString(stored, {"spec", "size"}), "m");
  EXPECT_EQ(GetString(stored, {"status", "by"}), "writer");
}

TEST_F(PendingWriteTest, ScaleWaitsForAPendingWrite) {
  StartPendingStatusWrite();
  auto r = service_->UpdateScale(kind_, "default", "w", PatchType::kMerge,
                                 R"({"spec":{"replicas":3}})", {});
  Finish();
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  JsonDoc stored = Stored();
  EXPECT_EQ(GetInt(stored, {"spec", "replicas"}), 3);
  EXPECT_EQ(GetString(stored, {"status", "by"}), "writer");
}

TEST_F(PendingWriteTest, DeleteWaitsForAPendingWrite) {
  StartPendingStatusWrite();
  auto r = service_->Delete(kind_, "default", "w", {});
  Finish();
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  auto gone = service_->Get(kind_, "default", "w");
  ASSERT_FALSE(gone.ok());
  EXPECT_TRUE(gone.status().IsNotFound());
}

TEST_F(PendingWriteTest, StaleResourceVersionIsStillAConflict) {
  JsonDoc before = Stored();
  StartPendingStatusWrite();
  SetString(before["spec"], "size", "l", before.GetAllocator());
  auto r = service_->Update(kind_, "default", "w", "", std::move(before), {});
  Finish();
  ASSERT_FALSE(r.ok());
  EXPECT_TRUE(r.status().IsConflict()) << r.status().ToString();
  EXPECT_EQ(GetString(Stored(), {"spec", "size"}), "s");
}

}  // namespace
}  // namespace berth::api
