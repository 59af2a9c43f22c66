// VolumeMatching: the binding decisions of kube-controller-manager's
// PersistentVolume controller, without any I/O — whether a volume can serve
// a claim that names it (checkVolumeSatisfyClaim), whether a volume is
// already bound to a claim, and which Available volume a claim without a
// volumeName should get (findBestMatchForClaim: among volumes of the same
// class, volume mode, matching selector, at least the requested size and
// all requested access modes, the ones with the fewest access modes first,
// then the smallest).
//
// Thread safety: pure functions.
#ifndef BERTH_PLUGINS_STORAGE_VOLUME_MATCHING_H_
#define BERTH_PLUGINS_STORAGE_VOLUME_MATCHING_H_

#include <string>
#include <vector>

#include "berth/json.h"

namespace berth::storage {

// "" when `pv` satisfies `pvc`'s size, class, volume mode and access modes;
// otherwise Kubernetes' reason ("requested PV is too small",
// "storageClassName does not match", ...).
std::string VolumeMismatch(const Json& pv, const Json& pvc);

// True when pv.spec.claimRef names `pvc` (namespace and name, and its uid
// when the reference carries one).
bool IsVolumeBoundToClaim(const Json& pv, const Json& pvc);

// The volume `pvc` should bind to, or nullptr. A volume already pre-bound
// to the claim wins; with `delay_binding` (WaitForFirstConsumer and no
// node chosen yet) only such a pre-bound volume is returned. With `node`
// (the Node chosen for the claim's first consumer), volumes whose
// spec.nodeAffinity does not admit it are skipped.
const Json* FindBestVolume(const Json& pvc,
                           const std::vector<const Json*>& volumes,
                           bool delay_binding, const Json* node = nullptr);

// True when the Node `node` satisfies the volume's
// spec.nodeAffinity.required (a NodeSelector: terms ORed, their
// matchExpressions on labels and matchFields on metadata.name ANDed); true
// when the volume has none.
bool VolumeNodeAffinityMatches(const Json& pv, const Json& node);

}  // namespace berth::storage

#endif  // BERTH_PLUGINS_STORAGE_VOLUME_MATCHING_H_
