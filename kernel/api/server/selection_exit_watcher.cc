#include "kernel/api/server/selection_exit_watcher.h"

#include <string>
#include <utility>
#include <vector>

#include "berth/json.h"
#include "kernel/api/server/stamped_object.h"

namespace berth::api {
namespace {

class SelectionExitWatcher : public store::Watcher {
 public:
  explicit SelectionExitWatcher(std::unique_ptr<store::Watcher> inner)
      : inner_(std::move(inner)) {}

  bool NextShared(std::vector<store::EventPtr>* out,
                  std::chrono::milliseconds timeout) override {
    const size_t first = out->size();
    const bool open = inner_->NextShared(out, timeout);
    for (size_t i = first; i < out->size(); ++i) Restamp((*out)[i]);
    return open;
  }
  uint64_t Progress() const override { return inner_->Progress(); }
  Status error() const override { return inner_->error(); }
  void Stop() override { inner_->Stop(); }
  void SetNotify(std::function<void()> notify) override {
    inner_->SetNotify(std::move(notify));
  }

 private:
  // A real delete's object is stamped with the deletion revision; an exit
  // from the selection carries the older object. Events are shared: a
  // re-stamped one is a new event.
  static void Restamp(store::EventPtr& shared) {
    const store::Event& in = shared->event();
    if (in.type != store::Event::Type::kDeleted ||
        in.object.mod_revision == in.revision || !in.object.data) {
      return;
    }
    store::Event ev = in;
    auto doc = ParseJson(*ev.object.data);
    if (!doc.ok()) return;
    ev.object.data = std::make_shared<const std::string>(
        EncodeWithRevision(*doc, doc->GetAllocator(), ev.revision));
    ev.object.mod_revision = ev.revision;
    shared = std::make_shared<const store::SharedEvent>(std::move(ev));
  }

  std::unique_ptr<store::Watcher> inner_;
};

}  // namespace

std::unique_ptr<store::Watcher> WrapSelectionExits(
    std::unique_ptr<store::Watcher> inner) {
  return std::make_unique<SelectionExitWatcher>(std::move(inner));
}

}  // namespace berth::api
