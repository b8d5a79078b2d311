#include "net/curl_transport.h"
#include "util/secret.h"

#include <curl/curl.h>
#include <sys/socket.h>

#include <algorithm>
#include <atomic>
#include <mutex>

#include "net/url.h"
#include "util/interrupt.h"

namespace mpp::net {

// Outside the anonymous namespace: CurlTransport::Impl, which has external linkage, holds one.
struct EasyDeleter {
  void operator()(CURL* handle) const { curl_easy_cleanup(handle); }
};
using EasyPtr = std::unique_ptr<CURL, EasyDeleter>;

namespace {

struct SlistDeleter {
  void operator()(curl_slist* list) const { curl_slist_free_all(list); }
};
using SlistPtr = std::unique_ptr<curl_slist, SlistDeleter>;

// State for one transfer, reached from libcurl's callbacks.
struct Transfer {
  CURL* handle = nullptr;
  const TransportLimits* limits = nullptr;
  const BodySink* sink = nullptr;
  HttpResponse response;
  std::size_t header_bytes = 0;
  std::string limit_error;
  bool body_too_large = false;
  std::size_t streamed_bytes = 0;
  bool sink_refused = false;
  bool send_once = false;
  bool headers_sent = false;
  bool resend_refused = false;
};

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r' || s.back() == '\n')) {
    s.remove_suffix(1);
  }
  return s;
}

std::size_t OnHeader(char* data, std::size_t size, std::size_t count, void* user) {
  auto* t = static_cast<Transfer*>(user);
  std::size_t n = size * count;
  t->header_bytes += n;
  if (t->header_bytes > t->limits->max_header_bytes) {
    t->limit_error = "response headers exceed " + std::to_string(t->limits->max_header_bytes) + " bytes";
    return 0;
  }
  std::string_view line(data, n);
  if (line.substr(0, 5) == "HTTP/") {
    // A new response (after 100-continue or a proxy CONNECT): start over.
    t->response.headers.clear();
    auto first_space = line.find(' ');
    auto second_space = first_space == std::string_view::npos ? first_space : line.find(' ', first_space + 1);
    t->response.reason = second_space == std::string_view::npos
                             ? std::string()
                             : std::string(Trim(line.substr(second_space + 1)));
    return n;
  }
  auto colon = line.find(':');
  if (colon == std::string_view::npos || colon == 0) return n;  // blank line or junk: ignore
  if (line.front() == ' ' || line.front() == '\t') return n;    // obsolete folding: ignore
  t->response.headers.push_back(
      {std::string(line.substr(0, colon)), std::string(Trim(line.substr(colon + 1)))});
  return n;
}

std::size_t OnBody(char* data, std::size_t size, std::size_t count, void* user) {
  auto* t = static_cast<Transfer*>(user);
  std::size_t n = size * count;
  long status = 0;
  curl_easy_getinfo(t->handle, CURLINFO_RESPONSE_CODE, &status);
  if (t->sink != nullptr && status >= 200 && status < 300) {
    t->response.body_streamed = true;
    const std::size_t limit = t->limits->max_streamed_body_bytes;
    const std::size_t room = limit - std::min(limit, t->streamed_bytes);
    const std::size_t taken = std::min(n, room);
    t->streamed_bytes += taken;
    if (taken > 0 && !(*t->sink)(std::string_view(data, taken))) {
      t->sink_refused = true;
      return 0;
    }
    if (taken < n) {
      t->limit_error = "the answer is larger than " + std::to_string(limit) + " bytes";
      t->body_too_large = true;
      return 0;
    }
    return n;
  }
  if (t->response.body.size() + n > t->limits->max_body_bytes) {
    t->limit_error = "response body exceeds " + std::to_string(t->limits->max_body_bytes) + " bytes";
    t->body_too_large = true;
    return 0;
  }
  t->response.body.append(data, n);
  return n;
}

// Debug callbacks are how libcurl tells that request headers went out (it needs CURLOPT_VERBOSE;
// nothing is printed because this callback replaces the printer).
int OnDebug(CURL*, curl_infotype type, char*, std::size_t, void* user) {
  if (type == CURLINFO_HEADER_OUT) static_cast<Transfer*>(user)->headers_sent = true;
  return 0;
}

// Refuses a new connection for a send-once request whose headers already went out: that is
// libcurl retrying on its own after the reused connection died.
curl_socket_t OnOpenSocket(void* user, curlsocktype, curl_sockaddr* address) {
  auto* t = static_cast<Transfer*>(user);
  if (t->send_once && t->headers_sent) {
    t->resend_refused = true;
    return CURL_SOCKET_BAD;
  }
  return ::socket(address->family, address->socktype, address->protocol);
}

int OnProgress(void*, curl_off_t, curl_off_t, curl_off_t, curl_off_t) { return InterruptRequested() ? 1 : 0; }

}  // namespace

void GlobalInit() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

struct CurlTransport::Impl {
  TransportLimits limits;
  std::string user_agent;
  EasyPtr handle;
  char error_buffer[CURL_ERROR_SIZE] = {};
};

CurlTransport::CurlTransport(TransportLimits limits, std::string user_agent)
    : impl_(std::make_unique<Impl>()) {
  GlobalInit();
  impl_->limits = limits;
  impl_->user_agent = std::move(user_agent);
  impl_->handle.reset(curl_easy_init());
}

