#include "kernel/store/store.h"

#include <stdlib.h>

#include <atomic>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include "gtest/gtest.h"
#include "tests/support/temp_dir.h"

namespace berth::store {
namespace {

using std::chrono::milliseconds;

using ::berth::testing::TempDir;

std::unique_ptr<Store> OpenOrDie(const std::string& dir, Options options = {}) {
  auto store = OpenLevelDbStore(dir, std::move(options));
  EXPECT_TRUE(store.ok()) << store.status().ToString();
  return store.ok() ? std::move(*store) : nullptr;
}

StatusOr<Object> Create(Store& s, const std::string& key,
                        const std::string& data,
                        std::map<std::string, std::string> labels = {}) {
  return s.Create(key, [&](uint64_t) {
    return StatusOr<NewValue>(NewValue{data, Attrs{labels, {}}, false});
  });
}

StatusOr<Object> Update(Store& s, const std::string& key,
                        const std::string& data,
                        std::map<std::string, std::string> labels = {}) {
  return s.GuaranteedUpdate(key, [&](const Object&, uint64_t) {
    return StatusOr<NewValue>(NewValue{data, Attrs{labels, {}}, false});
  });
}

StatusOr<Object> Remove(Store& s, const std::string& key,
                        const std::string& final_data = "gone") {
  return s.Delete(key, [&](const Object&, uint64_t) {
    return StatusOr<std::string>(final_data);
  });
}

bool IsWeb(const Object& o) {
  auto it = o.attrs->labels.find("app");
  return it != o.attrs->labels.end() && it->second == "web";
}

// Waits a few seconds at most for the watcher's progress to reach `rev`:
// events reach watchers just after the writes that made them return.
uint64_t WaitForProgress(const Watcher& w, uint64_t rev) {
  const auto deadline = std::chrono::steady_clock::now() + milliseconds(3000);
  while (w.Progress() < rev && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(milliseconds(1));
  }
  return w.Progress();
}

// Collects events until `n` arrived or a few seconds passed.
std::vector<Event> NextEvents(Watcher& w, size_t n) {
  std::vector<Event> out;
  const auto deadline = std::chrono::steady_clock::now() + milliseconds(3000);
  while (out.size() < n && std::chrono::steady_clock::now() < deadline) {
    if (!w.Next(&out, milliseconds(50))) break;
  }
  return out;
}

TEST(StoreTest, CreateGetUpdateDelete) {
  TempDir dir;
  auto store = OpenOrDie(dir.path());
  ASSERT_TRUE(store);
  EXPECT_EQ(store->CurrentRevision(), 0u);

  uint64_t seen_rev = 0;
  auto created = store->Create("/r/ns/a", [&](uint64_t rev) {
    seen_rev = rev;
    return StatusOr<NewValue>(NewValue{"v1@" + std::to_string(rev), {}, false});
  });
  ASSERT_TRUE(created.ok());
  EXPECT_EQ(seen_rev, 1u);
  EXPECT_EQ(created->create_revision, 1u);
  EXPECT_EQ(created->mod_revision, 1u);
  EXPECT_EQ(*created->data, "v1@1");
  EXPECT_EQ(store->CurrentRevision(), 1u);

  auto got = store->Get("/r/ns/a");
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(*got->data, "v1@1");
  // The cache hands out the bytes it holds, not a copy.
  EXPECT_EQ(got->data.get(), store->Get("/r/ns/a")->data.get());

  auto updated =
      store->GuaranteedUpdate("/r/ns/a", [](const Object& cur, uint64_t rev) {
        return StatusOr<NewValue>(
            NewValue{*cur.data + "+v2@" + std::to_string(rev), {}, false});
      });
  ASSERT_TRUE(updated.ok());
  EXPECT_EQ(*updated->data, "v1@1+v2@2");
  EXPECT_EQ(updated->create_revision, 1u);
  EXPECT_EQ(updated->mod_revision, 2u);

  auto deleted = store->Delete("/r/ns/a", [](const Object& cur, uint64_t rev) {
    EXPECT_EQ(cur.mod_revision, 2u);
    return StatusOr<std::string>("final@" + std::to_string(rev));
  });
  ASSERT_TRUE(deleted.ok());
  EXPECT_EQ(*deleted->data, "final@3");
  EXPECT_EQ(deleted->mod_revision, 3u);
  EXPECT_EQ(deleted->create_revision, 1u);
  EXPECT_TRUE(store->Get("/r/ns/a").status().IsNotFound());
  EXPECT_EQ(store->CurrentRevision(), 3u);
  EXPECT_EQ(store->Count("/r/"), 0u);
}

TEST(StoreTest, AlreadyExistsAndNotFound) {
  TempDir dir;
  auto store = OpenOrDie(dir.path());
  ASSERT_TRUE(Create(*store, "/k", "a").ok());
  EXPECT_TRUE(Create(*store, "/k", "b").status().IsAlreadyExists());
  EXPECT_EQ(*store->Get("/k")->data, "a");
  EXPECT_TRUE(store->Get("/missing").status().IsNotFound());
  EXPECT_TRUE(Update(*store, "/missing", "x").status().IsNotFound());
  EXPECT_TRUE(Remove(*store, "/missing").status().IsNotFound());
  EXPECT_EQ(store->CurrentRevision(), 1u);
}

TEST(StoreTest, CallbackErrorAbortsTheWrite) {
  TempDir dir;
  auto store = OpenOrDie(dir.path());
  ASSERT_TRUE(Create(*store, "/k", "a").ok());
  auto conflict = store->GuaranteedUpdate("/k", [](const Object&, uint64_t) {
    return StatusOr<NewValue>(Status::Conflict("stale resourceVersion"));
  });
  EXPECT_TRUE(conflict.status().IsConflict());
  auto refused = store->Delete("/k", [](const Object&, uint64_t) {
    return StatusOr<std::string>(Status::Conflict("uid mismatch"));
  });
  EXPECT_TRUE(refused.status().IsConflict());
  auto invalid = store->Create("/j", [](uint64_t) {
    return StatusOr<NewValue>(Status::Invalid("bad"));
  });
  EXPECT_EQ(invalid.status().code(), Status::Code::kInvalid);
  EXPECT_EQ(*store->Get("/k")->data, "a");
  EXPECT_TRUE(store->Get("/j").status().IsNotFound());
  EXPECT_EQ(store->CurrentRevision(), 1u);
  // The revision the failed callbacks saw is handed to the next write.
  EXPECT_EQ(Create(*store, "/j", "b")->mod_revision, 2u);
}

TEST(StoreTest, UnchangedUpdateDoesNotBumpRevision) {
  TempDir dir;
  auto store = OpenOrDie(dir.path());
  ASSERT_TRUE(Create(*store, "/k", "a").ok());
  auto same = store->GuaranteedUpdate("/k", [](const Object&, uint64_t) {
    return StatusOr<NewValue>(NewValue{"", {}, true});
  });
  ASSERT_TRUE(same.ok());
  EXPECT_EQ(*same->data, "a");
  EXPECT_EQ(same->mod_revision, 1u);
  EXPECT_EQ(store->CurrentRevision(), 1u);
}

TEST(StoreTest, RevisionPersistsAcrossReopenIncludingDeletes) {
  TempDir dir;
  Options options;
  options.attrs_for_load = [](std::string_view key, std::string_view data) {
    Attrs a;
    a.fields["metadata.name"] = std::string(key);
    a.labels["data"] = std::string(data);
    return a;
  };
  {
    auto store = OpenOrDie(dir.path());
    ASSERT_TRUE(Create(*store, "/a", "1").ok());
    ASSERT_TRUE(Create(*store, "/b", "2").ok());
    ASSERT_TRUE(Update(*store, "/a", "3").ok());
    ASSERT_TRUE(Remove(*store, "/b").ok());
    ASSERT_TRUE(Create(*store, "/c", "5").ok());
    ASSERT_TRUE(Remove(*store, "/c").ok());
    EXPECT_EQ(store->CurrentRevision(), 6u);
  }
  {
    auto store = OpenOrDie(dir.path(), options);
    // The last write was a delete: its revision must not be lost.
    EXPECT_EQ(store->CurrentRevision(), 6u);
    auto a = store->Get("/a");
    ASSERT_TRUE(a.ok());
    EXPECT_EQ(*a->data, "3");
    EXPECT_EQ(a->create_revision, 1u);
    EXPECT_EQ(a->mod_revision, 3u);
    EXPECT_EQ(a->attrs->labels.at("data"), "3");
    EXPECT_EQ(a->attrs->fields.at("metadata.name"), "/a");
    EXPECT_TRUE(store->Get("/b").status().IsNotFound());
    EXPECT_TRUE(store->Get("/c").status().IsNotFound());
    EXPECT_EQ(Create(*store, "/d", "7")->mod_revision, 7u);
  }
  {
    auto store = OpenOrDie(dir.path());
    EXPECT_EQ(store->CurrentRevision(), 7u);
    // Without attrs_for_load the loaded attributes are empty.
    EXPECT_TRUE(store->Get("/a")->attrs->labels.empty());
  }
}

TEST(StoreTest, ListPagesWithLimitAndContinue) {
  TempDir dir;
  auto store = OpenOrDie(dir.path());
  for (int i = 0; i < 10; ++i) {
    ASSERT_TRUE(
        Create(*store, "/pods/ns/p" + std::to_string(i), std::to_string(i))
            .ok());
  }
  ASSERT_TRUE(Create(*store, "/pods/other/x", "x").ok());
  ASSERT_TRUE(Create(*store, "/podsx", "not under the prefix").ok());

  std::vector<std::string> keys;
  std::string token;
  int pages = 0;
  do {
    auto page = store->List("/pods/ns/", nullptr, 3, token);
    ASSERT_TRUE(page.ok()) << page.status().ToString();
    EXPECT_EQ(page->revision, 12u);
    EXPECT_LE(page->items.size(), 3u);
    for (const Object& o : page->items) keys.push_back(o.key);
    token = page->continue_token;
    ++pages;
  } while (!token.empty() && pages < 10);
  EXPECT_EQ(pages, 4);
  ASSERT_EQ(keys.size(), 10u);
  for (int i = 0; i < 10; ++i)
    EXPECT_EQ(keys[i], "/pods/ns/p" + std::to_string(i));

  auto all = store->List("/pods/", nullptr, 0, "");
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(all->items.size(), 11u);
  EXPECT_TRUE(all->continue_token.empty());

  // Continue runs over current state: a key created behind the cursor is
  // not returned, one ahead of it is.
  auto first = store->List("/pods/ns/", nullptr, 3, "");
  ASSERT_TRUE(Create(*store, "/pods/ns/p00", "behind").ok());
  ASSERT_TRUE(Create(*store, "/pods/ns/p99", "ahead").ok());
  auto rest = store->List("/pods/ns/", nullptr, 0, first->continue_token);
  ASSERT_TRUE(rest.ok());
  ASSERT_EQ(rest->items.size(), 8u);
  EXPECT_EQ(rest->items.front().key, "/pods/ns/p3");
  EXPECT_EQ(rest->items.back().key, "/pods/ns/p99");
}

TEST(StoreTest, ListFiltersWithPredicate) {
  TempDir dir;
  auto store = OpenOrDie(dir.path());
  for (int i = 0; i < 6; ++i) {
    ASSERT_TRUE(Create(*store, "/p/" + std::to_string(i), "",
                       {{"app", i % 2 ? "web" : "db"}})
                    .ok());
  }
  auto page = store->List("/p/", IsWeb, 2, "");
  ASSERT_TRUE(page.ok());
  ASSERT_EQ(page->items.size(), 2u);
  EXPECT_EQ(page->items[0].key, "/p/1");
  EXPECT_EQ(page->items[1].key, "/p/3");
  ASSERT_FALSE(page->continue_token.empty());
  auto next = store->List("/p/", IsWeb, 2, page->continue_token);
  ASSERT_TRUE(next.ok());
  ASSERT_EQ(next->items.size(), 1u);
  EXPECT_EQ(next->items[0].key, "/p/5");
  EXPECT_TRUE(next->continue_token.empty());
}

TEST(StoreTest, MalformedContinueIsBadRequest) {
  TempDir dir;
  auto store = OpenOrDie(dir.path());
  for (int i = 0; i < 3; ++i) {
    ASSERT_TRUE(Create(*store, "/a/" + std::to_string(i), "").ok());
  }
  for (const std::string token : {"!!!", "bm90IGEgdG9rZW4", "Og", "x"}) {
    EXPECT_EQ(store->List("/a/", nullptr, 1, token).status().code(),
              Status::Code::kBadRequest)
        << token;
  }
  // A token from another prefix is not accepted either.
  auto page = store->List("/a/", nullptr, 1, "");
  ASSERT_FALSE(page->continue_token.empty());
  EXPECT_EQ(
      store->List("/b/", nullptr, 1, page->continue_token).status().code(),
      Status::Code::kBadRequest);
}

TEST(StoreTest, WatchFromZeroStartsWithCurrentState) {
  TempDir dir;
  auto store = OpenOrDie(dir.path());
  ASSERT_TRUE(Create(*store, "/w/a", "a").ok());
  ASSERT_TRUE(Create(*store, "/w/b", "b").ok());
  ASSERT_TRUE(Update(*store, "/w/a", "a2").ok());
  ASSERT_TRUE(Create(*store, "/other", "o").ok());

  auto w = store->Watch("/w/", 0, nullptr);
  ASSERT_TRUE(w.ok());
  auto initial = NextEvents(**w, 2);
  ASSERT_EQ(initial.size(), 2u);
  EXPECT_EQ(initial[0].type, Event::Type::kAdded);
  EXPECT_EQ(initial[0].object.key, "/w/a");
  EXPECT_EQ(initial[0].revision, 3u);
  EXPECT_EQ(initial[1].object.key, "/w/b");
  EXPECT_EQ(initial[1].revision, 2u);
  EXPECT_EQ((*w)->Progress(), 4u);

  ASSERT_TRUE(Update(*store, "/w/b", "b2").ok());
  ASSERT_TRUE(Create(*store, "/other2", "o").ok());
  ASSERT_TRUE(Remove(*store, "/w/a", "a-final").ok());
  auto later = NextEvents(**w, 2);
  ASSERT_EQ(later.size(), 2u);
  EXPECT_EQ(later[0].type, Event::Type::kModified);
  EXPECT_EQ(*later[0].object.data, "b2");
  EXPECT_EQ(later[0].revision, 5u);
  EXPECT_EQ(later[1].type, Event::Type::kDeleted);
  EXPECT_EQ(*later[1].object.data, "a-final");
  EXPECT_EQ(later[1].revision, 7u);
  EXPECT_EQ((*w)->Progress(), 7u);
}

TEST(StoreTest, WatchFromRevisionReplaysLaterEvents) {
  TempDir dir;
  auto store = OpenOrDie(dir.path());
  for (int i = 0; i < 5; ++i) {
    ASSERT_TRUE(Create(*store, "/w/" + std::to_string(i), "").ok());
  }
  auto w = store->Watch("/w/", 2, nullptr);
  ASSERT_TRUE(w.ok());
  auto events = NextEvents(**w, 3);
  ASSERT_EQ(events.size(), 3u);
  EXPECT_EQ(events[0].revision, 3u);
  EXPECT_EQ(events[2].revision, 5u);
  for (const Event& e : events) EXPECT_EQ(e.type, Event::Type::kAdded);

  // Watching from the current revision of a freshly reopened store works.
  w->reset();
  store.reset();
  store = OpenOrDie(dir.path());
  auto fresh = store->Watch("/w/", 5, nullptr);
  ASSERT_TRUE(fresh.ok()) << fresh.status().ToString();
  EXPECT_EQ(store->Watch("/w/", 4, nullptr).status().code(),
            Status::Code::kGone);
  ASSERT_TRUE(Create(*store, "/w/new", "").ok());
  auto after = NextEvents(**fresh, 1);
  ASSERT_EQ(after.size(), 1u);
  EXPECT_EQ(after[0].object.key, "/w/new");
  EXPECT_EQ(after[0].revision, 6u);
}

TEST(StoreTest, WatchFromCompactedRevisionIsGone) {
  TempDir dir;
  Options options;
  options.watch_window_events = 3;
  auto store = OpenOrDie(dir.path(), options);
  for (int i = 0; i < 10; ++i) {
    ASSERT_TRUE(Create(*store, "/w/" + std::to_string(i), "").ok());
  }
  // Revisions 8, 9, 10 are kept: resuming from 7 still works.
  auto ok = store->Watch("/w/", 7, nullptr);
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ(NextEvents(**ok, 3).size(), 3u);
  auto gone = store->Watch("/w/", 6, nullptr);
  EXPECT_EQ(gone.status().code(), Status::Code::kGone);
  EXPECT_EQ(gone.status().message(), "too old resource version: 6 (7)");
}

TEST(StoreTest, WatchWindowIsBoundedInBytes) {
  TempDir dir;
  Options options;
  options.watch_window_bytes = 3000;
  auto store = OpenOrDie(dir.path(), options);
  const std::string kilobyte(1000, 'x');
  for (int i = 0; i < 10; ++i) {
    ASSERT_TRUE(Create(*store, "/w/" + std::to_string(i), kilobyte).ok());
  }
  // Three 1,000-byte creates fit (revisions 8, 9, 10): resuming from 7
  // works, from 6 is Gone although far fewer events than the event bound.
  auto ok = store->Watch("/w/", 7, nullptr);
  ASSERT_TRUE(ok.ok()) << ok.status().ToString();
  EXPECT_EQ(NextEvents(**ok, 3).size(), 3u);
  auto gone = store->Watch("/w/", 6, nullptr);
  EXPECT_EQ(gone.status().code(), Status::Code::kGone);
}

TEST(StoreTest, WatchPredicateTransitions) {
  TempDir dir;
  auto store = OpenOrDie(dir.path());
  ASSERT_TRUE(Create(*store, "/p/a", "a1", {{"app", "web"}}).ok());
  auto w = store->Watch("/p/", store->CurrentRevision(), IsWeb);
  ASSERT_TRUE(w.ok());

  ASSERT_TRUE(Create(*store, "/p/b", "b1", {{"app", "db"}}).ok());   // skipped
  ASSERT_TRUE(Update(*store, "/p/a", "a2", {{"app", "web"}}).ok());  // MODIFIED
  ASSERT_TRUE(Update(*store, "/p/a", "a3", {{"app", "db"}}).ok());   // DELETED
  ASSERT_TRUE(Update(*store, "/p/b", "b2", {{"app", "web"}}).ok());  // ADDED
  ASSERT_TRUE(Update(*store, "/p/a", "a4", {{"app", "db"}}).ok());   // skipped
  ASSERT_TRUE(Remove(*store, "/p/a").ok());                          // skipped
  ASSERT_TRUE(Remove(*store, "/p/b").ok());                          // DELETED

  auto events = NextEvents(**w, 4);
  ASSERT_EQ(events.size(), 4u);
  EXPECT_EQ(events[0].type, Event::Type::kModified);
  EXPECT_EQ(*events[0].object.data, "a2");
  EXPECT_EQ(events[1].type, Event::Type::kDeleted);
  EXPECT_EQ(events[1].object.key, "/p/a");
  EXPECT_EQ(events[1].revision, 4u);
  // Leaving the selection: the object as the watcher last matched it.
  EXPECT_EQ(*events[1].object.data, "a2");
  EXPECT_EQ(events[1].object.mod_revision, 3u);
  EXPECT_EQ(events[2].type, Event::Type::kAdded);
  EXPECT_EQ(*events[2].object.data, "b2");
  EXPECT_EQ(events[3].type, Event::Type::kDeleted);
  EXPECT_EQ(events[3].object.key, "/p/b");
  EXPECT_EQ(events[3].revision, 8u);
  std::vector<Event> none;
  EXPECT_TRUE((*w)->Next(&none, milliseconds(20)));
  EXPECT_TRUE(none.empty());
  EXPECT_EQ((*w)->Progress(), 8u);
}

// Collects shared events until `n` arrived or a few seconds passed.
std::vector<EventPtr> NextSharedEvents(Watcher& w, size_t n) {
  std::vector<EventPtr> out;
  const auto deadline = std::chrono::steady_clock::now() + milliseconds(3000);
  while (out.size() < n && std::chrono::steady_clock::now() < deadline) {
    if (!w.NextShared(&out, milliseconds(50))) break;
  }
  return out;
}

// A write fanned out to many watchers is one event they all point to, not
// a copy each; a watcher whose selector turns it into another event gets
// its own, and the shared one is left as committed.
TEST(StoreTest, WatchersShareOneEventAndSelectorsGetTheirOwn) {
  TempDir dir;
  auto store = OpenOrDie(dir.path());
  ASSERT_TRUE(store);
  const uint64_t from = store->CurrentRevision();
  auto all = store->Watch("/p/", from, nullptr);
  auto also_all = store->Watch("/p/", from, nullptr);
  auto web = store->Watch("/p/", from, IsWeb);
  ASSERT_TRUE(all.ok() && also_all.ok() && web.ok());

  ASSERT_TRUE(Create(*store, "/p/a", "a1", {{"app", "web"}}).ok());
  ASSERT_TRUE(Update(*store, "/p/a", "a2", {{"app", "db"}}).ok());

  auto a = NextSharedEvents(**all, 2);
  auto b = NextSharedEvents(**also_all, 2);
  auto w = NextSharedEvents(**web, 2);
  ASSERT_EQ(a.size(), 2u);
  ASSERT_EQ(b.size(), 2u);
  ASSERT_EQ(w.size(), 2u);
  EXPECT_EQ(a[0].get(), b[0].get());
  EXPECT_EQ(a[1].get(), b[1].get());
  EXPECT_EQ(a[0].get(), w[0].get());  // ADDED as committed

  EXPECT_NE(a[1].get(), w[1].get());
  EXPECT_EQ(w[1]->event().type, Event::Type::kDeleted);
  EXPECT_EQ(*w[1]->event().object.data, "a1");
  EXPECT_EQ(a[1]->event().type, Event::Type::kModified);
  EXPECT_EQ(*a[1]->event().object.data, "a2");
}

// The API layer encodes an event once for all the streams that send it.
TEST(StoreTest, SharedEventEncodesOnce) {
  Object obj;
  obj.key = "/p/a";
  obj.data = std::make_shared<const std::string>("a1");
  const SharedEvent ev(Event{Event::Type::kAdded, obj, 1});
  std::atomic<int> calls{0};
  auto encode = [&](const Event& e) {
    ++calls;
    return "line:" + *e.object.data;
  };
  std::vector<std::thread> threads;
  std::vector<const std::string*> seen(4);
  for (size_t i = 0; i < seen.size(); ++i) {
    threads.emplace_back([&, i] { seen[i] = &ev.Encoded(encode); });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(calls.load(), 1);
  for (const std::string* s : seen) {
    EXPECT_EQ(s, seen[0]);
    EXPECT_EQ(*s, "line:a1");
  }
}

TEST(StoreTest, SlowWatcherIsClosedWithGone) {
  TempDir dir;
  Options options;
  options.watch_queue_limit = 5;
  auto store = OpenOrDie(dir.path(), options);
  auto slow = store->Watch("/", 0, nullptr);
  auto other = store->Watch("/unrelated/", 0, nullptr);
  ASSERT_TRUE(slow.ok() && other.ok());
  for (int i = 0; i < 10; ++i) {
    ASSERT_TRUE(Create(*store, "/k" + std::to_string(i), "").ok());
  }
  // The 10th write returned, so the batches before it, 9 events, were
  // fanned out: the watcher overflowed.
  std::vector<Event> out;
  EXPECT_FALSE((*slow)->Next(&out, milliseconds(10)));
  EXPECT_EQ((*slow)->error().code(), Status::Code::kGone);
  // A watcher whose selection saw nothing is unaffected.
  EXPECT_TRUE((*other)->Next(&out, milliseconds(10)));
  EXPECT_TRUE(out.empty());
  EXPECT_EQ(WaitForProgress(**other, 10), 10u);
}

TEST(StoreTest, StopWakesBlockedNext) {
  TempDir dir;
  auto store = OpenOrDie(dir.path());
  auto w = store->Watch("/", 0, nullptr);
  ASSERT_TRUE(w.ok());
  std::atomic<bool> returned{false};
  bool result = true;
  std::thread reader([&] {
    std::vector<Event> out;
    result = (*w)->Next(&out, milliseconds(10000));
    returned = true;
  });
  std::this_thread::sleep_for(milliseconds(50));
  EXPECT_FALSE(returned);
  const auto start = std::chrono::steady_clock::now();
  (*w)->Stop();
  reader.join();
  EXPECT_FALSE(result);
  EXPECT_LT(std::chrono::steady_clock::now() - start, milliseconds(2000));
  (*w)->Stop();  // idempotent
  // Writes after Stop do not reach the closed watcher (nor crash).
  EXPECT_TRUE(Create(*store, "/after", "").ok());
}

// A thread serving many watchers registers a callback instead of blocking
// in Next: it must hear of the initial state, of later events and of the
// close (with the same Gone as Next), and nothing once it stopped.
TEST(StoreTest, NotifyCallbackSignalsEventsAndClose) {
  TempDir dir;
  Options options;
  options.watch_queue_limit = 3;
  auto store = OpenOrDie(dir.path(), options);
  ASSERT_TRUE(Create(*store, "/n/a", "1").ok());
  auto w = store->Watch("/n/", 0, nullptr);
  ASSERT_TRUE(w.ok());
  std::atomic<int> calls{0};
  (*w)->SetNotify([&] { ++calls; });
  EXPECT_EQ(calls, 1);  // the initial ADDED is already queued
  std::vector<Event> out;
  ASSERT_TRUE((*w)->Next(&out, milliseconds(0)));
  ASSERT_EQ(out.size(), 1u);
  ASSERT_TRUE(Create(*store, "/n/b", "2").ok());
  ASSERT_TRUE(Create(*store, "/unrelated", "").ok());
  for (int i = 0; i < 1000 && calls < 2; ++i) {
    std::this_thread::sleep_for(milliseconds(5));
  }
  EXPECT_EQ(calls, 2);  // not for the key outside the prefix
  out.clear();
  ASSERT_TRUE((*w)->Next(&out, milliseconds(0)));
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].object.key, "/n/b");
  // Overflow: the callback hears of the close; Next says Gone.
  for (int i = 0; i < 6; ++i) {
    ASSERT_TRUE(Create(*store, "/n/x" + std::to_string(i), "").ok());
  }
  bool open = true;
  for (int i = 0; i < 1000 && open; ++i) {
    out.clear();
    open = (*w)->Next(&out, milliseconds(0));
    if (open) std::this_thread::sleep_for(milliseconds(5));
  }
  EXPECT_FALSE(open);
  EXPECT_EQ((*w)->error().code(), Status::Code::kGone);

