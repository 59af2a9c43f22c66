#include "kernel/cli/plugin_host.h"

#include <spdlog/spdlog.h>

#include "kernel/api/tls/certificate_request.h"

namespace berth::cli {

PluginHost::PluginHost() = default;

PluginHost::~PluginHost() { StopServices(); }

void PluginHost::Log(int level, const std::string& plugin,
                     const std::string& message) {
  auto lvl = level <= kLogDebug  ? spdlog::level::debug
             : level == kLogInfo ? spdlog::level::info
             : level == kLogWarn ? spdlog::level::warn
                                 : spdlog::level::err;
  spdlog::log(lvl, "plugin={} {}", plugin, message);
}

void PluginHost::RecordEvent(const std::string& component,
                             const ObjectReference& regarding,
                             const std::string& type, const std::string& reason,
                             const std::string& message) {
  if (events_) events_->Record({component, regarding, type, reason, message});
}

Informer& PluginHost::InformerFor(const ResourceRef& r) {
  return informers_.For(r);
}

std::vector<std::shared_ptr<SchedulerPlugin>> PluginHost::SchedulerPlugins() {
  return plugins_ ? plugins_->SchedulerPlugins()
                  : std::vector<std::shared_ptr<SchedulerPlugin>>{};
}

std::vector<std::shared_ptr<ContainerRuntime>> PluginHost::ContainerRuntimes() {
  return plugins_ ? plugins_->ContainerRuntimes()
                  : std::vector<std::shared_ptr<ContainerRuntime>>{};
}

std::vector<std::shared_ptr<PodNetwork>> PluginHost::PodNetworks() {
  return plugins_ ? plugins_->PodNetworks()
                  : std::vector<std::shared_ptr<PodNetwork>>{};
}

void PluginHost::StopServices() {
  informers_.Stop();
  events_.reset();
}

StatusOr<std::string> PluginHost::SignCertificate(
    const std::string& csr_pem, const std::vector<std::string>& usages,
    std::chrono::seconds duration) {
  if (!pki_) return Host::SignCertificate(csr_pem, usages, duration);
  return tls::SignCertificateRequest(*pki_, csr_pem, usages, duration);
}

}  // namespace berth::cli
