// An Error that also carries extra members for the GraphQL error's `extensions`: some upstream
// errors repeat the input they refused (e.g. COMMIT_CREATE_ERROR names the version it was asked
// to create), and clients' error numbering depends on them.
#pragma once

#include <string>

#include "base/error.h"

namespace stipple {

class DetailedError : public Error {
 public:
  // `details` is the text of a JSON object; its members join the error's extensions.
  DetailedError(Error error, std::string details)
      : Error(std::move(error)), details_(std::move(details)) {}

  const std::string& details() const { return details_; }

 private:
  std::string details_;
};

}  // namespace stipple