  auto stopped = store->Watch("/n/", store->CurrentRevision(), nullptr);
  ASSERT_TRUE(stopped.ok());
  std::atomic<int> after_stop{0};
  (*stopped)->SetNotify([&] { ++after_stop; });
  (*stopped)->Stop();
  ASSERT_TRUE(Create(*store, "/n/late", "").ok());
  EXPECT_EQ(after_stop, 0);
}

TEST(StoreTest, WatcherOutlivingTheStoreIsClosed) {
  TempDir dir;
  auto store = OpenOrDie(dir.path());
  auto w = store->Watch("/", 0, nullptr);
  ASSERT_TRUE(w.ok());
  store.reset();
  std::vector<Event> out;
  EXPECT_FALSE((*w)->Next(&out, milliseconds(10)));
  EXPECT_EQ((*w)->error().code(), Status::Code::kUnavailable);
}

TEST(StoreTest, ConcurrentWritersAllDurable) {
  TempDir dir;
  constexpr int kThreads = 16;
  constexpr int kPerThread = 200;
  {
    auto store = OpenOrDie(dir.path());
    auto w = store->Watch("/c/", 0, nullptr);
    ASSERT_TRUE(w.ok());
    std::vector<std::thread> threads;
    std::atomic<int> failures{0};
    for (int t = 0; t < kThreads; ++t) {
      threads.emplace_back([&, t] {
        for (int i = 0; i < kPerThread; ++i) {
          const std::string key =
              "/c/" + std::to_string(t) + "/" + std::to_string(i);
          if (!Create(*store, key, "data:" + key).ok()) ++failures;
        }
      });
    }
    for (std::thread& t : threads) t.join();
    EXPECT_EQ(failures, 0);
    EXPECT_EQ(store->CurrentRevision(), uint64_t{kThreads * kPerThread});
    // Watchers see every write, in revision order.
    auto events = NextEvents(**w, kThreads * kPerThread);
    ASSERT_EQ(events.size(), size_t{kThreads * kPerThread});
    for (size_t i = 0; i < events.size(); ++i) {
      EXPECT_EQ(events[i].revision, i + 1);
    }
  }
  auto store = OpenOrDie(dir.path());
  EXPECT_EQ(store->Count("/c/"), size_t{kThreads * kPerThread});
  EXPECT_EQ(store->CurrentRevision(), uint64_t{kThreads * kPerThread});
  for (int t = 0; t < kThreads; ++t) {
    for (int i = 0; i < kPerThread; ++i) {
      const std::string key =
          "/c/" + std::to_string(t) + "/" + std::to_string(i);
      auto got = store->Get(key);
      ASSERT_TRUE(got.ok()) << key;
      EXPECT_EQ(*got->data, "data:" + key);
    }
  }
}

// A writer's preconditions see earlier writes that are not durable yet: the
// update of a key whose create is still being fsync'd finds it, and a second
// create of it is refused. Readers do not see the pending create.
TEST(StoreTest, PreconditionsSeePendingWrites) {
  TempDir dir;
  auto store = OpenOrDie(dir.path());
  int pending_observed = 0;
  for (int i = 0; i < 20; ++i) {
    const std::string key = "/pending/" + std::to_string(i);
    std::atomic<bool> enqueued{false};
    StatusOr<Object> created = Status::Internal("not run");
    std::thread creator([&] {
      created = store->Create(key, [&](uint64_t) {
        enqueued = true;  // the write lock is held until the op is queued
        return StatusOr<NewValue>(NewValue{"v1", {}, false});
      });
    });
    while (!enqueued) std::this_thread::yield();
    const bool visible = store->Get(key).ok();
    auto second = Create(*store, key, "dup");
    auto updated =
        store->GuaranteedUpdate(key, [](const Object& cur, uint64_t rev) {
          return StatusOr<NewValue>(NewValue{*cur.data + "+v2", {}, false});
        });
    creator.join();
    if (!visible) ++pending_observed;
    ASSERT_TRUE(created.ok());
    EXPECT_TRUE(second.status().IsAlreadyExists());
    ASSERT_TRUE(updated.ok()) << updated.status().ToString();
    EXPECT_EQ(*updated->data, "v1+v2");
    EXPECT_EQ(updated->create_revision, created->mod_revision);
    EXPECT_EQ(updated->mod_revision, created->mod_revision + 1);
    EXPECT_EQ(*store->Get(key)->data, "v1+v2");
  }
  // Each create waits for an fsync, so the reads above nearly always run
  // while it is pending; without that this test would prove nothing.
  EXPECT_GT(pending_observed, 0);
}

}  // namespace
}  // namespace berth::store
