// The OpenAPI v3 schemas of the apimachinery meta types every kind refers
// to (ObjectMeta, ListMeta, Time, OwnerReference, ManagedFieldsEntry...),
// served by the kernel so plugins only describe their own types.
//
// Thread safety: returns a constant.
#ifndef BERTH_KERNEL_API_SERVER_META_SCHEMAS_H_
#define BERTH_KERNEL_API_SERVER_META_SCHEMAS_H_

namespace berth::api {

// A JSON object: schema name -> schema.
const char* MetaSchemasJson();

}  // namespace berth::api

#endif  // BERTH_KERNEL_API_SERVER_META_SCHEMAS_H_
