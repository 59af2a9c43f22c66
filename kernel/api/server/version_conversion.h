// Version conversion: how a kind served in more than one version of its
// group (KindInfo::also_served_versions) meets the wire. Objects are always
// stored and validated in the kind's own version; a request in another
// version has its body converted in (Kind::ConvertFromVersion, apiVersion
// set to the kind's own) and every object it gets back converted out
// (Kind::ConvertToVersion, apiVersion set to the requested one), as the
// apiserver's conversion does between a resource's versions.
//
// Thread safety: pure functions (the kinds' hooks are const and
// thread-safe).
#ifndef BERTH_KERNEL_API_SERVER_VERSION_CONVERSION_H_
#define BERTH_KERNEL_API_SERVER_VERSION_CONVERSION_H_

#include <memory>
#include <string>

#include "berth/json.h"
#include "berth/kind.h"
#include "berth/status.h"

namespace berth::api {

// Whether `version` is a version other than the kind's own ("" is the
// kind's own).
bool IsOtherVersion(const KindInfo& info, const std::string& version);

// "apps/v1beta2" for `version` of the kind's group.
std::string ApiVersionOf(const KindInfo& info, const std::string& version);

// Converts a request body written in `version` to the kind's own version.
// Nothing happens for the kind's own version. BadRequest (the apiserver's
// wording) when the body names another apiVersion of the group.
Status ConvertIn(const Kind& kind, const std::string& version, Json& obj,
                 JsonAlloc& alloc);

// Converts a stored object (the kind's own version) to `version`, in
// place. Nothing happens for the kind's own version.
void ConvertOut(const Kind& kind, const std::string& version, Json& obj,
                JsonAlloc& alloc);

// The same for an encoded object: `data` itself when `version` is the
// kind's own (no copy), else a converted copy. Unparsable data is returned
// as it is.
std::shared_ptr<const std::string> ConvertOut(
    const Kind& kind, const std::string& version,
    std::shared_ptr<const std::string> data);

}  // namespace berth::api

#endif  // BERTH_KERNEL_API_SERVER_VERSION_CONVERSION_H_
