// ChainLead: small progressive enhancements only; every page works without JavaScript.
(function () {
  "use strict";
  var token = document.querySelector('meta[name="csrf-token"]');
  window.chainlead = {
    csrf: token ? token.getAttribute("content") : "",
    // JSON call to the API with the session cookie and the CSRF header.
    api: function (method, url, body, etag) {
      var headers = {"Content-Type": "application/json", "X-CSRFToken": window.chainlead.csrf};
      if (etag) { headers["If-Match"] = etag; }
      return fetch(url, {method: method, headers: headers, credentials: "same-origin",
                         body: body ? JSON.stringify(body) : undefined});
    }
  };
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var question = form.getAttribute("data-confirm");
    if (question && !window.confirm(question)) { event.preventDefault(); }
  });
})();
