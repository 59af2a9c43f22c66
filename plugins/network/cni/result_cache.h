// ResultCache: the record of each attachment a pod network made, on disk
// as libcni keeps it (<cacheDir>/results/<network>-<containerID>-<ifname>,
// a "cniCacheV1" JSON object: the network config used, CNI_ARGS,
// capability args and the final ADD result), so CHECK, DEL and Inspect
// work from a fresh process, with the config the attachment was made with.
//
// Thread safety: calls for different attachments may run concurrently;
// writes replace a file atomically (rename), so a reader never sees half.
#ifndef BERTH_PLUGINS_NETWORK_CNI_RESULT_CACHE_H_
#define BERTH_PLUGINS_NETWORK_CNI_RESULT_CACHE_H_

#include <string>
#include <utility>
#include <vector>

#include "berth/status.h"

namespace berth::cni {

struct CachedAttachment {
  std::string network_name;
  std::string container_id;
  std::string ifname;
  std::string config_json;  // the network config list used for ADD
  std::vector<std::pair<std::string, std::string>> cni_args;
  std::string capability_args_json = "{}";  // an object
  std::string result_json;                  // the last plugin's result
};

class ResultCache {
 public:
  explicit ResultCache(std::string cache_dir);

  // The file of one attachment.
  std::string PathFor(const std::string& network, const std::string& id,
                      const std::string& ifname) const;
  // Writes (replaces) the record; Internal naming the file when it cannot.
  Status Write(const CachedAttachment& entry) const;
  // NotFound when there is no record; Internal when it is unreadable.
  StatusOr<CachedAttachment> Read(const std::string& network,
                                  const std::string& id,
                                  const std::string& ifname) const;
  // The networks with a record for this container and interface, by name
  // (a sandbox's attachment may have been made with another network
  // config than today's).
  std::vector<std::string> NetworksOf(const std::string& id,
                                      const std::string& ifname) const;
  // Removes the record; a missing one is fine.
  Status Remove(const std::string& network, const std::string& id,
                const std::string& ifname) const;

 private:
  const std::string dir_;  // <cacheDir>/results
};

}  // namespace berth::cni

#endif  // BERTH_PLUGINS_NETWORK_CNI_RESULT_CACHE_H_
