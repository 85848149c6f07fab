// The one translation unit that compiles Boost.Asio, Boost.Beast, Boost.JSON and Boost.URL
// (Debian ships the last two header-only; separate compilation keeps every other file from
// instantiating them again).
#include <boost/asio/impl/src.hpp>
#include <boost/beast/src.hpp>
#include <boost/json/src.hpp>
#include <boost/url/src.hpp>
