#include "kernel/api/server/selection_exit_watcher.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <string>
#include <vector>

#include "berth/json.h"

namespace berth::api {
namespace {

using std::chrono::milliseconds;

// An object leaving a watch's selection is DELETED with its last matching
// content but the event's resourceVersion, as kube-apiserver sends it; a
// real delete is passed through untouched.
TEST(SelectionExitWatcherTest, ExitCarriesOldObjectWithEventVersion) {
  char tmpl[] = "/tmp/berth-exit-test-XXXXXX";
  const std::string dir = mkdtemp(tmpl);
  store::Options options;
  options.sync = false;
  auto store = store::OpenLevelDbStore(dir, options);
  ASSERT_TRUE(store.ok());
  auto write = [&](const std::string& app, bool create) {
    auto value = [&](uint64_t rev) {
      store::NewValue v;
      v.data = R"({"metadata":{"name":"a","resourceVersion":")" +
               std::to_string(rev) + R"("},"app":")" + app + R"("})";
      v.attrs.labels["app"] = app;
      return StatusOr<store::NewValue>(std::move(v));
    };
    auto r = create ? (*store)->Create("/p/a", value)
                    : (*store)->GuaranteedUpdate(
                          "/p/a", [&](const store::Object&, uint64_t rev) {
                            return value(rev);
                          });
    ASSERT_TRUE(r.ok()) << r.status().ToString();
  };
  write("web", true);
  store::Predicate web = [](const store::Object& o) {
    return o.attrs && o.attrs->labels.count("app") &&
           o.attrs->labels.at("app") == "web";
  };
  auto inner = (*store)->Watch("/p/", (*store)->CurrentRevision(), web);
  ASSERT_TRUE(inner.ok());
  auto w = WrapSelectionExits(std::move(inner).value());
  write("db", false);

  std::vector<store::Event> events;
  for (int i = 0; i < 100 && events.empty(); ++i) {
    ASSERT_TRUE(w->Next(&events, milliseconds(20)));
  }
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].type, store::Event::Type::kDeleted);
  auto obj = ParseJson(*events[0].object.data);
  ASSERT_TRUE(obj.ok());
  EXPECT_EQ(GetString(*obj, {"app"}), "web");
  EXPECT_EQ(GetString(*obj, {"metadata", "resourceVersion"}),
            std::to_string(events[0].revision));
  EXPECT_EQ(events[0].object.mod_revision, events[0].revision);
  w->Stop();
  store->reset();
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace berth::api
