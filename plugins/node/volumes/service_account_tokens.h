// ServiceAccountTokens: the tokens the node puts in projected
// serviceAccountToken volume sources, as the kubelet's token manager keeps
// them. A token is asked of the TokenRequest API
// (serviceaccounts/NAME/token) for the pod's ServiceAccount, bound to the
// pod (name and uid), with the source's audience and expirationSeconds;
// it is kept and handed out again until 80% of its lifetime has passed or
// it is 24 hours old, and then replaced by a new one.
//
// Thread safety: Get and Forget may be called from several threads at once
// (one mutex; the API call is made outside it).
#ifndef BERTH_PLUGINS_NODE_VOLUMES_SERVICE_ACCOUNT_TOKENS_H_
#define BERTH_PLUGINS_NODE_VOLUMES_SERVICE_ACCOUNT_TOKENS_H_

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <string>

#include "berth/client.h"
#include "berth/json.h"
#include "berth/status.h"

namespace berth::node {

class ServiceAccountTokens {
 public:
  using Clock = std::chrono::system_clock;
  using Now = std::function<Clock::time_point()>;

  // `client` must outlive this object.
  explicit ServiceAccountTokens(Client& client, Now now = Clock::now)
      : client_(client), now_(std::move(now)) {}

  // The token for `pod` (a Pod object) for `audience` ("" for the API
  // server's) lasting `seconds`: the one held when it is still fresh, else
  // a new one. "" when the server serves no TokenRequest API (a cluster
  // without the auth plugin): there is no token to give. Fails with the
  // kubelet's "failed to fetch token: <API error>" when the API refuses
  // (the ServiceAccount or pod is gone).
  StatusOr<std::string> Get(const Json& pod, const std::string& audience,
                            int64_t seconds);

  // Drops the tokens held for the pod with `uid` (it is gone).
  void Forget(const std::string& uid);

 private:
  struct Held {
    std::string token;
    Clock::time_point issued;
    Clock::time_point expires;
  };
  // Whether `held` is due for a new token at `now`: past 80% of its
  // lifetime or 24 hours old.
  static bool NeedsRefresh(const Held& held, Clock::time_point now);

  Client& client_;
  Now now_;
  std::mutex mu_;
  // uid "\n" audience "\n" seconds -> token.
  std::map<std::string, Held> held_;
};

}  // namespace berth::node

#endif  // BERTH_PLUGINS_NODE_VOLUMES_SERVICE_ACCOUNT_TOKENS_H_
