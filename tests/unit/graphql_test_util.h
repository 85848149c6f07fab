// Helpers shared by the GraphQL engine's unit tests.
#pragma once

#include <exception>
#include <optional>
#include <string>

#include <boost/asio.hpp>
#include <boost/json.hpp>

#include "graphql/graphql.h"

namespace stipple::graphql::testing {

// Runs a coroutine to completion on a fresh io_context.
template <class T>
T run_sync(boost::asio::awaitable<T> task) {
  boost::asio::io_context io;
  std::optional<T> out;
  std::exception_ptr error;
  boost::asio::co_spawn(io, std::move(task), [&](std::exception_ptr e, T value) {
    error = e;
    if (!e) out = std::move(value);
  });
  io.run();
  if (error) std::rethrow_exception(error);
  return std::move(*out);
}

// Executes a query and returns the serialized response.
inline std::string run(const Executor& executor, const std::string& query,
                       boost::json::object variables = {}, std::any context = {},
                       boost::json::value root = nullptr) {
  Request request;
  request.query = query;
  request.variables = std::move(variables);
  return boost::json::serialize(
      run_sync(executor.execute(request, std::move(context), std::move(root))).to_json());
}

}  // namespace stipple::graphql::testing
