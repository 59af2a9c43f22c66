// The SDK ABI version and the build key a plugin is checked against before
// the kernel calls anything else in it. Bump kSdkAbiVersion on any change to
// an SDK header; tests/abi fails when the headers' hash changes without it.
//
// Thread safety: constants only.
#ifndef BERTH_SDK_ABI_VERSION_H_
#define BERTH_SDK_ABI_VERSION_H_

#define BERTH_SDK_ABI_VERSION 17

#define BERTH_STR2_(x) #x
#define BERTH_STR_(x) BERTH_STR2_(x)

// Everything that must match for C++ objects to cross the plugin boundary:
// the SDK ABI, the compiler family and major version, the libstdc++ string
// ABI, and the language standard.
#define BERTH_BUILD_KEY \
  "berth-sdk-abi=" BERTH_STR_(BERTH_SDK_ABI_VERSION)              \
  ";gcc=" BERTH_STR_(__GNUC__)                                      \
  ";cxx11-abi=" BERTH_STR_(_GLIBCXX_USE_CXX11_ABI)                  \
  ";std=" BERTH_STR_(__cplusplus)

#endif  // BERTH_SDK_ABI_VERSION_H_
