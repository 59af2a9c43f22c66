// StorageFields: how PersistentVolumes, PersistentVolumeClaims and
// StorageClasses are read the same way by validation, printing and the
// binder — access modes (Kubernetes' allowed set, kubectl's "RWO,RWX"
// form), the class of a volume or claim (with the beta annotation that
// precedes spec.storageClassName), the default-class annotation, the
// storage size, and label selector matching for a claim's spec.selector.
//
// Thread safety: pure functions.
#ifndef BERTH_PLUGINS_STORAGE_STORAGE_FIELDS_H_
#define BERTH_PLUGINS_STORAGE_STORAGE_FIELDS_H_

#include <optional>
#include <set>
#include <string>
#include <vector>

#include "berth/json.h"
#include "berth/kind.h"

namespace berth::storage {

inline constexpr char kBetaClassAnnotation[] =
    "volume.beta.kubernetes.io/storage-class";
inline constexpr char kDefaultClassAnnotation[] =
    "storageclass.kubernetes.io/is-default-class";
inline constexpr char kBetaDefaultClassAnnotation[] =
    "storageclass.beta.kubernetes.io/is-default-class";
inline constexpr char kBindCompletedAnnotation[] =
    "pv.kubernetes.io/bind-completed";
inline constexpr char kBoundByControllerAnnotation[] =
    "pv.kubernetes.io/bound-by-controller";
inline constexpr char kSelectedNodeAnnotation[] =
    "volume.kubernetes.io/selected-node";

// The access modes Kubernetes accepts, sorted as its error messages list
// them.
const std::vector<std::string>& SupportedAccessModes();

// Checks `modes` (spec.accessModes, may be null) at `path`: required with
// `required_detail` when empty, each one from the supported set, and
// ReadWriteOncePod alone.
void ValidateAccessModes(const Json* modes, const std::string& path,
                         const std::string& required_detail,
                         std::vector<FieldCause>& causes);

// The distinct access modes of a JSON array (empty for anything else).
std::set<std::string> AccessModeSet(const Json* modes);

// kubectl's GetAccessModesAsString: "RWO,ROX,RWX,RWOP" in that order.
std::string AccessModesString(const Json* modes);

// GetPersistentVolumeClass / GetPersistentVolumeClaimClass: the beta
// annotation when present, else spec.storageClassName, else "".
std::string VolumeClass(const Json& pv);
std::string ClaimClass(const Json& pvc);

// True when a StorageClass carries the default-class annotation (or its
// beta form) set to "true".
bool IsDefaultClass(const Json& sc);

// spec.volumeMode, "Filesystem" when unset.
std::string VolumeModeOf(const Json& obj);

// The storage size in bytes of a quantity map entry (spec.capacity,
// spec.resources.requests): nullopt when absent or not a quantity.
std::optional<long double> StorageSize(const Json* resources);

// True when `labels` (may be null) satisfy the metav1.LabelSelector
// `selector` (matchLabels and matchExpressions In, NotIn, Exists,
// DoesNotExist). An empty selector matches everything.
bool SelectorMatches(const Json& selector, const Json* labels);

}  // namespace berth::storage

#endif  // BERTH_PLUGINS_STORAGE_STORAGE_FIELDS_H_
