// InformerFactory: the host's Host::InformerFor — one SharedInformer per
// resource, created and started on first request and shared by every
// caller after that.
//
// Thread safety: For and Stop may be called from any thread. After Stop,
// For still answers (a plugin shutting down may ask) but with an informer
// that is never started and stays empty.
#ifndef BERTH_KERNEL_CONTROLLER_INFORMER_FACTORY_H_
#define BERTH_KERNEL_CONTROLLER_INFORMER_FACTORY_H_

#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "berth/client.h"
#include "kernel/controller/shared_informer.h"

namespace berth {

class InformerFactory {
 public:
  // `client` must outlive the factory.
  explicit InformerFactory(Client& client,
                           SharedInformer::Options options = {});
  ~InformerFactory();

  // The started informer of `r` (not started after Stop); the factory owns
  // it until it is destroyed.
  SharedInformer& For(const ResourceRef& r);

  // Stops every informer (joins their threads). Idempotent.
  void Stop();

 private:
  Client& client_;
  const SharedInformer::Options options_;
  std::mutex mu_;
  std::map<std::string, std::unique_ptr<SharedInformer>> informers_;
  bool stopped_ = false;
};

}  // namespace berth

#endif  // BERTH_KERNEL_CONTROLLER_INFORMER_FACTORY_H_
