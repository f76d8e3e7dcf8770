// Staff login against the county's directory: one LDAP simple bind as the user, over TLS.
#pragma once

#include <string>
#include <string_view>

#include "core/config.hpp"

namespace wm::server {

// `value` escaped as an RFC 4514 attribute value: , + " \ < > ; = and NUL, a leading space
// or '#', a trailing space, and control characters (as \XX).
std::string escape_dn_value(std::string_view value);

// The bind name for `login` from `ldap.bind_dn_template` ("{login}" replaced, RFC 4514
// escaped when the template is a DN, i.e. has a '='); "" when `login` breaks the login rules
// (core::valid_staff_login): such a login never reaches the directory.
std::string bind_name(const core::Ldap& ldap, const std::string& login);

enum class BindResult {
  ok,           // the directory accepted the password
  refused,      // wrong password, unknown name, disabled account (invalidCredentials)
  unavailable,  // no answer within timeout_s, no connection, TLS failed, server busy
};

// A simple bind as `name` with `password` (never logged) to `ldap.url`, after StartTLS when
// configured; at most ~timeout_s for connect, TLS and bind together. An empty password is
// refused without asking the directory (an empty simple bind is an anonymous bind, which many
// servers "accept"). `why` says what happened, for the log. Blocking: call it off the
// reactor (the login verifier thread). Thread-safe: one LDAP handle per call.
BindResult ldap_simple_bind(const core::Ldap& ldap, const std::string& name,
                            const std::string& password, std::string& why);

}  // namespace wm::server
