// Service environment variables: the Docker-link style variables the
// kubelet gives every container for the Services it may reach
// (pkg/kubelet/envvars): FOO_SERVICE_HOST, FOO_SERVICE_PORT,
// FOO_SERVICE_PORT_<PORTNAME>, FOO_PORT=tcp://ip:port and
// FOO_PORT_<port>_<PROTO>[_PROTO|_PORT|_ADDR], for the Services of the
// pod's namespace with a cluster IP (when spec.enableServiceLinks is not
// false) and always for default/kubernetes, which in-cluster clients find
// the API server by (KUBERNETES_SERVICE_HOST / KUBERNETES_SERVICE_PORT).
//
// Thread safety: a pure function of its inputs; the Client is called from
// the calling thread only.
#ifndef BERTH_PLUGINS_NODE_ENV_SERVICE_ENV_H_
#define BERTH_PLUGINS_NODE_ENV_SERVICE_ENV_H_

#include "berth/client.h"
#include "berth/json.h"
#include "berth/status.h"
#include "env/expansion.h"

namespace berth::node {

// The service variables for `pod`, services in name order. A Services
// resource the server does not serve yields none; another list error is
// returned ("failed to list services when setting up env vars: ...").
StatusOr<EnvList> ServiceEnv(const Json& pod, Client& client);

// The variables of one Service object (none without a cluster IP).
EnvList ServiceEnvFor(const Json& service);

}  // namespace berth::node

#endif  // BERTH_PLUGINS_NODE_ENV_SERVICE_ENV_H_
