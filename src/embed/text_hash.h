// Content hashes of embedded texts. A stored vector records the hash of the text it was made from,
// so `cinerec embed` re-embeds exactly the movies whose text changed, and the query cache finds a
// prompt's vector without storing the prompt twice.
#pragma once

#include <string>
#include <string_view>

namespace cinerec {

// "sha256:" followed by the lowercase hex SHA-256 of the UTF-8 bytes of `text`.
std::string text_hash(std::string_view text);

}  // namespace cinerec
