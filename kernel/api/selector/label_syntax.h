// Label key and value syntax checks shared by the selector parsers, with the
// exact messages of k8s.io/apimachinery/pkg/api/validate/content so error
// replies read as Kubernetes' do.
//
// Thread safety: pure functions.
#ifndef BERTH_KERNEL_API_SELECTOR_LABEL_SYNTAX_H_
#define BERTH_KERNEL_API_SELECTOR_LABEL_SYNTAX_H_

#include <string>
#include <string_view>
#include <vector>

namespace berth::selector {

// Problems with a label key ([prefix/]name); empty when valid.
std::vector<std::string> LabelKeyErrors(std::string_view key);

// Problems with a label value; empty when valid ("" is valid).
std::vector<std::string> LabelValueErrors(std::string_view value);

// Problems with a DNS-1123 subdomain; empty when valid.
std::vector<std::string> Dns1123SubdomainErrors(std::string_view value);

// Go's %q rendering of a string, used inside field error messages.
std::string GoQuote(std::string_view s);

}  // namespace berth::selector

#endif  // BERTH_KERNEL_API_SELECTOR_LABEL_SYNTAX_H_
