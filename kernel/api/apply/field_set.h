// FieldSet: a set of field paths in an object, the unit of ownership in
// server-side apply, as sigs.k8s.io/structured-merge-diff's fieldpath.Set
// has it. A set is a trie whose edges are path elements written the way
// the FieldsV1 encoding of `metadata.managedFields` writes them:
//   "f:<name>"        a member of a map or struct ("f:spec", "f:replicas");
//   "k:<json object>" an item of an associative list, named by its merge
//                     keys (k:{"name":"nginx"});
//   "v:<json value>"  an item of a set-like list of scalars (v:"a").
// A node "is a member" of the set when its own path is in it: FieldsV1
// writes that as a "." child when the node has children, and as an empty
// object when it has none.
//
// Thread safety: a value type; distinct sets may be used from different
// threads, one set from one thread at a time.
#ifndef BERTH_KERNEL_API_APPLY_FIELD_SET_H_
#define BERTH_KERNEL_API_APPLY_FIELD_SET_H_

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "berth/json.h"
#include "berth/status.h"

namespace berth::apply {

class FieldSet {
 public:
  FieldSet() = default;

  // Decodes a FieldsV1 document ({"f:data":{"f:key":{}}}). BadRequest when
  // `fields` is not an object or holds a key that is neither ".", nor an
  // "f:", "k:", "v:" or "i:" element.
  static StatusOr<FieldSet> FromFieldsV1(const Json& fields);
  // The FieldsV1 encoding, children in sorted order as structured-merge-diff
  // writes them, so a decoded document encodes back to the same text.
  JsonDoc ToFieldsV1() const;
  // The same, built in place in `out` with `a`, the allocator owning it.
  void ToFieldsV1(Json& out, JsonAlloc& a) const;
  std::string ToFieldsV1String() const;

  bool Empty() const { return !member_ && children_.empty(); }
  // Whether this node's own path is in the set.
  bool member() const { return member_; }
  void set_member(bool m) { member_ = m; }

  // The child for `element`, created empty when missing. Callers that
  // create children speculatively call Prune() afterwards.
  FieldSet& Child(const std::string& element) { return children_[element]; }
  // The child for `element`, or null.
  const FieldSet* Find(std::string_view element) const;
  const std::map<std::string, FieldSet, std::less<>>& children() const {
    return children_;
  }
  void Erase(std::string_view element);
  // Drops the descendants that hold no member.
  void Prune();

  // Inserts the path of `elements` from this node.
  void Insert(const std::vector<std::string>& elements);
  bool Has(const std::vector<std::string>& elements) const;

  FieldSet Union(const FieldSet& other) const;
  // The paths of this set that are not in `other`; the descendants of a
  // path of `other` stay unless they are in `other` too.
  FieldSet Difference(const FieldSet& other) const;
  FieldSet Intersection(const FieldSet& other) const;
  // In place: this = this ∪ other, this = this − other. They visit only
  // `other`'s paths, so they are cheap when `other` is small.
  void Add(const FieldSet& other);
  void Subtract(const FieldSet& other);

  // Every member path, in order, as structured-merge-diff prints paths:
  // ".spec.containers[name=\"nginx\"].image", ".data.key", ".x[=\"a\"]".
  std::vector<std::string> PathStrings() const;

  bool operator==(const FieldSet& other) const = default;

 private:
  void CollectPaths(const std::string& prefix,
                    std::vector<std::string>* out) const;

  bool member_ = false;
  std::map<std::string, FieldSet, std::less<>> children_;
};

// How structured-merge-diff prints one path element: "f:x" -> ".x",
// "k:{\"name\":\"a\"}" -> "[name=\"a\"]", "v:1" -> "[=1]", "i:0" -> "[0]".
std::string PathElementString(std::string_view element);

}  // namespace berth::apply

#endif  // BERTH_KERNEL_API_APPLY_FIELD_SET_H_
