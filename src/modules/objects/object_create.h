// Objects sent through the legacy GraphQL mutation objectCreate, as upstream prepares them. Unlike
// REST uploads, these arrive parsed (GraphQL variables), are stored as JavaScript's
// JSON.stringify writes them, and record how many children their closure names.
#pragma once

#include <cstddef>
#include <cstdint>

#include <boost/json/object.hpp>

#include "modules/objects/upload.h"

namespace stipple::objects {

struct CreatedObject {
  PreparedObject object;
  int64_t total_children_count = 0;  // the number of `__closure` entries
};

// The id is a truthy `hash`, else a truthy `id`, else the md5 of the object's JSON text; the
// stored text is the object with that id (added last when it had none). An id that is not a
// string of 32 characters, or an object larger than max_bytes, gives OBJECT_HANDLING_ERROR (400).
CreatedObject prepare_created_object(boost::json::object object, std::size_t max_bytes);

}  // namespace stipple::objects