CurlTransport::~CurlTransport() = default;

Result<HttpResponse> CurlTransport::Perform(const HttpRequest& request, const BodySink* sink,
                                            TransportFailure* failure) {
  TransportFailure scratch;
  TransportFailure& fail = failure != nullptr ? *failure : scratch;
  fail = {};
  CURL* h = impl_->handle.get();
  if (h == nullptr) return MakeError(ErrorKind::kUnexpected, "could not initialize libcurl");
  // Checked before anything is sent: a request without mpp's User-Agent never leaves.
  auto header_lines = RequestHeaderLines(request, impl_->user_agent);
  if (!header_lines) {
    fail.message = header_lines.error().message;
    return header_lines.error();
  }

  Transfer t;
  t.handle = h;
  t.limits = &impl_->limits;
  t.sink = sink;

  // Settings that must not leak from one request into the next are reset each time; the connection
  // cache survives curl_easy_reset, so the paid retry reuses the probe's connection.
  curl_easy_reset(h);
  impl_->error_buffer[0] = '\0';
  curl_easy_setopt(h, CURLOPT_ERRORBUFFER, impl_->error_buffer);
  curl_easy_setopt(h, CURLOPT_URL, request.url.c_str());
  curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L);
  curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, 1L);
  curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, 2L);
  curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, impl_->limits.connect_timeout_ms);
  curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, impl_->limits.total_timeout_ms);
  curl_easy_setopt(h, CURLOPT_ACCEPT_ENCODING, "");
  curl_easy_setopt(h, CURLOPT_TCP_KEEPALIVE, 1L);
  // Proxies come from the environment, except where a proxy could read a credential or loopback is
  // meant: "*" in NOPROXY makes this one request direct.
  if (MustBypassProxy(request.url, request.send_once)) curl_easy_setopt(h, CURLOPT_NOPROXY, "*");
  t.send_once = request.send_once;
  if (t.send_once) {
    curl_easy_setopt(h, CURLOPT_VERBOSE, 1L);
    curl_easy_setopt(h, CURLOPT_DEBUGFUNCTION, OnDebug);
    curl_easy_setopt(h, CURLOPT_DEBUGDATA, &t);
  }
  curl_easy_setopt(h, CURLOPT_OPENSOCKETFUNCTION, OnOpenSocket);
  curl_easy_setopt(h, CURLOPT_OPENSOCKETDATA, &t);
  curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, OnHeader);
  curl_easy_setopt(h, CURLOPT_HEADERDATA, &t);
  curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, OnBody);
  curl_easy_setopt(h, CURLOPT_WRITEDATA, &t);
  curl_easy_setopt(h, CURLOPT_NOPROGRESS, 0L);
  curl_easy_setopt(h, CURLOPT_XFERINFOFUNCTION, OnProgress);

  if (request.method == "GET") {
    curl_easy_setopt(h, CURLOPT_HTTPGET, 1L);
  } else if (request.method == "HEAD") {
    curl_easy_setopt(h, CURLOPT_NOBODY, 1L);
  } else {
    curl_easy_setopt(h, CURLOPT_POSTFIELDS, request.body.data());
    curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(request.body.size()));
    if (request.method != "POST") curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, request.method.c_str());
  }

  SlistPtr headers;
  auto add_header = [&headers](const std::string& line) {
    curl_slist* next = curl_slist_append(headers.get(), line.c_str());
    if (next != nullptr) {
      (void)headers.release();
      headers.reset(next);
    }
  };
  add_header("Expect:");  // no 100-continue round trip for small JSON bodies
  for (const auto& line : *header_lines) add_header(line);
  curl_easy_setopt(h, CURLOPT_HTTPHEADER, headers.get());

  CURLcode code = curl_easy_perform(h);
  // The header list may carry a credential: free it now rather than leave it in the handle.
  curl_easy_setopt(h, CURLOPT_HTTPHEADER, nullptr);
  headers.reset();
  for (auto& line : *header_lines) Wipe(line);

  long request_size = 0;
  curl_easy_getinfo(h, CURLINFO_REQUEST_SIZE, &request_size);
  if (code != CURLE_OK) {
    fail.request_may_have_been_sent = request_size > 0 || t.headers_sent;
    fail.interrupted = code == CURLE_ABORTED_BY_CALLBACK && InterruptRequested();
    fail.body_too_large = t.body_too_large;
    if (fail.interrupted) {
      fail.message = "interrupted";
    } else if (!t.limit_error.empty()) {
      fail.message = t.limit_error;
    } else if (t.sink_refused) {
      fail.message = "output closed";
    } else if (t.resend_refused) {
      fail.message = "the connection closed after the request was sent, without an answer";
    } else {
      fail.message =
          impl_->error_buffer[0] != '\0' ? std::string(impl_->error_buffer) : curl_easy_strerror(code);
    }
    curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &t.response.status);
    fail.partial = std::move(t.response);
    ErrorKind kind = fail.interrupted ? ErrorKind::kInterrupted : ErrorKind::kNetwork;
    return MakeError(kind, fail.message);
  }
  curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &t.response.status);
  fail.request_may_have_been_sent = true;
  return std::move(t.response);
}

}  // namespace mpp::net
