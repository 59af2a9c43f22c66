#include "kernel/controller/informer_factory.h"

namespace berth {

InformerFactory::InformerFactory(Client& client,
                                 SharedInformer::Options options)
    : client_(client), options_(options) {}

InformerFactory::~InformerFactory() { Stop(); }

SharedInformer& InformerFactory::For(const ResourceRef& r) {
  std::lock_guard<std::mutex> lock(mu_);
  const std::string key = r.group + "/" + r.version + "/" + r.resource;
  auto& slot = informers_[key];
  if (!slot) {
    slot = std::make_unique<SharedInformer>(client_, r, options_);
    // After Stop the client may be going away: an informer asked for then
    // stays empty rather than start a thread that would use it.
    if (!stopped_) slot->Start();
  }
  return *slot;
}

void InformerFactory::Stop() {
  std::lock_guard<std::mutex> lock(mu_);
  stopped_ = true;
  for (auto& [key, informer] : informers_) informer->Stop();
}

}  // namespace berth
